"""``kg bridges``, ``paths``, ``complementarity``, ``gaps`` and ``report`` on the fictional
network, driven through the CLI."""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest
from click.testing import CliRunner

from aicoop.cli import cli

PRIORITY = ["agriculture", "education", "cybersecurity", "environment", "health"]


@pytest.fixture(scope="module")
def kg(network_path):
    def run(*args: str):
        return CliRunner().invoke(cli, ["--store", network_path, *args])
    return run


# ---- bridges ------------------------------------------------------------------------------

def test_bridges_ranks_the_organisations_that_link_the_two_groups(kg):
    res = kg("bridges", "--domain", "health", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    ranked = [r["name"] for r in data["rows"]]
    # Delta and Eta are the only ties between the two clusters; Theta hangs off Delta
    assert ranked[:2] == ["DDB", "EP"]
    top = data["rows"][0]
    assert top["articulation"] is True
    assert set(top["connects"]) == {"C1", "C2"}
    assert top["evidence"][0]["title"] == "Investment guide for digital health"
    assert [c["name"] for c in data["communities"]] == ["C1", "C2"]


def test_bridges_table_shows_ranks_communities_and_evidence(kg):
    res = kg("bridges", "--domain", "health", "--top", "3")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].split()[:4] == ["rank", "organisation", "kind", "score"]
    assert lines[2].split()[:2] == ["1", "DDB"]
    assert "Communities (Louvain, seed 42):" in res.stdout
    assert "- Investment guide for digital health (DDB, EP)" in res.stdout
    # Alpha–Beta–Gamma (C1, with Eta) and Delta–Epsilon–Zeta–Theta (C2) meet only through
    # Eta–Delta: Eta and Delta are the two bridges; Alpha lies on paths but all its ties stay
    # in C1 (participation 0), so it is not a bridge
    assert ("health (all years): 8 organisations, 9 ties, 2 communities of tied "
            "organisations; 2 bridge(s) shown") in res.stderr
    assert "Active in health but bridging nothing (6): " in res.stdout


def test_bridges_is_deterministic(kg):
    runs = {kg("bridges", "-d", "health", "--format", "csv").stdout for _ in range(3)}
    assert len(runs) == 1


def test_bridges_csv_has_one_row_per_bridge(kg):
    res = kg("bridges", "-d", "health", "--top", "0", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    # only the two brokers (see above); everyone else is named apart, not ranked as a bridge
    assert [r["iri"] for r in rows] == ["http://example.org/org/delta",
                                        "http://example.org/org/eta"]
    # Delta: hd3 (with Epsilon) 1, hd6 (with Eta) 1, hd7 (with Theta) 1 -> co-issued 3;
    # hi1 with Zeta -> initiative 1; Zeta endorses hd3 (Delta + Epsilon) -> 0.5/2 = 0.25
    assert rows[0]["channels"] == "co-issued=3 initiative=1 endorsement=0.25"


def test_bridges_by_kind(kg):
    res = kg("bridges", "-d", "health", "--communities", "kind", "--format", "json")
    assert res.exit_code == 0, res.output
    assert "development-bank" in {c["name"] for c in json.loads(res.stdout)["communities"]}


def test_explain_shows_each_tie_with_its_evidence(kg):
    res = kg("bridges", "-d", "health", "--explain", "DDB")
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("DDB (Delta Development Bank), development-bank: rank 1 of 8")
    assert "EP (C1, other community): weight 1, share 0.24" in res.stdout
    assert "TDA (C2, same community, security-sensitive)" in res.stdout
    assert "- Medical logistics resilience framework (DDB, TDA)" in res.stdout
    assert "Pairs whose shortest paths run through DDB" in res.stdout


def test_explain_json(kg):
    data = json.loads(kg("bridges", "-d", "health", "--explain", "Eta Partnership for Health AI",
                         "--format", "json").stdout)
    assert data["row"]["name"] == "EP"
    assert [t["neighbour_name"] for t in data["ties"]] == ["AHO", "DDB"]


@pytest.mark.parametrize(("args", "message"), [
    (["bridges", "-d", "helth"], "unknown domain 'helth'; did you mean health?"),
    (["bridges", "-d", "health", "--explain", "DBB"], "unknown organisation 'DBB'; did you mean"),
    (["bridges", "-d", "health", "--explain", "KRU"], "'KRU' is not active in health"),
    (["paths", "--from", "ZZZ", "--to", "AHO"], "unknown organisation 'ZZZ'"),
    (["paths", "--from", "AHO", "--to", "AHO"], "name the same actor"),
    (["complementarity", "-d", "agricultur"], "did you mean agriculture?"),
    (["gaps", "-d", "enviroment"], "did you mean environment?"),
    (["report", "-d", "hea1th", "--out", "x.html"], "did you mean health?"),
], ids=["domain", "organisation", "inactive", "path-end", "same-ends", "complementarity",
        "gaps", "report"])
def test_unknown_names_get_a_clear_error_with_suggestions(kg, args, message):
    res = kg(*args)
    assert res.exit_code == 2
    assert message in res.stderr


def test_unknown_organisation_suggests_the_closest(kg):
    res = kg("bridges", "-d", "health", "--explain", "DBB")
    assert "DDB" in res.stderr


# ---- paths --------------------------------------------------------------------------------

def test_paths_with_evidence_per_hop(kg):
    res = kg("paths", "--from", "GF", "--to", "TDA", "--k", "2", "--format", "json")
    assert res.exit_code == 0, res.output
    paths = json.loads(res.stdout)["paths"]
    assert [p["names"] for p in paths] == [["GF", "ZRN", "DDB", "TDA"],
                                           ["GF", "ZRN", "ESI", "DDB", "TDA"]]
    last = paths[0]["hops"][-1]
    assert last["sensitive"] is True
    assert last["evidence"][0]["title"] == "Medical logistics resilience framework"


def test_paths_from_a_state_through_its_memberships(kg):
    res = kg("paths", "--from", "Aaland", "--to", "ZRN", "--domain", "health")
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("1. Aaland → DDB → ZRN  (cost 1.8, 2 hops)")
    assert "membership 1 (Aaland: member of DDB)" in res.stdout


def test_security_penalty_and_avoid_security(kg):
    def names(*extra):
        res = kg("paths", "--from", "ESI", "--to", "DDB", "--format", "json", *extra)
        assert res.exit_code == 0, res.output
        return [p["names"] for p in json.loads(res.stdout)["paths"]]
    # no penalty: ESI–TDA (cy1, 1) then TDA–DDB (hd7 1 + shared members 1/3):
    # 1/1 + 1/(4/3) = 1.75, third after ESI–DDB (1) and ESI–ZRN–DDB (0.8 + 0.8 = 1.6)
    assert names("--security-penalty", "1", "--k", "3")[2] == ["ESI", "TDA", "DDB"]
    # default penalty 4: 1/(1/4) + 1/((4/3)/4) = 4 + 3 = 7: no longer among the best three
    assert ["ESI", "TDA", "DDB"] not in names("--k", "3")
    # avoided: never, however many paths are asked for
    assert all("TDA" not in p for p in names("--avoid-security", "--k", "10"))


# ---- complementarity and gaps -------------------------------------------------------------

def test_complementarity_pairs_different_functions_with_real_ties(kg):
    res = kg("complementarity", "-d", "health", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    pairs = data["pairs"]
    first = pairs[0]
    # Delta (financing) + Zeta (research-data): difference 1, tie 1.25 -> 1.25/2.25 = 5/9
    assert (first["a_name"], first["b_name"]) == ("DDB", "ZRN")
    assert first["score"] == pytest.approx(5 / 9) and first["status"] == "realised"
    assert first["a_brings"] == ["financing"] and first["b_brings"] == ["research-data"]
    # Beta and Delta share members only: no joint work, so a potential pair, never realised
    assert all({p["a_name"], p["b_name"]} != {"Beta Council", "DDB"} for p in pairs)
    bd = next(p for p in data["potential"]
              if {p["a_name"], p["b_name"]} == {"Beta Council", "DDB"})
    assert bd["status"] == "potential" and bd["tie_weight"] == 0 and bd["shared_members"] == 2
    assert any("2 member States in common" in c for c in bd["connectors"])


def test_gaps_finds_unmitigated_risks_and_unbridged_domains(kg):
    res = kg("gaps", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    gaps = {(r["domain"], r["risk"]) for r in data["risks"] if r["gap"]}
    assert ("health", "bias") in gaps and ("health", "privacy") not in gaps
    status = {d["domain"]: d["status"] for d in data["bridges"]}
    assert status["health"] == "bridged"
    assert status["environment"] == "no ties"
    assert status["trade"] == "no organisations"
    matrix = {o["name"]: o["counts"] for o in data["coverage"]["organisations"]}
    assert matrix["DDB"]["health"] == 4  # hd3, hd6, hd7 + initiative hi1


def test_gaps_csv_needs_one_section(kg):
    res = kg("gaps", "--format", "csv")
    assert res.exit_code == 2 and "--only" in res.stderr
    res = kg("gaps", "--format", "csv", "--only", "coverage")
    assert res.exit_code == 0 and res.stdout.startswith("organisation,agriculture,")


# ---- every command on every priority domain -----------------------------------------------

@pytest.mark.parametrize("domain", PRIORITY)
@pytest.mark.parametrize("command", [
    ["bridges"], ["bridges", "--format", "markdown"], ["complementarity"], ["gaps"],
    ["paths", "--from", "ZRN", "--to", "AHO"]], ids=lambda c: "-".join(c))
def test_every_command_works_in_every_priority_domain(kg, command, domain):
    res = kg(*command, "--domain", domain)
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("domain", PRIORITY)
def test_html_report(kg, tmp_path, domain):
    out = tmp_path / f"{domain}.html"
    res = kg("report", "--domain", domain, "--out", str(out))
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("data:image/png;base64,") == 2
    png = page.split("data:image/png;base64,")[1].split('"')[0]
    assert base64.b64decode(png)[:8] == b"\x89PNG\r\n\x1a\n"


def test_markdown_report_writes_figures_next_to_it(kg, tmp_path):
    out = tmp_path / "health.md"
    res = kg("report", "--domain", "health", "--out", str(out))
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert "![Network of the organisations active in Health](health-network.png)" in text
    assert "| 1 | DDB |" in text
    assert (tmp_path / "health-network.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "health-coverage.png").exists()


def test_report_escapes_what_it_renders(tmp_path):
    from aicoop.analysis.report import _html_link
    from aicoop.analysis.fetch import EvidenceItem
    item = EvidenceItem("x:1", "document", "<script>alert(1)</script>", url="javascript:alert(1)")
    assert _html_link(item) == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_report_has_caveats_leads_method_and_agrees_with_bridges_and_gaps(kg, tmp_path):
    out = tmp_path / "health.md"
    assert kg("report", "--domain", "health", "--out", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    # the two bridges of the fixture (DDB, EP; see the bridges tests) in the same order
    bridges = json.loads(kg("bridges", "-d", "health", "--format", "json").stdout)["rows"]
    assert [r["name"] for r in bridges] == ["DDB", "EP"]
    assert "The strongest bridges between groups are DDB, EP." in text
    gaps = json.loads(kg("gaps", "-d", "health", "--only", "bridges", "--format",
                         "json").stdout)["bridges"][0]
    assert gaps["best"] == "DDB" and gaps["bridges"] == 2
    assert "> **Caveats**" in text
    # 8 organisations, 9 ties; every organisation of the fixture has a tie in health
    assert "Only evidence that addresses Health counts (all years): 8 organisations, 9 ties; " \
           "0 organisation(s) have no tie" in text
    assert "6 active organisation(s) bridge nothing here" in text
    # leads: DDB 4 items, then AHO and ZRN with 3 (see test_leads_on_the_fixture)
    assert "## Lead actors" in text and "| 1 | DDB | 3 | 1 | 0 |" in text
    assert "## Method" in text and "## Cooperation pathways" in text


def test_paths_name_each_hops_channels_and_flag_membership_only_paths(kg):
    res = kg("paths", "--from", "Aaland", "--to", "ZRN", "--domain", "health", "--k", "3",
             "--format", "json")
    assert res.exit_code == 0, res.output
    paths = json.loads(res.stdout)["paths"]
    first = paths[0]
    # Aaland → DDB is a membership; DDB → ZRN rests on hi1 and Zeta's endorsement of hd3
    assert [h["channel_names"] for h in first["hops"]] == [
        ["membership"], ["initiative", "endorsement"]]
    assert first["membership_only"] is False
    # a path whose every hop is a membership or shared members says so
    only = kg("paths", "--from", "Aaland", "--to", "DDB", "--domain", "health")
    assert "memberships only: no joint work on this path" in only.stdout.splitlines()[0]
