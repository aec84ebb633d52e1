"""Run a query on the embedded store in a separate process that can be stopped.

A pyoxigraph query cannot be interrupted from Python once it runs (neither by a timer nor by
Ctrl-C), so a time limit that really stops the work needs a process of its own: the worker
opens the store read-only, runs the query and sends the result back; the caller kills it when
the limit passes or the user presses Ctrl-C.

Commands that run many short queries (the analyses) cannot pay a process for each; for them
:func:`interruptible` runs the call in a thread and waits for it in small steps, so Ctrl-C
reaches the command at once (pyoxigraph releases the interpreter while it queries) and ends it
through the usual one-line message; the abandoned read-only query dies with the process.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ..errors import KgError, QueryError, StoreError


def _work(conn: Any, location: str, sparql: str, params: Mapping[str, Any]) -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does
    from .embedded import EmbeddedStore
    try:
        store = EmbeddedStore(location, read_only=True)
        conn.send(("ok", store.query(sparql, params=params)))
    except KgError as exc:  # sent as class name and text: not every error pickles
        conn.send(("error", (type(exc).__name__, str(exc))))
    except BaseException as exc:
        conn.send(("error", ("QueryError", f"query failed: {exc}")))
    finally:
        conn.close()


T = TypeVar("T")


def interruptible(call: Callable[[], T]) -> T:
    """``call()``, run so that Ctrl-C (KeyboardInterrupt) interrupts the caller at once even
    while ``call`` is inside pyoxigraph; for read-only work only (it is abandoned, not undone)."""
    if threading.current_thread() is not threading.main_thread():
        return call()  # signals only reach the main thread: nothing to wait for here
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="kg-query", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.05)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def run_query(location: str, sparql: str, *, params: Mapping[str, Any] | None = None,
              timeout: float | None = None) -> Any:
    """The result of ``sparql`` on the embedded store at ``location``; ``QueryError`` when it
    runs over ``timeout`` seconds (the worker is killed)."""
    ctx = mp.get_context("spawn")  # no fork: the parent may hold RocksDB threads
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_work, args=(child, location, sparql, dict(params or {})),
                       daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise QueryError(f"the query ran over the time limit of {timeout:g} s and was "
                             "stopped; raise it with --timeout")
        try:
            status, value = parent.recv()
        except EOFError:
            raise QueryError("the query worker ended without an answer (out of memory?)"
                             ) from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
    if status == "error":
        name, message = value
        raise (StoreError if name == "StoreError" else QueryError)(message)
    return value
