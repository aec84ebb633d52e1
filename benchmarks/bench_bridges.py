"""Benchmark: ``kg bridges --domain health`` end to end, against an rdflib + networkx baseline.

Measured in one run, at each size: the reference graph (the embedded default) and synthetic
graphs of 1k, 10k and 100k documents. For each, the whole ``kg bridges`` process (Python
start-up, opening the on-disk store, the SPARQL projection, the metrics, the evidence and the
table) is run as a subprocess; its wall time (median of ``--repeat`` runs) and peak resident
memory (``RUSAGE_CHILDREN`` of a fresh wrapper process, so each run is measured alone) are
recorded. The baseline does the same job the way a plain rdflib tool would: parse the same
data into rdflib's in-memory graph, run the same ``.rq`` queries with rdflib's SPARQL engine,
and compute the metrics with networkx's own functions.

Synthetic graphs are generated with a fixed seed; every instance IRI is under
``http://example.org/synthetic/`` (only the vocabulary IRIs, such as the domain concepts, are
the project's). They are test data, not facts.

    python benchmarks/bench_bridges.py                      # reference, 1k, 10k, 100k
    python benchmarks/bench_bridges.py --sizes 1000 10000 --repeat 3 --out results.md
    python benchmarks/bench_bridges.py --baseline-timeout 600

Targets (issue): whole process within 1 s on the reference graph and within 10 s at 100k
documents; at least 10x faster than the baseline at 10k documents.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SYN = "http://example.org/synthetic/"
VOCAB = "https://w3id.org/aicoop/id/"
AIC = "https://w3id.org/aicoop/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
XSD = "http://www.w3.org/2001/XMLSchema#"

DOMAINS = ["health", "education", "agriculture", "cybersecurity", "environment",
           "security-defence", "trade", "labour", "justice", "transport", "finance",
           "culture-media", "science-research", "development", "governance"]
# the five priority domains come up more often, as in the study's corpus
DOMAIN_WEIGHTS = [6, 5, 4, 5, 4, 3, 2, 2, 1, 1, 2, 1, 2, 2, 3]
RISKS = ["privacy", "bias", "transparency", "safety", "security", "reliability",
         "misinformation", "dual-use", "digital-divide", "environmental-footprint",
         "accountability", "human-rights", "labour-displacement", "concentration-of-power",
         "intellectual-property"]
BENEFITS = ["productivity", "health-outcomes", "food-security", "learning-outcomes",
            "climate-resilience", "inclusion", "innovation", "public-service-efficiency"]
FUNCTIONS = ["norm-setting", "standard-setting", "financing", "capacity-building",
             "research-data", "monitoring", "convening", "security-defence", "trade-rules",
             "technical-assistance"]
INSTRUMENTS = ["principles", "recommendation", "resolution", "convention", "strategy",
               "guidance", "standard", "declaration", "report", "framework"]
KINDS = ["UNSystemEntity", "IntergovernmentalOrganisation", "ForumOrClub", "DevelopmentBank",
         "StandardsBody", "RegionalOrganisation", "MultistakeholderPartnership",
         "ResearchNetwork", "NonStateOrganisation", "SecurityAlliance"]
KIND_WEIGHTS = [20, 15, 8, 8, 8, 15, 10, 8, 5, 3]


# ---- synthetic data -----------------------------------------------------------------------

def _iri(x: str) -> str:
    return f"<{x}>"


def _lit(text: str, dt: str | None = None, lang: str | None = None) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{esc}"@{lang}'
    return f'"{esc}"^^<{dt}>' if dt else f'"{esc}"'


def generate(n_docs: int, path: Path, *, seed: int = 20241201, n_orgs: int = 300,
             n_states: int = 150) -> int:
    """Write a synthetic policy graph of ``n_docs`` documents as N-Triples; returns the
    number of triples. About 15 triples per document (DESIGN.md section 6)."""
    rnd = random.Random(seed)
    out: list[str] = []

    def t(s: str, p: str, o: str) -> None:
        out.append(f"{s} {p} {o} .\n")

    type_ = _iri(RDF_TYPE)
    for i, d in enumerate(DOMAINS):
        c = _iri(VOCAB + "domain/" + d)
        t(c, type_, _iri(AIC + "Domain"))
        t(c, _iri(SKOS + "inScheme"), _iri(VOCAB + "scheme/domains"))
        t(c, _iri(SKOS + "notation"), _lit(d))
        t(c, _iri(SKOS + "prefLabel"), _lit(d.replace("-", " ").capitalize(), lang="en"))
    orgs = [SYN + f"org/o{i:03d}" for i in range(n_orgs)]
    # organisation popularity follows a Zipf-like law: a few very active issuers
    popularity = [1.0 / (i + 1) ** 0.8 for i in range(n_orgs)]
    for i, o in enumerate(orgs):
        kind = rnd.choices(KINDS, KIND_WEIGHTS)[0]
        t(_iri(o), type_, _iri(AIC + "Organisation"))
        t(_iri(o), type_, _iri(AIC + kind))
        t(_iri(o), _iri(SKOS + "prefLabel"), _lit(f"Synthetic organisation {i}", lang="en"))
        t(_iri(o), _iri(AIC + "acronym"), _lit(f"SO{i}"))
        for j, f in enumerate(rnd.sample(FUNCTIONS, rnd.randint(1, 3))):
            for d in rnd.sample(DOMAINS[:8], rnd.randint(1, 2)):
                role = _iri(f"{o}/role/{f}-{d}")
                t(_iri(o), _iri(AIC + "hasFunctionRole"), role)
                t(role, _iri(AIC + "function"), _iri(VOCAB + "function/" + f))
                t(role, _iri(AIC + "inDomain"), _iri(VOCAB + "domain/" + d))
    for s in range(n_states):
        st = _iri(SYN + f"state/s{s:03d}")
        t(st, type_, _iri(AIC + "State"))
        t(st, _iri(SKOS + "prefLabel"), _lit(f"Synthetic State {s}", lang="en"))
        for o in set(rnd.choices(orgs, popularity, k=rnd.randint(8, 30))):
            t(st, _iri(ORG + "memberOf"), _iri(o))
    docs = [SYN + f"doc/d{i:06d}" for i in range(n_docs)]
    for i, d in enumerate(docs):
        s = _iri(d)
        t(s, type_, _iri(AIC + "PolicyDocument"))
        t(s, _iri(DCT + "title"), _lit(f"Synthetic policy document {i}", lang="en"))
        t(s, _iri(DCT + "issued"), _lit(f"{rnd.randint(2016, 2025)}-{rnd.randint(1, 12):02d}-01",
                                        XSD + "date"))
        k = rnd.choices([1, 2, 3, 4, 5, 6], [70, 18, 7, 2, 2, 1])[0]
        for o in set(rnd.choices(orgs, popularity, k=k)):
            t(s, _iri(AIC + "issuedBy"), _iri(o))
        for dom in set(rnd.choices(DOMAINS, DOMAIN_WEIGHTS, k=rnd.choice([1, 1, 2, 2, 3]))):
            t(s, _iri(AIC + "addressesDomain"), _iri(VOCAB + "domain/" + dom))
        for r in rnd.sample(RISKS, rnd.randint(1, 2)):
            t(s, _iri(AIC + "identifiesRisk"), _iri(VOCAB + "risk/" + r))
        if rnd.random() < 0.5:
            t(s, _iri(AIC + "mitigatesRisk"), _iri(VOCAB + "risk/" + rnd.choice(RISKS)))
        if rnd.random() < 0.5:
            t(s, _iri(AIC + "promisesBenefit"), _iri(VOCAB + "benefit/" + rnd.choice(BENEFITS)))
        t(s, _iri(AIC + "instrumentType"), _iri(VOCAB + "instrument/" + rnd.choice(INSTRUMENTS)))
        t(s, _iri(AIC + "binding"), _lit("true" if rnd.random() < 0.2 else "false", XSD + "boolean"))
        t(s, _iri(FOAF + "page"), _iri(f"http://example.org/synthetic/page/{i}"))
        if i > 10 and rnd.random() < 0.2:
            t(s, _iri(AIC + "cites"), _iri(docs[rnd.randrange(i)]))
        if rnd.random() < 0.1:
            t(_iri(rnd.choices(orgs, popularity)[0]), _iri(AIC + "endorses"), s)
    for i in range(max(2, n_docs // 50)):
        ini = _iri(SYN + f"initiative/i{i:05d}")
        t(ini, type_, _iri(AIC + "JointInitiative"))
        t(ini, _iri(SKOS + "prefLabel"), _lit(f"Synthetic joint initiative {i}", lang="en"))
        for o in set(rnd.choices(orgs, popularity, k=rnd.randint(2, 5))):
            t(ini, _iri(AIC + "partner"), _iri(o))
        for dom in set(rnd.choices(DOMAINS, DOMAIN_WEIGHTS, k=rnd.randint(1, 2))):
            t(ini, _iri(AIC + "addressesDomain"), _iri(VOCAB + "domain/" + dom))
    path.write_text("".join(out), encoding="utf-8")
    return len(out)


# ---- stores -------------------------------------------------------------------------------

def kg_command() -> list[str]:
    script = Path(sys.executable).parent / "kg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "aicoop.cli"]


def build_store(store: Path, nt: Path | None) -> float:
    """An on-disk store with the ontology, vocabularies and reference data (``kg init``),
    plus the synthetic file bulk-loaded into its own graph. Returns the load time."""
    t0 = time.perf_counter()
    cmd = kg_command() + ["--store", str(store), "init"] + (["--empty"] if nt else [])
    subprocess.run(cmd, check=True, capture_output=True)
    if nt is not None:
        import pyoxigraph as ox

        from aicoop.store.embedded import EmbeddedStore
        s = EmbeddedStore(store)
        s.raw.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.NamedNode(SYN + "graph"))
        s.close()
    return time.perf_counter() - t0


def export_nt(store: Path, path: Path) -> None:
    """The whole store as N-Triples, for the baseline to parse."""
    with path.open("wb") as fh:
        subprocess.run(kg_command() + ["--store", str(store), "export", "--format", "nt"],
                       check=True, stdout=fh)


# ---- measuring ----------------------------------------------------------------------------

_WRAPPER = r"""
import hashlib, json, resource, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                   timeout=float(sys.argv[1]))
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "rc": p.returncode, "out_sha": hashlib.sha256(p.stdout).hexdigest(),
                  "out_bytes": len(p.stdout),
                  "err": p.stderr.decode("utf-8", "replace")[-500:]}))
"""


def measure(cmd: list[str], timeout: float) -> dict:
    """One run of ``cmd`` in a fresh wrapper process: wall seconds, peak RSS, exit code, and a
    hash of its output (so that runs can be shown to answer the same)."""
    try:
        p = subprocess.run([sys.executable, "-c", _WRAPPER, str(timeout), *cmd],
                           capture_output=True, text=True, timeout=timeout + 30)
    except subprocess.TimeoutExpired:
        return {"wall": None, "rss_kb": None, "rc": "timeout"}
    if p.returncode != 0:  # the wrapper itself timed out the child
        return {"wall": None, "rss_kb": None, "rc": "timeout", "err": p.stderr[-300:]}
    return json.loads(p.stdout)


def median_run(cmd: list[str], repeat: int, timeout: float) -> dict:
    runs = [measure(cmd, timeout) for _ in range(repeat)]
    ok = [r for r in runs if r.get("rc") == 0]
    if len(ok) < len(runs):
        bad = next(r for r in runs if r.get("rc") != 0)
        return {"wall": None, "rss_kb": None, "rc": bad.get("rc"), "err": bad.get("err", "")}
    return {"wall": statistics.median(r["wall"] for r in ok),
            "rss_kb": max(r["rss_kb"] for r in ok), "rc": 0}


# ---- the baseline: rdflib in memory + networkx --------------------------------------------

def baseline(data: Path, domain: str) -> None:
    """``kg bridges`` done with rdflib's in-memory graph and SPARQL engine plus networkx's
    own metric functions; prints the same top-10 table (to stdout) and phase times (stderr)."""
    t0 = time.perf_counter()
    import networkx as nx
    import rdflib

    from aicoop.queries import get_query
    g = rdflib.Graph()
    g.parse(str(data), format="nt")
    t_parse = time.perf_counter()
    dom = f"<{VOCAB}domain/{domain}>"

    def select(name: str, bind: str | None = None) -> list[dict]:
        text = get_query(name).text
        if bind:  # the remote-store way of binding a parameter: a trailing VALUES clause
            text += f"\nVALUES ?domain {{ {dom} }}\n"
        res = g.query(text)
        out = []
        for row in res:
            d = {}
            for k, v in row.asdict().items():
                x = v.toPython()
                d[str(k)] = x if isinstance(x, (bool, int, float)) else str(x)
            out.append(d)
        return out

    # the same queries as kg, and the same pure projection code; only the engines differ
    from aicoop.analysis.projection import project
    projection = project(select("list-organisations"), select("evidence-by-domain", "domain"),
                         select("org-partnerships"),
                         also_active={str(r["org"]) for r in select("org-roles-in-domain", "domain")})
    t_query = time.perf_counter()
    G = nx.Graph()
    G.add_nodes_from(sorted(projection.graph))
    G.add_weighted_edges_from((u, v, d["weight"]) for u, v, d in projection.graph.edges(data=True))
    for _, _, d in G.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    bc = nx.betweenness_centrality(G, weight="distance", normalized=True)
    comms = nx.community.louvain_communities(G, weight="weight", seed=42)
    member = {v: i for i, c in enumerate(comms) for v in c}
    pc = {}
    for v in G:
        k = sum(d["weight"] for d in G[v].values())
        per: dict[int, float] = {}
        for u, d in G[v].items():
            per[member[u]] = per.get(member[u], 0.0) + d["weight"]
        pc[v] = 1 - sum((x / k) ** 2 for x in per.values()) if k else 0.0
    cons = nx.constraint(G, weight="weight")
    es = nx.effective_size(G, weight="weight")
    cut = set(nx.articulation_points(G))
    t_metrics = time.perf_counter()

    def pct(values: dict, higher: bool = True) -> dict:
        clean = {k: (v if v == v else None) for k, v in values.items()}  # NaN -> None
        n = len(clean)
        s = 1 if higher else -1
        key = {k: (float("-inf") if v is None else s * v) for k, v in clean.items()}
        return {k: (sum(y < x for y in key.values()) + 0.5 * (sum(y == x for y in key.values()) - 1))
                / max(1, n - 1) for k, x in key.items()}
    rb, rp, rc, re_ = pct(bc), pct(pc), pct(cons, False), pct(es)
    score = {v: (rb[v] + rp[v] + rc[v] + re_[v]) / 4 for v in G}
    top = sorted(score, key=lambda v: (-score[v], v not in cut, -bc[v], v))[:10]
    for rank, v in enumerate(top, start=1):
        print(rank, v, f"{score[v]:.3f}", f"{bc[v]:.3f}", f"{pc[v]:.3f}")
    print(json.dumps({"parse": t_parse - t0, "query": t_query - t_parse,
                      "metrics": t_metrics - t_query, "nodes": G.number_of_nodes(),
                      "edges": G.number_of_edges()}), file=sys.stderr)


# ---- main ---------------------------------------------------------------------------------

def fmt_s(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def fmt_mb(kb: int | None) -> str:
    return "–" if kb is None else f"{kb / 1024:.0f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd")
    b = sub.add_parser("baseline", help="(internal) run the rdflib + networkx baseline once")
    b.add_argument("--data", type=Path, required=True)
    b.add_argument("--domain", default="health")
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000],
                    help="synthetic sizes in documents (the reference graph always runs)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--baseline-timeout", type=float, default=900.0,
                    help="seconds before a baseline run is given up (reported as > timeout)")
    ap.add_argument("--baseline-repeat", type=int, default=1,
                    help="runs per baseline measurement (it is slow; one is enough for a ratio)")
    ap.add_argument("--domain", default="health")
    ap.add_argument("--work", type=Path, help="keep generated files and stores here")
    ap.add_argument("--out", type=Path, default=HERE / "results-bridges.md",
                    help="where to write the results table (Markdown)")
    args = ap.parse_args(argv)
    if args.cmd == "baseline":
        baseline(args.data, args.domain)
        return 0

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    cases: list[tuple[str, int | None]] = [("reference", None)] + [
        (f"synthetic {n // 1000}k docs", n) for n in args.sizes]
    for label, n in cases:
        tag = "reference" if n is None else f"syn{n}"
        store = work / f"store-{tag}"
        nt = work / f"{tag}.nt"
        if store.exists():
            shutil.rmtree(store)
        triples = None
        if n is not None:
            triples = generate(n, nt)
        load = build_store(store, nt if n is not None else None)
        if n is None:
            export_nt(store, nt)
            triples = sum(1 for _ in nt.open("rb"))
        print(f"[{label}] {triples} triples, store built in {load:.1f} s", file=sys.stderr)
        kg = kg_command() + ["--store", str(store), "bridges", "--domain", args.domain]
        ours = median_run(kg, args.repeat, timeout=600)
        print(f"[{label}] kg bridges: {fmt_s(ours['wall'])} s, {fmt_mb(ours['rss_kb'])} MB "
              f"{ours.get('err', '') if ours['rc'] else ''}", file=sys.stderr)
        base_cmd = [sys.executable, str(Path(__file__).resolve()), "baseline", "--data", str(nt),
                    "--domain", args.domain]
        base = median_run(base_cmd, args.baseline_repeat, timeout=args.baseline_timeout)
        print(f"[{label}] baseline: {fmt_s(base['wall'])} s, {fmt_mb(base['rss_kb'])} MB "
              f"(rc {base['rc']})", file=sys.stderr)
        speedup = (base["wall"] / ours["wall"]) if base["wall"] and ours["wall"] else None
        rows.append({"case": label, "documents": n if n is not None else "reference",
                     "triples": triples, "load_s": load, "kg_s": ours["wall"],
                     "kg_mb": ours["rss_kb"], "base_s": base["wall"], "base_mb": base["rss_kb"],
                     "base_rc": base["rc"], "speedup": speedup,
                     "timeout": args.baseline_timeout})
    lines = [
        "# `kg bridges --domain %s`: end to end vs rdflib + networkx" % args.domain, "",
        f"Machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; kg: median of "
        f"{args.repeat} runs; baseline: median of {args.baseline_repeat}. Wall time of the "
        "whole process, start-up included; peak RSS of the process. The baseline parses the "
        "same data into rdflib's in-memory graph (it has no persistent store), runs the same "
        "`.rq` queries with rdflib's SPARQL engine and the same projection code, then "
        "networkx's betweenness, Louvain, constraint, effective size and articulation points. "
        "Store build (kg init + bulk load) is set-up, not part of either time.", "",
        "| case | triples | store build (s) | kg bridges (s) | kg peak (MB) | baseline (s) "
        "| baseline peak (MB) | speed-up |",
        "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        base_s = fmt_s(r["base_s"]) if r["base_s"] is not None else f"> {r['timeout']:.0f} ({r['base_rc']})"
        lines.append(f"| {r['case']} | {r['triples']} | {r['load_s']:.1f} | {fmt_s(r['kg_s'])} | "
                     f"{fmt_mb(r['kg_mb'])} | {base_s} | {fmt_mb(r['base_mb'])} | "
                     + (f"{r['speedup']:.0f}x" if r["speedup"] else
                        (f"> {r['timeout'] / r['kg_s']:.0f}x" if r["kg_s"] else "–")) + " |")
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    (args.out.with_suffix(".json")).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(text)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
