"""Fixtures shared by the whole suite.

``oxigraph_server`` runs a real SPARQL server on loopback for the remote-store tests. The
``oxigraph`` executable comes from the PyPI package of the same name (``pip install .[test]``),
which installs it into the environment's scripts folder, next to ``sys.executable``; we look
there first (the suite may run without the venv on PATH), then on ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest


def _ctrl_c_by_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="session")
def ctrl_c_by_default() -> Callable[[], None]:
    """``preexec_fn`` for a child process a test sends Ctrl-C: SIGINT handled as it is for a
    command started at a terminal, even when this test run ignores it (a run started in the
    background does, and the child would inherit that)."""
    return _ctrl_c_by_default


def find_oxigraph() -> str | None:
    """The ``oxigraph`` server executable of this Python environment, else the one on PATH."""
    folders = [sysconfig.get_path("scripts"), str(Path(sys.executable).parent)]
    try:
        folders.append(sysconfig.get_path("scripts", f"{os.name}_user"))
    except KeyError:
        pass
    return shutil.which("oxigraph", path=os.pathsep.join(folders)) or shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(base: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(base + "/query?query=ASK%7B%7D", timeout=1) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def running_oxigraph(binary: str, location: Path, *, union: bool = True,
                     startup: float = 30.0) -> Iterator[str]:
    """Run ``oxigraph serve`` on a free loopback port until the block ends; yields its base
    URL. Stopped by its PID: terminate, then kill if it has not exited after 10 s."""
    location.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    args = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union:
        args.append("--union-default-graph")
    log = open(location.parent / f"oxigraph-{port}.log", "wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + startup
        while not _answers(base):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                output = Path(log.name).read_text(errors="replace")[-2000:]
                raise RuntimeError(f"oxigraph server did not start ({' '.join(args)}): {output}")
            time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def oxigraph_binary() -> str:
    binary = find_oxigraph()
    if binary is None:
        pytest.skip("the oxigraph server executable was not found next to "
                    f"{sys.executable} nor on PATH; install it with `pip install .[test]`")
    return binary


@pytest.fixture(scope="session")
def start_oxigraph(oxigraph_binary: str, tmp_path_factory: pytest.TempPathFactory
                   ) -> Callable[..., AbstractContextManager[str]]:
    """A factory for extra servers (``with start_oxigraph(union=False) as url: ...``)."""

    def start(*, union: bool = True) -> AbstractContextManager[str]:
        return running_oxigraph(oxigraph_binary, tmp_path_factory.mktemp("oxigraph") / "data",
                                union=union)

    return start


@pytest.fixture(scope="session")
def oxigraph_server(start_oxigraph) -> Iterator[str]:
    """Base URL of an Oxigraph server (union default graph) shared by the session; tests that
    write to it clear it first."""
    with start_oxigraph() as url:
        yield url
