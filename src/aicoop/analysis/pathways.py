"""Which cooperation pathways a domain's work follows, by organisation (``kg pathways``).

The study behind the project names three pathways along which cooperation on AI proceeds in a
domain: institutional alignment, strategic benefits and risk mitigation (``aic:pathway`` on
documents and joint initiatives, SKOS scheme ``ontology/vocab/pathways.ttl``). This module
counts them from query rows (pure: ``items_from_rows``, ``summarise``, ``compare``); the
functions ``pathway_summary`` and ``pair_pathways`` run the queries. Counting rules:
``docs/metrics.md``, "Cooperation pathways".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..store.base import Store

#: the study's order of its pathways; any other pathway found in the data follows, by notation
STUDY_ORDER = ("institutional-alignment", "strategic-benefits", "risk-mitigation")


@dataclass(frozen=True)
class Item:
    """A document or joint initiative with the pathways it follows and who took part."""

    iri: str
    kind: str
    title: str
    issued: str = ""
    url: str = ""
    pathways: tuple[str, ...] = ()
    #: actor IRI -> relation (issuer, partner, endorser), sorted by IRI
    actors: tuple[tuple[str, str], ...] = ()
    domains: tuple[str, ...] = ()

    @property
    def actor_iris(self) -> frozenset[str]:
        return frozenset(a for a, _ in self.actors)

    def cite(self, names: Mapping[str, str] | None = None) -> str:
        """``Title (2021; WHO, ITU; risk-mitigation)``."""
        names = names or {}
        who = ", ".join(sorted(names.get(a, _key(a)) for a, _ in self.actors))
        bits = [b for b in (self.issued[:4], who, " + ".join(self.pathways) or "untagged") if b]
        return f"{self.title} ({'; '.join(bits)})"


def _key(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def items_from_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str, Item]:
    """Items from ``pathway-items-in-domain`` or ``pathway-items-of-organisation`` rows (one row
    per item, pathway, actor, relation and, for the latter, domain), keyed by IRI."""
    acc: dict[str, dict[str, Any]] = {}
    for r in rows:
        it = acc.setdefault(r["item"], {"kind": r.get("kind") or "document", "title": "",
                                        "issued": "", "url": "", "pathways": set(),
                                        "actors": {}, "domains": set()})
        for f in ("title", "issued", "url"):
            v = r.get(f) or ""
            if v and (not it[f] or v < it[f]):
                it[f] = v
        if r.get("pathway"):
            it["pathways"].add(r["pathway"])
        if r.get("actor"):
            rel = r.get("relation") or "issuer"
            old = it["actors"].get(r["actor"])
            # an issuer that also endorses is an issuer: the stronger relation wins
            if old is None or _RELATION_ORDER.index(rel) < _RELATION_ORDER.index(old):
                it["actors"][r["actor"]] = rel
        if r.get("domain"):
            it["domains"].add(_key(r["domain"]))
    return {iri: Item(iri, v["kind"], v["title"] or _key(iri), v["issued"], v["url"],
                      order_pathways(v["pathways"]), tuple(sorted(v["actors"].items())),
                      tuple(sorted(v["domains"])))
            for iri, v in sorted(acc.items())}


_RELATION_ORDER = ("issuer", "partner", "endorser")


def order_pathways(pathways: Iterable[str]) -> tuple[str, ...]:
    """The study's order first, then any other pathway by notation.

    >>> order_pathways({"risk-mitigation", "other", "institutional-alignment"})
    ('institutional-alignment', 'risk-mitigation', 'other')
    """
    ps = set(pathways)
    return tuple(p for p in STUDY_ORDER if p in ps) + tuple(sorted(ps - set(STUDY_ORDER)))


def pathway_shares(items: Iterable[Item]) -> dict[str, float]:
    """Each pathway's share of the tagged items: an item tagged with n pathways gives 1/n to
    each, so the shares of a set of items add up to 1 (fractional counting).

    >>> a = Item("a", "document", "A", pathways=("risk-mitigation",))
    >>> b = Item("b", "document", "B", pathways=("strategic-benefits", "risk-mitigation"))
    >>> pathway_shares([a, b])
    {'strategic-benefits': 0.25, 'risk-mitigation': 0.75}
    """
    tagged = [i for i in items if i.pathways]
    out: dict[str, float] = {}
    for i in tagged:
        for p in i.pathways:
            out[p] = out.get(p, 0.0) + 1.0 / len(i.pathways)
    return {p: out[p] / len(tagged) for p in order_pathways(out)}


def main_pathways(shares: Mapping[str, float]) -> tuple[str, ...]:
    """The pathways with the largest share (several when they tie), in the study's order."""
    if not shares:
        return ()
    top = max(shares.values())
    return order_pathways(p for p, s in shares.items() if abs(s - top) < 1e-9)


# ---- one domain ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PathwayTotal:
    """One pathway in a domain: how many items follow it, and by how many organisations."""

    pathway: str
    label: str
    documents: int
    initiatives: int
    organisations: int
    #: share of the domain's tagged items (fractional counting, shares add up to 1)
    share: float


@dataclass(frozen=True)
class OrganisationPathways:
    """One organisation's work in the domain, by pathway."""

    iri: str
    name: str
    items: int
    tagged: int
    #: pathway notation -> number of items following it (an item may follow several)
    counts: Mapping[str, int]
    shares: Mapping[str, float]
    main: tuple[str, ...]
    #: the items behind the counts, newest first
    evidence: tuple[Item, ...]


@dataclass(frozen=True)
class PathwaySummary:
    """The pathways a domain's documents and initiatives follow, overall and by organisation."""

    domain: Any  # fetch.Domain
    pathways: tuple[PathwayTotal, ...]
    organisations: tuple[OrganisationPathways, ...]
    items: int
    untagged: tuple[Item, ...]
    labels: Mapping[str, str]
    notes: tuple[str, ...] = ()

    @property
    def tagged(self) -> int:
        return self.items - len(self.untagged)

    @property
    def main(self) -> tuple[str, ...]:
        return main_pathways({t.pathway: t.share for t in self.pathways})


def _newest_first(items: Iterable[Item]) -> tuple[Item, ...]:
    return tuple(sorted(items, key=lambda i: (i.issued or "0000", i.iri), reverse=True))


def summarise(domain: Any, items: Mapping[str, Item], names: Mapping[str, str],
              labels: Mapping[str, str] | None = None) -> PathwaySummary:
    """Totals per pathway and one row per organisation (most tagged items first, then name)."""
    labels = dict(labels or {})
    all_items = list(items.values())
    tagged = [i for i in all_items if i.pathways]
    shares = pathway_shares(tagged)
    totals = []
    for p in order_pathways({p for i in tagged for p in i.pathways}):
        follows = [i for i in tagged if p in i.pathways]
        totals.append(PathwayTotal(
            p, labels.get(p, p), sum(1 for i in follows if i.kind != "initiative"),
            sum(1 for i in follows if i.kind == "initiative"),
            len({a for i in follows for a in i.actor_iris}), shares.get(p, 0.0)))
    by_org: dict[str, list[Item]] = {}
    for i in all_items:
        for a in i.actor_iris:
            by_org.setdefault(a, []).append(i)
    rows = []
    for a, its in by_org.items():
        mine = [i for i in its if i.pathways]
        counts = {p: sum(1 for i in mine if p in i.pathways)
                  for p in order_pathways({p for i in mine for p in i.pathways})}
        sh = pathway_shares(mine)
        rows.append(OrganisationPathways(a, names.get(a, _key(a)), len(its), len(mine), counts,
                                         sh, main_pathways(sh), _newest_first(its)))
    rows.sort(key=lambda r: (-r.tagged, -r.items, r.name.casefold(), r.iri))
    notes = []
    untagged = _newest_first(i for i in all_items if not i.pathways)
    if not all_items:
        notes.append(f"no document or initiative addresses {getattr(domain, 'notation', domain)}")
    elif untagged:
        kinds = {k: sum(1 for i in untagged if i.kind == k) for k in ("document", "initiative")}
        what = " and ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in kinds.items() if n)
        notes.append(f"{what} of the domain carr{'y' if len(untagged) != 1 else 'ies'} no "
                     "pathway tag (aic:pathway) and count under no pathway")
    return PathwaySummary(domain, tuple(totals), tuple(rows), len(all_items), untagged,
                          labels, tuple(notes))


def pathway_labels(store: Store) -> dict[str, str]:
    """Pathway notation -> English label (the notation where the store has no vocabulary)."""
    from .fetch import rows
    return {r["notation"]: r.get("label") or r["notation"] for r in rows(store, "list-pathways")}


def _organisation_names(store: Store) -> dict[str, str]:
    from .fetch import organisations_from_list
    return {iri: o.name for iri, o in organisations_from_list(store).items()}


def pathway_summary(store: Store, domain: str) -> PathwaySummary:
    """The pathways ``domain``'s documents and initiatives follow, overall and by organisation
    (``domain`` as a user types it: notation or label); for ``kg pathways`` and the report."""
    from .fetch import domain_term, resolve_domain, rows
    dom = resolve_domain(store, domain)
    items = items_from_rows(rows(store, "pathway-items-in-domain",
                                 domain=domain_term(dom.notation)))
    return summarise(dom, items, _organisation_names(store), pathway_labels(store))


# ---- two organisations --------------------------------------------------------------------

@dataclass(frozen=True)
class PairPathway:
    """One pathway seen from a pair: each one's items on it and the items they share."""

    pathway: str
    label: str
    a_items: int
    b_items: int
    joint_items: int
    #: ``joint`` (they share items on it), ``both apart`` (each follows it, not together),
    #: ``only A`` / ``only B`` (by name), or ``neither``
    status: str
    evidence: tuple[Item, ...]


@dataclass(frozen=True)
class PairPathways:
    a: str
    a_name: str
    b: str
    b_name: str
    domain: Any  # fetch.Domain or None
    pathways: tuple[PairPathway, ...]
    #: every item both take part in, tagged or not, newest first
    joint: tuple[Item, ...]
    a_items: int
    b_items: int
    labels: Mapping[str, str]
    notes: tuple[str, ...] = ()
    #: short names of every actor of the pair's items, for citing them
    names: Mapping[str, str] = field(default_factory=dict)


def compare(a: str, b: str, a_items: Mapping[str, Item], b_items: Mapping[str, Item],
            names: Mapping[str, str], labels: Mapping[str, str] | None = None, *,
            domain: Any = None) -> PairPathways:
    """The pathways two actors follow, together and apart (``domain``: only items that
    address it). Evidence per pathway: the joint items, else each one's newest item."""
    labels = dict(labels or {})
    notation = getattr(domain, "notation", None)

    def keep(items: Mapping[str, Item]) -> dict[str, Item]:
        return {k: i for k, i in items.items() if notation is None or notation in i.domains}
    mine, theirs = keep(a_items), keep(b_items)
    joint = {k: i for k, i in mine.items() if b in i.actor_iris}
    joint.update({k: i for k, i in theirs.items() if a in i.actor_iris})
    an, bn = names.get(a, _key(a)), names.get(b, _key(b))
    every = order_pathways(set(STUDY_ORDER) | set(labels)
                           | {p for i in (*mine.values(), *theirs.values()) for p in i.pathways})
    rows = []
    for p in every:
        ja = [i for i in mine.values() if p in i.pathways]
        jb = [i for i in theirs.values() if p in i.pathways]
        jj = [i for i in joint.values() if p in i.pathways]
        if jj:
            status, ev = "joint", _newest_first(jj)
        elif ja and jb:
            status, ev = "both apart", _newest_first(ja)[:1] + _newest_first(jb)[:1]
        elif ja:
            status, ev = f"only {an}", _newest_first(ja)[:1]
        elif jb:
            status, ev = f"only {bn}", _newest_first(jb)[:1]
        else:
            status, ev = "neither", ()
        rows.append(PairPathway(p, labels.get(p, p), len(ja), len(jb), len(jj), status, ev))
    notes = []
    where = f" in {notation}" if notation else ""
    if not joint:
        notes.append(f"{an} and {bn} share no document or initiative{where}")
    untagged = sum(1 for i in joint.values() if not i.pathways)
    if untagged:
        notes.append(f"{untagged} of their {len(joint)} shared item(s) carry no pathway tag")
    actors = {x for i in (*mine.values(), *theirs.values()) for x in i.actor_iris} | {a, b}
    return PairPathways(a, an, b, bn, domain, tuple(rows), _newest_first(joint.values()),
                        len(mine), len(theirs), labels, tuple(notes),
                        {x: names.get(x, _key(x)) for x in sorted(actors)})


def pair_pathways(store: Store, a: str, b: str, *, domain: str | None = None) -> PairPathways:
    """The pathways two organisations (or States) follow together and apart, as users name
    them; ``domain`` keeps only items that address it."""
    import pyoxigraph as ox

    from ..errors import UsageError
    from ..lookup import resolve_organisation
    from .fetch import resolve_domain, rows
    ia, ib = resolve_organisation(store, a), resolve_organisation(store, b)
    if ia == ib:
        raise UsageError(f"--between and --and name the same organisation ({a!r}, {b!r})")
    dom = resolve_domain(store, domain) if domain else None
    items_a = items_from_rows(rows(store, "pathway-items-of-organisation", org=ox.NamedNode(ia)))
    items_b = items_from_rows(rows(store, "pathway-items-of-organisation", org=ox.NamedNode(ib)))
    names = _organisation_names(store)
    if ia not in names or ib not in names:  # a State: its display name
        from ..lookup import name_index
        display = name_index(store).display
        for iri in (ia, ib):
            names.setdefault(iri, display.get(iri, _key(iri)))
    return compare(ia, ib, items_a, items_b, names, pathway_labels(store), domain=dom)
