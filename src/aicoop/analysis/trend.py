"""How a domain's top bridges and leads change over time (``kg trend``): the same analyses
asked "as of" each year in turn (cumulative evidence up to that year, memberships valid then).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import UsageError
from ..store.base import Store
from .bridges import bridges
from .fetch import Domain, resolve_domain
from .leads import leads
from .projection import Window


@dataclass(frozen=True)
class Period:
    year: int
    organisations: int
    ties: int
    bridges: tuple[str, ...]
    leads: tuple[str, ...]


@dataclass(frozen=True)
class TrendResult:
    domain: Domain
    periods: tuple[Period, ...]


def trend(store: Store, domain: str, years: Sequence[int], *, top: int = 3,
          other_domains: bool = False, with_members: bool = False) -> TrendResult:
    """Top ``top`` bridges and leads of ``domain`` as of each of ``years`` (sorted)."""
    if not years:
        raise UsageError("give at least one year")
    dom = resolve_domain(store, domain)
    periods = []
    for y in sorted(set(years)):
        w = Window(until=y)
        b = bridges(store, dom.notation, top=top, other_domains=other_domains,
                    with_members=with_members, window=w, stability=False,
                    evidence_per_org=0)
        lead = leads(store, dom.notation, top=top, other_domains=other_domains,
                     with_members=with_members, window=w)
        periods.append(Period(y, b.organisations, b.ties, tuple(r.name for r in b.rows),
                              tuple(r.name for r in lead.rows if r.volume > 0)))
    return TrendResult(dom, tuple(periods))
