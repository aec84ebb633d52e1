"""The k best cooperation paths between two organisations or States (``kg paths``).

A hop's cost is ``metrics.hop_cost``: 1 / (plain weight + sensitive weight / penalty). Evidence
is security-sensitive when it addresses the security-defence domain, and a whole tie is when
it runs through a security-sensitive organisation (a security alliance, or an organisation
performing the security-defence function) that is not an end of the path. With
``avoid_security`` such evidence and such organisations are left out. Paths are found with
Yen's algorithm (networkx ``shortest_simple_paths``). See ``docs/metrics.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import islice

import networkx as nx

from ..errors import UsageError
from ..store.base import Store
from . import metrics
from .fetch import (Domain, EvidenceItem, domain_projection, evidence_details,
                    global_projection, resolve_domain, state_memberships, state_node)
from .projection import Organisation, Projection, Tie, Window, sensitive_in, with_state


@dataclass(frozen=True)
class Hop:
    source: str
    target: str
    source_name: str
    target_name: str
    cost: float
    weight: float
    sensitive: bool
    channels: tuple[str, ...]
    evidence_iris: tuple[str, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    notes: tuple[str, ...] = ()
    #: the channels of the tie (co-issued, initiative, …, shared-members, membership)
    channel_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class CooperationPath:
    rank: int
    cost: float
    nodes: tuple[str, ...]
    names: tuple[str, ...]
    hops: tuple[Hop, ...]
    #: no hop rests on joint work: only memberships and shared member States
    membership_only: bool = False

    @property
    def sensitive(self) -> bool:
        return any(h.sensitive for h in self.hops)


@dataclass(frozen=True)
class PathsResult:
    source: Organisation
    target: Organisation
    domain: Domain | None
    k: int
    avoid_security: bool
    penalty: float
    paths: tuple[CooperationPath, ...]
    notes: tuple[str, ...] = ()


def hop_weights(tie: Tie, ends: tuple[str, str], sensitive_nodes: set[str]
                ) -> tuple[float, float]:
    """(plain, sensitive) weight of a tie on a path with the given ends: all of it is
    sensitive when it touches a security-sensitive organisation that is not a path end."""
    if (tie.a in sensitive_nodes and tie.a not in ends) or \
       (tie.b in sensitive_nodes and tie.b not in ends):
        return 0.0, tie.weight
    return tie.plain_weight, tie.sensitive_weight


def cost_graph(projection: Projection, source: str, target: str, *,
               penalty: float = metrics.SECURITY_PENALTY, avoid_security: bool = False,
               domain: str | None = None) -> nx.Graph:
    """The projection with a ``cost`` on every usable tie, for paths from ``source`` to
    ``target``; ties left with nothing usable (cost infinite) are dropped. Security actors
    are sensitive outside the security domains (``projection.sensitive_in``)."""
    pen = math.inf if avoid_security else penalty
    sensitive = {v for v, o in projection.organisations.items() if sensitive_in(o, domain)}
    ends = (source, target)
    h = nx.Graph()
    h.add_nodes_from(sorted(projection.graph))
    for u, v in sorted(tuple(sorted(e)) for e in projection.graph.edges()):
        tie: Tie = projection.graph[u][v]["tie"]
        plain, sens = hop_weights(tie, ends, sensitive)
        cost = metrics.hop_cost(plain, sens, penalty=pen)
        if math.isfinite(cost):
            used_sensitive = sens > 0 and math.isfinite(pen)
            h.add_edge(u, v, cost=cost, sensitive=used_sensitive, tie=tie)
    return h


def k_best_paths(g: nx.Graph, source: str, target: str, k: int,
                 activity: Mapping[str, int] | None = None
                 ) -> list[tuple[float, tuple[str, ...]]]:
    """The ``k`` cheapest simple paths (Yen's algorithm), as (cost, nodes); paths of equal
    cost are ordered by hop count, then by the activity of their intermediate organisations
    (most active first: documents, initiatives and endorsements in the domain), then by
    their nodes' IRIs, so the answer is stable and never merely alphabetical."""
    act = activity or {}

    def key(p: tuple[float, tuple[str, ...]]) -> tuple[float, int, int, tuple[str, ...]]:
        return (round(p[0], 9), len(p[1]), -sum(act.get(v, 0) for v in p[1][1:-1]), p[1])
    if source not in g or target not in g:
        return []
    found: list[tuple[float, tuple[str, ...]]] = []
    try:
        # a few more than k, so that paths tied in cost with the k-th are compared fairly
        for nodes in islice(nx.shortest_simple_paths(g, source, target, weight="cost"),
                            max(3 * k, k + 5)):
            cost = metrics.path_cost(g[a][b]["cost"] for a, b in zip(nodes, nodes[1:]))
            if len(found) >= k and cost > found[k - 1][0] + 1e-9:
                break
            found.append((cost, tuple(nodes)))
            found.sort(key=key)
    except nx.NetworkXNoPath:
        return []
    return found[:k]


def _endpoint(store: Store, text: str) -> tuple[str, Organisation | None]:
    from ..lookup import resolve_organisation
    iri = resolve_organisation(store, text)
    return iri, state_node(store, iri)


def cooperation_paths(store: Store, source: str, target: str, *, domain: str | None = None,
                      k: int = 3, avoid_security: bool = False,
                      penalty: float = metrics.SECURITY_PENALTY,
                      window: Window = Window()) -> PathsResult:
    """The ``k`` best cooperation paths from ``source`` to ``target`` (names, acronyms or
    IRIs of organisations or States), each hop with its evidence."""
    if k < 1:
        raise UsageError("--k must be at least 1")
    if penalty < 1:
        raise UsageError("the security penalty must be at least 1 (1 = no penalty)")
    s_iri, s_state = _endpoint(store, source)
    t_iri, t_state = _endpoint(store, target)
    if s_iri == t_iri:
        raise UsageError(f"{source!r} and {target!r} name the same actor; give two different ones")
    dom = resolve_domain(store, domain) if domain else None
    orgs_wanted = [i for i, st in ((s_iri, s_state), (t_iri, t_state)) if st is None]
    if dom:
        projection = domain_projection(store, dom.notation, with_members=True,
                                       other_domains=True, also=orgs_wanted, window=window)
    else:
        projection = global_projection(store, with_members=True, window=window)
    for state in (s_state, t_state):
        if state is not None:
            projection = with_state(projection, state,
                                    state_memberships(store, state.iri, window))
    notes = list(projection.notes)
    for iri, st in ((s_iri, s_state), (t_iri, t_state)):
        if iri not in projection.graph:
            notes.append(f"{source if iri == s_iri else target} has no recorded ties")
    g = cost_graph(projection, s_iri, t_iri, penalty=penalty, avoid_security=avoid_security,
                   domain=dom.notation if dom else None)
    activity = {v: o.documents + o.initiatives + o.endorsements
                for v, o in projection.organisations.items()}
    found = k_best_paths(g, s_iri, t_iri, k, activity)
    names = {v: o.name for v, o in projection.organisations.items()}
    paths = []
    for rank, (cost, nodes) in enumerate(found, start=1):
        hops = tuple(_hop(g, a, b, names) for a, b in zip(nodes, nodes[1:]))
        paths.append(CooperationPath(rank, cost, nodes, tuple(names[v] for v in nodes), hops,
                                     membership_only(hops)))
    details = evidence_details(store, [e for p in paths for h in p.hops
                                       for e in h.evidence_iris[:3]])
    from dataclasses import replace
    paths = [replace(p, hops=tuple(replace(h, evidence=tuple(details[e] for e in
                                                             h.evidence_iris[:3]))
                                   for h in p.hops)) for p in paths]
    if not paths:
        why = " without security-sensitive ties" if avoid_security else ""
        notes.append(f"no cooperation path{why} between {names.get(s_iri, source)} and "
                     f"{names.get(t_iri, target)}" + (f" in {dom.notation}" if dom else ""))
    src = s_state or projection.organisations.get(s_iri) or Organisation(s_iri, source, source)
    tgt = t_state or projection.organisations.get(t_iri) or Organisation(t_iri, target, target)
    return PathsResult(src, tgt, dom, k, avoid_security, penalty, tuple(paths), tuple(notes))


WEAK_CHANNELS = frozenset({"shared-members", "membership"})


def membership_only(hops: tuple[Hop, ...]) -> bool:
    """Whether a path rests only on memberships and shared member States (no joint work)."""
    return all(set(h.channel_names) <= WEAK_CHANNELS for h in hops)


def _hop(g: nx.Graph, a: str, b: str, names: Mapping[str, str]) -> Hop:
    d = g[a][b]
    tie: Tie = d["tie"]
    # evidence most telling first: the channels are ordered strongest first
    evidence = tuple(dict.fromkeys(e for c in tie.channels for e in c.evidence))
    notes = tuple(c.detail for c in tie.channels if c.detail and not c.evidence)
    return Hop(a, b, names[a], names[b], d["cost"], tie.weight, d["sensitive"],
               tuple(c.describe() for c in tie.channels), evidence, (), notes,
               tuple(c.name for c in tie.channels))
