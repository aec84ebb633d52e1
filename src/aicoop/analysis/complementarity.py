"""Which organisations complement each other in a domain (``kg complementarity``).

Two organisations complement each other when they are active in the same domain and bring
different institutional functions (one sets norms, another finances, another sets
standards…). A pair is **realised** when they already have joint work in the domain
(co-issued document, joint initiative, endorsement or citation addressing it) and ranked by
function difference x feasibility of that work; otherwise it is **potential**, listed apart
with what could connect them (shared member States, joint work in other domains, common
partners in the domain). ``docs/metrics.md``, "Complementarity".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from ..store.base import Store
from . import metrics
from .fetch import Domain, EvidenceItem, domain_projection, evidence_details, functions_in_domain, resolve_domain
from .projection import DOMAIN_CHANNELS, MEMBER_LAYER_FACTOR, Projection, Tie, Window, sensitive_in

@dataclass(frozen=True)
class ComplementaryPair:
    rank: int
    a: str
    b: str
    a_name: str
    b_name: str
    score: float
    difference: float
    feasibility: float
    #: tie weight from documents, initiatives and partnerships (the institutional layer),
    #: security-defence evidence included at full weight
    tie_weight: float
    #: Jaccard overlap of their member States (0 when none are shared or recorded)
    shared_members: int
    member_overlap: float
    a_brings: tuple[str, ...]
    b_brings: tuple[str, ...]
    shared_functions: tuple[str, ...]
    #: one of them is a security actor outside the security domains (``sensitive_in``)
    security: bool
    evidence_iris: tuple[str, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    #: ``realised`` (joint work in the domain) or ``potential``
    status: str = "realised"
    #: for potential pairs: what could connect them, in plain words
    connectors: tuple[str, ...] = ()

    @property
    def combination(self) -> str:
        """The functions that complement: ``standard-setting + financing``."""
        return " + ".join(x for x in (", ".join(self.a_brings), ", ".join(self.b_brings)) if x)


@dataclass(frozen=True)
class ComplementarityResult:
    domain: Domain
    pairs: tuple[ComplementaryPair, ...]
    #: names of organisations active in the domain with no recorded function (left out)
    without_functions: tuple[str, ...]
    total_pairs: int
    notes: tuple[str, ...] = ()
    potential: tuple[ComplementaryPair, ...] = ()
    total_potential: int = 0


def complementary_pairs(projection: Projection, functions: Mapping[str, Collection[str]], *,
                        domain: str | None = None,
                        penalty: float = metrics.SECURITY_PENALTY) -> list[ComplementaryPair]:
    """Every pair with different function sets and something between them, best first:
    realised pairs (joint work in the domain) by score, then potential pairs by score. The
    projection should carry the shared-members and other-domain channels, which make a pair
    potential but never realised. Evidence addressing security and defence counts for
    1/penalty of its weight."""
    g = projection.graph
    realised, potential = [], []
    nodes = sorted(v for v in g if functions.get(v))
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            fa, fb = set(functions[a]), set(functions[b])
            diff = metrics.function_difference(fa, fb)
            if diff <= 0:
                continue
            tie: Tie | None = g[a][b]["tie"] if g.has_edge(a, b) else None
            chans = {c.name: c for c in tie.channels} if tie else {}
            joint = [c for n, c in chans.items() if n in DOMAIN_CHANNELS]
            common = sorted(set(g[a]) & set(g[b]) - {a, b},
                            key=lambda u: projection.organisations[u].name)
            members = chans.get("shared-members")
            elsewhere = chans.get("other-domain")
            if not joint and not members and not elsewhere and not common:
                continue
            oa, ob = projection.organisations[a], projection.organisations[b]
            plain = sum(c.weight - c.sensitive_weight for c in joint)
            sens = sum(c.sensitive_weight for c in joint)
            weight = plain + sens / penalty
            connectors = []
            if not joint:
                if members:
                    connectors.append(members.detail)
                if elsewhere:
                    connectors.append(f"joint work in other domains ({len(elsewhere.evidence)}"
                                      " item(s))")
                if common:
                    names = ", ".join(projection.organisations[u].name for u in common[:3])
                    connectors.append(f"common partners in the domain: {names}"
                                      + (f" (+{len(common) - 3})" if len(common) > 3 else ""))
                weight = sum(c.weight for c in (members, elsewhere) if c) or 0.0
            pair = ComplementaryPair(
                rank=0, a=a, b=b, a_name=oa.name, b_name=ob.name,
                score=metrics.complementarity_score(fa, fb, weight), difference=diff,
                feasibility=metrics.feasibility(weight),
                tie_weight=sum(c.weight for c in joint),
                shared_members=members.items if members else 0,
                member_overlap=(members.weight / MEMBER_LAYER_FACTOR) if members else 0.0,
                a_brings=tuple(sorted(fa - fb)), b_brings=tuple(sorted(fb - fa)),
                shared_functions=tuple(sorted(fa & fb)),
                security=sensitive_in(oa, domain) or sensitive_in(ob, domain),
                evidence_iris=tuple(dict.fromkeys(e for c in joint for e in c.evidence)),
                status="realised" if joint else "potential", connectors=tuple(connectors))
            (realised if joint else potential).append(pair)
    out = []
    for group in (realised, potential):
        group.sort(key=lambda p: (-round(p.score, 12), p.a_name, p.b_name, p.a, p.b))
        out += [replace(p, rank=i) for i, p in enumerate(group, start=1)]
    return out


def complementarity(store: Store, domain: str, *, top: int | None = 20,
                    evidence_per_pair: int = 2, window: Window = Window()
                    ) -> ComplementarityResult:
    """Complementary pairs of organisations in ``domain``: realised pairs (the best ``top``;
    all with None or 0) with the evidence of their joint work, and potential pairs apart."""
    dom = resolve_domain(store, domain)
    projection = domain_projection(store, dom.notation, with_members=True, other_domains=True,
                                   window=window)
    functions = {o: set(fs) for o, fs in functions_in_domain(store, dom.notation).items()}
    pairs = complementary_pairs(projection, functions, domain=dom.notation)
    realised = [p for p in pairs if p.status == "realised"]
    potential = [p for p in pairs if p.status == "potential"]
    shown = realised[:top] if top else realised
    details = evidence_details(store, [e for p in shown for e in p.evidence_iris[:evidence_per_pair]])
    shown = [replace(p, evidence=tuple(details[e] for e in p.evidence_iris[:evidence_per_pair]))
             for p in shown]
    missing = tuple(sorted(o.name for v, o in projection.organisations.items()
                           if not functions.get(v)))
    notes = list(projection.notes)
    if missing:
        notes.append(f"{len(missing)} organisation(s) active in {dom.notation} have no recorded "
                     f"function and were left out: {', '.join(missing)}")
    if not realised:
        notes.append(f"no complementary pair has joint work in {dom.notation}; "
                     f"{len(potential)} potential pair(s) are listed apart")
    return ComplementarityResult(dom, tuple(shown), missing, len(realised), tuple(notes),
                                 tuple(potential[:top] if top else potential), len(potential))
