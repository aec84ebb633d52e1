"""Benchmark: ``kg validate`` in batches against the whole-store copy, in the same run.

At each size a synthetic store is built (``kg init --empty``, then the synthetic documents of
``bench_bridges.generate`` bulk-loaded into one graph). Then ``kg validate --format json`` runs
as a whole process (start-up, opening the store, validation, rendering), alternately with
``--batch-size 0`` (the old path: the store copied into one rdflib graph, validated at once)
and with the default batch size (and, with ``--batch-sizes``, others); wall time and peak
resident memory of each run are taken from ``RUSAGE_CHILDREN`` of a fresh wrapper process,
like ``/usr/bin/time``. The two paths must print the same report.

    python benchmarks/bench_validate.py                       # 10k and 100k documents
    python benchmarks/bench_validate.py --sizes 1000 10000 --repeat 3
    python benchmarks/bench_validate.py --sizes 10000 --batch-sizes 1000 5000 20000

Results go to ``benchmarks/results-validate.json``; ``results-validate.md`` discusses them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_bridges import build_store, generate, kg_command, measure  # noqa: E402


def bench_size(docs: int, work: Path, batch_sizes: list[int], repeat: int,
               timeout: float) -> dict:
    nt, store = work / f"syn-{docs}.nt", work / f"store-{docs}"
    shutil.rmtree(store, ignore_errors=True)
    triples = generate(docs, nt)
    build_store(store, nt)
    nt.unlink()
    base = kg_command() + ["--store", str(store), "validate", "--format", "json"]
    variants = {"whole (--batch-size 0)": base + ["--batch-size", "0"]}
    for b in batch_sizes:
        variants[f"batches of {b}"] = base + ["--batch-size", str(b)]
    runs: dict[str, list[dict]] = {name: [] for name in variants}
    for _ in range(repeat):  # alternate, so that drift in the machine's load hits both alike
        for name, cmd in variants.items():
            runs[name].append(measure(cmd, timeout))
            print(docs, name, json.dumps(runs[name][-1]), file=sys.stderr, flush=True)
    out = {"documents": docs, "triples": triples, "runs": {}}
    for name, rs in runs.items():
        ok = [r for r in rs if r["wall"] is not None]
        out["runs"][name] = {
            "wall_s": round(statistics.median(r["wall"] for r in ok), 1) if ok else None,
            "peak_mb": round(max(r["rss_kb"] for r in ok) / 1024) if ok else None,
            "exit_codes": sorted({r["rc"] for r in rs}, key=str),
            "output_sha": sorted({r.get("out_sha", "") for r in rs}),
            "n": len(ok)}
    shas = {s for r in out["runs"].values() for s in r["output_sha"]}
    out["identical_output"] = len(shas) == 1
    shutil.rmtree(store, ignore_errors=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[5000])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--out", type=Path, default=HERE / "results-validate.json")
    args = ap.parse_args()
    results = {"machine": f"{os.cpu_count()} cores",
               "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "sizes": []}
    with tempfile.TemporaryDirectory() as tmp:
        for docs in args.sizes:
            results["sizes"].append(bench_size(docs, Path(tmp), args.batch_sizes, args.repeat,
                                               args.timeout))
            args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print("| documents | triples | run | wall s (median) | peak MB | exit | same report |")
    print("|---|---|---|---|---|---|---|")
    for r in results["sizes"]:
        for name, v in r["runs"].items():
            print(f"| {r['documents']:,} | {r['triples']:,} | {name} | {v['wall_s']} | "
                  f"{v['peak_mb']} | {','.join(map(str, v['exit_codes']))} | "
                  f"{'yes' if r['identical_output'] else 'NO'} |")


if __name__ == "__main__":
    main()
