"""Time the records loader (``prepare_records``: read, check, map, resolve; no write) on the
AGORA corpus through examples/mappings/agora.yaml, at several sizes, against a baseline of
only reading the same records (``read_records``) in the same run; with peak memory.

Not a timed test: run it by hand (``python benchmarks/bench_records.py``); it needs
../shared/data/agora. Sizes are the first N data rows of documents.csv (a CSV record may span
several lines), repeated to reach sizes beyond the file.
"""

from __future__ import annotations

import csv
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AGORA = ROOT.parent / "shared" / "data" / "agora" / "documents.csv"
MAPPING = ROOT / "examples" / "mappings" / "agora.yaml"
SIZES = (100, 738, 2952)


def subset(n: int, out: Path) -> Path:
    """The first n records (the file's records repeated with new ids past its end)."""
    with AGORA.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    key = header.index("AGORA ID")
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(n):
            row = list(rows[i % len(rows)])
            row[key] = f"{row[key]}-{i // len(rows)}" if i >= len(rows) else row[key]
            w.writerow(row)
    return out


def timed(fn, runs: int = 3) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 1e6


def main() -> int:
    if not AGORA.is_file():
        print(f"needs {AGORA}", file=sys.stderr)
        return 2
    from aicoop.loaders.mapping import load_mapping
    from aicoop.loaders.record_input import read_records
    from aicoop.loaders.records import prepare_records
    from aicoop.reference import build_reference
    from aicoop.store.embedded import EmbeddedStore

    store = EmbeddedStore(None)
    build_reference(store)
    mapping = load_mapping(MAPPING)
    print("| records | read only (s) | mapped (s) | ratio | peak read (MB) | peak mapped (MB) |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            path = subset(n, Path(tmp) / f"agora-{n}.csv")
            base, base_peak = timed(lambda: read_records(path, mapping))
            full, full_peak = timed(lambda: prepare_records(store, path, mapping))
            print(f"| {n} | {base:.3f} | {full:.3f} | {full / base:.1f} | {base_peak:.1f} | "
                  f"{full_peak:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
