"""Network metrics on weighted organisation graphs (pure: graphs in, numbers out).

Each function states its formula; ``docs/metrics.md`` gives the same definitions with the
reasons for each choice. Edge attribute ``weight`` is tie strength (bigger = closer); path
lengths use the distance ``1 / weight`` (Brandes 2001; Opsahl, Agneessens & Skvoretz 2010).
Results are dicts keyed by node, computed in sorted node order so they never depend on how
the graph was built.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from itertools import count
from typing import Any

import networkx as nx

#: seed of the Louvain community detection (fixed so every run gives the same communities)
LOUVAIN_SEED = 42
#: how much more a security-sensitive tie costs on a cooperation path (``hop_cost``)
SECURITY_PENALTY = 4.0

# Path lengths are sums of 1/w; two routes of equal length can differ in the last bits
# (1/3 + 1/6 vs 1/2), so lengths within this relative tolerance count as equal.
_REL_TOL = 1e-9


def _same(x: float, y: float) -> bool:
    return abs(x - y) <= _REL_TOL * max(1.0, abs(x), abs(y))


def _adjacency(g: nx.Graph, weight: str) -> dict[Hashable, list[tuple[Hashable, float]]]:
    """Neighbours with distances ``1 / weight``, in sorted order; non-positive weights are
    not ties."""
    adj: dict[Hashable, list[tuple[Hashable, float]]] = {}
    for v in sorted(g):
        nbrs = []
        for u in sorted(g[v]):
            w = g[v][u].get(weight, 1.0)
            if u != v and w and w > 0:
                nbrs.append((u, 1.0 / w))
        adj[v] = nbrs
    return adj


def _dijkstra_counts(adj: Mapping[Hashable, list[tuple[Hashable, float]]], s: Hashable):
    """Single-source shortest paths with path counts (the first phase of Brandes' algorithm):
    nodes in order of distance, predecessors, number of shortest paths, distances."""
    order: list[Hashable] = []
    preds: dict[Hashable, list[Hashable]] = {s: []}
    sigma: dict[Hashable, float] = {s: 1.0}
    dist: dict[Hashable, float] = {}
    seen = {s: 0.0}
    c = count()
    queue = [(0.0, next(c), s)]
    while queue:
        d, _, v = heapq.heappop(queue)
        if v in dist:
            continue
        dist[v] = d
        order.append(v)
        for u, duv in adj[v]:
            nd = d + duv
            if u in dist:
                continue
            if u not in seen or (nd < seen[u] and not _same(nd, seen[u])):
                seen[u] = nd
                sigma[u] = sigma[v]
                preds[u] = [v]
                heapq.heappush(queue, (nd, next(c), u))
            elif _same(nd, seen[u]):
                sigma[u] += sigma[v]
                preds[u].append(v)
    return order, preds, sigma, dist


#: from this many organisations on, the metrics run on a dense numpy matrix (same results,
#: checked by the tests); below it, pure Python (no numpy import, faster start-up)
DENSE_FROM = 40


def _use_dense(g: nx.Graph) -> bool:
    return g.number_of_nodes() >= DENSE_FROM


def _matrix(g: nx.Graph, weight: str):
    """Sorted nodes and the symmetric weight matrix (0 where there is no tie)."""
    import numpy as np
    nodes = sorted(g)
    idx = {v: i for i, v in enumerate(nodes)}
    w = np.zeros((len(nodes), len(nodes)))
    for u, v, d in g.edges(data=True):
        x = d.get(weight, 1.0)
        if u != v and x and x > 0:
            w[idx[u], idx[v]] = w[idx[v], idx[u]] = x
    return nodes, w


def _dense_betweenness(g: nx.Graph, weight: str, normalized: bool) -> dict[Hashable, float]:
    """Brandes' two phases on matrices, many sources at once: all-pairs distances by
    Floyd–Warshall on 1/w; for each source s the predecessor relation
    P_s[u, v] = (d(s,u) + d(u,v) == d(s,v)) with the tolerance of ``_same``; path counts as the
    fixed point sigma = e_s + P_s^T sigma; dependencies, with x = (1 + delta) / sigma, as the
    fixed point x = 1/sigma + P_s x. Both fixed points are reached after as many rounds as the
    longest shortest path has hops, because P_s is acyclic."""
    import numpy as np
    nodes, w = _matrix(g, weight)
    n = len(nodes)
    with np.errstate(divide="ignore"):
        step = np.where(w > 0, 1.0 / np.where(w > 0, w, 1.0), np.inf)
    dist = step.copy()
    np.fill_diagonal(dist, 0.0)
    for k in range(n):
        dist = np.minimum(dist, dist[:, k, None] + dist[None, k, :])
    bc = np.zeros(n)
    chunk = max(1, min(n, 4_000_000 // max(1, n * n)))
    for lo in range(0, n, chunk):
        src = np.arange(lo, min(n, lo + chunk))
        ds = dist[src]                                           # (c, n)
        tol = _REL_TOL * np.maximum(1.0, np.abs(ds))            # (c, n), per target v
        with np.errstate(invalid="ignore"):
            # inf - inf is nan and never <= tol: unreachable nodes have no predecessors
            pred = np.abs(ds[:, :, None] + step[None, :, :] - ds[:, None, :]) <= tol[:, None, :]
        pred[np.arange(len(src)), :, src] = False                # nothing precedes the source
        pm = pred.astype(float)
        start = np.zeros((len(src), n))
        start[np.arange(len(src)), src] = 1.0
        sigma = start
        for _ in range(n + 1):
            nxt = start + np.matmul(sigma[:, None, :], pm)[:, 0, :]
            if np.array_equal(nxt, sigma):
                break
            sigma = nxt
        rhs = np.where(sigma > 0, 1.0 / np.where(sigma > 0, sigma, 1.0), 0.0)
        x = rhs
        for _ in range(n + 1):
            nxt = rhs + np.matmul(pm, x[:, :, None])[:, :, 0]
            if np.array_equal(nxt, x):
                break
            x = nxt
        delta = np.where(sigma > 0, sigma * x - 1.0, 0.0)
        delta[np.arange(len(src)), src] = 0.0
        bc += delta.sum(axis=0)
    scale = 0.5
    if normalized:
        scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return {v: float(bc[i] * scale) for i, v in enumerate(nodes)}


def betweenness(g: nx.Graph, *, weight: str = "weight", normalized: bool = True
                ) -> dict[Hashable, float]:
    """Weighted betweenness centrality (Brandes 2001) with distance ``1 / weight``.

    B(v) = sum over pairs {s, t} (s, t != v) of sigma_st(v) / sigma_st, where sigma_st counts
    the shortest s–t paths and sigma_st(v) those through v. Normalised by the number of pairs
    not involving v, (n-1)(n-2)/2, so 1 means "on every shortest path between the others".
    """
    if _use_dense(g):
        return _dense_betweenness(g, weight, normalized)
    adj = _adjacency(g, weight)
    bc = dict.fromkeys(adj, 0.0)
    for s in adj:
        order, preds, sigma, _ = _dijkstra_counts(adj, s)
        delta = dict.fromkeys(order, 0.0)
        for w in reversed(order):
            coeff = (1.0 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s:
                bc[w] += delta[w]
    n = len(adj)
    # each unordered pair was counted from both ends
    scale = 0.5
    if normalized:
        scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return {v: b * scale for v, b in bc.items()}


def shortest_path_shares(g: nx.Graph, node: Hashable, *, weight: str = "weight"
                         ) -> list[tuple[Hashable, Hashable, float]]:
    """The pairs {s, t} whose shortest paths pass through ``node``, with the share of their
    shortest paths that do (sigma_st(node) / sigma_st): what makes up its betweenness.
    Sorted by share (largest first), then by the pair."""
    adj = _adjacency(g, weight)
    if node not in adj:
        return []
    _, _, sigma_v, dist_v = _dijkstra_counts(adj, node)
    out = []
    for s in adj:
        if s == node or s not in dist_v:
            continue
        _, _, sigma_s, dist_s = _dijkstra_counts(adj, s)
        for t in adj:
            if t == node or t == s or not (s < t) or t not in dist_s:  # type: ignore[operator]
                continue
            if _same(dist_s[node] + dist_v[t], dist_s[t]):
                share = sigma_s[node] * sigma_v[t] / sigma_s[t]
                if share > 0:
                    out.append((s, t, share))
    out.sort(key=lambda r: (-r[2], r[0], r[1]))
    return out


def detect_communities(g: nx.Graph, *, weight: str = "weight", seed: int = LOUVAIN_SEED
                       ) -> list[frozenset]:
    """Communities by the Louvain method (Blondel et al. 2008) with a fixed seed; largest
    first, ties by smallest member. Organisations without ties are their own community."""
    h = nx.Graph()
    h.add_nodes_from(sorted(g))
    h.add_weighted_edges_from(sorted((u, v, d.get(weight, 1.0)) for u, v, d in g.edges(data=True)
                                     if d.get(weight, 1.0) > 0) if g.number_of_edges() else [])
    if h.number_of_edges() == 0:
        found = [frozenset([v]) for v in h]
    else:
        found = [frozenset(c) for c in nx.community.louvain_communities(h, weight="weight",
                                                                        seed=seed)]
    return sorted(found, key=lambda c: (-len(c), min(c)))


def communities_by_attribute(values: Mapping[Hashable, Any]) -> list[frozenset]:
    """Groups of nodes sharing a value (for instance the organisation kind), largest first."""
    groups: dict[Any, set] = {}
    for v, key in values.items():
        groups.setdefault(key, set()).add(v)
    return sorted((frozenset(s) for s in groups.values()), key=lambda c: (-len(c), min(c)))


def membership(communities: Sequence[Collection[Hashable]]) -> dict[Hashable, int]:
    """Node -> index of its community."""
    return {v: i for i, c in enumerate(communities) for v in c}


def strength(g: nx.Graph, node: Hashable, *, weight: str = "weight") -> float:
    return sum(d.get(weight, 1.0) for _, d in g[node].items())


def participation_coefficient(g: nx.Graph, member_of: Mapping[Hashable, int], *,
                              weight: str = "weight") -> dict[Hashable, float]:
    """Participation coefficient (Guimerà & Amaral 2005), weighted:
    P(i) = 1 - sum over communities s of (k_is / k_i)^2, with k_i the strength of i (sum of
    its tie weights) and k_is the part of it going to community s (its own included).
    0 when all ties stay in one community (or i has none); tends to 1 when they are spread
    evenly over many."""
    out = {}
    for v in sorted(g):
        k = 0.0
        per: dict[int, float] = {}
        for u, d in g[v].items():
            w = d.get(weight, 1.0)
            if u == v or w <= 0:
                continue
            k += w
            per[member_of[u]] = per.get(member_of[u], 0.0) + w
        out[v] = 1.0 - sum((x / k) ** 2 for x in per.values()) if k > 0 else 0.0
    return out


def _proportions(g: nx.Graph, weight: str) -> dict[Hashable, dict[Hashable, float]]:
    """p_ij = w_ij / sum_k w_ik: the share of i's ties invested in j (Burt 1992)."""
    p: dict[Hashable, dict[Hashable, float]] = {}
    for i in sorted(g):
        ws = {j: d.get(weight, 1.0) for j, d in g[i].items() if j != i and d.get(weight, 1.0) > 0}
        total = sum(ws.values())
        p[i] = {j: w / total for j, w in ws.items()} if total > 0 else {}
    return p


def constraint(g: nx.Graph, *, weight: str = "weight") -> dict[Hashable, float | None]:
    """Burt's constraint (Burt 1992):
    c(i) = sum over contacts j of (p_ij + sum over contacts q != j of p_iq * p_qj)^2.
    Low when i's contacts are many and not tied to each other (i spans structural holes);
    1 for a single contact. ``None`` for an organisation with no ties."""
    if _use_dense(g):
        import numpy as np
        nodes, w = _matrix(g, weight)
        k = w.sum(axis=1)
        p = w / np.where(k > 0, k, 1.0)[:, None]
        # p_ii = p_jj = 0, so (P @ P)_ij is the sum over q != i, j of p_iq p_qj
        c = (((p + p @ p) ** 2) * (w > 0)).sum(axis=1)
        return {v: (float(c[i]) if k[i] > 0 else None) for i, v in enumerate(nodes)}
    p = _proportions(g, weight)
    out: dict[Hashable, float | None] = {}
    for i in sorted(g):
        if not p[i]:
            out[i] = None
            continue
        c = 0.0
        for j, pij in p[i].items():
            indirect = sum(piq * p[q].get(j, 0.0) for q, piq in p[i].items() if q != j)
            c += (pij + indirect) ** 2
        out[i] = c
    return out


def effective_size(g: nx.Graph, *, weight: str = "weight") -> dict[Hashable, float | None]:
    """Burt's effective size (Burt 1992), weighted:
    ES(i) = sum over contacts j of (1 - sum over contacts q != j of p_iq * m_jq), where
    m_jq = w_jq / max_k w_jk is j's tie to q relative to j's strongest tie.
    The number of contacts, less their redundancy with each other. ``None`` with no ties."""
    if _use_dense(g):
        import numpy as np
        nodes, w = _matrix(g, weight)
        k = w.sum(axis=1)
        p = w / np.where(k > 0, k, 1.0)[:, None]
        top = w.max(axis=1)
        m = w / np.where(top > 0, top, 1.0)[:, None]
        # sum over q != j of p_iq m_jq = (P @ M^T)_ij, as m_jj = 0
        es = ((1.0 - p @ m.T) * (w > 0)).sum(axis=1)
        return {v: (float(es[i]) if k[i] > 0 else None) for i, v in enumerate(nodes)}
    p = _proportions(g, weight)
    strongest = {j: max((d.get(weight, 1.0) for k, d in g[j].items() if k != j), default=0.0)
                 for j in g}
    out: dict[Hashable, float | None] = {}
    for i in sorted(g):
        if not p[i]:
            out[i] = None
            continue
        es = 0.0
        for j in p[i]:
            redundancy = 0.0
            for q, piq in p[i].items():
                if q == j or q not in g[j] or strongest[j] <= 0:
                    continue
                redundancy += piq * g[j][q].get(weight, 1.0) / strongest[j]
            es += 1.0 - redundancy
        out[i] = es
    return out


def articulation_points(g: nx.Graph) -> set[Hashable]:
    """Organisations whose removal splits their part of the network in two or more."""
    return set(nx.articulation_points(g))


def percentile_ranks(values: Mapping[Hashable, float | None], *, higher_is_better: bool = True
                     ) -> dict[Hashable, float]:
    """Mid-rank percentile in [0, 1]: (number of others worse + half the number of others
    tied) / (n - 1). ``None`` counts as the worst value. All tied (or n = 1) gives 0.5.

    >>> percentile_ranks({"a": 3.0, "b": 1.0, "c": 1.0})
    {'a': 1.0, 'b': 0.25, 'c': 0.25}
    """
    n = len(values)
    if n <= 1:
        return {k: 0.5 for k in values}
    sign = 1.0 if higher_is_better else -1.0
    keyed = {k: (-math.inf if v is None else round(sign * v, 12)) for k, v in values.items()}
    ordered = sorted(keyed.values())
    out = {}
    for k, x in keyed.items():
        worse = bisect.bisect_left(ordered, x)
        tied = bisect.bisect_right(ordered, x) - worse - 1
        out[k] = (worse + 0.5 * tied) / (n - 1)
    return out


def bridging_scores(betweenness_: Mapping[Hashable, float],
                    participation: Mapping[Hashable, float],
                    constraint_: Mapping[Hashable, float | None],
                    effective_size_: Mapping[Hashable, float | None]) -> dict[Hashable, float]:
    """The composite bridging score: the mean of four percentile ranks, betweenness (high is
    better), participation coefficient (high), constraint (low) and effective size (high).
    Each rank is in [0, 1]; so is the score."""
    rb = percentile_ranks(betweenness_)
    rp = percentile_ranks(participation)
    rc = percentile_ranks(constraint_, higher_is_better=False)
    re_ = percentile_ranks(effective_size_)
    return {v: (rb[v] + rp[v] + rc[v] + re_[v]) / 4.0 for v in betweenness_}


def bridging_order(scores: Mapping[Hashable, float], articulation: Collection[Hashable],
                   betweenness_: Mapping[Hashable, float]) -> list[Hashable]:
    """Nodes from best to worst bridge: by composite score, then articulation points first,
    then betweenness, then IRI (so the order is total and stable)."""
    return sorted(scores, key=lambda v: (-round(scores[v], 12), v not in articulation,
                                         -round(betweenness_[v], 12), v))


def hop_cost(plain_weight: float, sensitive_weight: float = 0.0, *,
             penalty: float = SECURITY_PENALTY) -> float:
    """Cost of one hop of a cooperation path: 1 / (w_plain + w_sensitive / penalty).

    Security-sensitive evidence counts for 1/penalty of its weight, so a tie resting on it
    alone costs ``penalty`` times more; ``penalty = inf`` drops it (``--avoid-security``).
    ``inf`` when nothing is left.

    >>> hop_cost(2.0)
    0.5
    >>> hop_cost(0.0, 2.0, penalty=4.0)
    2.0
    """
    eff = plain_weight + (sensitive_weight / penalty if math.isfinite(penalty) else 0.0)
    return 1.0 / eff if eff > 0 else math.inf


def function_difference(a: Collection[str], b: Collection[str]) -> float:
    """Jaccard distance of two sets of functions: |A xor B| / |A or B| (0 when identical,
    1 when disjoint, 0 when both empty).

    >>> function_difference({"norm-setting", "monitoring"}, {"financing", "monitoring"})
    0.6666666666666666
    """
    union = set(a) | set(b)
    if not union:
        return 0.0
    return len(set(a) ^ set(b)) / len(union)


def feasibility(weight: float) -> float:
    """How feasible cooperation is given the tie weight between two organisations (both
    layers): w / (1 + w), 0 without a tie, 0.5 for one bilateral co-issued document, -> 1.

    >>> feasibility(1.0)
    0.5
    """
    return weight / (1.0 + weight) if weight > 0 else 0.0


def complementarity_score(a: Collection[str], b: Collection[str], weight: float) -> float:
    """Complementarity of two organisations in a domain: function difference x feasibility."""
    return function_difference(a, b) * feasibility(weight)


def path_cost(hops: Iterable[float]) -> float:
    """Cost of a path: the sum of its hop costs."""
    return float(sum(hops))


BROKERAGE_ROLES = ("coordinator", "consultant", "representative", "liaison")


def brokerage_roles(g: nx.Graph, group_of: Mapping[Hashable, Hashable]
                    ) -> dict[Hashable, dict[str, int]]:
    """Gould & Fernandez (1989) brokerage roles in an undirected graph: for each open triad
    a–v–c (a, c neighbours of v, not tied to each other) the role v plays given the groups
    (docs/metrics.md, "Brokerage roles"). In an undirected graph gatekeeper and
    representative coincide and are counted as ``representative``.

    >>> g = nx.Graph([("a", "v"), ("v", "c"), ("v", "d")])
    >>> brokerage_roles(g, {"a": 1, "v": 1, "c": 2, "d": 3})["v"]
    {'coordinator': 0, 'consultant': 0, 'representative': 2, 'liaison': 1}
    """
    out: dict[Hashable, dict[str, int]] = {}
    for v in g:
        counts = dict.fromkeys(BROKERAGE_ROLES, 0)
        nbrs = sorted(g[v], key=str)
        gv = group_of.get(v)
        for i, a in enumerate(nbrs):
            for c in nbrs[i + 1:]:
                if g.has_edge(a, c):
                    continue
                ga, gc = group_of.get(a), group_of.get(c)
                if ga == gv == gc:
                    counts["coordinator"] += 1
                elif ga == gc:
                    counts["consultant"] += 1
                elif ga == gv or gc == gv:
                    counts["representative"] += 1
                else:
                    counts["liaison"] += 1
        out[v] = counts
    return out
