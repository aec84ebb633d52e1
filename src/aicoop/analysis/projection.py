"""From query rows to weighted organisation–organisation graphs (pure: rows in, graphs out).

The store returns a domain's evidence in one pass (``queries/evidence-by-domain.rq``: who
issued, partnered in, endorsed or is cited by each document or initiative); this module sums
it into ties between organisations and builds a networkx graph whose nodes are organisations
and whose edges carry a ``Tie``: the channels behind it (co-issued documents, joint
initiatives, endorsements, citations, declared partnerships, shared member States), each with
its weight and evidence. So the graph grows with organisations, not documents. The weights
are defined in ``docs/metrics.md`` ("Tie weights"); ``queries/org-ties-by-domain.rq`` computes
the same ties in SPARQL alone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..namespaces import KIND_CLASSES, slug

#: weight of a declared partnership (aic:partnerOf) that no recorded initiative explains, and of
#: a bilateral joint initiative in another domain (1/(k-1) of it with k partners): half a
#: bilateral co-issued document, because the cooperation is not specific to the domain. This
#: "other-domain" channel is opt-in (``--other-domains``): by default a domain's network counts
#: only evidence that addresses the domain.
PARTNERSHIP_WEIGHT = 0.5
#: weight of the shared-members layer per unit of Jaccard overlap of member States: identical
#: memberships are worth half a bilateral co-issued document (the weaker layer)
MEMBER_LAYER_FACTOR = 0.5
#: weight of a State's membership in an organisation (paths from or to a State)
MEMBERSHIP_WEIGHT = 1.0
#: weight of the text-mention channel (opt-in, ``--with-text``): a document addressing the
#: domain whose text names organisations ties them, and its issuers, with a quarter of a
#: co-issued document, shared 1/(k-1) among the k organisations involved. A name in a text
#: is the weakest evidence of cooperation, below a citation's intent
TEXT_MENTION_WEIGHT = 0.25

#: channel names, strongest evidence first (the order used when listing a tie's channels)
CHANNELS = ("co-issued", "initiative", "endorsement", "citation", "other-domain",
            "text-mention", "shared-members", "membership")
#: channels whose evidence addresses the domain itself (joint work in the domain)
DOMAIN_CHANNELS = ("co-issued", "initiative", "endorsement", "citation")

_KINDS = {cls: notation for notation, cls in KIND_CLASSES.items()}


def kind_notation(kind_iri: str | None) -> str:
    """The notation of an organisation kind class, ``organisation`` when unknown.

    >>> kind_notation("https://w3id.org/aicoop/ontology#SecurityAlliance")
    'security-alliance'
    """
    if not kind_iri:
        return "organisation"
    local = kind_iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return _KINDS.get(local, slug(local) or "organisation")


def short_name(iri: str, label: str | None, acronyms: Iterable[str]) -> str:
    """The name to show in tables: the acronym that matches the IRI key (``WHO`` for
    ``…/org/who``), else a short English name (16 characters at most), else the shortest
    acronym, else the name or the key.

    >>> short_name("https://w3id.org/aicoop/id/org/who", "World Health Organization", ["OMS", "WHO"])
    'WHO'
    >>> short_name("https://w3id.org/aicoop/id/org/world-bank", "World Bank", ["IBRD"])
    'World Bank'
    """
    key = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    acrs = sorted({a.strip() for a in acronyms if a and a.strip()})
    for a in acrs:
        if slug(a) == slug(key):
            return a
    if label and len(label) <= 16:
        return label
    if acrs:
        return min(acrs, key=lambda a: (len(a), a))
    return label or key


@dataclass(frozen=True)
class Organisation:
    """A node of the projection."""

    iri: str
    name: str
    label: str
    kind: str = "organisation"
    #: a security actor (``is_security_actor``); sensitive outside ``SECURITY_DOMAINS``
    security: bool = False
    documents: int = 0
    initiatives: int = 0
    is_state: bool = False
    #: documents of the domain it endorses (issued by others)
    endorsements: int = 0


@dataclass(frozen=True)
class Channel:
    """One kind of evidence behind a tie, with its summed weight and the evidence IRIs."""

    name: str
    weight: float
    #: the part of ``weight`` that comes from evidence addressing the security-defence domain
    sensitive_weight: float = 0.0
    evidence: tuple[str, ...] = ()
    #: a plain-language note for channels without documents (shared members, memberships)
    detail: str = ""
    #: how many items: evidence documents or initiatives, or shared member States
    items: int = 0

    def describe(self) -> str:
        """``co-issued 1.5 (2 co-issued documents)``, ``shared-members 0.25 (2 member…)``."""
        what = {"co-issued": "co-issued document", "initiative": "joint initiative",
                "endorsement": "endorsed document", "citation": "citing document",
                "text-mention": "document naming them"}.get(self.name)
        if what:
            n = len(self.evidence)
            return f"{self.name} {self.weight:.3g} ({n} {what}{'s' if n != 1 else ''})"
        return f"{self.name} {self.weight:.3g}" + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class Tie:
    """An undirected tie between two actors (``a`` before ``b`` by IRI)."""

    a: str
    b: str
    channels: tuple[Channel, ...]

    @property
    def weight(self) -> float:
        return sum(c.weight for c in self.channels)

    @property
    def sensitive_weight(self) -> float:
        return sum(c.sensitive_weight for c in self.channels)

    @property
    def plain_weight(self) -> float:
        return self.weight - self.sensitive_weight

    @property
    def evidence(self) -> tuple[str, ...]:
        return tuple(sorted({e for c in self.channels for e in c.evidence}))

    def other(self, node: str) -> str:
        return self.b if node == self.a else self.a


@dataclass(frozen=True)
class Window:
    """The years whose evidence counts: ``since`` <= year <= ``until`` (either end open).
    Undated evidence counts only when both ends are open."""

    since: int | None = None
    until: int | None = None

    @property
    def open(self) -> bool:
        return self.since is None and self.until is None

    def contains(self, date: str | None) -> bool:
        """Whether evidence dated ``date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) counts.

        >>> Window(2020, 2022).contains("2021-06"), Window(until=2020).contains("2021")
        (True, False)
        >>> Window().contains(None), Window(since=2019).contains(None)
        (True, False)
        """
        if self.open:
            return True
        year = year_of(date)
        if year is None:
            return False
        return ((self.since is None or year >= self.since)
                and (self.until is None or year <= self.until))

    def describe(self) -> str:
        if self.open:
            return "all years"
        if self.since is not None and self.until is not None:
            return f"{self.since}–{self.until}"
        return f"as of {self.until}" if self.until is not None else f"since {self.since}"


def year_of(date: str | None) -> int | None:
    """The year of an ``xsd:date``, ``gYearMonth`` or ``gYear`` lexical form, else ``None``.

    >>> year_of("2021-11-23"), year_of("2019"), year_of(""), year_of("n.d.")
    (2021, 2019, None, None)
    """
    head = (date or "").strip()[:4]
    return int(head) if len(head) == 4 and head.isdigit() else None


@dataclass(frozen=True)
class Projection:
    """A weighted graph of organisations with the ties behind its edges.

    It keeps the rows it was summed from (one per pair, channel and item), so that
    ``without`` can rebuild it with an item or an organisation left out (stability)."""

    graph: nx.Graph
    organisations: Mapping[str, Organisation]
    #: ties dropped because an end is not an organisation of the projection (a State that
    #: issued a document, an actor with no type): counted, never silently lost
    dropped: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    item_rows: tuple[Mapping[str, Any], ...] = ()
    partnership_rows: tuple[Mapping[str, Any], ...] = ()
    shared_rows: tuple[Mapping[str, Any], ...] = ()
    member_factor: float = MEMBER_LAYER_FACTOR
    window: Window = Window()
    other_domains: bool = False

    def tie(self, a: str, b: str) -> Tie:
        return self.graph.edges[a, b]["tie"]

    @property
    def items(self) -> frozenset[str]:
        """Every document or initiative behind a tie."""
        return frozenset(e for _, _, d in self.graph.edges(data=True) for e in d["tie"].evidence)


def without(projection: Projection, *, items: Collection[str] = (),
            organisations: Collection[str] = ()) -> Projection:
    """The projection rebuilt with the given evidence items and organisations left out
    (leave-one-out stability): the same sums over fewer rows."""
    items, gone = set(items), set(organisations)
    orgs = {v: o for v, o in projection.organisations.items() if v not in gone}
    keep = tuple(r for r in projection.item_rows if r.get("evidence") not in items)
    partners = tuple(r for r in projection.partnership_rows if r.get("initiative") not in items)
    ties, _ = ties_from_rows(keep, partners, projection.shared_rows, actors=orgs,
                             member_factor=projection.member_factor)
    return Projection(build_graph(orgs, ties), orgs, projection.dropped, projection.notes,
                      keep, partners, projection.shared_rows, projection.member_factor,
                      projection.window, projection.other_domains)


def shared_member_counts(members: Mapping[str, Collection[str]]) -> list[dict[str, Any]]:
    """``org-shared-members`` rows (pairs of organisations with member States in common)
    from each organisation's members, e.g. as of a day (``membership_time.membership_as_of``).

    >>> shared_member_counts({"a": {"s1"}, "b": {"s1", "s2"}, "c": {"s3"}})
    [{'a': 'a', 'b': 'b', 'shared': 1, 'membersA': 1, 'membersB': 2}]
    """
    orgs = sorted(o for o, m in members.items() if m)
    out = []
    for i, a in enumerate(orgs):
        for b in orgs[i + 1:]:
            shared = len(set(members[a]) & set(members[b]))
            if shared:
                out.append({"a": a, "b": b, "shared": shared, "membersA": len(members[a]),
                            "membersB": len(members[b])})
    return out


def channel_split(g: nx.Graph, node: str) -> tuple[tuple[str, float], ...]:
    """How an organisation's tie strength splits across channels, strongest channel kind
    first (``CHANNELS`` order), channels with no weight left out."""
    acc: dict[str, float] = {}
    for u in g[node]:
        for c in g[node][u]["tie"].channels:
            acc[c.name] = acc.get(c.name, 0.0) + c.weight
    return tuple((n, acc[n]) for n in sorted(acc, key=_channel_order) if acc[n] > 0)


#: domains where security actors are core actors, not a sensitivity: law enforcement, defence and
#: cyber defence cooperation is what these domains are about
SECURITY_DOMAINS = frozenset({"cybersecurity", "security-defence", "justice"})


def is_security_actor(alliance: bool, roles: int, security_roles: int) -> bool:
    """A security alliance, or an organisation at least half of whose function roles are on the
    security side (docs/metrics.md, "Security sensitivity").

    >>> is_security_actor(False, 3, 1), is_security_actor(False, 2, 1), is_security_actor(True, 0, 0)
    (False, True, True)
    """
    return alliance or (security_roles > 0 and 2 * security_roles >= roles)


def sensitive_in(organisation: Organisation, domain: str | None) -> bool:
    """Whether ties through ``organisation`` are security-sensitive in ``domain`` (all domains
    when ``None``): security actors are, except in the security domains themselves."""
    return organisation.security and domain not in SECURITY_DOMAINS


def organisations_from_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str, Organisation]:
    """Nodes from ``list-organisations`` rows, keyed by IRI."""
    out: dict[str, Organisation] = {}
    for r in rows:
        iri = r["org"]
        acrs = [a for a in (r.get("acronyms") or "").split("|") if a.strip()]
        label = r.get("label") or ""
        out[iri] = Organisation(
            iri=iri, name=short_name(iri, label, acrs), label=label or short_name(iri, None, acrs),
            kind=kind_notation(r.get("kind")),
            security=bool(r.get("security")) or is_security_actor(
                bool(r.get("alliance")), int(r.get("roles") or 0),
                int(r.get("securityRoles") or 0)),
            documents=int(r.get("documents") or 0), initiatives=int(r.get("initiatives") or 0))
    return out


def _pair(x: str, y: str) -> tuple[str, str]:
    return (x, y) if x < y else (y, x)


def ties_from_rows(tie_rows: Iterable[Mapping[str, Any]],
                   partnership_rows: Iterable[Mapping[str, Any]] = (),
                   shared_member_rows: Iterable[Mapping[str, Any]] = (), *,
                   actors: Collection[str], member_factor: float = MEMBER_LAYER_FACTOR
                   ) -> tuple[list[Tie], int]:
    """Ties among ``actors`` from tie rows (``tie_rows`` or ``org-ties-by-domain``),
    ``org-partnerships`` and
    ``org-shared-members``; returns the ties (sorted by pair) and how many rows named an
    actor outside ``actors``. Leave ``shared_member_rows`` empty for the institutional layer
    alone."""
    acc: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    dropped = 0

    def channel(pair: tuple[str, str], name: str) -> dict[str, Any]:
        return acc.setdefault(pair, {}).setdefault(
            name, {"weight": 0.0, "sensitive": 0.0, "evidence": set(), "detail": "", "items": 0})

    for r in tie_rows:
        a, b = r["a"], r["b"]
        if a == b:
            continue
        if a not in actors or b not in actors:
            dropped += 1
            continue
        ch = channel(_pair(a, b), r["channel"])
        w = float(r["weight"] or 0.0)
        ch["weight"] += w
        if r.get("sensitive"):
            ch["sensitive"] += w
        ch["evidence"].update((r.get("evidence") or "").split())
    in_domain = {item for chans in acc.values() for c in chans.values() for item in c["evidence"]}
    for r in partnership_rows:
        a, b = r["a"], r["b"]
        if a == b or a not in actors or b not in actors:
            continue  # a partnership outside the domain is not a tie in it, not an error
        initiative = r.get("initiative")
        if initiative in in_domain:
            continue  # already an "initiative" tie of this domain
        ch = channel(_pair(a, b), "other-domain")
        if initiative:
            # a joint initiative in another domain: cooperation that exists, not on this domain
            ch["weight"] += PARTNERSHIP_WEIGHT / max(1, int(r.get("k") or 2) - 1)
            ch["evidence"].add(initiative)
            ch["detail"] = "partners in joint initiatives in other domains"
        else:
            ch["weight"] = max(ch["weight"], PARTNERSHIP_WEIGHT)
            ch["detail"] = ch["detail"] or "declared partners (aic:partnerOf)"
    for r in shared_member_rows:
        a, b = r["a"], r["b"]
        if a == b or a not in actors or b not in actors:
            continue
        shared, na, nb = int(r["shared"]), int(r["membersA"]), int(r["membersB"])
        union = na + nb - shared
        if shared <= 0 or union <= 0:
            continue
        jaccard = shared / union
        ch = channel(_pair(a, b), "shared-members")
        ch["weight"] = member_factor * jaccard
        ch["detail"] = f"{shared} member States in common (Jaccard {jaccard:.2f})"
        ch["items"] = shared
    ties = []
    for (a, b), chans in sorted(acc.items()):
        chs = tuple(Channel(name, c["weight"], c["sensitive"], tuple(sorted(c["evidence"])),
                            c["detail"], c["items"] or len(c["evidence"]))
                    for name, c in sorted(chans.items(), key=lambda kv: _channel_order(kv[0]))
                    if c["weight"] > 0)
        if chs:
            ties.append(Tie(a, b, chs))
    return ties, dropped


def _channel_order(name: str) -> tuple[int, str]:
    return (CHANNELS.index(name) if name in CHANNELS else len(CHANNELS), name)


def build_graph(organisations: Mapping[str, Organisation], ties: Iterable[Tie]) -> nx.Graph:
    """An undirected graph: every organisation a node (sorted by IRI, so algorithms that
    depend on order are deterministic), every tie an edge with ``weight`` and ``tie``."""
    g = nx.Graph()
    for iri in sorted(organisations):
        g.add_node(iri, org=organisations[iri])
    for t in sorted(ties, key=lambda t: (t.a, t.b)):
        if t.weight > 0:
            g.add_edge(t.a, t.b, weight=t.weight, tie=t)
    return g


@dataclass(frozen=True)
class Evidence:
    """The rows of ``evidence-by-domain`` gathered by item: who issued, partnered in,
    endorsed or is cited by each document or initiative."""

    issuers: Mapping[str, frozenset[str]]
    partners: Mapping[str, frozenset[str]]
    endorsers: Mapping[str, frozenset[str]]
    #: citing item -> cited item -> issuers of the cited item
    cited: Mapping[str, Mapping[str, frozenset[str]]]
    sensitive: frozenset[str]

    @property
    def actors(self) -> set[str]:
        """Organisations active through this evidence (issuers, partners, endorsers)."""
        return {o for group in (self.issuers, self.partners, self.endorsers)
                for os in group.values() for o in os}


def gather_evidence(rows: Iterable[Mapping[str, Any]]) -> Evidence:
    issuers: dict[str, set[str]] = {}
    partners: dict[str, set[str]] = {}
    endorsers: dict[str, set[str]] = {}
    cited: dict[str, dict[str, set[str]]] = {}
    sensitive: set[str] = set()
    by = {"issuer": issuers, "partner": partners, "endorser": endorsers}
    for r in rows:
        rel, item, actor = r["relation"], r["item"], r.get("actor")
        if rel == "sensitive":
            sensitive.add(item)
        elif rel == "cited-issuer":
            cited.setdefault(item, {}).setdefault(r["cited"], set()).add(actor)
        elif rel in by and actor:
            by[rel].setdefault(item, set()).add(actor)

    def freeze(d: dict[str, set[str]]) -> dict[str, frozenset[str]]:
        return {k: frozenset(v) for k, v in d.items()}
    return Evidence(freeze(issuers), freeze(partners), freeze(endorsers),
                    {k: freeze(v) for k, v in cited.items()}, frozenset(sensitive))


def tie_rows(evidence: Evidence) -> list[dict[str, Any]]:
    """One row per (pair, channel, item) with the weight that item adds (docs/metrics.md,
    "Tie weights") — the same sums ``queries/org-ties-by-domain.rq`` computes in SPARQL:
    co-issued 1/(k-1), initiative 1/(k-1), endorsement 0.5/k, citation 0.25/(k1*k2)."""
    out: list[dict[str, Any]] = []

    def add(x: str, y: str, channel: str, item: str, w: float) -> None:
        a, b = _pair(x, y)
        out.append({"a": a, "b": b, "channel": channel, "weight": w, "evidence": item,
                    "sensitive": item in evidence.sensitive})
    for channel, groups in (("co-issued", evidence.issuers), ("initiative", evidence.partners)):
        for item, members in groups.items():
            k = len(members)
            if k > 1:
                ordered = sorted(members)
                for i, x in enumerate(ordered):
                    for y in ordered[i + 1:]:
                        add(x, y, channel, item, 1.0 / (k - 1))
    for item, endorsing in evidence.endorsers.items():
        issued = evidence.issuers.get(item, frozenset())
        for e in endorsing - issued:
            for i in issued:
                add(e, i, "endorsement", item, 0.5 / len(issued))
    for item, cites in evidence.cited.items():
        citing = evidence.issuers.get(item, frozenset())
        for citees in cites.values():
            w = 0.25 / (len(citing) * len(citees)) if citing and citees else 0.0
            for x in citing:
                for y in citees:
                    if x != y:
                        add(x, y, "citation", item, w)
    return out


def mention_tie_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``text-mention`` tie rows from ``text-mentions-by-domain`` rows: for each document, the
    organisations it names and its issuers (k in all) are tied pairwise with
    ``TEXT_MENTION_WEIGHT`` / (k - 1), except issuer pairs (already co-issuers).

    >>> rows = [{"item": "d", "relation": "issuer", "actor": "a"},
    ...         {"item": "d", "relation": "mentioned", "actor": "b"},
    ...         {"item": "d", "relation": "mentioned", "actor": "c"}]
    >>> [(r["a"], r["b"], r["weight"]) for r in mention_tie_rows(rows)]
    [('a', 'b', 0.125), ('a', 'c', 0.125), ('b', 'c', 0.125)]
    """
    issuers: dict[str, set[str]] = {}
    named: dict[str, set[str]] = {}
    for r in rows:
        (issuers if r["relation"] == "issuer" else named).setdefault(
            r["item"], set()).add(r["actor"])
    out = []
    for item in sorted(named):
        own = issuers.get(item, set())
        everyone = sorted(own | named[item])
        k = len(everyone)
        for i, x in enumerate(everyone):
            for y in everyone[i + 1:]:
                if x in own and y in own:
                    continue
                out.append({"a": x, "b": y, "channel": "text-mention",
                            "weight": TEXT_MENTION_WEIGHT / (k - 1), "evidence": item,
                            "sensitive": False})
    return out


def project(org_rows: Iterable[Mapping[str, Any]], evidence_rows: Iterable[Mapping[str, Any]],
            partnership_rows: Iterable[Mapping[str, Any]] = (),
            shared_member_rows: Iterable[Mapping[str, Any]] = (), *,
            also_active: Collection[str] = (), everyone: bool = False,
            member_factor: float = MEMBER_LAYER_FACTOR, window: Window = Window(),
            other_domains: bool = True,
            mention_rows: Iterable[Mapping[str, Any]] = ()) -> Projection:
    """The projection for one domain (or all) from the query rows: the nodes are the
    organisations of ``org_rows`` that are active through the evidence or listed in
    ``also_active`` (all of them with ``everyone``); the edges are the weighted ties.
    Evidence dated outside ``window`` is left out (and counted in a note); partnership rows
    (joint work in other domains) count only with ``other_domains``."""
    from dataclasses import replace
    known = organisations_from_rows(org_rows)
    evidence_rows = list(evidence_rows)
    notes: list[str] = []
    if not window.open:
        dates = {r["item"]: r.get("date") for r in evidence_rows}
        outside = {i for i, d in dates.items() if not window.contains(d)}
        undated = sum(1 for i in outside if year_of(dates[i]) is None)
        evidence_rows = [r for r in evidence_rows if r["item"] not in outside]
        if outside:
            notes.append(f"{len(outside)} item(s) outside {window.describe()} left out"
                         + (f", {undated} of them undated" if undated else ""))
    evidence = gather_evidence(evidence_rows)
    active = evidence.actors | set(also_active)
    docs: dict[str, int] = {}
    inits: dict[str, int] = {}
    endorsed: dict[str, int] = {}
    for groups, counter in ((evidence.issuers, docs), (evidence.partners, inits),
                            (evidence.endorsers, endorsed)):
        for item, members in groups.items():
            for o in members:
                if counter is not endorsed or o not in evidence.issuers.get(item, ()):
                    counter[o] = counter.get(o, 0) + 1
    orgs = {iri: replace(o, documents=docs.get(iri, 0), initiatives=inits.get(iri, 0),
                         endorsements=endorsed.get(iri, 0))
            for iri, o in known.items() if everyone or iri in active}
    partners = tuple(r for r in partnership_rows
                     if window.contains(r.get("date"))) if other_domains else ()
    item_rows = tuple(tie_rows(evidence)) + tuple(
        mention_tie_rows([r for r in mention_rows if window.contains(r.get("date"))]))
    shared = tuple(shared_member_rows)
    ties, dropped = ties_from_rows(item_rows, partners, shared, actors=orgs,
                                   member_factor=member_factor)
    if dropped:
        notes.insert(0, f"{dropped} evidence row(s) left out: one end is not an organisation "
                        "active here (a State, an untyped actor, or an organisation only cited "
                        "from here)")
    return Projection(build_graph(orgs, ties), orgs, dropped, tuple(notes), item_rows,
                      partners, shared, member_factor, window, other_domains)


def with_state(projection: Projection, state: Organisation,
               memberships: Iterable[Mapping[str, Any]]) -> Projection:
    """A copy of the projection with a State joined to the organisations it is a member of
    (weight ``MEMBERSHIP_WEIGHT``), so paths can start or end at a State."""
    g = projection.graph.copy()
    orgs = dict(projection.organisations)
    orgs[state.iri] = state
    g.add_node(state.iri, org=state)
    for r in sorted(memberships, key=lambda r: r["org"]):
        o = r["org"]
        if o not in orgs or o == state.iri:
            continue
        role = r.get("role") or "member"
        a, b = _pair(state.iri, o)
        tie = Tie(a, b, (Channel("membership", MEMBERSHIP_WEIGHT, 0.0, (),
                                 f"{state.name}: {role} of {orgs[o].name}"),))
        g.add_edge(a, b, weight=tie.weight, tie=tie)
    from dataclasses import replace
    return replace(projection, graph=g, organisations=orgs)
