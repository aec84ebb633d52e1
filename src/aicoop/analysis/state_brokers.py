"""Which States span otherwise separate groups of States (``kg states``).

The study behind the project concludes that nations with diplomatic networks across blocs can
broker cooperation. A State's groups are its full memberships in blocs (organisations whose
membership is far from universal: G7, G20, BRICS, OECD, NATO, AU, ASEAN, EU, OAS, CoE…) and
the AI instruments it takes part in, where the graph records that. The score (docs/metrics.md,
"States as honest brokers") gives each pair of groups that share members one point, split
equally among the States they share: a State that is the only common member of two groups
carries their whole link. Pure functions (``memberships_in_force``, ``select_blocs``,
``broker_scores``, ``rank_states``) plus ``state_brokers``, which runs the queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from ..store.base import Store

#: a bloc is an organisation whose full members are at most this share of all States (half):
#: near-universal organisations (UN, WHO, ITU…) join nearly everyone and separate no one
BLOC_MAX_SHARE = 0.5
#: the role of a full membership (the last segment of the org:role IRI)
FULL_ROLE = "member"


def _year(value: Any) -> int | None:
    try:
        return int(str(value)[:4]) if value not in (None, "") else None
    except ValueError:
        return None


def memberships_in_force(rows: Iterable[Mapping[str, Any]], *, as_of: int | None = None
                         ) -> dict[str, dict[str, tuple[str, ...]]]:
    """State -> organisation -> sources, for the full memberships in force, from
    ``state-group-memberships`` rows: a row without ``membership`` says the State is
    org:memberOf the organisation; a row with one describes a Membership record.

    A pair counts when it has org:memberOf and either no Membership record (undated) or a
    record with the full-member role (or no role) in force: without ``as_of``, one with no
    end; with ``as_of``, one that began in or before that year (or at an unknown date) and did
    not end before it. A pair whose records all name another role (observer, partner) is not a
    full membership, whatever org:memberOf says.

    >>> rows = [{"state": "s", "org": "a"},
    ...         {"state": "s", "org": "b"},
    ...         {"state": "s", "org": "b", "membership": "m1", "role": "member", "start": "2024"},
    ...         {"state": "s", "org": "c"},
    ...         {"state": "s", "org": "c", "membership": "m2", "role": "observer"},
    ...         {"state": "s", "org": "d", "membership": "m3", "role": "member"}]
    >>> sorted(memberships_in_force(rows)["s"])
    ['a', 'b']
    >>> sorted(memberships_in_force(rows, as_of=2020)["s"])
    ['a']
    """
    linked: set[tuple[str, str]] = set()
    records: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for r in rows:
        pair = (r["state"], r["org"])
        m = r.get("membership")
        if not m:
            linked.add(pair)
            continue
        rec = records.setdefault(pair, {}).setdefault(m, {
            "role": r.get("role") or FULL_ROLE, "start": _year(r.get("start")),
            "end": _year(r.get("end")), "sources": set()})
        rec["sources"].update((r.get("source") or "").split())
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for state, org in sorted(linked):
        recs = list(records.get((state, org), {}).values())
        sources: tuple[str, ...] = ()
        if recs:
            live = [r for r in recs if r["role"] == FULL_ROLE
                    and _in_force(r["start"], r["end"], as_of)]
            if not live:
                continue
            sources = tuple(sorted({s for r in live for s in r["sources"]}))
        out.setdefault(state, {})[org] = sources
    return out


def _in_force(start: int | None, end: int | None, as_of: int | None) -> bool:
    if as_of is None:
        return end is None
    return (start is None or start <= as_of) and (end is None or end >= as_of)


def members_by_group(memberships: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """Invert State -> groups into group -> States."""
    out: dict[str, set[str]] = {}
    for state, groups in memberships.items():
        for g in groups:
            out.setdefault(g, set()).add(state)
    return {g: frozenset(s) for g, s in sorted(out.items())}


def select_blocs(members: Mapping[str, frozenset[str]], states: int, *,
                 max_share: float = BLOC_MAX_SHARE) -> dict[str, frozenset[str]]:
    """The groups that are blocs: at least two member States and at most ``max_share`` of the
    ``states`` known.

    >>> sorted(select_blocs({"un": frozenset("abcd"), "g2": frozenset("ab"),
    ...                      "solo": frozenset("a")}, 4))
    ['g2']
    """
    limit = max_share * states
    return {g: m for g, m in members.items() if 2 <= len(m) <= limit}


def broker_scores(groups: Mapping[str, frozenset[str]]) -> dict[str, float]:
    """State -> spanning score: over every pair of its groups, 1 / the number of States the
    two groups share (the State among them). Every pair of groups with a common member hands
    out exactly one point, so the scores add up to the number of such pairs.

    >>> s = broker_scores({"X": frozenset("abc"), "Y": frozenset("cd"), "Z": frozenset("acd")})
    >>> {k: s[k] for k in sorted(s)}
    {'a': 0.5, 'b': 0.0, 'c': 2.0, 'd': 0.5}
    """
    of_state: dict[str, list[str]] = {}
    for g, members in groups.items():
        for s in members:
            of_state.setdefault(s, []).append(g)
    out = {}
    for s, gs in of_state.items():
        out[s] = sum((1.0 / len(groups[g] & groups[h]) for g, h in combinations(sorted(gs), 2)),
                     0.0)
    return out


@dataclass(frozen=True)
class GroupLink:
    """Two of a State's groups and how many States they share (the State included)."""

    a: str
    b: str
    shared: int


@dataclass(frozen=True)
class StateBroker:
    rank: int
    iri: str
    name: str
    code: str
    score: float
    #: the State's groups: blocs then instruments, by name
    groups: tuple[str, ...]
    blocs: int
    instruments: int
    #: pairs of its groups for which it is the only common member
    sole_links: int
    #: its group pairs, rarest first (the State's share of each is 1 / shared)
    links: tuple[GroupLink, ...]
    #: membership sources, per bloc: ``(bloc, (source URL, …))``
    evidence: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class StateBrokers:
    rows: tuple[StateBroker, ...]
    #: every group considered: name -> number of member States
    groups: Mapping[str, int]
    states: int
    as_of: int | None = None
    domain: Any = None
    max_share: float = BLOC_MAX_SHARE
    left_out: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


def rank_states(groups: Mapping[str, frozenset[str]], names: Mapping[str, str],
                codes: Mapping[str, str] | None = None, *,
                kinds: Mapping[str, str] | None = None,
                sources: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None
                ) -> tuple[StateBroker, ...]:
    """Every State in at least one group, best broker first (score, then sole links, then
    groups, then name). ``groups`` is keyed by group IRI; ``names`` names groups and States;
    ``kinds`` marks groups as ``bloc`` (default) or ``instrument``."""
    codes, kinds, sources = codes or {}, kinds or {}, sources or {}
    scores = broker_scores(groups)
    of_state: dict[str, list[str]] = {}
    for g, members in groups.items():
        for s in members:
            of_state.setdefault(s, []).append(g)

    def nm(x: str) -> str:
        return names.get(x, x.rstrip("/").rsplit("/", 1)[-1])
    rows = []
    for s, gs in of_state.items():
        gs = sorted(gs, key=lambda g: (kinds.get(g, "bloc") != "bloc", nm(g).casefold(), g))
        links = sorted((GroupLink(nm(g), nm(h), len(groups[g] & groups[h]))
                        for g, h in combinations(gs, 2)),
                       key=lambda lk: (lk.shared, lk.a, lk.b))
        rows.append((s, gs, links))
    rows.sort(key=lambda t: (-round(scores[t[0]], 12), -sum(1 for lk in t[2] if lk.shared == 1),
                             -len(t[1]), nm(t[0]).casefold(), t[0]))
    return tuple(
        StateBroker(rank=i, iri=s, name=nm(s), code=codes.get(s, ""), score=scores[s],
                    groups=tuple(nm(g) for g in gs),
                    blocs=sum(1 for g in gs if kinds.get(g, "bloc") == "bloc"),
                    instruments=sum(1 for g in gs if kinds.get(g) == "instrument"),
                    sole_links=sum(1 for lk in links if lk.shared == 1), links=tuple(links),
                    evidence=tuple((nm(g), sources.get(s, {}).get(g, ())) for g in gs))
        for i, (s, gs, links) in enumerate(rows, start=1))


def state_brokers(store: Store, *, domain: str | None = None, as_of: int | None = None,
                  max_share: float = BLOC_MAX_SHARE, top: int | None = 20) -> StateBrokers:
    """States ranked by how they span blocs and AI instruments (``domain``: only blocs active
    in it and instruments addressing it; ``as_of``: memberships in force that year)."""
    from .fetch import organisations_from_list, resolve_domain, rows
    dom = resolve_domain(store, domain) if domain else None
    state_rows = rows(store, "list-states")
    names = {r["state"]: r.get("label") or r["state"].rsplit("/", 1)[-1] for r in state_rows}
    codes = {r["state"]: r.get("code") or "" for r in state_rows}
    orgs = organisations_from_list(store)
    names.update({iri: o.name for iri, o in orgs.items()})
    membership_rows = rows(store, "state-group-memberships")
    in_force = memberships_in_force(membership_rows, as_of=as_of)
    members = members_by_group({s: set(gs) for s, gs in in_force.items()})
    n_states = len(state_rows)
    blocs = select_blocs(members, n_states, max_share=max_share)
    notes = []
    if dom is not None:
        active = {r["org"] for r in rows(store, "org-domain-coverage")
                  if r["domain"] == dom.notation}
        blocs = {g: m for g, m in blocs.items() if g in active}
    kinds = {g: "bloc" for g in blocs}
    instruments: dict[str, set[str]] = {}
    instrument_rows = rows(store, "state-instrument-groups")
    for r in instrument_rows:
        if dom is None or r.get("domain") == dom.notation:
            instruments.setdefault(r["item"], set()).add(r["state"])
            names.setdefault(r["item"], r.get("title") or r["item"].rsplit("/", 1)[-1])
    kept_instruments = select_blocs({i: frozenset(s) for i, s in instruments.items()},
                                    n_states, max_share=max_share)
    groups = dict(blocs)
    for i, m in kept_instruments.items():
        groups[i] = m
        kinds[i] = "instrument"
    if as_of is not None:
        dated = {(r["state"], r["org"]) for r in membership_rows if r.get("start")}
        undated = sum(1 for st, gs in in_force.items() for g in gs
                      if g in blocs and (st, g) not in dated)
        if undated:
            notes.append(f"{undated} bloc membership(s) have no recorded start year and count "
                         f"as in force in {as_of}")
    if not instrument_rows:
        notes.append("the graph records no State taking part in an AI instrument (aic:issuedBy, "
                     "aic:endorses or aic:partner with a State); groups are blocs only")
    left_out = tuple(sorted(names.get(g, g) for g, m in members.items()
                            if len(m) > max_share * n_states))
    if dom is not None and not blocs:
        notes.append(f"no bloc is active in {dom.notation}: no State spans anything there")
    apart = sorted(names.get(g, g) for g, m in groups.items()
                   if len(groups) > 1 and not any(m & n for h, n in groups.items() if h != g))
    if apart:
        notes.append(f"{', '.join(apart)} share{'s' if len(apart) == 1 else ''} no member "
                     "State with any other group here: no State can broker with "
                     f"{'it' if len(apart) == 1 else 'them'}")
    ranked = rank_states(groups, names, codes, kinds=kinds, sources=in_force)
    # a State in one group (or none) spans nothing: it scores 0 and is left out
    ranked = tuple(r for r in ranked if r.score > 0)
    if not ranked:
        notes.append("no State belongs to two groups")
    else:
        tied = sum(1 for r in ranked if abs(r.score - ranked[0].score) < 1e-9)
        if tied > 1:
            notes.append(f"{tied} States share the top score ({ranked[0].score:.3g}): their "
                         "groups overlap, so no one State stands out")
    return StateBrokers(ranked[:top] if top else ranked,
                        {names.get(g, g): len(m) for g, m in sorted(
                            groups.items(), key=lambda kv: names.get(kv[0], kv[0]).casefold())},
                        n_states, as_of, dom, max_share, left_out, tuple(notes))
