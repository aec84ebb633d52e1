"""Evaluate and time ``kg annotate`` on the AGORA dataset (../shared/data/agora).

Not a timed test: run it by hand (``python benchmarks/annotate_agora.py``). It

1. runs ``kg annotate`` over the annotated AGORA rows (texts in ``fulltext/``) and prints
   precision, recall and F1 of the shipped rule against the human tags for the five domains
   and four risks (in sample), then a repeated stratified cross-validation (10 seeds x 5
   folds) of the rule's three global parameters (w_outside, threshold, min_weight): fitted on
   four folds by macro-F1, measured on the fifth (held out), and the best F1 that any rule
   monotone in the salience features could reach when fitted on the very same rows (an
   upper bound for this kind of rule);
2. times ``kg annotate`` over all AGORA texts (documents per second, MB per second, wall
   time including start-up), against a baseline of reading the same files in the same run;
3. measures peak memory of ``kg annotate`` on generated PDFs of 10, 100 and 400 pages, against
   the peak of annotating one small text file.

The tags say a document *governs* an application area or risk factor, not that it mentions a
word; see docs/text-detection.md for what the figures mean.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AGORA = ROOT.parent / "shared" / "data" / "agora"

DOMAINS = {
    "health": "Applications: Medicine, life sciences and public health",
    "education": "Applications: Education",
    "agriculture": "Applications: Agriculture and resource extraction",
    "cybersecurity": "Risk factors: Security: Cybersecurity",
    "environment": "Harms: Ecological harm",
}
RISKS = {
    "privacy": "Risk factors: Privacy",
    "bias": "Risk factors: Bias",
    "transparency": "Risk factors: Transparency",
    "safety": "Risk factors: Safety",
}
GRID_W = (0.0, 0.25, 0.5, 1.0)               # w_outside: weight of a mention out of context
GRID_T = range(0, 17)                        # thresholds 0.0 .. 4.0 (in quarters)
GRID_M = (0.5, 1.0, 2.0)                      # min_weight
FOLDS, SEEDS = 5, tuple(range(10))           # repeated stratified 5-fold cross-validation
RARE_FIRST = ("agriculture", "environment", "education", "cybersecurity", "health")


def kg_command() -> list[str]:
    script = Path(sys.executable).parent / "kg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "aicoop.cli"]


def run_annotate(files: list[Path]) -> tuple[list[dict], float, str]:
    start = time.perf_counter()
    proc = subprocess.run([*kg_command(), "annotate", "--evidence", "1", *map(str, files)],
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"kg annotate failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return [json.loads(line) for line in proc.stdout.split("\n") if line.strip()], seconds, \
        proc.stderr


def prf(pred: list[bool], gold: list[bool]) -> tuple[float, float, float, int]:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, tp + fn


def shipped(rec: dict, section: str, notation: str) -> bool:
    """The verdict of ``kg annotate`` as shipped."""
    return any(item["notation"] == notation and item["addresses"] for item in rec[section])


def table(rows: list[tuple[str, dict, dict]], section: str, concepts: dict[str, str]) -> float:
    """Print P/R/F1 per concept of the shipped rule; return the macro-F1."""
    f1s = []
    print(f"  {'concept':15s} {'pos':>4s} {'P':>5s} {'R':>5s} {'F1':>5s}")
    for notation, column in concepts.items():
        gold = [row[column] == "True" for _, row, _ in rows]
        pred = [shipped(rec, section, notation) for _, _, rec in rows]
        p, r, f, pos = prf(pred, gold)
        f1s.append(f)
        print(f"  {notation:15s} {pos:4d} {p:5.2f} {r:5.2f} {f:5.2f}")
    macro = sum(f1s) / len(f1s)
    print(f"  {'macro-F1':15s} {'':4s} {'':5s} {'':5s} {macro:5.2f}")
    return macro


# ---- cross-validation of the rule's global parameters ----------------------------------------

GRID = [(w, t / 4, m) for w in GRID_W for t in GRID_T for m in GRID_M]


def features(files: dict[str, Path]) -> dict[tuple[str, str], tuple]:
    """(AGORA ID, notation) -> (ConceptMentions, words, text length), annotated in this
    process with the same code as kg, so every grid rule can re-score them."""
    from aicoop.loaders.text.annotate import default_annotator
    from aicoop.loaders.text.extract import extract
    ann = default_annotator(max_evidence=0)
    out: dict[tuple[str, str], tuple] = {}
    for agora_id, path in files.items():
        doc = extract(path)
        for cm in ann.concept_mentions(doc):
            out[(agora_id, cm.concept.notation)] = (cm, len(doc.text.split()), len(doc.text))
    return out


def verdicts(feats: dict[tuple[str, str], tuple]) -> dict[tuple, dict[tuple[str, str], bool]]:
    """The verdict of every grid rule on every (document, concept) found."""
    from aicoop.loaders.text.score import DecisionRule
    out = {}
    for w, t, m in GRID:
        rule = DecisionRule(w_outside=w, threshold=t, min_weight=m)
        out[(w, t, m)] = {key: cm.salience(words=words, text_length=length, rule=rule).addresses
                          for key, (cm, words, length) in feats.items()}
    return out


def scores(ids, said, gold, concepts):  # type: ignore[no-untyped-def]
    """Macro-F1 and per-concept (P, R, F1, positives) of one rule's verdicts ``said``."""
    per = {c: prf([said.get((i, c), False) for i in ids], [gold[(i, c)] for i in ids])
           for c in concepts}
    return sum(v[2] for v in per.values()) / len(per), per


def folds(rows: list[tuple[str, dict, dict]], seed: int) -> list[list[str]]:
    """Stratified folds: documents grouped by their rarest domain tag, shuffled with a fixed
    seed, dealt round-robin."""
    groups: dict[str, list[str]] = {}
    for agora_id, row, _ in rows:
        key = next((c for c in RARE_FIRST if row[DOMAINS[c]] == "True"), "none")
        groups.setdefault(key, []).append(agora_id)
    rnd = random.Random(seed)
    out: list[list[str]] = [[] for _ in range(FOLDS)]
    j = 0
    for key in (*RARE_FIRST, "none"):
        ids = sorted(groups.get(key, []), key=int)
        rnd.shuffle(ids)
        for i in ids:
            out[j % FOLDS].append(i)
            j += 1
    return out


def cross_validate(rows, said, concepts: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Fit (w_outside, threshold, min_weight) on four folds by macro-F1, measure on the
    fifth; ``said`` holds every grid rule's verdicts."""
    gold = {(i, c): row[col] == "True" for i, row, _ in rows for c, col in concepts.items()}
    fold_macros: list[float] = []
    fold_per: list[dict] = []
    pooled: list[dict] = []
    chosen: dict[tuple, int] = {}
    all_ids = [i for i, _, _ in rows]
    for seed in SEEDS:
        oof: dict[tuple[str, str], bool] = {}
        for k, test in enumerate(folds(rows, seed)):
            held = set(test)
            train = [i for i in all_ids if i not in held]
            best = max(GRID, key=lambda r: (round(scores(train, said[r], gold, concepts)[0], 9),
                                            -r[1], r[0], r[2]))
            chosen[best] = chosen.get(best, 0) + 1
            macro, per = scores(test, said[best], gold, concepts)
            fold_macros.append(macro)
            fold_per.append(per)
            for i in test:
                for c in concepts:
                    oof[(i, c)] = said[best].get((i, c), False)
            if seed == SEEDS[0]:
                print(f"  seed {seed} fold {k + 1}: fitted w={best[0]} t={best[1]:.2f} "
                      f"m={best[2]}; held out macro-F1 {macro:.2f} ("
                      + ", ".join(f"{c} {v[2]:.2f}" for c, v in per.items()) + ")")
        pooled.append({c: prf([oof[(i, c)] for i in all_ids], [gold[(i, c)] for i in all_ids])
                       for c in concepts})
    n = len(fold_macros)
    print(f"  parameters chosen ({n} folds): " + ", ".join(
        f"w={w} t={t:.2f} m={m}: {k}"
        for (w, t, m), k in sorted(chosen.items(), key=lambda kv: -kv[1])[:6]))
    print(f"  held out, mean of {n} folds ({len(SEEDS)} x {FOLDS}-fold):")
    print(f"  {'concept':15s} {'P':>5s} {'R':>5s} {'F1':>5s}   {'pooled out-of-fold F1':>21s}")
    for c in concepts:
        p, r, f = (sum(per[c][j] for per in fold_per) / n for j in range(3))
        pf = sum(po[c][2] for po in pooled) / len(pooled)
        print(f"  {c:15s} {p:5.2f} {r:5.2f} {f:5.2f}   {pf:21.2f}")
    pm = sum(sum(po[c][2] for po in pooled) / len(pooled) for c in concepts) / len(concepts)
    print(f"  {'macro-F1':15s} {'':5s} {'':5s} {sum(fold_macros) / n:5.2f}   {pm:21.2f}")


# ---- how far any salience rule could go on these tags -----------------------------------------

CEILING_FEATURES = {
    "score": lambda s: (s.score,),
    "weight, density": lambda s: (s.weight, s.density),
    "mentions, in context, density, title, headings, spread, labels":
        lambda s: (s.mentions, s.in_context, s.density, int(s.in_title),
                   min(s.heading_mentions, 2), s.spread, s.distinct_labels),
}


def best_monotone_f1(points: list[tuple[tuple, bool]]) -> float:
    """The highest F1 of any rule that is monotone in the features (if a document is said to
    address the concept, so is every document with at least as high a value on every
    feature), fitted on these very points: an upper bound for salience rules, however
    their weights and thresholds are set, even one per concept.

    F1 = 2TP / (TP + FP + P) is maximised by Dinkelbach's method; each step picks the best
    up-set of the dominance order as a maximum-weight closure (a minimum s-t cut)."""
    import networkx as nx
    positives = sum(g for _, g in points)
    if not positives:
        return 0.0
    groups: dict[tuple, list[int]] = {}
    for f, g in points:
        groups.setdefault(f, [0, 0])[0 if g else 1] += 1
    keys = sorted(groups)
    edges = [(a, b) for a, fa in enumerate(keys) for b, fb in enumerate(keys)
             if a != b and all(x <= y for x, y in zip(fa, fb))]

    def best_closure(lam: float) -> float:
        g = nx.DiGraph()
        g.add_nodes_from(("s", "t"))
        for k, key in enumerate(keys):
            pos, neg = groups[key]
            w = (2 - lam) * pos - lam * neg
            if w > 0:
                g.add_edge("s", k, capacity=w)
            elif w < 0:
                g.add_edge(k, "t", capacity=-w)
        for a, b in edges:
            g.add_edge(a, b)  # no capacity: infinite, so a chosen node drags its betters in
        _, (side, _) = nx.minimum_cut(g, "s", "t")
        tp = sum(groups[keys[k]][0] for k in side if k != "s")
        fp = sum(groups[keys[k]][1] for k in side if k != "s")
        return 2 * tp / (tp + fp + positives)

    lam = 0.0
    for _ in range(50):
        f = best_closure(lam)
        if f <= lam + 1e-12:
            break
        lam = f
    return lam


def ceiling(rows, feats, concepts: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Print the in-sample best F1 of any monotone rule over each feature set."""
    from aicoop.loaders.text.score import Salience
    zero = Salience(0, 0, 0.0, 0, 0.0, 0.0, False, 0, 0.0, False)
    print(f"  {'features':62s} " + " ".join(f"{c[:6]:>6s}" for c in concepts) + "  macro")
    for name, pick in CEILING_FEATURES.items():
        f1s = []
        for c, col in concepts.items():
            points = []
            for i, row, _ in rows:
                got = feats.get((i, c))
                sal = got[0].salience(words=got[1], text_length=got[2]) if got else zero
                points.append((pick(sal), row[col] == "True"))
            f1s.append(best_monotone_f1(points))
        print(f"  {name:62s} " + " ".join(f"{f:6.2f}" for f in f1s)
              + f"  {sum(f1s) / len(f1s):5.2f}")


def evaluate(rows: list[tuple[str, dict, dict]], files: dict[str, Path]) -> None:
    rows.sort(key=lambda r: int(r[0]))
    feats = features(files)
    said = verdicts(feats)
    for title, section, concepts in (("Domains", "domains", DOMAINS), ("Risks", "risks", RISKS)):
        print(f"\n{title}: the rule as shipped (docs/text-detection.md), in sample")
        table(rows, section, concepts)
        print(f"\n{title}: repeated stratified cross-validation of the three global parameters "
              f"(w_outside, threshold, min_weight)")
        cross_validate(rows, said, concepts)
        print(f"\n{title}: best in-sample F1 of any rule monotone in the features, fitted per "
              f"concept (an upper bound for salience rules)")
        ceiling(rows, feats, concepts)


def timing(files: list[Path]) -> None:
    size = sum(f.stat().st_size for f in files)
    start = time.perf_counter()
    for f in files:
        f.read_bytes().decode("utf-8", "replace")
    baseline = time.perf_counter() - start
    records, seconds, stderr = run_annotate(files)
    print(f"\nSpeed: kg annotate over {len(files)} AGORA texts ({size / 1e6:.1f} MB), wall time "
          f"with start-up: {seconds:.2f} s -> {len(records) / seconds:.1f} docs/s, "
          f"{size / 1e6 / seconds:.2f} MB/s (reading the files alone: {baseline:.3f} s, "
          f"ratio {seconds / max(baseline, 1e-9):.0f}x)")
    print("  kg says: " + (stderr.strip().splitlines() or [""])[-1])


# ---- memory on generated PDFs ----------------------------------------------------------------

def write_policy_pdf(path: Path, pages: int, lines_per_page: int = 45) -> None:
    """A PDF of ``pages`` pages of policy-like text, written by the tests' PDF writer."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "text"))
    from pdfwriter import write_pdf
    sentence = ("Member States should ensure that AI systems used in hospitals and schools "
                "protect personal data of patients and students {n}.")
    write_pdf(path, [[sentence.format(n=p * lines_per_page + i) for i in range(lines_per_page)]
                     for p in range(pages)])


def peak_rss_mb(args: list[str]) -> tuple[float, float]:
    """Peak resident memory (MB) and wall time of one child process."""
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
            "stderr=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "
            "time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), float(out[1])


def memory() -> None:
    print("\nMemory: kg annotate on generated PDFs (peak RSS of the process)")
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.txt"
        small.write_text("Hospitals use AI to help patients.\n", encoding="utf-8")
        base, base_t = peak_rss_mb([*kg_command(), "annotate", str(small)])
        print(f"  baseline, one small text file: {base:.0f} MB, {base_t:.2f} s")
        for pages in (10, 100, 400):
            pdf = Path(tmp) / f"doc-{pages}.pdf"
            write_policy_pdf(pdf, pages)
            mb, t = peak_rss_mb([*kg_command(), "annotate", str(pdf)])
            print(f"  {pages:4d} pages ({pdf.stat().st_size / 1e6:.1f} MB): {mb:.0f} MB peak "
                  f"({mb / base:.2f}x baseline, +{mb - base:.0f} MB), {t:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    opts = parser.parse_args()
    if not (AGORA / "documents.csv").is_file():
        raise SystemExit(f"AGORA data not found at {AGORA}")
    with (AGORA / "documents.csv").open(encoding="utf-8", newline="") as fh:
        docs = list(csv.DictReader(fh))
    annotated = [d for d in docs if d["Annotated?"] == "True"
                 and (AGORA / "fulltext" / f"{d['AGORA ID']}.txt").is_file()]
    files = [AGORA / "fulltext" / f"{d['AGORA ID']}.txt" for d in annotated]
    records, seconds, _ = run_annotate(files)
    by_source = {Path(r["source"]).stem: r for r in records}
    rows = [(d["AGORA ID"], d, by_source[d["AGORA ID"]]) for d in annotated
            if d["AGORA ID"] in by_source]
    print(f"AGORA: {len(annotated)} annotated rows with a text, {len(rows)} annotated by kg "
          f"in {seconds:.2f} s")
    evaluate(rows, {d["AGORA ID"]: AGORA / "fulltext" / f"{d['AGORA ID']}.txt"
                    for d in annotated if d["AGORA ID"] in by_source})
    if not opts.skip_speed:
        timing(sorted((AGORA / "fulltext").glob("*.txt")))
    if not opts.skip_memory:
        memory()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
