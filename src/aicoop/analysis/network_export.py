"""A domain's network with its metrics, for Gephi, Cytoscape and friends (``kg network``).

The network and the metrics are those of ``kg bridges``: this module calls the public
functions of ``analysis.bridges`` and ``analysis.fetch`` in one place (``domain_network``) and
copies whatever plain values they return onto nodes and edges, so new metrics or channel
fields appear in the export without a change here. Writing goes through networkx's GraphML
and GEXF writers.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..errors import UsageError
from ..store.base import Store

#: ``--format`` -> networkx writer name
WRITERS = {"graphml": "write_graphml", "gexf": "write_gexf"}

#: fields of a ranked row that are lists of evidence, exported as a count instead
_LONG_FIELDS = {"evidence", "evidence_iris"}


@dataclass(frozen=True)
class DomainNetwork:
    domain: Any  # fetch.Domain
    graph: nx.Graph
    notes: tuple[str, ...] = ()


def _scalar(value: Any) -> Any:
    """A value GraphML and GEXF can hold (bool, int, float, str), or ``None`` to leave out."""
    if value is None:
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, frozenset, set)):
        parts = [str(v) for v in value if isinstance(v, (str, int, float))]
        return "; ".join(parts) if len(parts) == len(value) else None
    return None


def _plain_fields(obj: Any, *, skip: Iterable[str] = (), prefix: str = "") -> dict[str, Any]:
    """The dataclass fields of ``obj`` that are plain values (or lists of them)."""
    if not dataclasses.is_dataclass(obj):
        return {}
    out = {}
    for f in dataclasses.fields(obj):
        if f.name in skip:
            continue
        v = _scalar(getattr(obj, f.name, None))
        if v is not None:
            out[prefix + f.name] = v
    return out


def _attr_name(text: str) -> str:
    return text.replace("-", "_").replace(" ", "_")


def export_graph(projection: Any, rows: Iterable[Any]) -> nx.Graph:
    """A graph of plain attributes from a projection (``graph`` with ``org`` nodes and
    ``tie`` edges) and the ranked rows of ``rank_bridges``: node attributes are the
    organisation's fields and the row's metrics; edge attributes the tie's weight, its
    channels with their fields (``co_issued_weight``…), and its evidence count and IRIs."""
    src: nx.Graph = projection.graph
    by_iri = {getattr(r, "iri", None): r for r in rows}
    g = nx.Graph()
    for v in sorted(src.nodes):
        attrs: dict[str, Any] = {}
        org = src.nodes[v].get("org")
        attrs.update(_plain_fields(org, skip={"iri"}))
        row = by_iri.get(v)
        attrs.update(_plain_fields(row, skip=_LONG_FIELDS | {"iri", "name", "label", "kind"}))
        if row is not None:
            attrs["evidence_count"] = len(getattr(row, "evidence_iris", ()) or ())
        if "name" in attrs:  # Gephi and Cytoscape show "label"
            attrs["full_name"] = attrs.get("label", attrs["name"])
            attrs["label"] = attrs.pop("name")
        attrs["iri"] = v
        g.add_node(v, **attrs)
    for a, b in sorted(src.edges, key=lambda e: tuple(sorted(e))):
        data = src.edges[a, b]
        tie = data.get("tie")
        attrs = {"weight": float(data.get("weight", getattr(tie, "weight", 1.0)))}
        channels = tuple(getattr(tie, "channels", ()) or ())
        attrs["channels"] = "; ".join(getattr(c, "name", "?") for c in channels)
        for c in channels:
            prefix = _attr_name(getattr(c, "name", "channel")) + "_"
            attrs.update(_plain_fields(c, skip={"name", "evidence"}, prefix=prefix))
        evidence = tuple(getattr(tie, "evidence", ()) or ())
        attrs["evidence_count"] = len(evidence)
        if evidence:
            attrs["evidence"] = " ".join(evidence)
        sensitive = getattr(tie, "sensitive_weight", None)
        if isinstance(sensitive, (int, float)):
            attrs["sensitive_weight"] = float(sensitive)
        g.add_edge(a, b, **attrs)
    _uniform_types(g.nodes.values())
    _uniform_types(g.edges.values())
    return g


def _uniform_types(elements: Iterable[dict[str, Any]]) -> None:
    """Make each attribute one type across elements (GraphML declares one type per key): a
    key holding both ints and floats becomes float; any other mix becomes text."""
    elements = list(elements)
    types: dict[str, set[type]] = {}
    for d in elements:
        for k, v in d.items():
            types.setdefault(k, set()).add(type(v))
    for k, ts in types.items():
        if len(ts) < 2:
            continue
        cast: Any = float if ts <= {int, float} else str
        for d in elements:
            if k in d:
                d[k] = cast(d[k])


def write_network(graph: nx.Graph, fmt: str) -> bytes:
    """The graph as GraphML or GEXF (UTF-8 bytes)."""
    if fmt not in WRITERS:
        raise UsageError(f"--format {fmt}: the network is written as "
                         + " or ".join(WRITERS))
    buf = io.BytesIO()
    getattr(nx, WRITERS[fmt])(graph, buf)
    return buf.getvalue()


def domain_network(store: Store, domain: str, *, method: str = "louvain", seed: int = 42,
                   with_members: bool = False) -> DomainNetwork:
    """The network ``kg bridges`` analyses for ``domain``, with its metrics as attributes.
    The one place that calls into the bridges analysis."""
    from . import bridges
    from .fetch import domain_projection, resolve_domain
    if method not in bridges.COMMUNITY_METHODS:
        from ..errors import NotFound
        raise NotFound("community method", method, list(bridges.COMMUNITY_METHODS))
    dom = resolve_domain(store, domain)
    projection = domain_projection(store, dom.notation, with_members=with_members)
    ranking = bridges.rank_bridges(projection, method=method, seed=seed)
    graph = export_graph(projection, getattr(ranking, "rows", ()))
    graph.graph.update({"domain": dom.notation, "communities": method, "seed": seed,
                        "with_members": with_members})
    return DomainNetwork(dom, graph, tuple(getattr(projection, "notes", ()) or ()))
