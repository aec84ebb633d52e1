"""SPARQL queries in worker processes that can be killed: the time limit really stops the work.

A pyoxigraph query cannot be interrupted from Python, and Oxigraph's own server time limit
(``serve-read-only --timeout-s``) was measured here not to stop an aggregate over a cross
product (it ran on for minutes after the client had its error). So each query runs in one of a
few worker processes that open the snapshot read-only; when a query passes the limit its worker
is killed (SIGKILL) and a fresh one started. Results are serialised in the worker into a buffer
that refuses to grow past the cap, so a huge result also stops early.

This module is imported by the workers (spawned, not forked): it imports only pyoxigraph.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from dataclasses import dataclass

SELECT_FORMATS = {
    "application/sparql-results+json": "JSON", "application/sparql-results+xml": "XML",
    "text/csv": "CSV", "text/tab-separated-values": "TSV",
}
GRAPH_FORMATS = {
    "text/turtle": "TURTLE", "application/ld+json": "JSON_LD",
    "application/n-triples": "N_TRIPLES", "application/rdf+xml": "RDF_XML",
}


class ResultTooLarge(Exception):
    pass


class CappedBuffer:
    """A write-only byte buffer that raises once more than ``cap`` bytes were written."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.parts: list[bytes] = []
        self.size = 0
        self.overflow = False

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.cap:
            self.overflow = True
            raise ResultTooLarge(self.cap)
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def run_query(store, query: str, media_type: str, max_bytes: int,
              default_graph: tuple[str, ...] = (), named_graphs: tuple[str, ...] = ()
              ) -> tuple[int, str, bytes]:
    """Run one query on a pyoxigraph store: (status, media type, body or message)."""
    import pyoxigraph as ox
    kwargs = {}
    if default_graph:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
    else:
        kwargs["use_default_graph_as_union"] = True
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    buf = CappedBuffer(max_bytes)
    try:
        result = store.query(query, **kwargs)
        if isinstance(result, ox.QueryTriples):
            fmt = GRAPH_FORMATS.get(media_type)
            if fmt is None:
                return 406, "text/plain", f"{media_type} does not fit a graph result".encode()
            result.serialize(buf, getattr(ox.RdfFormat, fmt))
        else:
            fmt = SELECT_FORMATS.get(media_type)
            if fmt is None:
                return 406, "text/plain", f"{media_type} does not fit a table result".encode()
            result.serialize(buf, getattr(ox.QueryResultsFormat, fmt))
    except SyntaxError as exc:
        return 400, "text/plain", f"malformed SPARQL query: {exc}".encode()
    except Exception as exc:  # noqa: BLE001 - the cap surfaces as an I/O error from Rust
        if buf.overflow:
            return 413, "text/plain", (f"the result is larger than the cap of {max_bytes} "
                                       "bytes; add a LIMIT or ask for fewer columns").encode()
        return 400, "text/plain", f"the query failed: {exc}".encode()
    return 200, media_type, buf.getvalue()


def worker_main(conn, folder: str, max_bytes: int) -> None:
    """A worker: open the snapshot read-only, answer queries until the pipe closes."""
    import pyoxigraph as ox
    store = ox.Store.read_only(folder)
    conn.send(("ready",))
    while True:
        try:
            query, media, dg, ng = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(run_query(store, query, media, max_bytes, dg, ng))


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object


class QueryPool:
    """``size`` worker processes over the snapshot folder; ``run`` returns
    (status, media type, body); a query past ``timeout_s`` gets 503 and its worker killed."""

    def __init__(self, folder: str, *, size: int = 2, timeout_s: float = 10.0,
                 max_bytes: int = 10_000_000) -> None:
        self.folder, self.size, self.timeout_s, self.max_bytes = folder, size, timeout_s, max_bytes
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.killed = 0
        #: exit codes of the workers killed at the time limit (-9: SIGKILL), for the record
        self.killed_exit_codes: list[int | None] = []
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        p = self._ctx.Process(target=worker_main, args=(child, self.folder, self.max_bytes),
                              daemon=True, name="kg-sparql-worker")
        p.start()
        child.close()
        if not parent.poll(60) or parent.recv() != ("ready",):
            p.kill()
            raise RuntimeError("a SPARQL worker did not start")
        w = _Worker(p, parent)
        with self._lock:
            self._all.add(w)
        return w

    def _kill(self, w: _Worker) -> None:
        w.process.kill()
        w.process.join(5)
        w.conn.close()
        with self._lock:
            self._all.discard(w)
            self.killed += 1
            self.killed_exit_codes.append(w.process.exitcode)

    def run(self, query: str, media_type: str, default_graph: tuple[str, ...] = (),
            named_graphs: tuple[str, ...] = ()) -> tuple[int, str, bytes]:
        try:
            w = self._idle.get(timeout=self.timeout_s)
        except queue.Empty:
            return 503, "text/plain", (b"every query worker stayed busy for the whole time "
                                       b"limit; try again later")
        try:
            w.conn.send((query, media_type, default_graph, named_graphs))
            if not w.conn.poll(self.timeout_s):
                self._kill(w)
                w = self._start()
                return 503, "text/plain", (f"the query ran past the time limit of "
                                           f"{self.timeout_s:g} s and was stopped").encode()
            return w.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._kill(w)
            w = self._start()
            return 500, "text/plain", b"the query worker died; the query was not answered"
        finally:
            self._idle.put(w)

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
        for w in workers:
            w.process.kill()
            w.process.join(5)
            w.conn.close()
        with self._lock:
            self._all.clear()
