"""The analyses on the embedded default (the packaged reference graph), as after a fresh
install: ``kg bridges --domain health`` must print a ranked table with evidence, and every
command must work in each of the five priority domains."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aicoop.cli import cli

PRIORITY = ["agriculture", "education", "cybersecurity", "environment", "health"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("reference") / "store")
    res = CliRunner().invoke(cli, ["--store", path, "init"])
    assert res.exit_code == 0, res.output
    return path


def kg(store: str, *args: str):
    return CliRunner().invoke(cli, ["--store", store, *args])


def test_bridges_in_health_with_other_domains_prints_a_ranked_table_with_evidence(reference):
    res = kg(reference, "bridges", "--domain", "health", "--other-domains")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].startswith("rank  organisation")
    assert lines[2].startswith("1 ")
    evidence = res.stdout.split("Evidence (", 1)[1]
    assert "\n     - " in evidence  # at least one document or initiative cited
    assert "ties include joint work in other domains" in res.stderr


@pytest.mark.parametrize("domain", PRIORITY)
def test_default_bridges_rest_only_on_evidence_addressing_the_domain(reference, domain):
    res = kg(reference, "bridges", "--domain", domain, "--top", "0", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    for row in data["rows"]:
        names = {name for name, _ in row["channels"]}
        assert names and names <= {"co-issued", "initiative", "endorsement", "citation"}, row
        assert row["bridge"] and row["betweenness"] > 0 and row["participation"] > 0
        assert row["stability"]["verdict"] in {"stable", "shifts", "fragile"}
    # bridges and gaps agree on the best bridge and on whether there is one
    gaps = json.loads(kg(reference, "gaps", "--domain", domain, "--only", "bridges",
                         "--format", "json").stdout)["bridges"][0]
    assert gaps["best"] == (data["rows"][0]["name"] if data["rows"] else None)
    assert gaps["bridges"] == len(data["rows"])


@pytest.mark.parametrize("domain", PRIORITY)
@pytest.mark.parametrize("command", [["bridges"], ["complementarity"], ["gaps"],
                                     ["paths", "--from", "NATO", "--to", "WHO"]],
                         ids=lambda c: c[0])
def test_every_command_works_in_every_priority_domain(reference, command, domain):
    res = kg(reference, *command, "--domain", domain)
    assert res.exit_code == 0, res.output
