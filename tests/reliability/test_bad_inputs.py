"""Each malformed or hostile input of tests/data/bad/ gets the promised answer: the exit
status, a message naming the file (and the line where there is one), no traceback, and a
store whose content is byte-for-byte what it was (sorted N-Quads), all under a memory limit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.reliability

HERE = Path(__file__).resolve().parent
BAD = HERE.parents[0] / "data" / "bad"
CASES = json.loads((BAD / "cases.json").read_text(encoding="utf-8"))
#: the address-space limit of the run; the 1 KB entity bomb alone would need gigabytes
MEMORY_MB = 3072


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict:
    store = tmp_path_factory.mktemp("bad") / "store"
    run = subprocess.run([sys.executable, str(HERE / "bad_input_runner.py"), str(store),
                          str(MEMORY_MB)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input_is_refused_cleanly(case: dict, outcomes: dict) -> None:
    got = outcomes[case["id"]]
    assert got["traceback"] is None, got["traceback"]
    assert got["exit"] == case["exit"], got["stderr"]
    assert case["names"] in got["stderr"], got["stderr"]
    if case["line"] is not None:
        assert f"line {case['line']}" in got["stderr"], got["stderr"]
    assert got["unchanged"], "the store changed"
