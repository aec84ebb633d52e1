"""Hand-worked cases for the rules that decide what counts as evidence and how sure a rank is:
time windows, leave-one-out stability, domain fragility, leads, per-domain security, the
realised/potential split of complementarity and the order of equally cheap paths."""

from __future__ import annotations

import pytest

from aicoop.analysis.bridges import is_bridge, rank_bridges
from aicoop.analysis.complementarity import complementary_pairs
from aicoop.analysis.leads import rank_leads
from aicoop.analysis.paths import k_best_paths
from aicoop.analysis.projection import (Organisation, Window, is_security_actor, project,
                                        sensitive_in, shared_member_counts, without)
from aicoop.analysis.stability import domain_fragility, rests_on, row_stability, verdict


def orgs(*names: str) -> list[dict[str, str]]:
    return [{"org": f"x:{n}", "label": n.upper()} for n in names]


def issued(item: str, *issuers: str, date: str | None = None) -> list[dict[str, str]]:
    return [{"item": item, "relation": "issuer", "actor": f"x:{i}", "date": date}
            for i in issuers]


def ranker(p):
    return rank_bridges(p, with_evidence=False)


# A path a–b–c–d–e of bilateral documents, plus a triangle a–b–f so that Louvain has a
# group on each side. Worked by hand: c sits in the middle of the path; every shortest path
# between {a, b, f} and {d, e} runs through c.
PATH = (issued("d:ab", "a", "b", date="2020") + issued("d:bf", "b", "f", date="2020")
        + issued("d:af", "a", "f", date="2020") + issued("d:bc", "b", "c", date="2021")
        + issued("d:cd", "c", "d", date="2022") + issued("d:de", "d", "e", date="2023"))


@pytest.fixture
def path_projection():
    return project(orgs("a", "b", "c", "d", "e", "f"), PATH)


@pytest.mark.parametrize(("window", "expected"), [
    (Window(), {"d:ab", "d:bf", "d:af", "d:bc", "d:cd", "d:de"}),
    (Window(until=2021), {"d:ab", "d:bf", "d:af", "d:bc"}),
    (Window(since=2022), {"d:cd", "d:de"}),
    (Window(2021, 2022), {"d:bc", "d:cd"}),
], ids=["open", "as-of-2021", "since-2022", "2021-2022"])
def test_window_keeps_only_evidence_dated_inside(window, expected):
    p = project(orgs("a", "b", "c", "d", "e", "f"), PATH, window=window)
    assert set(p.items) == expected
    left_out = 6 - len(expected)
    assert any(f"{left_out} item(s) outside" in n for n in p.notes) == (left_out > 0)


def test_undated_evidence_is_left_out_of_any_window_and_counted():
    rows = issued("d:1", "a", "b", date="2020") + issued("d:2", "b", "c")
    p = project(orgs("a", "b", "c"), rows, window=Window(until=2025))
    assert set(p.items) == {"d:1"}
    assert "1 item(s) outside as of 2025 left out, 1 of them undated" in p.notes


def test_shared_members_as_of_a_year_drop_ended_and_future_memberships():
    from datetime import date

    from aicoop.membership_time import MembershipPeriod, membership_as_of
    periods = [MembershipPeriod("s1", "a"), MembershipPeriod("s1", "b"),
               MembershipPeriod("s2", "a", end=date(2018, 6, 1)), MembershipPeriod("s2", "b"),
               MembershipPeriod("s3", "a", start=date(2024, 1, 1)), MembershipPeriod("s3", "b")]

    def at_end_of(year):
        return shared_member_counts(membership_as_of(periods, date(year, 12, 31)))
    # end of 2020: a = {s1}, b = {s1, s2, s3} -> 1 shared; end of 2025: a = {s1, s3} -> 2
    assert at_end_of(2020) == [{"a": "a", "b": "b", "shared": 1, "membersA": 1, "membersB": 3}]
    assert at_end_of(2025)[0]["shared"] == 2
    # s2 left a on 1 June 2018: not a member at the end of 2018, still one at the end of 2017
    assert at_end_of(2018)[0]["shared"] == 1 and at_end_of(2017)[0]["shared"] == 2


def test_without_an_item_or_an_organisation_rebuilds_the_sums(path_projection):
    p = without(path_projection, items=["d:cd"])
    assert not p.graph.has_edge("x:c", "x:d")
    assert p.graph.number_of_edges() == path_projection.graph.number_of_edges() - 1
    q = without(path_projection, organisations=["x:c"])
    assert "x:c" not in q.graph and q.graph.number_of_edges() == 4


def test_bridge_definition_needs_betweenness_and_cross_group_ties(path_projection):
    ranking = rank_bridges(path_projection)
    row = {r.name: r for r in ranking.rows}
    assert is_bridge(0.1, 0.1) and not is_bridge(0.0, 0.9) and not is_bridge(0.4, 0.0)
    # the ends of the path (e, and f inside the triangle) lie on no shortest path
    assert not row["E"].bridge and not row["F"].bridge
    assert all(r.bridge == (r.betweenness > 0 and r.participation > 0) for r in ranking.rows)
    # bridges come first in the order
    flags = [r.bridge for r in ranking.rows]
    assert flags == sorted(flags, reverse=True)


def test_stability_flags_a_rank_resting_on_one_item(path_projection):
    ranking = rank_bridges(path_projection)
    stab = row_stability(path_projection, ranking, ranker, top=10)
    bridges = [r for r in ranking.rows if r.bridge]
    assert set(stab) == {r.iri for r in bridges}
    # b and c join the triangle {a, b, f} to the tail {d, e}: the two bridges
    assert [r.name for r in bridges] == ["C", "B"] or [r.name for r in bridges] == ["B", "C"]
    # c reaches the rest by exactly two bilateral documents, each carrying 1 unit (by IRI)
    c = stab["x:c"]
    assert c.rests_on == ("d:bc", "d:cd")
    # without d:bc, c is the end of the tail c–d–e: it brokers nothing any more
    assert c.worst_without_item is None and c.worst_item == "d:bc"
    # without b (its strongest neighbour with d, first by IRI), c ends the tail too
    assert c.worst_without_org is None and c.worst_org == "B"
    assert c.verdict == "fragile"


def test_rests_on_orders_items_by_the_weight_they_give():
    rows = (issued("d:1", "a", "b") + issued("d:2", "a", "b", "c")
            + issued("d:3", "a", "b", "c", "d", "e"))
    p = project(orgs("a", "b", "c", "d", "e"), rows)
    # a gets 1 from d:1, 2 x 1/2 from d:2, 4 x 1/4 from d:3: equal shares of 1, so by IRI
    assert rests_on(p, "x:a", 3) == ("d:1", "d:2", "d:3")
    # c gets 1 from d:2 (2 x 1/2) and 1 from d:3 (4 x 1/4): equal, so d:2 by IRI
    assert rests_on(p, "x:c", 1) == ("d:2",)
    # e gets only d:3
    assert rests_on(p, "x:e", 3) == ("d:3",)


@pytest.mark.parametrize(("rank", "worst_item", "worst_org", "expected"), [
    (1, 1, 1, "stable"), (1, 3, 2, "stable"), (1, 4, 1, "shifts"), (3, 3, 6, "shifts"),
    (1, None, 1, "fragile"), (2, 2, None, "fragile"),
])
def test_verdict(rank, worst_item, worst_org, expected):
    assert verdict(rank, worst_item, worst_org) == expected


def test_a_network_held_together_by_one_item_is_called_fragile():
    # two strong pairs (a–b, c–d) joined only by one 3-partner item with b, c and x: every
    # path from a to c or d runs through b, and from d to a or b through c
    rows = (issued("d:ab", "a", "b") + issued("d:ab2", "a", "b") + issued("d:cd", "c", "d")
            + issued("d:cd2", "c", "d") + issued("d:bcx", "b", "c", "x"))
    p = project(orgs("a", "b", "c", "d", "x"), rows)
    ranking = ranker(p)
    assert {r.name for r in ranking.rows if r.bridge} >= {"B", "C"}
    assert domain_fragility(p, ranking, ranker) == ("d:bcx",)
    # leaving the item out leaves two separate pairs: nobody bridges
    assert not any(r.bridge for r in ranker(without(p, items=["d:bcx"])).rows)
    from aicoop.analysis.stability import fragility_sentence
    text = fragility_sentence("health", ("d:bcx",), {"d:bcx": "Joint item"}, p)
    assert text.startswith("Without \u201cJoint item\u201d, no organisation bridges health")
    assert "falls into 2 separately tied group(s) and 1 organisation(s) with no tie" in text


def test_multi_partner_items_give_each_member_one_unit_in_all():
    # a 21-partner compendium gives each partner 20 x 1/20 = 1 unit, the same as one bilateral
    # document: breadth does not beat depth
    members = [f"m{i:02d}" for i in range(21)]
    p = project(orgs(*members, "z"), issued("d:big", *members) + issued("d:bi", "m00", "z"))
    strength = {v: sum(d["weight"] for _, _, d in p.graph.edges(v, data=True)) for v in p.graph}
    assert strength["x:m05"] == pytest.approx(1.0)
    assert strength["x:z"] == pytest.approx(1.0)


def test_leads_rank_by_volume_then_strength():
    rows = (issued("d:1", "a") + issued("d:2", "a") + issued("d:3", "a", "b")
            + issued("d:4", "b", "c") + issued("d:5", "c")
            + [{"item": "d:1", "relation": "endorser", "actor": "x:c"}])
    leads = rank_leads(project(orgs("a", "b", "c"), rows))
    # a: 3 documents; c: 2 documents + 1 endorsement = 3, strength 1 (d:4) + 0.5 (endorses
    # d:1, one issuer) = 1.5 > a's 1 (d:3) + 0.5 (endorsed by c) = 1.5 -> tie, then partners
    # (a: b, c = 2; c: a, b = 2) -> tie, then name: A before C; b: 2 documents
    assert [(r.name, r.volume) for r in leads] == [("A", 3), ("C", 3), ("B", 2)]
    assert leads[1].endorsements == 1 and leads[1].documents == 2


@pytest.mark.parametrize(("alliance", "roles", "security_roles", "expected"), [
    (True, 0, 0, True),      # NATO
    (False, 4, 4, True),     # INTERPOL: every role in justice or cybersecurity operations
    (False, 2, 1, True),     # OSCE: half its roles on the security side
    (False, 3, 1, False),    # AU: security is one role among several
    (False, 5, 0, False),    # ITU
], ids=["alliance", "all-security", "half", "minor", "none"])
def test_security_actor_rule(alliance, roles, security_roles, expected):
    assert is_security_actor(alliance, roles, security_roles) is expected


@pytest.mark.parametrize(("domain", "expected"), [
    ("cybersecurity", False), ("security-defence", False), ("justice", False),
    ("health", True), ("agriculture", True), (None, True)])
def test_security_actors_are_sensitive_outside_the_security_domains(domain, expected):
    nato = Organisation("x:nato", "NATO", "NATO", security=True)
    assert sensitive_in(nato, domain) is expected
    assert sensitive_in(Organisation("x:fao", "FAO", "FAO"), domain) is False


def test_complementary_pairs_split_realised_and_potential():
    rows = issued("d:1", "a", "b") + issued("d:2", "b", "c")
    shared = [{"a": "x:a", "b": "x:c", "shared": 2, "membersA": 4, "membersB": 4}]
    p = project(orgs("a", "b", "c"), rows, [], shared)
    functions = {"x:a": {"financing"}, "x:b": {"norm-setting"}, "x:c": {"standard-setting"}}
    pairs = complementary_pairs(p, functions, domain="health")
    status = {(q.a_name, q.b_name): q.status for q in pairs}
    assert status == {("A", "B"): "realised", ("B", "C"): "realised", ("A", "C"): "potential"}
    ac = next(q for q in pairs if q.status == "potential")
    # a and c: shared members (Jaccard 2/6) and b as a common partner, no joint work
    assert ac.tie_weight == 0 and ac.evidence_iris == ()
    assert ac.connectors[0] == "2 member States in common (Jaccard 0.33)"
    assert ac.connectors[1] == "common partners in the domain: B"
    assert ac.combination == "financing + standard-setting"
    # realised pairs first, each group ranked from 1
    assert [q.status for q in pairs] == ["realised", "realised", "potential"]
    assert [q.rank for q in pairs] == [1, 2, 1]


def test_complementarity_security_flag_depends_on_the_domain():
    rows = issued("d:1", "a", "n")
    org_rows = orgs("a") + [{"org": "x:n", "label": "N", "alliance": True}]
    p = project(org_rows, rows)
    functions = {"x:a": {"financing"}, "x:n": {"security-defence"}}
    assert complementary_pairs(p, functions, domain="agriculture")[0].security is True
    assert complementary_pairs(p, functions, domain="cybersecurity")[0].security is False


def test_equally_cheap_paths_go_through_the_most_active_organisation_first():
    import networkx as nx
    g = nx.Graph()
    for mid in ("x:aaa", "x:zzz"):
        g.add_edge("s", mid, cost=1.0)
        g.add_edge(mid, "t", cost=1.0)
    # alphabetically aaa would come first; zzz is the more active organisation
    found = k_best_paths(g, "s", "t", 2, {"x:aaa": 1, "x:zzz": 5})
    assert [p[1] for p in found] == [("s", "x:zzz", "t"), ("s", "x:aaa", "t")]
    assert k_best_paths(g, "s", "t", 2)[0][1] == ("s", "x:aaa", "t")


def test_brokerage_roles_count_open_triads_by_group():
    import networkx as nx

    from aicoop.analysis.metrics import brokerage_roles
    # v (kind 1) tied to a, g (kind 1), c, d, f (kind 2), e (kind 3); c–d tied (closed triad)
    g = nx.Graph([("v", n) for n in "acdefg"] + [("c", "d")])
    kinds = {"v": 1, "a": 1, "g": 1, "c": 2, "d": 2, "f": 2, "e": 3}
    roles = brokerage_roles(g, kinds)["v"]
    # coordinator: a–g; consultant: c–f, d–f (c–d is closed); liaison: c–e, d–e, e–f;
    # representative: a or g with one of c, d, e, f (2 x 4)
    assert roles == {"coordinator": 1, "consultant": 2, "representative": 8, "liaison": 3}
    # a leaf brokers nothing
    assert sum(brokerage_roles(g, kinds)["a"].values()) == 0


def test_item_shares_are_the_exact_weight_each_item_gives():
    from aicoop.analysis.stability import item_shares
    rows = (issued("d:1", "a", "b") + issued("d:2", "b", "c")
            + [{"item": "d:1", "relation": "endorser", "actor": "x:e"}])
    partnerships = [{"a": "x:a", "b": "x:c", "initiative": "i:9", "k": 2},
                    {"a": "x:a", "b": "x:b", "initiative": "d:1", "k": 2}]
    p = project(orgs("a", "b", "c", "e"), rows, partnerships, other_domains=True)
    # a: d:1 with b (1) + e's endorsement of d:1 (0.5 / 2 issuers) = 1.25; i:9 in another
    # domain with c: 0.5 / (2 - 1) = 0.5; d:1 is in the domain, so not counted again
    assert item_shares(p, "x:a") == pytest.approx({"d:1": 1.25, "i:9": 0.5})
    assert item_shares(p, "x:e") == pytest.approx({"d:1": 0.5})
    assert rests_on(p, "x:a", 1) == ("d:1",) and rests_on(p, "x:a", 5) == ("d:1", "i:9")
    assert item_shares(p, "x:nobody") == {}


def test_leads_on_the_fixture(network_store):
    from aicoop.analysis.leads import leads
    result = leads(network_store, "health", top=3)
    # DDB: hd3, hd6, hd7 + initiative hi1 = 4; AHO: hd1, hd2, hd5 = 3 (strength 3 + 3/24);
    # ZRN: hd4 + hi1 + endorses hd3 = 3 (strength 1 + 1 + 0.25 + 0.25 = 2.5)
    assert [(r.name, r.volume) for r in result.rows] == [("DDB", 4), ("AHO", 3), ("ZRN", 3)]
    assert result.rows[1].strength == pytest.approx(3.125)
    assert result.rows[2].endorsements == 1 and result.rows[2].initiatives == 1
    assert result.window == "all years"
    older = leads(network_store, "health", top=0, window=Window(until=2021))
    # only hd1 (2021) is dated by then: Alpha and Beta, one document each
    assert [(r.name, r.volume) for r in older.rows if r.volume] == [("AHO", 1), ("Beta Council", 1)]


def test_text_mentions_are_an_opt_in_quarter_weight_channel():
    from pathlib import Path

    from aicoop.analysis import fetch
    from aicoop.derive import derive
    from aicoop.loaders.rdf import load_rdf
    from aicoop.store.embedded import EmbeddedStore
    data = Path(__file__).parent.parent / "data" / "analysis"
    store = EmbeddedStore()
    try:
        load_rdf(store, [data / "network.ttl", data / "text-mentions.ttl"])
        derive(store)
        gamma, zeta, theta = ("http://example.org/org/" + n for n in ("gamma", "zeta", "theta"))
        plain = fetch.domain_projection(store, "health")
        assert not plain.graph.has_edge(gamma, zeta)
        text = fetch.domain_projection(store, "health", with_text=True)
        # t1 names Gamma and Zeta (k = 2, no issuer): 0.25 / (2 - 1); Theta's verdict is false
        ch = text.tie(gamma, zeta).channels
        assert [(c.name, c.weight, c.evidence) for c in ch] == [
            ("text-mention", 0.25, ("http://example.org/text/t1",))]
        assert all(c.name != "text-mention" for u in text.graph[theta]
                   for c in text.tie(theta, u).channels)
        # dated 2023: out of a window ending in 2022
        old = fetch.domain_projection(store, "health", with_text=True,
                                      window=Window(until=2022))
        assert not old.graph.has_edge(gamma, zeta)
    finally:
        store.close()


def test_an_organisation_tied_only_through_other_domains_is_never_a_bridge():
    # b–c and d–e co-issue in the domain; a is tied to b and to d only by joint initiatives in
    # other domains, so it lies between the two groups but on no evidence of this domain
    rows = issued("d:bc", "b", "c") + issued("d:de", "d", "e")
    partnerships = [{"a": "x:a", "b": "x:b", "initiative": "i:1", "k": 2},
                    {"a": "x:a", "b": "x:d", "initiative": "i:2", "k": 2}]
    p = project(orgs("a", "b", "c", "d", "e"), rows, partnerships, also_active=["x:a"],
                other_domains=True)
    row = {r.name: r for r in rank_bridges(p).rows}
    assert row["A"].betweenness > 0 and row["A"].participation > 0
    assert not row["A"].bridge
    # b has an in-domain tie (d:bc) and lies between c and a: it can be a bridge
    assert row["B"].bridge == (row["B"].betweenness > 0 and row["B"].participation > 0)


def test_fixed_communities_follow_removals(path_projection):
    ranking = rank_bridges(path_projection)
    reduced = without(path_projection, organisations=["x:c"])
    again = rank_bridges(reduced, communities=ranking.communities, with_roles=False)
    before = {c.name: set(c.members) for c in ranking.communities}
    after = {c.name: set(c.members) for c in again.communities}
    # same groups, minus the organisation left out; no group renamed or redrawn
    assert after == {n: m - {"x:c"} for n, m in before.items() if m - {"x:c"}}
    assert all(r.roles == () for r in again.rows)


def test_complementarity_scores_worked_by_hand():
    # a and b do the same thing (difference 0: never a pair, even though tied); a–c co-issue
    # d:1 (plain, 1) and d:2 (addresses security-defence: sensitive, 1); p and q are not tied
    # but share four partners in the domain
    rows = (issued("d:0", "a", "b") + issued("d:1", "a", "c") + issued("d:2", "a", "c")
            + [{"item": "d:2", "relation": "sensitive"}])
    for partner in ("w", "x", "y", "z"):
        rows += issued(f"d:p{partner}", "p", partner) + issued(f"d:q{partner}", "q", partner)
    p = project(orgs("a", "b", "c", "p", "q", "w", "x", "y", "z"), rows)
    functions = {"x:a": {"financing", "monitoring"}, "x:b": {"financing", "monitoring"},
                 "x:c": {"norm-setting", "monitoring"}, "x:p": {"financing"},
                 "x:q": {"standard-setting"}}
    pairs = {(q.a_name, q.b_name): q for q in complementary_pairs(p, functions)}
    assert ("A", "B") not in pairs
    ac = pairs[("A", "C")]
    # difference: {financing, norm-setting} of {financing, monitoring, norm-setting} = 2/3;
    # weight 1 + 1/4 (sensitive evidence at 1/penalty) = 5/4; feasibility 5/9
    assert ac.difference == pytest.approx(2 / 3)
    assert ac.feasibility == pytest.approx(5 / 9)
    assert ac.score == pytest.approx(10 / 27)
    assert ac.shared_functions == ("monitoring",) and ac.tie_weight == pytest.approx(2.0)
    assert ac.a_brings == ("financing",) and ac.b_brings == ("norm-setting",)
    pq = pairs[("P", "Q")]
    assert pq.status == "potential" and pq.score == 0 and pq.feasibility == 0
    assert pq.connectors == ("common partners in the domain: W, X, Y (+1)",)
