"""Materialise derived facts: run the ``construct-*.rq`` rules into the derived graph.

Rules are plain SPARQL CONSTRUCT files in ``aicoop/rules`` that a knowledge engineer can read
and run. The derived graph is rebuilt from scratch each time, so a fact whose premises were
removed disappears with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .namespaces import GRAPH_DERIVED
from .provenance import graph_provenance
from .store.base import Store


@dataclass(frozen=True)
class RuleResult:
    rule: str
    triples: int


@dataclass(frozen=True)
class DeriveResult:
    graph: str
    rules: tuple[RuleResult, ...]
    triples: int


def rule_files() -> list[Path]:
    return sorted(Path(str(resources.files("aicoop.rules"))).glob("construct-*.rq"))


def derive(store: Store, *, graph: str = GRAPH_DERIVED) -> DeriveResult:
    """Run every rule over the store (without the old derived graph) and replace the graph
    in one step: until the new graph is committed the old one stays whole."""
    seen: set = set()
    results = []
    ordered = []
    for path in rule_files():
        triples = store.construct(path.read_text(encoding="utf-8"), without=(graph,))
        new = [t for t in triples if t not in seen]
        seen.update(new)
        ordered.extend(new)
        results.append(RuleResult(path.stem, len(new)))
    prov = graph_provenance(graph, sources=[f"https://w3id.org/aicoop/rules/{p.name}"
                                            for p in rule_files()],
                            activity="derive", label="derived facts", triples=len(ordered))
    store.replace_graph(graph, ordered + prov)
    return DeriveResult(graph, tuple(results), len(ordered))
