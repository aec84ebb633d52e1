"""What the store holds: counts by class, domain, organisation kind, membership role and
source, and source graph."""

from __future__ import annotations

from typing import Any

from .queries import get_query
from .store.base import Store, term_value


def _rows(store: Store, name: str) -> list[dict[str, Any]]:
    return store.select(get_query(name).text).values()


def graph_rows(store: Store) -> list[dict[str, Any]]:
    """Every named graph with its triple count and, where recorded, its provenance."""
    prov = {r["graph"]: r for r in _rows(store, "list-graphs")}
    out = []
    for g in store.graphs():
        p = prov.get(g.iri, {})
        out.append({"graph": g.iri, "triples": g.triples, "label": p.get("label"),
                    "source": p.get("source"), "generated": p.get("generated")})
    return out


def store_stats(store: Store) -> dict[str, Any]:
    graphs = store.graphs()
    return {
        "store": store.location,
        "triples": sum(g.triples for g in graphs),
        "classes": _rows(store, "count-by-class"),
        "domains": [{"domain": r["domain"], "label": r["label"], "documents": r["documents"]}
                    for r in _rows(store, "count-documents-by-domain")],
        "organisation_kinds": _rows(store, "count-organisations-by-kind"),
        "documents_by_issuer_kind": _rows(store, "count-documents-by-issuer-kind"),
        "relations": _rows(store, "count-relations-by-channel"),
        "memberships": _rows(store, "count-memberships-by-role"),
        "membership_sources": _rows(store, "count-memberships-by-source"),
        "graphs": [{"graph": g.iri, "triples": g.triples} for g in graphs],
    }


__all__ = ["graph_rows", "store_stats", "term_value"]
