"""``kg pathways`` on the fictional fixture tests/data/analysis/pathways.ttl (its header has the
table of items): expected counts and shares worked out by hand from that table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aicoop.analysis.pathways import (Item, compare, items_from_rows, main_pathways,
                                      order_pathways, pair_pathways, pathway_shares,
                                      pathway_summary)
from aicoop.cli import cli
from aicoop.errors import DomainNotFound, OrganisationNotFound, UsageError
from fixture_stores import fixture_store, fixture_store_path

FIXTURE = Path(__file__).parent.parent / "data" / "analysis" / "pathways.ttl"
EX = "http://example.org/org/"
DOC = "http://example.org/doc/"
IA, SB, RM = "institutional-alignment", "strategic-benefits", "risk-mitigation"


@pytest.fixture(scope="module")
def store():
    s = fixture_store([FIXTURE], with_derived=False)
    yield s
    s.close()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> str:
    return fixture_store_path(tmp_path_factory, "pathways", [FIXTURE], with_derived=False)


def kg(store_path: str, *args: str):
    return CliRunner().invoke(cli, ["--store", store_path, *args])


# ---- pure rules -----------------------------------------------------------------------------

def test_an_item_tagged_with_two_pathways_gives_half_to_each():
    one = Item("1", "document", "One", pathways=(RM,))
    two = Item("2", "document", "Two", pathways=(SB, RM))
    untagged = Item("3", "document", "Three")
    # RM: 1 + 1/2, SB: 1/2, over 2 tagged items; the untagged item counts for nothing
    assert pathway_shares([one, two, untagged]) == {SB: 0.25, RM: 0.75}


def test_no_tagged_item_gives_no_shares_and_no_main_pathway():
    assert pathway_shares([Item("3", "document", "Three")]) == {}
    assert main_pathways({}) == ()


@pytest.mark.parametrize("shares, main", [
    ({SB: 0.5, RM: 0.5}, (SB, RM)),
    ({IA: 0.2, RM: 0.8}, (RM,)),
    ({RM: 1 / 3, IA: 1 / 3, SB: 1 / 3}, (IA, SB, RM)),
], ids=["tie", "one", "three-way tie in study order"])
def test_main_pathways(shares, main):
    assert main_pathways(shares) == main


def test_pathways_are_shown_in_the_study_order_then_by_notation():
    assert order_pathways({"zz", RM, SB, IA, "aa"}) == (IA, SB, RM, "aa", "zz")


def test_items_from_rows_merges_rows_and_keeps_the_strongest_relation():
    rows = [
        {"item": "d", "kind": "document", "title": "T", "pathway": RM, "actor": "o1",
         "relation": "endorser", "domain": "https://w3id.org/aicoop/id/domain/health"},
        {"item": "d", "kind": "document", "title": "T", "pathway": SB, "actor": "o1",
         "relation": "issuer", "domain": "https://w3id.org/aicoop/id/domain/education"},
        # a later row naming the weaker relation does not demote the issuer
        {"item": "d", "kind": "document", "title": "T", "pathway": SB, "actor": "o1",
         "relation": "endorser", "domain": "https://w3id.org/aicoop/id/domain/education"},
        {"item": "d", "kind": "document", "title": "T", "pathway": None, "actor": "o2",
         "relation": "endorser"},
    ]
    item = items_from_rows(rows)["d"]
    assert item.pathways == (SB, RM)
    assert item.actors == (("o1", "issuer"), ("o2", "endorser"))
    assert item.domains == ("education", "health")


# ---- one domain -----------------------------------------------------------------------------

def test_health_totals_by_pathway(store):
    s = pathway_summary(store, "health")
    assert s.domain.notation == "health"
    # p1..p4 and pi1; p4 is untagged
    assert (s.items, s.tagged) == (5, 4)
    assert [i.iri for i in s.untagged] == [DOC + "p4"]
    totals = {t.pathway: t for t in s.pathways}
    assert [t.pathway for t in s.pathways] == [IA, SB, RM]
    # fractional: IA p3 = 1; SB p2/2 + pi1 = 1.5; RM p1 + p2/2 = 1.5; over 4 tagged items
    assert totals[IA].share == pytest.approx(0.25)
    assert totals[SB].share == pytest.approx(0.375)
    assert totals[RM].share == pytest.approx(0.375)
    assert (totals[SB].documents, totals[SB].initiatives) == (1, 1)
    assert (totals[RM].documents, totals[RM].initiatives) == (2, 0)
    # IA: p3's issuer BCC and its endorser GFN
    assert totals[IA].organisations == 2
    assert s.main == (SB, RM)
    assert s.labels[IA] == "Institutional alignment"
    assert any("1 document of the domain carries no pathway tag" in n for n in s.notes)


def test_health_by_organisation(store):
    s = pathway_summary(store, "Health")
    by = {o.name: o for o in s.organisations}
    # most tagged items first; GFN before DDB on items (2 against 1)
    assert [o.name for o in s.organisations] == ["AHO", "BCC", "GFN", "DDB"]
    aho = by["AHO"]
    assert (aho.items, aho.tagged) == (3, 3)
    assert dict(aho.counts) == {SB: 2, RM: 2}
    assert aho.shares[SB] == pytest.approx(0.5) and aho.shares[RM] == pytest.approx(0.5)
    assert aho.main == (SB, RM)
    assert [i.iri.rsplit("/", 1)[1] for i in aho.evidence] == ["pi1", "p2", "p1"]
    assert by["BCC"].main == (IA, RM)
    gfn = by["GFN"]  # endorses p3, issued the untagged p4
    assert (gfn.items, gfn.tagged, dict(gfn.counts), gfn.main) == (2, 1, {IA: 1}, (IA,))
    assert dict(by["DDB"].counts) == {SB: 1}


def test_a_domain_with_no_items_says_so(store):
    s = pathway_summary(store, "education")
    assert (s.items, s.pathways[0].pathway) == (1, RM)
    with pytest.raises(DomainNotFound):
        pathway_summary(store, "helth-care-x")


# ---- pairs ----------------------------------------------------------------------------------

def test_pair_in_every_domain(store):
    r = pair_pathways(store, "AHO", "BCC")
    rows = {p.pathway: p for p in r.pathways}
    # AHO: p1 p2 pi1 p5; BCC: p1 p3 p6; shared: p1
    assert (r.a_items, r.b_items) == (4, 3)
    assert [i.iri for i in r.joint] == [DOC + "p1"]
    assert (rows[IA].a_items, rows[IA].b_items, rows[IA].joint_items) == (1, 1, 0)
    assert rows[IA].status == "both apart"
    assert [i.iri.rsplit("/", 1)[1] for i in rows[IA].evidence] == ["p5", "p3"]
    assert (rows[SB].a_items, rows[SB].b_items, rows[SB].status) == (2, 0, "only AHO")
    assert (rows[RM].a_items, rows[RM].b_items, rows[RM].joint_items) == (2, 2, 1)
    assert rows[RM].status == "joint"
    assert r.names[EX + "delta"] == "DDB"


def test_pair_in_one_domain(store):
    r = pair_pathways(store, "AHO", "BCC", domain="health")
    rows = {p.pathway: p for p in r.pathways}
    assert (r.a_items, r.b_items) == (3, 2)
    assert rows[IA].status == "only BCC"
    assert rows[RM].status == "joint"


def test_pair_without_shared_work_says_so(store):
    r = pair_pathways(store, "GFN", "DDB")
    assert r.joint == ()
    assert r.notes == ("GFN and DDB share no document or initiative",)
    assert {p.pathway: p.status for p in r.pathways} == {
        IA: "both apart", SB: "only DDB", RM: "neither"}


def test_pair_errors(store):
    with pytest.raises(UsageError, match="same organisation"):
        pair_pathways(store, "AHO", "Alpha Health Organisation")
    with pytest.raises(OrganisationNotFound):
        pair_pathways(store, "AHO", "Nobody At All")


def test_compare_keeps_only_the_domain_items():
    a_item = Item("i1", "document", "T", pathways=(RM,), actors=(("a", "issuer"),),
                  domains=("health",))
    b_item = Item("i2", "document", "U", pathways=(RM,), actors=(("b", "issuer"),),
                  domains=("education",))

    class Dom:
        notation = "health"
    r = compare("a", "b", {"i1": a_item}, {"i2": b_item}, {"a": "A", "b": "B"}, domain=Dom())
    assert {p.pathway: p.status for p in r.pathways}[RM] == "only A"


# ---- CLI ------------------------------------------------------------------------------------

def test_cli_domain_table(store_path):
    res = kg(store_path, "pathways", "--domain", "health")
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("Cooperation pathways in Health: 4 of 5 documents")
    lines = res.stdout.splitlines()
    assert lines[1].split() == ["pathway", "share", "documents", "initiatives", "organisations"]
    assert lines[3].split() == ["Institutional", "alignment", "25%", "1", "0", "2"]
    assert "Joint guidance on health data risks (2021; AHO, BCC; risk-mitigation) " \
           "<http://example.org/pages/p1>" in res.stdout
    assert "health: 5 documents and initiatives, 4 with a pathway; 4 organisations" in res.stderr


def test_cli_domain_json_and_csv(store_path):
    data = json.loads(kg(store_path, "pathways", "-d", "health", "--format", "json").stdout)
    assert [o["name"] for o in data["organisations"]] == ["AHO", "BCC", "GFN", "DDB"]
    res = kg(store_path, "pathways", "-d", "health", "--format", "csv", "--top", "1")
    header, row = res.stdout.splitlines()[:2]
    assert header.startswith("organisation,iri,items,tagged,institutional-alignment,")
    assert row.startswith(f"AHO,{EX}alpha,3,3,0,2,2,0,0.5,0.5,")


def test_cli_pair_markdown(store_path):
    res = kg(store_path, "pathways", "--between", "AHO", "--and", "BCC", "--format", "markdown")
    assert res.exit_code == 0, res.output
    assert "## Cooperation pathways of AHO and BCC" in res.stdout
    assert "| Risk mitigation | 2 | 2 | 1 | joint |" in res.stdout


@pytest.mark.parametrize("args, code, message", [
    (["pathways"], 2, "needs --domain"),
    (["pathways", "--between", "AHO"], 2, "go together"),
    (["pathways", "-d", "nowhere-at-all"], 2, "unknown domain"),
], ids=["nothing", "half a pair", "unknown domain"])
def test_cli_usage_errors(store_path, args, code, message):
    res = kg(store_path, *args)
    assert res.exit_code == code
    assert message in res.stderr
