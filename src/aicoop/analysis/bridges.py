"""Which organisations bridge otherwise separate groups in a domain (``kg bridges``).

``rank_bridges`` is pure (a projection in, ranked rows out); ``bridges`` and ``explain``
fetch the projection and the evidence from a store. The metrics and the composite rank are
defined in ``docs/metrics.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFound, UsageError
from ..store.base import Store
from . import metrics
from .fetch import Domain, EvidenceItem, domain_projection, evidence_details, resolve_domain
from .projection import DOMAIN_CHANNELS, Projection, Tie, Window, channel_split
from .stability import Stability, domain_fragility, fragility_sentence, row_stability

COMMUNITY_METHODS = ("louvain", "kind")
#: above this many organisations the leave-one-out checks (up to ~60 rankings) are skipped
#: unless asked for: each ranking grows about with the square of the network
STABILITY_AUTO_LIMIT = 150
#: channels whose evidence addresses the domain itself: a bridge needs at least one such tie
DOMAIN_EVIDENCE = frozenset(DOMAIN_CHANNELS) | {"text-mention"}


@dataclass(frozen=True)
class Community:
    """A group of organisations: ``name`` is ``C1``, ``C2``… (Louvain) or the kind."""

    name: str
    members: tuple[str, ...]
    member_names: tuple[str, ...]

    @property
    def label(self) -> str:
        shown = ", ".join(self.member_names[:4])
        more = len(self.members) - 4
        return f"{shown} (+{more})" if more > 0 else shown


@dataclass(frozen=True)
class BridgeRow:
    """One organisation with its bridging metrics, in rank order."""

    rank: int
    iri: str
    name: str
    label: str
    kind: str
    score: float
    betweenness: float
    participation: float
    constraint: float | None
    effective_size: float | None
    articulation: bool
    community: str
    connects: tuple[str, ...]
    ties: int
    strength: float
    evidence: tuple[EvidenceItem, ...] = ()
    #: the evidence IRIs ranked (cross-community ties first), before details are fetched
    evidence_iris: tuple[str, ...] = ()
    #: brokers between groups (``is_bridge``): the one definition used by bridges, gaps, report
    bridge: bool = False
    #: how its tie strength splits across evidence channels, strongest channel kind first
    channels: tuple[tuple[str, float], ...] = ()
    stability: Stability | None = None
    #: Gould–Fernandez brokerage roles over organisation kinds (open triads through it)
    roles: tuple[tuple[str, int], ...] = ()

    @property
    def main_role(self) -> str:
        """The brokerage role it plays most often (``""`` when it brokers no open triad)."""
        best = max(self.roles, key=lambda r: r[1], default=("", 0))
        return best[0] if best[1] else ""


@dataclass(frozen=True)
class BridgesResult:
    domain: Domain
    method: str
    seed: int
    organisations: int
    ties: int
    communities: tuple[Community, ...]
    rows: tuple[BridgeRow, ...]
    notes: tuple[str, ...] = ()
    with_members: bool = False
    other_domains: bool = False
    window: str = "all years"
    #: organisations active in the domain that broker nothing (listed as not bridges)
    not_bridges: tuple[str, ...] = ()
    #: the plain-words statement when the domain's network falls apart without one or two items
    fragility: str = ""
    #: evidence items named by ``rests_on`` and ``fragility``, with titles
    items: Mapping[str, EvidenceItem] = field(default_factory=dict)


@dataclass(frozen=True)
class Ranking:
    """Everything ``rank_bridges`` computed, for ``explain`` to reuse."""

    rows: tuple[BridgeRow, ...]
    communities: tuple[Community, ...]
    member_of: Mapping[str, int]
    percentiles: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


def _communities(projection: Projection, method: str, seed: int) -> list[Community]:
    g = projection.graph
    if method == "kind":
        groups = metrics.communities_by_attribute(
            {v: projection.organisations[v].kind for v in g})
    elif method == "louvain":
        groups = metrics.detect_communities(g, seed=seed)
    else:
        raise NotFound("community method", method, list(COMMUNITY_METHODS))
    out = []
    for i, members in enumerate(groups, start=1):
        ordered = sorted(members, key=lambda v: (-metrics.strength(g, v), v))
        name = projection.organisations[ordered[0]].kind if method == "kind" else f"C{i}"
        out.append(Community(name, tuple(ordered),
                             tuple(projection.organisations[v].name for v in ordered)))
    return out


def is_bridge(betweenness: float, participation: float, in_domain: bool = True) -> bool:
    """The one definition of a bridge (``bridges``, ``gaps`` and ``report`` use it): an
    organisation that lies on shortest paths between others (betweenness > 0), has ties into
    at least two communities (participation > 0), and has at least one tie resting on
    evidence that addresses the domain (``in_domain``). Without all three it brokers nothing
    between the domain's groups and is never called a bridge, whatever layers are added.

    >>> is_bridge(0.2, 0.5), is_bridge(0.0, 0.5), is_bridge(0.2, 0.0), is_bridge(0.2, 0.5, False)
    (True, False, False, False)
    """
    return betweenness > 0 and participation > 0 and in_domain


def has_domain_evidence(g: Any, node: str) -> bool:
    """Whether any of ``node``'s ties rests on evidence addressing the domain (co-issued,
    initiative, endorsement, citation or text-mention), not only on other layers."""
    return any(c.name in DOMAIN_EVIDENCE for u in g[node] for c in g[node][u]["tie"].channels)


def rank_bridges(projection: Projection, *, method: str = "louvain",
                 seed: int = metrics.LOUVAIN_SEED, with_evidence: bool = True,
                 communities: Sequence[Community] | None = None,
                 with_roles: bool = True) -> Ranking:
    """Every organisation of the projection with its metrics: bridges first (by composite
    score), then the organisations that bridge nothing. ``communities`` holds the groups
    fixed (leave-one-out checks, so that a rank moves because of the removal, not because
    Louvain relabelled the groups); by default they are detected."""
    g = projection.graph
    if communities is None:
        communities = _communities(projection, method, seed)
    else:
        communities = [Community(c.name, tuple(v for v in c.members if v in g),
                                 tuple(n for v, n in zip(c.members, c.member_names) if v in g))
                       for c in communities]
        communities = [c for c in communities if c.members]
    member_of = metrics.membership([c.members for c in communities])
    bc = metrics.betweenness(g)
    pc = metrics.participation_coefficient(g, member_of)
    cons = metrics.constraint(g)
    es = metrics.effective_size(g)
    cut = metrics.articulation_points(g)
    roles = (metrics.brokerage_roles(g, {v: projection.organisations[v].kind for v in g})
             if with_roles else {})
    scores = metrics.bridging_scores(bc, pc, cons, es)
    percentiles = {
        "betweenness": metrics.percentile_ranks(bc),
        "participation": metrics.percentile_ranks(pc),
        "constraint": metrics.percentile_ranks(cons, higher_is_better=False),
        "effective_size": metrics.percentile_ranks(es),
    }
    order = metrics.bridging_order(scores, cut, bc)
    bridge = {v: is_bridge(bc[v], pc[v], has_domain_evidence(g, v)) for v in g}
    order = [v for v in order if bridge[v]] + [v for v in order if not bridge[v]]
    rows = []
    for rank, v in enumerate(order, start=1):
        org = projection.organisations[v]
        reached = sorted({member_of[u] for u in g[v]} | ({member_of[v]} if g[v] else set()))
        rows.append(BridgeRow(
            rank=rank, iri=v, name=org.name, label=org.label, kind=org.kind, score=scores[v],
            betweenness=bc[v], participation=pc[v], constraint=cons[v], effective_size=es[v],
            articulation=v in cut, community=communities[member_of[v]].name,
            connects=tuple(communities[i].name for i in reached), ties=g.degree(v),
            strength=metrics.strength(g, v),
            evidence_iris=rank_evidence(projection, v, member_of) if with_evidence else (),
            bridge=bridge[v], channels=channel_split(g, v),
            roles=tuple(roles[v].items()) if with_roles else ()))
    return Ranking(tuple(rows), tuple(communities), member_of, percentiles)


def rank_evidence(projection: Projection, node: str, member_of: Mapping[str, int]
                  ) -> tuple[str, ...]:
    """The documents and initiatives behind ``node``'s ties, most telling first: those behind
    ties to other communities, then by the weight they carry (a channel's weight shared
    equally among its items), then by IRI."""
    g = projection.graph
    cross: dict[str, float] = {}
    total: dict[str, float] = {}
    for u in g[node]:
        tie: Tie = g[node][u]["tie"]
        other = member_of.get(u) != member_of.get(node)
        for ch in tie.channels:
            if not ch.evidence:
                continue
            share = ch.weight / len(ch.evidence)
            for e in ch.evidence:
                total[e] = total.get(e, 0.0) + share
                if other:
                    cross[e] = cross.get(e, 0.0) + share
    return tuple(sorted(total, key=lambda e: (-round(cross.get(e, 0.0), 12),
                                              -round(total[e], 12), e)))


def bridges(store: Store, domain: str, *, top: int | None = 10, method: str = "louvain",
            seed: int = metrics.LOUVAIN_SEED, with_members: bool = False,
            other_domains: bool = False, with_text: bool = False, window: Window = Window(),
            evidence_per_org: int = 3, stability: bool | None = None) -> BridgesResult:
    """The organisations that bridge separate groups in ``domain``, best first (the top
    ``top``; all with ``None`` or 0), each with its evidence, channel split and leave-one-out
    stability; the organisations that bridge nothing are named apart."""
    if method not in COMMUNITY_METHODS:
        raise NotFound("community method", method, list(COMMUNITY_METHODS))
    dom = resolve_domain(store, domain)
    projection = domain_projection(store, dom.notation, with_members=with_members,
                                   other_domains=other_domains, with_text=with_text,
                                   window=window)
    ranking = rank_bridges(projection, method=method, seed=seed)
    bridging = [r for r in ranking.rows if r.bridge]
    shown = bridging[:top] if top else bridging

    def ranker(p: Projection) -> Ranking:
        return rank_bridges(p, method=method, seed=seed, with_evidence=False,
                            communities=ranking.communities, with_roles=False)

    n = projection.graph.number_of_nodes()
    skipped = stability is None and n > STABILITY_AUTO_LIMIT
    check = stability if stability is not None else not skipped
    stab = row_stability(projection, ranking, ranker, top=len(shown)) if check and shown else {}
    fragile_items = domain_fragility(projection, ranking, ranker) if check else ()
    wanted = [e for r in shown for e in r.evidence_iris[:evidence_per_org]]
    wanted += [e for st in stab.values() for e in st.rests_on] + list(fragile_items)
    details = evidence_details(store, wanted)
    rows = tuple(_with_evidence(r, details, evidence_per_org, stab.get(r.iri)) for r in shown)
    notes = list(projection.notes)
    if not projection.organisations:
        notes.append(f"no organisation is active in {dom.notation}")
    elif projection.graph.number_of_edges() == 0:
        notes.append(f"no ties between the organisations active in {dom.notation}: nothing "
                     "links them (co-issued documents, initiatives, endorsements, citations)")
    elif not bridging:
        notes.append(f"no organisation bridges {dom.notation}: none lies on shortest paths "
                     "between others while tied into two groups by evidence addressing the "
                     "domain (see kg leads for who is most active)")
    if skipped:
        notes.append(f"stability checks skipped: {n} organisations (more than "
                     f"{STABILITY_AUTO_LIMIT}; each check ranks the whole network again); "
                     "--stability runs them")
    if other_domains:
        notes.append("ties include joint work in other domains (channel other-domain, "
                     "half weight)")
    if with_members:
        notes.append("ties include shared member States (channel shared-members)")
    if with_text:
        notes.append("ties include organisations named in documents' text (channel "
                     "text-mention, quarter weight; from kg load text)")
    fragility = fragility_sentence(dom.notation, fragile_items,
                                   {e: details[e].title for e in fragile_items}, projection)
    return BridgesResult(
        dom, method, seed, projection.graph.number_of_nodes(),
        projection.graph.number_of_edges(), ranking.communities, rows, tuple(notes),
        with_members, other_domains, window.describe(),
        tuple(r.name for r in ranking.rows if not r.bridge), fragility,
        {e: details[e] for e in dict.fromkeys(wanted)})


def _with_evidence(row: BridgeRow, details: Mapping[str, EvidenceItem], n: int,
                   stab: Stability | None = None) -> BridgeRow:
    from dataclasses import replace
    if stab is not None:
        stab = replace(stab, rests_on_titles=tuple(details[e].cite() for e in stab.rests_on))
    return replace(row, evidence=tuple(details[e] for e in row.evidence_iris[:n]),
                   stability=stab)


# ---- explain ------------------------------------------------------------------------------

@dataclass(frozen=True)
class TieExplanation:
    neighbour: str
    neighbour_name: str
    community: str
    crosses: bool
    weight: float
    #: p_ij, the share of the organisation's tie weight that goes to this neighbour
    share: float
    channels: tuple[str, ...]
    sensitive: bool
    evidence: tuple[EvidenceItem, ...]


@dataclass(frozen=True)
class PairThrough:
    a: str
    b: str
    a_community: str
    b_community: str
    share: float


@dataclass(frozen=True)
class Explanation:
    domain: Domain
    row: BridgeRow
    of: int
    percentiles: Mapping[str, float]
    ties: tuple[TieExplanation, ...]
    pairs: tuple[PairThrough, ...]
    communities: tuple[Community, ...]
    method: str
    seed: int


def explain(store: Store, domain: str, organisation: str, *, method: str = "louvain",
            seed: int = metrics.LOUVAIN_SEED, with_members: bool = False,
            other_domains: bool = False, with_text: bool = False, window: Window = Window(),
            max_pairs: int = 15) -> Explanation:
    """Why ``organisation`` ranks where it does in ``domain``: its metrics, each of its ties
    with the evidence behind it, and the pairs whose shortest paths run through it."""
    from ..lookup import resolve_organisation
    dom = resolve_domain(store, domain)
    iri = resolve_organisation(store, organisation)
    projection = domain_projection(store, dom.notation, with_members=with_members,
                                   other_domains=other_domains, with_text=with_text,
                                   window=window)
    g = projection.graph
    if iri not in g:
        import difflib
        names = sorted(o.name for o in projection.organisations.values())
        close = difflib.get_close_matches(organisation, names, n=3, cutoff=0.3) or names[:5]
        raise UsageError(f"{organisation!r} is not active in {dom.notation}: it issued, "
                         "endorsed or joined nothing that addresses it"
                         + (f"; active organisations include {', '.join(close)}" if close
                            else f"; no organisation is active in {dom.notation}"))
    ranking = rank_bridges(projection, method=method, seed=seed)
    row = next(r for r in ranking.rows if r.iri == iri)
    member_of = ranking.member_of
    strength = metrics.strength(g, iri)
    neighbours = sorted(g[iri], key=lambda u: (-g[iri][u]["weight"], u))
    details = evidence_details(store, [e for u in neighbours for e in g[iri][u]["tie"].evidence])
    ties = []
    for u in neighbours:
        tie: Tie = g[iri][u]["tie"]
        chans = tuple(c.describe() for c in tie.channels)
        ties.append(TieExplanation(
            neighbour=u, neighbour_name=projection.organisations[u].name,
            community=ranking.communities[member_of[u]].name,
            crosses=member_of[u] != member_of[iri], weight=tie.weight,
            share=tie.weight / strength if strength else 0.0, channels=chans,
            sensitive=tie.sensitive_weight > 0,
            evidence=tuple(details[e] for e in tie.evidence)))
    pairs = tuple(
        PairThrough(projection.organisations[s].name, projection.organisations[t].name,
                    ranking.communities[member_of[s]].name,
                    ranking.communities[member_of[t]].name, share)
        for s, t, share in metrics.shortest_path_shares(g, iri)[:max_pairs])
    pct = {k: v[iri] for k, v in ranking.percentiles.items()}
    from dataclasses import replace
    row = replace(row, evidence=tuple(details[e] for e in row.evidence_iris[:3]
                                      if e in details))
    return Explanation(dom, row, len(ranking.rows), pct, tuple(ties), pairs,
                       ranking.communities, method, seed)
