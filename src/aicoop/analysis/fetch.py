"""Run the analysis queries (``queries/*.rq``) against a store and return plain rows.

The only analysis module that talks to the store; everything it returns is plain data for
``projection`` and ``metrics``. Names typed by users (domains, organisations) are resolved
here, with the closest valid names when nothing matches.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from ..errors import DomainNotFound, NotFound
from ..lookup import fold
from ..namespaces import concept
from ..queries import get_query
from ..store.base import Store
from ..vocab_lookup import match_name
from .projection import (Organisation, Projection, Window, organisations_from_rows, project,
                         shared_member_counts)

#: the five priority domains of the study the tool grew from
PRIORITY_DOMAINS = ("agriculture", "education", "cybersecurity", "environment", "health")


@lru_cache(maxsize=None)
def _query_text(name: str) -> str:
    return get_query(name).text


def rows(store: Store, name: str, **params: ox.NamedNode | ox.Literal) -> list[dict[str, Any]]:
    """Rows of a shipped query as plain values, with parameters bound as terms (Ctrl-C
    stops the command even while the store is answering)."""
    from ..store.query_worker import interruptible
    text = _query_text(name)
    return interruptible(lambda: store.select(text, params=params or None).values())


def domain_term(notation: str) -> ox.NamedNode:
    return ox.NamedNode(concept("domains", notation))


# ---- domains ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Domain:
    notation: str
    label: str


def known_domains(store: Store, domain_rows: list[dict[str, Any]] | None = None
                  ) -> dict[str, Domain]:
    """Every domain of the vocabulary or used by the data, by notation, with its English
    preferred label (the notation when it has none)."""
    labels: dict[str, list[str]] = {}
    if domain_rows is None:
        domain_rows = rows(store, "list-domains") or rows(store, "domains-in-use")
    for r in domain_rows:
        labels.setdefault(r["domain"], [])
        if r.get("label") and r.get("english"):
            labels[r["domain"]].append(r["label"])
    return {n: Domain(n, min(ls) if ls else n) for n, ls in sorted(labels.items())}


def resolve_domain(store: Store, text: str) -> Domain:
    """The domain a user named by notation or label (``health``, ``Health``, ``santé``…);
    ``DomainNotFound`` with the closest notations otherwise. Works on stores without the
    vocabulary too, from the domains the data uses."""
    label_rows = rows(store, "list-domains") or rows(store, "domains-in-use")
    by_label: dict[str, set[str]] = {}
    for r in label_rows:
        by_label.setdefault(fold(r["domain"]), set()).add(r["domain"])
        if r.get("label"):
            by_label.setdefault(fold(r["label"]), set()).add(r["domain"])
    domains = known_domains(store, label_rows)
    try:
        return domains[match_name(text, domains, by_label, "domain")]
    except NotFound as exc:
        raise DomainNotFound(text, exc.suggestions
                             or [n for n in PRIORITY_DOMAINS if n in domains]
                             or sorted(domains)[:5]) from None


# ---- projections --------------------------------------------------------------------------

def domain_projection(store: Store, domain: str, *, with_members: bool = False,
                      other_domains: bool = False, with_text: bool = False,
                      window: Window = Window(), also: Collection[str] = ()) -> Projection:
    """The organisations active in ``domain`` and the ties between them, from evidence that
    addresses the domain (dated in ``window``). ``other_domains`` adds the weaker, labelled
    channel of joint work in other domains; ``with_members`` the shared-members layer (members
    as of the window's end); ``with_text`` the weakest channel, organisations named in
    documents' text (``kg load text``). Organisations in ``also`` (path ends) are added even
    when they are not active in the domain."""
    d = domain_term(domain)
    evidence = rows(store, "evidence-by-domain", domain=d)
    stated = [r["org"] for r in rows(store, "org-roles-in-domain", domain=d)]
    shared = shared_member_rows(store, window) if with_members else []
    partnerships = rows(store, "org-partnerships") if other_domains else []
    mentions = rows(store, "text-mentions-by-domain", domain=d) if with_text else []
    named = {r["actor"] for r in mentions if r["relation"] == "mentioned"}
    return project(rows(store, "list-organisations"), evidence, partnerships,
                   shared, also_active=set(stated) | set(also) | named, window=window,
                   other_domains=other_domains, mention_rows=mentions)


def global_projection(store: Store, *, with_members: bool = True,
                      window: Window = Window()) -> Projection:
    """Every organisation and every tie, whatever the domain (for paths across domains)."""
    shared = shared_member_rows(store, window) if with_members else []
    return project(rows(store, "list-organisations"), rows(store, "evidence"),
                   rows(store, "org-partnerships"), shared, everyone=True, window=window)


def organisations_from_list(store: Store) -> dict[str, Organisation]:
    """Every organisation in the store, by IRI."""
    return organisations_from_rows(rows(store, "list-organisations"))


def members_at_end_of(store: Store, year: int) -> dict[str, frozenset[str]]:
    """Each organisation's full member States on 31 December of ``year``
    (``membership_time``: dated memberships, withdrawals counted from the day they took
    effect)."""
    from datetime import date

    from ..membership_time import membership_as_of, membership_periods
    states = {r["state"] for r in rows(store, "list-states")}
    return {org: frozenset(m & states)
            for org, m in membership_as_of(membership_periods(store), date(year, 12, 31)).items()}


def shared_member_rows(store: Store, window: Window = Window()) -> list[dict[str, Any]]:
    """Member States in common per pair of organisations; with a window ending in a year,
    the memberships in force at the end of that year."""
    if window.until is None:
        return rows(store, "org-shared-members")
    return shared_member_counts(members_at_end_of(store, window.until))


def functions_in_domain(store: Store, domain: str) -> dict[str, dict[str, str]]:
    """Organisation -> {function notation: scope ("domain" or "general")}; a function
    stated for the domain wins over the same function stated in general."""
    out: dict[str, dict[str, str]] = {}
    for r in rows(store, "org-functions-by-domain", domain=domain_term(domain)):
        funcs = out.setdefault(r["org"], {})
        if funcs.get(r["function"]) != "domain":
            funcs[r["function"]] = r["scope"]
    return out


# ---- actors -------------------------------------------------------------------------------

def state_node(store: Store, iri: str) -> Organisation | None:
    """The State ``iri`` names, as a path end (``None`` when it is not a State)."""
    res = rows(store, "state-label", state=ox.NamedNode(iri))
    if not res:
        return None
    label = res[0].get("label") or iri.rstrip("/").rsplit("/", 1)[-1].upper()
    return Organisation(iri=iri, name=label, label=label, kind="state", is_state=True)


def state_memberships(store: Store, iri: str, window: Window = Window()
                      ) -> list[dict[str, Any]]:
    """The organisations a State belongs to (any role); with a window ending in a year, its
    full memberships in force at the end of that year."""
    current = rows(store, "state-memberships", state=ox.NamedNode(iri))
    if window.until is None:
        return current
    valid = {org for org, members in members_at_end_of(store, window.until).items()
             if iri in members}
    return [r for r in current if r["org"] in valid] + [
        {"state": iri, "org": o, "role": "member"}
        for o in sorted(valid - {r["org"] for r in current})]


# ---- evidence -----------------------------------------------------------------------------

@dataclass(frozen=True)
class EvidenceItem:
    """A document or initiative behind a tie, as an analyst reads it."""

    iri: str
    type: str
    title: str
    issued: str = ""
    url: str = ""
    actors: str = ""

    def cite(self) -> str:
        """``Title (2021, WHO, ITU)``."""
        bits = [b for b in (self.issued[:4] if self.issued else "", self.actors) if b]
        return f"{self.title} ({', '.join(bits)})" if bits else self.title


def evidence_details(store: Store, iris: list[str]) -> dict[str, EvidenceItem]:
    """Titles, dates, URLs and issuers (by short name) of the given documents or initiatives."""
    out: dict[str, EvidenceItem] = {}
    names: dict[str, str] | None = None
    for iri in iris:
        if iri in out:
            continue
        if names is None:
            names = {o.iri: o.name for o in organisations_from_list(store).values()}
        res = rows(store, "evidence-details", item=ox.NamedNode(iri))
        r = res[0] if res else {}
        key = iri.rstrip("/").rsplit("/", 1)[-1]
        actors = sorted({names.get(a, a.rstrip("/").rsplit("/", 1)[-1])
                         for a in (r.get("actors") or "").split()})
        out[iri] = EvidenceItem(iri=iri, type=r.get("type") or "document",
                                title=r.get("title") or key, issued=r.get("issued") or "",
                                url=r.get("url") or "", actors=", ".join(actors))
    return out
