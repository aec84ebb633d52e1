"""Leave-one-out stability of a bridge ranking (pure: a projection and a ranker in, verdicts out).

An analyst must know when a rank rests on one or two items. For each of the top rows we leave
out, one at a time, the evidence items that carry most of the row's tie strength, and the
organisations it depends on most (its strongest neighbours and the other top rows), rank
again, and report the worst rank seen and what caused it. For the domain as a whole we look
for one or two items without which nobody bridges any more. Definitions: docs/metrics.md,
"Stability".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol

from .projection import Projection, without

#: a rank may drop this many places at worst and still be called stable
STABLE_SLACK = 2


class _Row(Protocol):
    iri: str
    rank: int
    bridge: bool


class _Ranking(Protocol):
    rows: Sequence[_Row]


Ranker = Callable[[Projection], _Ranking]


@dataclass(frozen=True)
class Stability:
    """How a row's rank holds when the items it rests on, or single organisations, are left
    out (docs/metrics.md, "Stability")."""

    #: the evidence items carrying most of its tie strength (the ones left out one at a time)
    rests_on: tuple[str, ...]
    #: worst rank without one of those items; ``None`` when it then stops being a bridge
    worst_without_item: int | None
    worst_item: str | None
    #: worst rank without one other organisation; ``None`` when it then stops being a bridge
    worst_without_org: int | None
    worst_org: str | None
    #: ``stable``, ``shifts`` or ``fragile``
    verdict: str
    rests_on_titles: tuple[str, ...] = ()

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """One line for a table: ``stable`` or ``fragile: not a bridge without <item>``."""
        names = names or {}
        if self.verdict == "stable":
            return "stable"
        if self.worst_without_item is None and self.worst_item:
            return f"fragile: no bridge without {names.get(self.worst_item, self.worst_item)}"
        if self.worst_without_org is None and self.worst_org:
            return f"fragile: no bridge without {self.worst_org}"
        worst = max(r for r in (self.worst_without_item, self.worst_without_org) if r)
        return f"shifts: down to rank {worst}"


def item_shares(projection: Projection, node: str) -> dict[str, float]:
    """The tie weight each evidence item gives ``node``, summed over its ties: exactly what
    leaving the item out would take away."""
    from .projection import PARTNERSHIP_WEIGHT
    out: dict[str, float] = {}
    orgs = projection.organisations
    for r in projection.item_rows:
        if node in (r["a"], r["b"]) and r["a"] in orgs and r["b"] in orgs and r["a"] != r["b"]:
            out[r["evidence"]] = out.get(r["evidence"], 0.0) + float(r["weight"])
    in_domain = set(out) | {r["evidence"] for r in projection.item_rows}
    for r in projection.partnership_rows:
        item = r.get("initiative")
        if item and item not in in_domain and node in (r["a"], r["b"]) \
                and r["a"] in orgs and r["b"] in orgs:
            out[item] = out.get(item, 0.0) + PARTNERSHIP_WEIGHT / max(1, int(r.get("k") or 2) - 1)
    return out


def rests_on(projection: Projection, node: str, n: int) -> tuple[str, ...]:
    """The ``n`` items carrying most of ``node``'s tie strength (ties by IRI)."""
    shares = item_shares(projection, node)
    return tuple(sorted(shares, key=lambda e: (-round(shares[e], 12), e))[:n])


def strongest_neighbours(projection: Projection, node: str, n: int) -> tuple[str, ...]:
    g = projection.graph
    if node not in g:
        return ()
    return tuple(sorted(g[node], key=lambda u: (-round(g[node][u]["weight"], 12), u))[:n])


def _positions(ranking: _Ranking) -> dict[str, int | None]:
    """Rank of every bridge; ``None`` for organisations that bridge nothing."""
    return {r.iri: (r.rank if r.bridge else None) for r in ranking.rows}


def _worse(a: int | None, b: int | None) -> bool:
    """Whether rank ``a`` is worse than ``b`` (``None``, not a bridge, is worst)."""
    if a is None:
        return b is not None
    return b is not None and a > b


def verdict(rank: int, worst_item: int | None, worst_org: int | None, *,
            slack: int = STABLE_SLACK) -> str:
    """``fragile`` when one removal stops it being a bridge, ``shifts`` when its rank drops
    by more than ``slack`` places, ``stable`` otherwise.

    >>> verdict(1, 2, 3), verdict(1, 5, 2), verdict(2, None, 2)
    ('stable', 'shifts', 'fragile')
    """
    if worst_item is None or worst_org is None:
        return "fragile"
    if max(worst_item, worst_org) > rank + slack:
        return "shifts"
    return "stable"


def row_stability(projection: Projection, ranking: _Ranking, rank: Ranker, *, top: int,
                  items_per_row: int = 3, neighbours_per_row: int = 2
                  ) -> dict[str, Stability]:
    """Stability of the top ``top`` bridges of ``ranking``: each is ranked again without each
    item it rests on and without each organisation it depends on (its strongest neighbours
    and the other top bridges). Each removal is ranked once and shared by all rows."""
    rows = [r for r in ranking.rows if r.bridge][:top]
    cache: dict[tuple[str, str], dict[str, int | None]] = {}

    def ranks_without(kind: str, what: str) -> dict[str, int | None]:
        key = (kind, what)
        if key not in cache:
            reduced = (without(projection, items=[what]) if kind == "item"
                       else without(projection, organisations=[what]))
            cache[key] = _positions(rank(reduced))
        return cache[key]

    names = {v: o.name for v, o in projection.organisations.items()}
    tops = [r.iri for r in rows]
    out: dict[str, Stability] = {}
    for r in rows:
        items = rests_on(projection, r.iri, items_per_row)
        worst_item: tuple[int | None, str | None] = (r.rank, None)
        for e in items:
            pos = ranks_without("item", e).get(r.iri)
            if _worse(pos, worst_item[0]):
                worst_item = (pos, e)
        others = dict.fromkeys(strongest_neighbours(projection, r.iri, neighbours_per_row)
                               + tuple(t for t in tops if t != r.iri))
        worst_org: tuple[int | None, str | None] = (r.rank, None)
        for o in others:
            pos = ranks_without("org", o).get(r.iri)
            if _worse(pos, worst_org[0]):
                worst_org = (pos, names.get(o, o))
        out[r.iri] = Stability(items, worst_item[0], worst_item[1], worst_org[0],
                               worst_org[1], verdict(r.rank, worst_item[0], worst_org[0]))
    return out


def domain_fragility(projection: Projection, ranking: _Ranking, rank: Ranker, *,
                     candidates: int = 6) -> tuple[str, ...]:
    """The smallest set of one or two evidence items without which no organisation bridges
    the domain any more (empty when there is none, or no bridge to begin with). Candidates
    are the items carrying most tie strength into the bridges, ``candidates`` of them."""
    bridges = [r.iri for r in ranking.rows if r.bridge]
    if not bridges:
        return ()
    weight: dict[str, float] = {}
    for b in bridges:
        for e, w in item_shares(projection, b).items():
            weight[e] = weight.get(e, 0.0) + w
    pool = sorted(weight, key=lambda e: (-round(weight[e], 12), e))[:candidates]
    sets: Iterable[tuple[str, ...]] = [(e,) for e in pool]
    sets = list(sets) + list(combinations(pool, 2))
    for items in sets:
        reduced = without(projection, items=items)
        if not any(r.bridge for r in rank(reduced).rows):
            return tuple(items)
    return ()


def fragility_sentence(domain: str, items: Sequence[str], titles: Mapping[str, str],
                       projection: Projection) -> str:
    """The plain-words statement for ``domain_fragility``'s answer."""
    if not items:
        return ""
    import networkx as nx
    reduced = without(projection, items=items)
    tied = [c for c in nx.connected_components(reduced.graph) if len(c) > 1]
    named = " and ".join(f"\u201c{titles.get(e, e)}\u201d" for e in items)
    return (f"Without {named}, no organisation bridges {domain} any more: its network falls "
            f"into {len(tied)} separately tied group(s) and "
            f"{sum(1 for v in reduced.graph if reduced.graph.degree(v) == 0)} organisation(s) "
            "with no tie. The ranking rests on "
            + ("this item." if len(items) == 1 else "these two items."))
