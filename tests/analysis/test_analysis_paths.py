"""Path costs and the security penalty on a hand-built projection.

    A ──(w 2, cost 1/2)── B ──(w 1, cost 1)── C
    └────────────(w 1/4, cost 4)────────────┘
"""

from __future__ import annotations

import pytest

from aicoop.analysis.paths import cost_graph, k_best_paths
from aicoop.analysis.projection import Channel, Organisation, Projection, Tie, build_graph


def projection(*, b_security: bool = False, ab_sensitive: float = 0.0) -> Projection:
    orgs = {i: Organisation(i, i, i, security=(i == "B" and b_security)) for i in "ABC"}
    ties = [
        Tie("A", "B", (Channel("co-issued", 2.0, ab_sensitive, ("doc:ab",)),)),
        Tie("B", "C", (Channel("co-issued", 1.0, 0.0, ("doc:bc",)),)),
        Tie("A", "C", (Channel("citation", 0.25, 0.0, ("doc:ac",)),)),
    ]
    return Projection(build_graph(orgs, ties), orgs)


def test_cheapest_path_follows_the_strong_ties():
    # A-B-C: 1/2 + 1 = 1.5 ; A-C: 1/(1/4) = 4
    g = cost_graph(projection(), "A", "C")
    assert k_best_paths(g, "A", "C", 3) == [(pytest.approx(1.5), ("A", "B", "C")),
                                            (pytest.approx(4.0), ("A", "C"))]


def test_a_security_alliance_in_the_middle_costs_the_penalty():
    # B is a security alliance and not an end: both its ties count as sensitive,
    # cost = 1/(w/4): A-B = 1/(2/4) = 2, B-C = 1/(1/4) = 4 -> A-B-C = 6 > A-C = 4
    g = cost_graph(projection(b_security=True), "A", "C", penalty=4.0)
    assert k_best_paths(g, "A", "C", 3) == [(pytest.approx(4.0), ("A", "C")),
                                            (pytest.approx(6.0), ("A", "B", "C"))]
    assert g["A"]["B"]["sensitive"] and not g["A"]["C"]["sensitive"]


def test_avoid_security_drops_the_alliance_in_the_middle():
    g = cost_graph(projection(b_security=True), "A", "C", avoid_security=True)
    assert k_best_paths(g, "A", "C", 3) == [(pytest.approx(4.0), ("A", "C"))]


def test_a_security_alliance_at_an_end_is_not_penalised():
    # path A -> B with B the target: its ties are usable at full weight: cost 1/2
    g = cost_graph(projection(b_security=True), "A", "B", avoid_security=True)
    assert k_best_paths(g, "A", "B", 1) == [(pytest.approx(0.5), ("A", "B"))]


def test_sensitive_evidence_counts_for_a_fraction_of_its_weight():
    # A-B: weight 2, of which 1.5 from documents addressing security-defence
    # cost = 1 / (0.5 + 1.5/4) = 1 / 0.875 = 8/7 ; A-B-C = 8/7 + 1 = 15/7
    g = cost_graph(projection(ab_sensitive=1.5), "A", "C", penalty=4.0)
    assert g["A"]["B"]["cost"] == pytest.approx(8 / 7)
    assert k_best_paths(g, "A", "C", 1) == [(pytest.approx(15 / 7), ("A", "B", "C"))]
    # avoided: only the plain 0.5 is left -> 1/0.5 = 2 ; A-B-C = 3
    g = cost_graph(projection(ab_sensitive=1.5), "A", "C", avoid_security=True)
    assert g["A"]["B"]["cost"] == pytest.approx(2.0)
    assert k_best_paths(g, "A", "C", 1) == [(pytest.approx(3.0), ("A", "B", "C"))]


def test_no_path_gives_an_empty_list():
    orgs = {i: Organisation(i, i, i) for i in "AZ"}
    g = cost_graph(Projection(build_graph(orgs, []), orgs), "A", "Z")
    assert k_best_paths(g, "A", "Z", 3) == []
