"""States' participation in AI governance instruments, and how well documents are tied.

Two questions the shipped queries cannot answer alone because a SPARQL parameter is one term,
not a set: which States are party to *all* or to *none* of a set of instruments; and what
share of the documents in a set of domains carries a relation beyond its own issuer. The
store is read once through a named query; the set logic is pure and tested by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from .store.base import Store

Mode = Literal["all", "none"]


def party_sets(pairs: Iterable[tuple[str, str | None]]) -> dict[str, frozenset[str]]:
    """State IRI -> the instruments it is party to, from (state, document-or-None) rows; a
    State with no instrument maps to the empty set (it is still a State)."""
    out: dict[str, set[str]] = {}
    for state, document in pairs:
        docs = out.setdefault(state, set())
        if document:
            docs.add(document)
    return {s: frozenset(d) for s, d in out.items()}


def select_states(parties: Mapping[str, frozenset[str]], instruments: Iterable[str],
                  mode: Mode) -> list[str]:
    """The States party to every instrument of the set (``all``) or to none of them
    (``none``), sorted. An empty set is a usage error: "all of nothing" means nothing."""
    wanted = frozenset(instruments)
    if not wanted:
        raise ValueError("give at least one instrument")
    if mode == "all":
        return sorted(s for s, docs in parties.items() if wanted <= docs)
    if mode == "none":
        return sorted(s for s, docs in parties.items() if not wanted & docs)
    raise ValueError(f"mode must be 'all' or 'none', not {mode!r}")


def states_party_to(store: Store, instruments: Iterable[str], mode: Mode = "all") -> list[str]:
    """IRIs of the States party to all (or none) of the given instrument IRIs."""
    from .queries import get_query

    rows = store.select(get_query("state-instrument-pairs").text).values()
    pairs = [(r["state"], r.get("document")) for r in rows]
    return select_states(party_sets(pairs), instruments, mode)


@dataclass(frozen=True)
class RelationCoverage:
    """How many documents in the chosen domains carry a relation beyond their own issuer."""

    domains: tuple[str, ...]
    documents: int
    related: int
    by_domain: tuple[tuple[str, int, int], ...]   # (domain, documents, related)

    @property
    def share(self) -> float:
        return self.related / self.documents if self.documents else 0.0


def coverage(rows: Iterable[Mapping[str, object]], domains: Iterable[str]) -> RelationCoverage:
    """Coverage from rows of ``document-relation-coverage`` (document, domain, issuers, cites,
    citedBy, endorsers as plain values). A document counts once overall even when it addresses
    several of the domains; it is related when it has two or more issuers, cites or is cited,
    or is endorsed by someone other than its issuers."""
    chosen = tuple(domains)
    docs: dict[str, bool] = {}
    per: dict[str, dict[str, bool]] = {d: {} for d in chosen}
    for r in rows:
        domain = str(r["domain"])
        if domain not in per:
            continue
        related = (int(r["issuers"]) > 1 or int(r["cites"]) > 0 or int(r["citedBy"]) > 0
                   or int(r["endorsers"]) > 0)
        doc = str(r["document"])
        per[domain][doc] = related
        docs[doc] = related
    by_domain = tuple((d, len(per[d]), sum(per[d].values())) for d in chosen)
    return RelationCoverage(chosen, len(docs), sum(docs.values()), by_domain)


def relation_coverage(store: Store, domains: Iterable[str]) -> RelationCoverage:
    """Relation coverage of the documents in ``domains`` (notations) on the store."""
    from .queries import get_query

    rows = store.select(get_query("document-relation-coverage").text).values()
    return coverage(rows, domains)
