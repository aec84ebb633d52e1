"""Which organisations complement each other in a domain (``kg complementarity``).

Two organisations complement each other when they are active in the same domain, bring
different institutional functions (one sets norms, another finances, another sets
standards…) and are tied closely enough, by evidence or shared members, for cooperation to be
feasible. Score = function difference x feasibility (``metrics.complementarity_score``,
``docs/metrics.md``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from ..store.base import Store
from . import metrics
from .fetch import Domain, EvidenceItem, domain_projection, evidence_details, functions_in_domain, resolve_domain
from .projection import MEMBER_LAYER_FACTOR, Projection, Tie

SECURITY_FUNCTION = "security-defence"


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
    #: one of them is security-sensitive or brings the security-defence function
    security: bool
    evidence_iris: tuple[str, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()


@dataclass(frozen=True)
class ComplementarityResult:
    domain: Domain
    pairs: tuple[ComplementaryPair, ...]
    #: names of organisations active in the domain with no recorded function (left out)
    without_functions: tuple[str, ...]
    total_pairs: int
    notes: tuple[str, ...] = ()


def complementary_pairs(projection: Projection, functions: Mapping[str, Collection[str]], *,
                        penalty: float = metrics.SECURITY_PENALTY) -> list[ComplementaryPair]:
    """Every tied pair whose function sets differ, best first (score, then names). The
    projection should include the shared-members layer, which counts toward feasibility.
    Evidence addressing the security-defence domain counts for 1/penalty of its weight, as
    on cooperation paths."""
    g = projection.graph
    out = []
    for a, b in sorted(tuple(sorted(e)) for e in g.edges()):
        fa, fb = set(functions.get(a, ())), set(functions.get(b, ()))
        if not fa or not fb:
            continue
        diff = metrics.function_difference(fa, fb)
        tie: Tie = g[a][b]["tie"]
        if diff <= 0:
            continue
        members = next((c for c in tie.channels if c.name == "shared-members"), None)
        weight = tie.plain_weight + tie.sensitive_weight / penalty
        oa, ob = projection.organisations[a], projection.organisations[b]
        out.append(ComplementaryPair(
            rank=0, a=a, b=b, a_name=oa.name, b_name=ob.name,
            score=metrics.complementarity_score(fa, fb, weight), difference=diff,
            feasibility=metrics.feasibility(weight),
            tie_weight=tie.weight - (members.weight if members else 0.0),
            shared_members=members.items if members else 0,
            member_overlap=(members.weight / MEMBER_LAYER_FACTOR) if members else 0.0,
            a_brings=tuple(sorted(fa - fb)), b_brings=tuple(sorted(fb - fa)),
            shared_functions=tuple(sorted(fa & fb)),
            security=oa.security or ob.security or SECURITY_FUNCTION in fa | fb,
            evidence_iris=tie.evidence))
    out.sort(key=lambda p: (-round(p.score, 12), p.a_name, p.b_name, p.a, p.b))
    return [replace(p, rank=i) for i, p in enumerate(out, start=1)]


def complementarity(store: Store, domain: str, *, top: int | None = 20,
                    evidence_per_pair: int = 2) -> ComplementarityResult:
    """Complementary pairs of organisations in ``domain``, the best ``top`` (all with None
    or 0), with the evidence that ties them."""
    dom = resolve_domain(store, domain)
    projection = domain_projection(store, dom.notation, with_members=True)
    functions = {o: set(fs) for o, fs in functions_in_domain(store, dom.notation).items()}
    pairs = complementary_pairs(projection, functions)
    shown = pairs[:top] if top else pairs
    details = evidence_details(store, [e for p in shown for e in p.evidence_iris[:evidence_per_pair]])
    shown = [replace(p, evidence=tuple(details[e] for e in p.evidence_iris[:evidence_per_pair]))
             for p in shown]
    missing = tuple(sorted(o.name for v, o in projection.organisations.items()
                           if not functions.get(v)))
    notes = list(projection.notes)
    if missing:
        notes.append(f"{len(missing)} organisation(s) active in {dom.notation} have no recorded "
                     f"function and were left out: {', '.join(missing)}")
    return ComplementarityResult(dom, tuple(shown), missing, len(pairs), tuple(notes))
