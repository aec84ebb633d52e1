"""Metrics on small graphs whose values are worked out by hand in each test.

Tie weight w is strength; path length uses the distance 1/w (docs/metrics.md).
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from aicoop.analysis import metrics


@pytest.fixture(autouse=True, params=["python", "numpy"])
def implementation(request, monkeypatch):
    """Every test runs twice: on the pure-Python metrics and on the dense numpy ones."""
    monkeypatch.setattr(metrics, "DENSE_FROM", 10**9 if request.param == "python" else 1)
    return request.param


def graph(*edges: tuple[str, str, float], nodes: tuple[str, ...] = ()) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(nodes)
    for u, v, w in edges:
        g.add_edge(u, v, weight=w)
    return g


# ---- betweenness --------------------------------------------------------------------------

def test_betweenness_of_a_path_is_one_for_the_middle():
    # a–b–c: the only pair not involving b is {a, c}, and its one shortest path runs through b.
    # normalised by (n-1)(n-2)/2 = 2*1/2 = 1 pair  ->  b = 1/1 = 1, a = c = 0
    bc = metrics.betweenness(graph(("a", "b", 1), ("b", "c", 1)))
    assert bc == {"a": 0.0, "b": 1.0, "c": 0.0}


def test_betweenness_follows_the_weights_not_the_hops():
    # square a-b-c-d-a; a–d is weak (w = 0.25, distance 4), the others distance 1.
    # a→c: a-b-c = 2  < a-d-c = 5      -> through b
    # a→d: a-b-c-d = 3 < a-d = 4       -> through b and c
    # b→d: b-c-d = 2  < b-a-d = 5      -> through c
    # (a,b), (b,c), (c,d) are direct.  raw: b = 2, c = 2, a = d = 0
    # normalised by (4-1)(4-2)/2 = 3   -> b = c = 2/3
    g = graph(("a", "b", 1), ("b", "c", 1), ("c", "d", 1), ("d", "a", 0.25))
    bc = metrics.betweenness(g)
    assert bc["b"] == pytest.approx(2 / 3)
    assert bc["c"] == pytest.approx(2 / 3)
    assert bc["a"] == 0.0 and bc["d"] == 0.0


def test_betweenness_splits_equal_shortest_paths():
    # unit square a-b-c-d-a: {a,c} has two shortest paths (via b, via d) -> 1/2 each;
    # {b,d} likewise via a or c. Each node: raw 1/2, normalised 1/2 / 3 = 1/6
    g = graph(("a", "b", 1), ("b", "c", 1), ("c", "d", 1), ("d", "a", 1))
    assert metrics.betweenness(g) == pytest.approx({v: 1 / 6 for v in "abcd"})


def test_equal_path_lengths_are_equal_despite_rounding():
    # s→t via x: 1/10 + 1/5 = 0.1 + 0.2 = 0.30000000000000004 in floating point
    # s→t via y: 0.15 + 0.15 = 0.3 (w = 1/0.15 each)
    # the two are the same length: each carries half the s–t paths
    g = graph(("s", "x", 10), ("x", "t", 5), ("s", "y", 1 / 0.15), ("y", "t", 1 / 0.15))
    shares = {(s, t): share for s, t, share in metrics.shortest_path_shares(g, "x")}
    assert shares == {("s", "t"): pytest.approx(0.5)}
    # x: raw 1/2 (only the pair {s,t}), normalised by 3 -> 1/6
    assert metrics.betweenness(g)["x"] == pytest.approx(1 / 6)


def test_betweenness_of_a_star_centre():
    # centre c with leaves 1..4: all C(4,2) = 6 leaf pairs go through c -> 6/6 = 1
    g = graph(*[("c", f"l{i}", 1.0) for i in range(1, 5)])
    bc = metrics.betweenness(g)
    assert bc["c"] == pytest.approx(1.0)
    assert all(bc[f"l{i}"] == 0.0 for i in range(1, 5))


# ---- participation coefficient ------------------------------------------------------------

@pytest.mark.parametrize(("edges", "expected"), [
    # ties to C0 of weight 2 and to C1 of weight 1 + 1: k = 4, P = 1 - (2/4)^2 - (2/4)^2 = 1/2
    ([("v", "a1", 2), ("v", "b1", 1), ("v", "b2", 1)], 0.5),
    # equal ties into three communities: P = 1 - 3 * (1/3)^2 = 2/3
    ([("v", "a1", 1), ("v", "b1", 1), ("v", "c1", 1)], 2 / 3),
    # every tie inside one community: P = 1 - 1^2 = 0
    ([("v", "a1", 1), ("v", "a2", 3)], 0.0),
], ids=["weighted-two-communities", "three-even", "one-community"])
def test_participation_coefficient(edges, expected):
    g = graph(*edges, nodes=("a1", "a2", "b1", "b2", "c1"))
    member_of = {"v": 0, "a1": 0, "a2": 0, "b1": 1, "b2": 1, "c1": 2}
    assert metrics.participation_coefficient(g, member_of)["v"] == pytest.approx(expected)


def test_participation_of_an_isolated_organisation_is_zero():
    g = graph(("a", "b", 1), nodes=("lonely",))
    assert metrics.participation_coefficient(g, {"a": 0, "b": 1, "lonely": 2})["lonely"] == 0.0


# ---- Burt's constraint and effective size -------------------------------------------------

def test_constraint_and_effective_size_of_a_star():
    # centre: p = 1/3 to each of 3 unconnected leaves: c = 3 * (1/3)^2 = 1/3; ES = 3 * (1 - 0) = 3
    # leaf: one contact, p = 1: c = 1^2 = 1; ES = 1
    g = graph(("c", "x", 1), ("c", "y", 1), ("c", "z", 1))
    assert metrics.constraint(g)["c"] == pytest.approx(1 / 3)
    assert metrics.constraint(g)["x"] == pytest.approx(1.0)
    assert metrics.effective_size(g)["c"] == pytest.approx(3.0)
    assert metrics.effective_size(g)["x"] == pytest.approx(1.0)


def test_constraint_and_effective_size_of_a_triangle():
    # each node: p = 1/2 to both others; indirect p_iq * p_qj = 1/2 * 1/2 = 1/4
    # c = 2 * (1/2 + 1/4)^2 = 2 * 9/16 = 9/8
    # ES = 2 * (1 - p_iq * m_jq) = 2 * (1 - 1/2 * 1) = 1   (Borgatti: n - 2t/n = 2 - 2*1/2 = 1)
    g = graph(("a", "b", 1), ("b", "c", 1), ("a", "c", 1))
    assert metrics.constraint(g)["a"] == pytest.approx(9 / 8)
    assert metrics.effective_size(g)["a"] == pytest.approx(1.0)


def test_constraint_and_effective_size_weighted():
    # i–j w=2, i–k w=1, j–k w=1
    # p_ij = 2/3, p_ik = 1/3; p_jk = 1/3 (j: 2 to i, 1 to k); p_kj = 1/2 (k: 1 and 1)
    # c_i = (p_ij + p_ik p_kj)^2 + (p_ik + p_ij p_jk)^2
    #     = (2/3 + 1/6)^2 + (1/3 + 2/9)^2 = 25/36 + 25/81 = 325/324
    # m_jk = w_jk / max_j = 1/2, m_kj = w_kj / max_k = 1
    # ES_i = (1 - p_ik m_jk) + (1 - p_ij m_kj) = (1 - 1/6) + (1 - 2/3) = 5/6 + 1/3 = 7/6
    g = graph(("i", "j", 2), ("i", "k", 1), ("j", "k", 1))
    assert metrics.constraint(g)["i"] == pytest.approx(325 / 324)
    assert metrics.effective_size(g)["i"] == pytest.approx(7 / 6)


def test_no_ties_means_no_constraint_value():
    g = graph(("a", "b", 1), nodes=("lonely",))
    assert metrics.constraint(g)["lonely"] is None
    assert metrics.effective_size(g)["lonely"] is None


# ---- composite rank -----------------------------------------------------------------------

def test_percentile_ranks_with_ties_and_missing_values():
    # n = 4; a: 3 worse -> 3/3 = 1; b and c tied: 1 worse + 1/2 tied -> 1.5/3 = 0.5;
    # d is None, the worst: 0/3 = 0
    assert metrics.percentile_ranks({"a": 5.0, "b": 2.0, "c": 2.0, "d": None}) == \
        pytest.approx({"a": 1.0, "b": 0.5, "c": 0.5, "d": 0.0})
    # lower is better: a (0.1) beats b (0.9) -> a = 1, b = 0
    assert metrics.percentile_ranks({"a": 0.1, "b": 0.9}, higher_is_better=False) == \
        {"a": 1.0, "b": 0.0}


def test_composite_rank_on_a_path():
    # a–b–c, communities {a, b} and {c}
    # betweenness a 0, b 1, c 0            -> percentiles b 1, a = c = (0 + 1/2)/2 = 1/4
    # participation a 0, b 1-(1/2)^2*2 = 1/2, c 0   -> b 1, a = c = 1/4
    # constraint a 1, b 2*(1/2)^2 = 1/2, c 1 (low is better) -> b 1, a = c = 1/4
    # effective size a 1, b 2, c 1         -> b 1, a = c = 1/4
    # composite: b = (1+1+1+1)/4 = 1; a = c = 1/4; order b, then a before c by IRI
    g = graph(("a", "b", 1), ("b", "c", 1))
    member_of = {"a": 0, "b": 0, "c": 1}
    bc = metrics.betweenness(g)
    pc = metrics.participation_coefficient(g, member_of)
    assert pc == pytest.approx({"a": 0.0, "b": 0.5, "c": 0.0})
    scores = metrics.bridging_scores(bc, pc, metrics.constraint(g), metrics.effective_size(g))
    assert scores == pytest.approx({"a": 0.25, "b": 1.0, "c": 0.25})
    cut = metrics.articulation_points(g)
    assert cut == {"b"}
    assert metrics.bridging_order(scores, cut, bc) == ["b", "a", "c"]


def test_louvain_is_deterministic_and_finds_two_triangles():
    # two triangles joined by one weak tie: Louvain must keep each triangle together
    g = graph(("a", "b", 1), ("b", "c", 1), ("a", "c", 1), ("x", "y", 1), ("y", "z", 1),
              ("x", "z", 1), ("c", "x", 0.1))
    first = metrics.detect_communities(g)
    assert first == [frozenset("abc"), frozenset("xyz")]
    assert all(metrics.detect_communities(g) == first for _ in range(3))


# ---- path costs and the security penalty --------------------------------------------------

@pytest.mark.parametrize(("plain", "sensitive", "penalty", "expected"), [
    (2.0, 0.0, 4.0, 0.5),            # 1 / 2
    (0.0, 2.0, 4.0, 2.0),            # 1 / (2/4)
    (1.0, 2.0, 4.0, 2 / 3),          # 1 / (1 + 2/4) = 1 / 1.5
    (1.0, 2.0, 1.0, 1 / 3),          # no penalty: 1 / (1 + 2)
    (1.0, 2.0, math.inf, 1.0),       # --avoid-security: the sensitive part is dropped
    (0.0, 2.0, math.inf, math.inf),  # nothing left: no hop
], ids=["plain", "sensitive-only", "mixed", "no-penalty", "avoid-mixed", "avoid-sensitive"])
def test_hop_cost(plain, sensitive, penalty, expected):
    assert metrics.hop_cost(plain, sensitive, penalty=penalty) == pytest.approx(expected)


# ---- complementarity ----------------------------------------------------------------------

def test_complementarity_score():
    # A = {norm-setting, monitoring}, B = {financing, monitoring}
    # difference = |A xor B| / |A or B| = |{norm-setting, financing}| / 3 = 2/3
    # tie weight 1.25 -> feasibility = 1.25 / 2.25 = 5/9
    # score = 2/3 * 5/9 = 10/27
    a, b = {"norm-setting", "monitoring"}, {"financing", "monitoring"}
    assert metrics.function_difference(a, b) == pytest.approx(2 / 3)
    assert metrics.feasibility(1.25) == pytest.approx(5 / 9)
    assert metrics.complementarity_score(a, b, 1.25) == pytest.approx(10 / 27)


@pytest.mark.parametrize(("a", "b", "weight", "expected"), [
    ({"financing"}, {"financing"}, 3.0, 0.0),   # same functions: nothing to complement
    ({"financing"}, {"norm-setting"}, 0.0, 0.0),  # no tie: not feasible
    ({"financing"}, {"norm-setting"}, 1.0, 0.5),  # disjoint (1) x 1/(1+1)
], ids=["same-functions", "no-tie", "disjoint"])
def test_complementarity_edge_cases(a, b, weight, expected):
    assert metrics.complementarity_score(a, b, weight) == pytest.approx(expected)


def test_numpy_and_python_agree_on_random_weighted_graphs(monkeypatch):
    import random
    rnd = random.Random(7)
    for seed in range(4):
        g = nx.gnm_random_graph(45, 120 + 40 * seed, seed=seed)
        g = nx.relabel_nodes(g, {i: f"n{i:02d}" for i in g})
        for u, v in g.edges():
            g[u][v]["weight"] = rnd.choice([0.25, 1 / 3, 0.5, 1.0, 1 / 6, 2.0])
        g.add_node("isolated")
        results = []
        for threshold in (10**9, 1):
            monkeypatch.setattr(metrics, "DENSE_FROM", threshold)
            results.append((metrics.betweenness(g), metrics.constraint(g),
                            metrics.effective_size(g)))
        (b1, c1, e1), (b2, c2, e2) = results
        assert b1 == pytest.approx(b2, abs=1e-12)
        assert c1["isolated"] is None and c2["isolated"] is None
        del c1["isolated"], c2["isolated"], e1["isolated"], e2["isolated"]
        assert c1 == pytest.approx(c2, abs=1e-12) and e1 == pytest.approx(e2, abs=1e-12)
