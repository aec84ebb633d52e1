"""Run every case of tests/data/bad/cases.json against one small store, under a memory
limit, and print what happened as JSON. Run as a separate process by test_bad_inputs.py, so
that the limit (``resource.setrlimit``) binds only this run."""

from __future__ import annotations

import hashlib
import json
import resource
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"


def fingerprint(location: Path) -> str:
    """A hash of the store's sorted N-Quads: equal exactly when the content is equal."""
    from aicoop.store.embedded import EmbeddedStore
    store = EmbeddedStore(location, read_only=True)
    try:
        lines = sorted(str(q) for q in store.raw.quads_for_pattern(None, None, None, None))
    finally:
        store.close()
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def main(store_dir: str, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import os
    os.chdir(ROOT)
    from click.testing import CliRunner

    from aicoop.cli import cli
    from aicoop.loaders.rdf import load_rdf
    from aicoop.reference import load_ontology
    from aicoop.store.embedded import EmbeddedStore
    location = Path(store_dir)
    with EmbeddedStore(location) as store:
        load_ontology(store)
        load_rdf(store, [ROOT / "tests" / "data" / "rdf" / "good.ttl"])
    results = {}
    for case in json.loads((BAD / "cases.json").read_text(encoding="utf-8")):
        before = fingerprint(location)
        args = ["--store", str(location)] + [a.replace("{bad}", str(BAD)) for a in case["args"]]
        result = CliRunner().invoke(cli, args)
        crashed = None
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            crashed = "".join(traceback.format_exception(result.exception))
        results[case["id"]] = {"exit": result.exit_code, "stderr": result.stderr,
                               "traceback": crashed, "unchanged": fingerprint(location) == before}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
