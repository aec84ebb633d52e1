"""A domain's network for the interactive page: organisations (with their bridging rank)
and ties (with the documents and initiatives behind them), as plain JSON.

Calls the analysis' public functions and serialises their results; computes nothing itself.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..store.base import Store


def domain_network(store: Store, domain: str, *, base: str, other_domains: bool = False,
                   with_members: bool = False) -> dict[str, Any]:
    from ..analysis.bridges import bridges
    from ..analysis.fetch import domain_projection, evidence_details
    result = bridges(store, domain, top=None, other_domains=other_domains,
                     with_members=with_members)
    projection = domain_projection(store, result.domain.notation, other_domains=other_domains,
                                   with_members=with_members)
    ranked = {r.iri: r for r in result.rows}
    nodes = []
    for iri, org in sorted(projection.organisations.items()):
        if iri not in projection.graph:
            continue
        row = ranked.get(iri)
        nodes.append({"id": iri, "name": org.name, "label": org.label, "kind": org.kind,
                      "rank": row.rank if row else None, "score": row.score if row else 0.0,
                      "community": row.community if row else "",
                      "evidence": [asdict(e) for e in row.evidence] if row else []})
    edges = []
    wanted: list[str] = []
    for a, b, data in sorted(projection.graph.edges(data=True)):
        tie = data["tie"]
        ev = list(tie.evidence)[:5]
        wanted += ev
        edges.append({"source": a, "target": b, "weight": tie.weight,
                      "channels": [c.name for c in tie.channels], "evidence": ev})
    details = evidence_details(store, list(dict.fromkeys(wanted)))
    for e in edges:
        e["evidence"] = [asdict(details[i]) for i in e["evidence"] if i in details]
    return {"domain": asdict(result.domain), "method": result.method, "seed": result.seed,
            "nodes": nodes, "edges": edges, "notes": list(result.notes)}
