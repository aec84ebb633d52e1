"""Where cooperation is missing (``kg gaps``): who covers which domain, risks named in a domain
that none of its documents mitigates, and domains where no organisation bridges the groups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..store.base import Store
from .bridges import Ranking, rank_bridges
from .fetch import domain_projection, known_domains, organisations_from_list, resolve_domain, rows
from .projection import Projection, Window


@dataclass(frozen=True)
class CoverageMatrix:
    """Activity of each organisation in each domain: documents issued plus joint initiatives."""

    domains: tuple[str, ...]
    organisations: tuple[str, ...]
    names: Mapping[str, str]
    counts: Mapping[tuple[str, str], int]
    roles: Mapping[tuple[str, str], int]

    def value(self, org: str, domain: str) -> int:
        return self.counts.get((org, domain), 0)


@dataclass(frozen=True)
class RiskCoverage:
    domain: str
    risk: str
    identifying: int
    mitigating: int

    @property
    def gap(self) -> bool:
        return self.identifying > 0 and self.mitigating == 0


@dataclass(frozen=True)
class DomainBridging:
    domain: str
    organisations: int
    ties: int
    communities: int
    bridges: int
    best: str | None
    status: str


@dataclass(frozen=True)
class GapsResult:
    coverage: CoverageMatrix
    risks: tuple[RiskCoverage, ...]
    domains: tuple[DomainBridging, ...]

    @property
    def unmitigated(self) -> tuple[RiskCoverage, ...]:
        return tuple(r for r in self.risks if r.gap)

    @property
    def unbridged(self) -> tuple[DomainBridging, ...]:
        return tuple(d for d in self.domains if d.status != "bridged")


def coverage_matrix(rows_: Iterable[Mapping[str, Any]], domains: Iterable[str],
                    names: Mapping[str, str]) -> CoverageMatrix:
    """The matrix from ``org-domain-coverage`` rows; organisations by total activity, then
    name; domains in the order given (every domain, so an empty column shows)."""
    counts: dict[tuple[str, str], int] = {}
    roles: dict[tuple[str, str], int] = {}
    for r in rows_:
        key = (r["org"], r["domain"])
        counts[key] = int(r["documents"] or 0) + int(r["initiatives"] or 0)
        roles[key] = int(r["roles"] or 0)
    doms = list(domains)
    doms += sorted({d for _, d in counts} - set(doms))
    orgs = {o for o, _ in counts}
    total = {o: sum(v for (oo, _), v in counts.items() if oo == o) for o in orgs}
    ordered = sorted(orgs, key=lambda o: (-total[o], names.get(o, o), o))
    return CoverageMatrix(tuple(doms), tuple(ordered), {o: names.get(o, o) for o in ordered},
                          counts, roles)


def domain_bridging(domain: str, projection: Projection, ranking: Ranking) -> DomainBridging:
    """Whether anyone bridges the domain, by the one definition of a bridge
    (``bridges.is_bridge``); the best bridge is the first of ``kg bridges``."""
    g = projection.graph
    bridging = [r for r in ranking.rows if r.bridge]
    tied = {r.community for r in ranking.rows if r.ties > 0}
    if g.number_of_nodes() == 0:
        status = "no organisations"
    elif g.number_of_edges() == 0:
        status = "no ties"
    elif not bridging:
        status = "no bridge"
    else:
        status = "bridged"
    return DomainBridging(domain, g.number_of_nodes(), g.number_of_edges(), len(tied),
                          len(bridging), bridging[0].name if bridging else None, status)


def gaps(store: Store, *, domain: str | None = None, other_domains: bool = False,
         with_members: bool = False, with_text: bool = False,
         window: Window = Window()) -> GapsResult:
    """Coverage, unmitigated risks and unbridged domains: for every known domain, or one."""
    known = known_domains(store)
    if domain:
        doms = [resolve_domain(store, domain).notation]
    else:
        doms = list(known)
    names = {o.iri: o.name for o in organisations_from_list(store).values()}
    cov_rows = [r for r in rows(store, "org-domain-coverage") if r["domain"] in doms]
    matrix = coverage_matrix(cov_rows, doms, names)
    risks = tuple(RiskCoverage(r["domain"], r["risk"], int(r["identifying"]), int(r["mitigating"]))
                  for r in rows(store, "risk-coverage") if r["domain"] in doms)
    bridging = []
    for d in doms:
        projection = domain_projection(store, d, other_domains=other_domains,
                                       with_members=with_members, with_text=with_text,
                                       window=window)
        bridging.append(domain_bridging(d, projection, rank_bridges(projection)))
    return GapsResult(matrix, risks, tuple(bridging))


__all__ = ["CoverageMatrix", "DomainBridging", "GapsResult", "RiskCoverage",
           "coverage_matrix", "domain_bridging", "gaps"]
