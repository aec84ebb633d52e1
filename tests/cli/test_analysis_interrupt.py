"""Ctrl-C during an analysis command's own SPARQL query ends the command at once, with one line
and exit status 130, not a traceback, and not only when the query finishes.

The analysis queries (all but the listings used to resolve names) are swapped for one that
would run for hours (a three-way cartesian product counted over the default store), so that the
signal surely lands inside one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

CHILD = r"""
import sys
from aicoop.analysis import fetch
real = fetch._query_text
# the parameters the analyses bind must be variables of the query
ENDLESS = ("SELECT ?domain ?item ?org ?state (COUNT(*) AS ?n) WHERE { "
           "VALUES (?domain ?item ?org ?state) { (UNDEF UNDEF UNDEF UNDEF) } "
           "?a ?b ?c . ?d ?e ?f . ?g ?h ?i } GROUP BY ?domain ?item ?org ?state")
fetch._query_text = lambda name: real(name) if name.startswith(("list-", "domains-")) else ENDLESS
from aicoop.cli import cli
print("ready", flush=True)
cli.main(["--store", sys.argv[1], *sys.argv[2:]], prog_name="kg")
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("interrupt") / "store")
    subprocess.run([sys.executable, "-m", "aicoop.cli", "--store", path, "init"],
                   check=True, capture_output=True)
    return path


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
@pytest.mark.parametrize("command", [
    ["bridges", "--domain", "health"],
    ["paths", "--from", "WHO", "--to", "FAO"],
    ["report", "--domain", "health", "--out", "never-written.md"],
], ids=["bridges", "paths", "report"])
def test_sigint_inside_an_analysis_query_exits_130_with_one_line(store, command, tmp_path,
                                                                ctrl_c_by_default):
    proc = subprocess.Popen([sys.executable, "-c", CHILD, store, *command], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=ctrl_c_by_default)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(3)  # start-up, opening the store, and into the endless query
        assert proc.poll() is None, proc.communicate()
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        waited = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        "kg: interrupted; the store is unchanged by the unfinished work"]
    assert waited < 20  # the query alone would take hours
    assert list(tmp_path.iterdir()) == []  # nothing written
