"""Benchmark: `kg serve` under concurrent load on loopback.

Starts `kg serve` (a subprocess, on 127.0.0.1 and a free port) over the reference store, then
runs, one after the other, phases of N concurrent clients for a fixed time, each client sending
requests one at a time in a seeded random mix:

- resource pages (HTML, or Turtle/JSON-LD by Accept) of organisations, States, documents,
  initiatives and concepts;
- the shipped SPARQL queries (`src/aicoop/queries/*.rq`, as the query editor offers them) at
  /sparql, JSON results;
- /api/bridges?domain=… for the domains in use.

The server keeps answers of its immutable snapshot in a bounded cache, so a page or query asked
again is cheap; the first answer of each is computed (pages: ~600 targets, so the cache warms
during the 1-client phase and the tail latency of later phases shows misses and queueing).

The 1-client phase is the baseline measured in the same run; each phase reports throughput,
p50/p99 latency by kind and their ratio to the baseline, errors (any status other than 200, or
no answer within 30 s), and the server's peak memory (VmHWM of the server process plus the
largest sum of VmRSS over it and its SPARQL workers, sampled every 0.25 s). Everything stays on
loopback; every phase is bounded in time and stops by itself.

    python benchmarks/bench_serve.py                       # 1, 10, 50 clients; 15, 20, 60 s
    python benchmarks/bench_serve.py --clients 50 --duration 60 --out benchmarks/results-serve.md

Target (issue): 50 clients for 60 s, zero errors, p99 under 1 s for resource pages.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, accept: str, timeout: float = 30) -> tuple[int, int]:
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with OPENER.open(req, timeout=timeout) as resp:
            return resp.status, len(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, 0
    except OSError:
        return 0, 0


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += children(p)
    return seen


class MemorySampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_tree_kb, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak_tree_kb = max(self.peak_tree_kb, sum(rss_kb(p) for p in tree(self.pid)))
            time.sleep(0.25)


def targets(base: str) -> dict[str, list[tuple[str, str]]]:
    """(url, accept) per kind, from what the server itself lists."""
    q = ("SELECT ?x WHERE { VALUES ?c { <http://www.w3.org/ns/org#Organization> "
         "<https://w3id.org/aicoop/ontology#State> <https://w3id.org/aicoop/ontology#PolicyDocument> "
         "<https://w3id.org/aicoop/ontology#JointInitiative> "
         "<http://www.w3.org/2004/02/skos/core#Concept> } ?x a ?c } ORDER BY ?x")
    with OPENER.open(base + "/sparql?" + urllib.parse.urlencode({"query": q}), timeout=60) as r:
        iris = [b["x"]["value"] for b in json.load(r)["results"]["bindings"]]
    iris = sorted({i for i in iris if i.startswith("https://w3id.org/aicoop/")})
    pages = []
    for i, iri in enumerate(iris):
        accept = ("text/html", "text/turtle", "application/ld+json")[i % 3]
        pages.append((base + "/" + iri[len("https://w3id.org/aicoop/"):], accept))
    sys.path.insert(0, str(ROOT / "src"))
    from aicoop.namespaces import PREFIXES
    from aicoop.queries import named_queries
    from aicoop.serve.app import with_prefixes
    queries = [(base + "/sparql?" + urllib.parse.urlencode(
        {"query": with_prefixes(nq.text, PREFIXES)}), "application/sparql-results+json")
        for name, nq in named_queries().items() if not name.startswith("resource-")]
    domains = ("health", "agriculture", "education", "environment", "cybersecurity")
    bridges = [(f"{base}/api/bridges?domain={d}", "application/json") for d in domains]
    return {"page": pages, "query": queries, "bridges": bridges}


MIX = (("page", 0.6), ("query", 0.25), ("bridges", 0.15))


def phase(base: str, pool: dict[str, list[tuple[str, str]]], clients: int, duration: float,
          seed: int) -> dict:
    results: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def client(k: int) -> None:
        rnd = random.Random(seed * 1000 + k)
        mine = []
        while time.monotonic() < deadline:
            kind = rnd.choices([m[0] for m in MIX], [m[1] for m in MIX])[0]
            url, accept = rnd.choice(pool[kind])
            t0 = time.perf_counter()
            status, _ = get(url, accept)
            mine.append((kind, time.perf_counter() - t0, status))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    out = {"clients": clients, "duration_s": round(wall, 1), "requests": len(results),
           "throughput_rps": round(len(results) / wall, 1),
           "errors": sum(1 for _, _, s in results if s != 200),
           "error_statuses": sorted({s for _, _, s in results if s != 200}), "kinds": {}}
    for kind, _ in MIX:
        lat = sorted(d for k, d, _ in results if k == kind)
        if lat:
            out["kinds"][kind] = {
                "n": len(lat), "p50_ms": round(1000 * statistics.median(lat), 1),
                "p99_ms": round(1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))], 1),
                "errors": sum(1 for k, _, s in results if k == kind and s != 200)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 10, 50])
    ap.add_argument("--duration", type=float, nargs="+", default=[15, 20, 60])
    ap.add_argument("--store", help="store folder (default: build the reference in a tmp dir)")
    ap.add_argument("--out", type=Path, default=HERE / "results-serve.md")
    args = ap.parse_args()
    durations = args.duration * len(args.clients) if len(args.duration) == 1 else args.duration
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    store = args.store or str(tmp / "store")
    env = dict(os.environ, KG_STORE=store)
    kg = [sys.executable, "-m", "aicoop.cli"]
    if not args.store:
        subprocess.run(kg + ["stats"], env=env, check=True, capture_output=True)
    port = free_port()
    log = open(tmp / "serve.log", "w")  # a pipe nobody reads would fill and block the server
    server = subprocess.Popen(kg + ["serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if get(base + "/sparql?query=ASK%7B%7D", "application/json", 2)[0] == 200:
                break
            time.sleep(0.5)
        else:
            raise SystemExit("the server did not start")
        pool = targets(base)
        for url, accept in pool["bridges"]:  # first answers are computed, then cached
            get(url, accept, 120)
        sampler = MemorySampler(server.pid)
        sampler.start()
        phases = [phase(base, pool, c, d, seed=i) for i, (c, d)
                  in enumerate(zip(args.clients, durations))]
        sampler.stop.set()
        peak_server_mb = rss_kb(server.pid, "VmHWM") / 1024
        peak_tree_mb = sampler.peak_tree_kb / 1024
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    write(args.out, phases, pool, peak_server_mb, peak_tree_mb)


def write(out: Path, phases: list[dict], pool, peak_server_mb: float, peak_tree_mb: float
          ) -> None:
    base = phases[0]["kinds"]
    lines = [
        "# `kg serve` under load (loopback)", "",
        f"Machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; 2 SPARQL workers. "
        f"Targets: {len(pool['page'])} resource pages (HTML, Turtle, JSON-LD in turn), "
        f"{len(pool['query'])} shipped queries (JSON results), /api/bridges for "
        f"{len(pool['bridges'])} domains; mix {', '.join(f'{k} {w:.0%}' for k, w in MIX)}. "
        "Each client sends one request at a time. Ratios are to the 1-client phase (baseline, "
        "same run).", "",
        "| clients | seconds | requests | req/s | errors | kind | p50 ms | p99 ms | p50 ratio | "
        "p99 ratio |", "|---|---|---|---|---|---|---|---|---|---|"]
    for ph in phases:
        for i, (kind, k) in enumerate(ph["kinds"].items()):
            b = base.get(kind)
            r50 = f"{k['p50_ms'] / b['p50_ms']:.1f}x" if b and b["p50_ms"] else "–"
            r99 = f"{k['p99_ms'] / b['p99_ms']:.1f}x" if b and b["p99_ms"] else "–"
            head = (f"| {ph['clients']} | {ph['duration_s']} | {ph['requests']} | "
                    f"{ph['throughput_rps']} | {ph['errors']} " if i == 0 else "| | | | | ")
            lines.append(head + f"| {kind} ({k['n']}) | {k['p50_ms']} | {k['p99_ms']} | {r50} | "
                         f"{r99} |")
    lines += ["", f"Peak memory: server process {peak_server_mb:.0f} MB (VmHWM); server and "
              f"workers together {peak_tree_mb:.0f} MB (largest sampled sum of VmRSS).", ""]
    out.write_text("\n".join(lines))
    out.with_suffix(".json").write_text(json.dumps(
        {"phases": phases, "peak_server_mb": round(peak_server_mb, 1),
         "peak_with_workers_mb": round(peak_tree_mb, 1)}, indent=1) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
