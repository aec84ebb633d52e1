"""Who does the most in a domain (``kg leads``): volume and centrality, not brokerage.

"Leads" and "bridges" answer different questions: a lead issues, joins and endorses much of a
domain's work and has many partners in it; a bridge connects groups that are otherwise apart.
The lead rank is by volume of domain evidence (documents issued, joint initiatives joined,
documents endorsed), then by tie strength (docs/metrics.md, "Lead actors").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..store.base import Store
from . import metrics
from .fetch import Domain, domain_projection, resolve_domain
from .projection import Projection, Window, channel_split


@dataclass(frozen=True)
class LeadRow:
    rank: int
    iri: str
    name: str
    label: str
    kind: str
    #: documents + initiatives + endorsements addressing the domain
    volume: int
    documents: int
    initiatives: int
    endorsements: int
    #: partners in the domain (degree) and summed tie weight (strength)
    partners: int
    strength: float
    channels: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class LeadsResult:
    domain: Domain
    window: str
    rows: tuple[LeadRow, ...]
    notes: tuple[str, ...] = ()


def rank_leads(projection: Projection) -> list[LeadRow]:
    """Every organisation of the projection, most active first: volume, then strength, then
    partners, then name and IRI (a total, stable order)."""
    g = projection.graph
    out = []
    for v, o in projection.organisations.items():
        volume = o.documents + o.initiatives + o.endorsements
        out.append(LeadRow(0, v, o.name, o.label, o.kind, volume, o.documents, o.initiatives,
                           o.endorsements, g.degree(v) if v in g else 0,
                           metrics.strength(g, v) if v in g else 0.0,
                           channel_split(g, v) if v in g else ()))
    out.sort(key=lambda r: (-r.volume, -round(r.strength, 12), -r.partners, r.name, r.iri))
    from dataclasses import replace
    return [replace(r, rank=i) for i, r in enumerate(out, start=1)]


def leads(store: Store, domain: str, *, top: int | None = 10, with_members: bool = False,
          other_domains: bool = False, with_text: bool = False,
          window: Window = Window()) -> LeadsResult:
    """The organisations that do the most in ``domain``, the best ``top`` (all with ``None``)."""
    dom = resolve_domain(store, domain)
    projection = domain_projection(store, dom.notation, with_members=with_members,
                                   other_domains=other_domains, with_text=with_text,
                                   window=window)
    rows = rank_leads(projection)
    notes = list(projection.notes)
    if not rows:
        notes.append(f"no organisation is active in {dom.notation}")
    return LeadsResult(dom, window.describe(), tuple(rows[:top] if top else rows), tuple(notes))
