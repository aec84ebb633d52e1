"""Load throughput and peak memory of ``kg load rdf`` against pyoxigraph's own ``bulk_load``
on the same file in the same run, at several corpus sizes; then five parallel ``kg bridges``
on one store.

Not a timed test: run it by hand, e.g. ``python benchmarks/bench_load.py --docs 100000
1000000``; it prints a Markdown table and writes ``benchmarks/results-load.json``.

The corpus is a synthetic policy graph (documents with title, issuer, date, domains, risks;
about 15 triples per document), written as N-Triples. Every measured step runs in a fresh
process that reports its own wall time and peak resident memory (``ru_maxrss``), so the
numbers include start-up and nothing leaks from one step to the next.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AIC = "https://w3id.org/aicoop/"
DOMAINS = ["agriculture", "education", "cybersecurity", "environment", "health"]
RISKS = ["privacy", "bias", "safety", "security", "misinformation"]


def write_corpus(path: Path, docs: int, seed: int = 12) -> int:
    """Synthetic documents as N-Triples; returns the number of lines."""
    rng = random.Random(seed)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(docs):
            d = f"<{AIC}id/doc/d{i}>"
            lines = [
                f"{d} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{AIC}ont#PolicyDocument> .",
                f'{d} <http://purl.org/dc/terms/title> "Synthetic document {i}"@en .',
                f'{d} <http://purl.org/dc/terms/issued> "{2015 + i % 10}-0{1 + i % 9}-1{i % 10}"'
                "^^<http://www.w3.org/2001/XMLSchema#date> .",
                f"{d} <{AIC}ont#issuedBy> <{AIC}id/org/o{rng.randrange(300)}> .",
                f"{d} <http://xmlns.com/foaf/0.1/page> <https://example.org/doc/{i}> .",
            ]
            for dom in rng.sample(DOMAINS, 3):
                lines.append(f"{d} <{AIC}ont#addressesDomain> <{AIC}id/domain/{dom}> .")
            for risk in rng.sample(RISKS, 3):
                lines.append(f"{d} <{AIC}ont#identifiesRisk> <{AIC}id/risk/{risk}> .")
            for k in range(4):
                lines.append(f'{d} <{AIC}ont#keyword> "kw{rng.randrange(5000)}" .')
            fh.write("\n".join(lines) + "\n")
            n += len(lines)
    return n


CHILD_BULK = """
import json, resource, sys, time
import pyoxigraph as ox
t = time.perf_counter()
s = ox.Store(sys.argv[1])
s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode("http://example.org/bench"))
s.flush(); del s
print(json.dumps({"seconds": time.perf_counter() - t,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CHILD_KG = """
import json, resource, sys, time
t = time.perf_counter()
from aicoop.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="kg", standalone_mode=False)
finally:
    print(json.dumps({"seconds": time.perf_counter() - t,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(code: str, *args: str) -> dict:
    run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"step failed: {args}\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def measure_size(docs: int, work: Path, *, reload: bool) -> dict:
    nt = work / f"corpus-{docs}.nt"
    triples = write_corpus(nt, docs)
    size_mb = nt.stat().st_size / 1e6
    out = {"documents": docs, "triples": triples, "file_mb": round(size_mb, 1)}
    bulk_store, kg_store = work / "bulk", work / "kg"
    for d in (bulk_store, kg_store):
        shutil.rmtree(d, ignore_errors=True)
    base = child(CHILD_BULK, str(bulk_store), str(nt))
    # a plain empty store, so the load is measured without the reference build
    subprocess.run([sys.executable, "-c", "import sys; from aicoop.store.embedded import "
                    "EmbeddedStore; EmbeddedStore(sys.argv[1]).close()", str(kg_store)],
                   check=True)
    kg = child(CHILD_KG, "--store", str(kg_store), "load", "--no-derive", "rdf",
               str(nt), "--graph", "http://example.org/bench")
    steps = [("bulk_load", base), ("kg_load", kg)]
    if reload:  # replaces the graph: the old content is deleted triple by triple
        steps.append(("kg_reload", child(CHILD_KG, "--store", str(kg_store), "load",
                                         "--no-derive", "rdf", str(nt), "--graph",
                                         "http://example.org/bench")))
    for name, r in steps:
        out[name] = {"seconds": round(r["seconds"], 2),
                     "triples_per_s": round(triples / r["seconds"]),
                     "peak_mb": round(r["peak_mb"])}
    out["kg_vs_bulk_speed"] = round(base["seconds"] / kg["seconds"], 2)
    out["kg_peak_vs_file"] = round(kg["peak_mb"] / size_mb, 2)
    out["disk_mb"] = {"bulk_load": round(_du(bulk_store)), "kg": round(_du(kg_store))}
    nt.unlink()
    return out


def _du(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def parallel_bridges(work: Path, n: int = 5) -> dict:
    """``n`` concurrent ``kg bridges`` on one store (built first); all must succeed."""
    store = work / "reference"
    shutil.rmtree(store, ignore_errors=True)
    env = dict(os.environ, KG_STORE=str(store))
    subprocess.run(["kg", "graphs"], env=env, capture_output=True, check=True)
    t = time.perf_counter()
    procs = [subprocess.Popen(["kg", "bridges", "--domain", "health"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(n)]
    outs = [p.communicate() for p in procs]
    codes = [p.returncode for p in procs]
    same = len({o for o, _ in outs}) == 1
    return {"processes": n, "exit_codes": codes, "identical_output": same,
            "seconds": round(time.perf_counter() - t, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[100_000])
    ap.add_argument("--out", type=Path, default=HERE / "results-load.json")
    ap.add_argument("--reload-max", type=int, default=100_000,
                    help="also time a reload (graph replacement) up to this many documents")
    args = ap.parse_args()
    results = {"machine": f"{os.cpu_count()} cores", "sizes": [], "started":
               time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for docs in args.docs:
            results["sizes"].append(measure_size(docs, work, reload=docs <= args.reload_max))
            print(json.dumps(results["sizes"][-1]), flush=True)
        results["parallel_bridges"] = parallel_bridges(work)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print("\n| documents | triples | bulk_load t/s | kg load t/s | ratio | kg reload t/s | "
          "peak MB bulk / kg | kg peak / file |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results["sizes"]:
        print(f"| {r['documents']} | {r['triples']} | {r['bulk_load']['triples_per_s']} | "
              f"{r['kg_load']['triples_per_s']} | {r['kg_vs_bulk_speed']} | "
              f"{r.get('kg_reload', {}).get('triples_per_s', '-')} | {r['bulk_load']['peak_mb']} / "
              f"{r['kg_load']['peak_mb']} | {r['kg_peak_vs_file']} |")
    print(f"\nparallel kg bridges: {results['parallel_bridges']}")


if __name__ == "__main__":
    main()
