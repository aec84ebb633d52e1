"""``kg states`` on the fictional fixture tests/data/analysis/states.ttl (its header lists the
groups): scores worked out by hand with the rule of docs/metrics.md — every pair of a State's
groups adds 1 / (the number of States the two groups share)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aicoop.analysis.state_brokers import (broker_scores, members_by_group,
                                           memberships_in_force, rank_states, select_blocs,
                                           state_brokers)
from aicoop.cli import cli
from fixture_stores import fixture_store, fixture_store_path

FIXTURE = Path(__file__).parent.parent / "data" / "analysis" / "states.ttl"
ST = "http://example.org/state/"


@pytest.fixture(scope="module")
def store():
    s = fixture_store([FIXTURE], with_derived=False)
    yield s
    s.close()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> str:
    return fixture_store_path(tmp_path_factory, "states", [FIXTURE], with_derived=False)


# ---- pure rules -----------------------------------------------------------------------------

def test_score_of_a_sole_common_member_is_one_per_pair():
    # s is the only State in both G7-like "a" and BRICS-like "b": it carries their whole link
    assert broker_scores({"a": frozenset("sx"), "b": frozenset("sy")}) == {
        "s": 1.0, "x": 0.0, "y": 0.0}


def test_scores_split_each_linked_pair_among_the_states_it_shares():
    groups = {"X": frozenset("abc"), "Y": frozenset("cd"), "Z": frozenset("acd")}
    # c: X-Y {c} 1 + X-Z {a,c} 1/2 + Y-Z {c,d} 1/2; a: X-Z 1/2; d: Y-Z 1/2; b: one group
    assert broker_scores(groups) == {"a": 0.5, "b": 0.0, "c": 2.0, "d": 0.5}
    # every pair of groups with a common member hands out one point: 3 pairs
    assert sum(broker_scores(groups).values()) == pytest.approx(3.0)


def test_a_state_in_many_blocs_ranks_above_one_in_few():
    groups = {"g1": frozenset("ab"), "g2": frozenset("ac"), "g3": frozenset("ad"),
              "g4": frozenset("bc")}
    ranked = rank_states(groups, {})
    # a: g1-g2, g1-g3, g2-g3 each shared by a alone = 3; b: g1-g4 {b} = 1; c: g2-g4 {c} = 1
    assert [(r.iri, r.score, len(r.groups), r.sole_links) for r in ranked[:3]] == [
        ("a", 3.0, 3, 3), ("b", 1.0, 2, 1), ("c", 1.0, 2, 1)]
    assert ranked[0].links[0].shared == 1


def test_equal_scores_rank_the_sole_link_first():
    # p is the only common member of g1 and g2: 1; q shares three groups with t and w: 3 x 1/3
    groups = {"g1": frozenset("pr"), "g2": frozenset("ps"), "h1": frozenset("qtw"),
              "h2": frozenset("qtw"), "h3": frozenset("qtw")}
    ranked = rank_states(groups, {})
    assert [(r.iri, r.score, r.sole_links) for r in ranked[:2]] == [("p", 1.0, 1), ("q", 1.0, 0)]


@pytest.mark.parametrize("members, states, blocs", [
    ({"u": frozenset("abcd"), "g": frozenset("ab")}, 4, ["g"]),
    ({"u": frozenset("abc"), "g": frozenset("ab")}, 6, ["g", "u"]),
    ({"one": frozenset("a")}, 4, []),
], ids=["universal left out", "half is still a bloc", "one member is no bloc"])
def test_select_blocs(members, states, blocs):
    assert sorted(select_blocs(members, states)) == blocs


def test_memberships_in_force_reads_roles_and_dates():
    rows = [{"state": "s", "org": o} for o in  # org:memberOf
            ("undated", "observer", "ended", "joined", "again")] + [
        {"state": "s", "org": "observer", "membership": "m1", "role": "observer"},
        {"state": "s", "org": "ended", "membership": "m2", "role": "member",
         "start": "2000", "end": "2010-06-30", "source": "http://x/1"},
        {"state": "s", "org": "joined", "membership": "m3", "role": "member", "start": "2015",
         "source": "http://x/3"},
        {"state": "s", "org": "joined", "membership": "m3", "role": "member", "start": "2015",
         "source": "http://x/2"},
        # left and joined again: one record ended, one in force
        {"state": "s", "org": "again", "membership": "m4", "role": "member", "end": "1999"},
        {"state": "s", "org": "again", "membership": "m5", "role": "member", "start": "2005"},
        # a Membership record without org:memberOf (an observer after the i10m change) is not
        # a full membership
        {"state": "s", "org": "unlinked", "membership": "m6", "role": "member"},
    ]
    now = memberships_in_force(rows)["s"]
    assert sorted(now) == ["again", "joined", "undated"]
    assert now["joined"] == ("http://x/2", "http://x/3")
    assert sorted(memberships_in_force(rows, as_of=2010)["s"]) == ["again", "ended", "undated"]
    assert sorted(memberships_in_force(rows, as_of=2002)["s"]) == ["ended", "undated"]
    assert sorted(memberships_in_force(rows, as_of=1990)["s"]) == ["again", "undated"]
    # the year a membership begins and the year it ends both count as in force
    assert sorted(memberships_in_force(rows, as_of=2015)["s"]) == ["again", "joined", "undated"]
    assert "ended" in memberships_in_force(rows, as_of=2000)["s"]


def test_members_by_group_inverts():
    assert members_by_group({"a": {"x", "y"}, "b": {"x"}}) == {
        "x": frozenset("ab"), "y": frozenset("a")}


# ---- on the fixture -------------------------------------------------------------------------

def test_ranking_today_with_the_instrument(store):
    r = state_brokers(store)
    # groups X={A,B,C} (Fooland only observes), Y={C,D}, Z={A,C,D} (Beeland left in 2010),
    # I={B,D}; W has one member, U all 8 (> 4)
    assert dict(r.groups) == {"Declaration on AI in schools": 2, "Vee Bloc": 2, "Xeno Bloc": 3,
                              "Ypsi Bloc": 2, "Zeta Bloc": 3}
    assert r.left_out == ("Universal Union",)
    # D: Y-Z 1/2 + Y-I 1 + Z-I 1; C: X-Y 1 + X-Z 1/2 + Y-Z 1/2; B: X-I 1; A: X-Z 1/2
    assert [(x.name, x.score, x.sole_links) for x in r.rows] == [
        ("Deeland", 2.5, 2), ("Ceeland", 2.0, 1), ("Beeland", 1.0, 1), ("Aland", 0.5, 0)]
    d = r.rows[0]
    assert (d.code, d.blocs, d.instruments) == ("DDD", 2, 1)
    assert d.groups == ("Ypsi Bloc", "Zeta Bloc", "Declaration on AI in schools")
    aland = r.rows[3]
    assert dict(aland.evidence)["Xeno Bloc"] == ("http://example.org/sources/x-members",)
    # V = {Geeland, Heeland} meets no other group; Geeland and Heeland span nothing
    assert r.notes == ("Vee Bloc shares no member State with any other group here: no State "
                       "can broker with it",)


def test_ranking_as_of_2005(store):
    r = state_brokers(store, as_of=2005)
    # Deeland not yet in Y (2015), so Y = {C} is no bloc; Beeland still in Z: Z = {A,B,C,D}
    # B: X-Z 1/3 + X-I 1 + Z-I 1/2; D: Z-I 1/2; A, C: X-Z 1/3
    assert [(x.name, round(x.score, 4)) for x in r.rows] == [
        ("Beeland", 1.8333), ("Deeland", 0.5), ("Aland", 0.3333), ("Ceeland", 0.3333)]
    assert "Ypsi Bloc" not in r.groups
    # Geeland and Heeland in V: 2 more undated memberships
    assert r.notes[0] == ("8 bloc membership(s) have no recorded start year and count as in "
                          "force in 2005")


def test_ranking_in_a_domain_keeps_the_blocs_active_there(store):
    r = state_brokers(store, domain="health")
    # X and Z issued health documents; the instrument addresses education
    assert list(r.groups) == ["Xeno Bloc", "Zeta Bloc"]
    assert [(x.name, x.score) for x in r.rows] == [("Aland", 0.5), ("Ceeland", 0.5)]
    assert "2 States share the top score (0.5): their groups overlap, so no one State " \
           "stands out" in r.notes


def test_cli_table_and_json(store_path):
    res = CliRunner().invoke(cli, ["--store", store_path, "states"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].split()[:4] == ["rank", "state", "score", "groups"]
    assert lines[2].split()[:5] == ["1", "Deeland", "2.5", "3", "2"]
    assert "Left out as near-universal (more than 50% of 8 States): Universal Union" in res.stdout
    assert "5 groups of States; showing 4 States" in res.stderr
    res = CliRunner().invoke(cli, ["--store", store_path, "states", "--as-of", "2005",
                                   "--top", "1", "--format", "json"])
    data = json.loads(res.stdout)
    assert [x["iri"] for x in data["rows"]] == [ST + "b"]
    assert data["as_of"] == 2005


def test_cli_rejects_a_bad_share(store_path):
    res = CliRunner().invoke(cli, ["--store", store_path, "states", "--max-share", "0"])
    assert res.exit_code == 2
