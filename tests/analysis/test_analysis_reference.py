"""The analyses on the embedded default (the packaged reference graph), as after a fresh
install: ``kg bridges --domain health`` must print a ranked table with evidence, and every
command must work in each of the five priority domains."""

from __future__ import annotations

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


def test_bridges_in_health_prints_a_ranked_table_with_evidence(reference):
    res = kg(reference, "bridges", "--domain", "health")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].startswith("rank  organisation")
    assert lines[2].startswith("1 ")
    evidence = res.stdout.split("Evidence (", 1)[1]
    assert "\n     - " in evidence  # at least one document or initiative cited


@pytest.mark.parametrize("domain", PRIORITY)
@pytest.mark.parametrize("command", [["bridges"], ["complementarity"], ["gaps"],
                                     ["paths", "--from", "NATO", "--to", "WHO"]],
                         ids=lambda c: c[0])
def test_every_command_works_in_every_priority_domain(reference, command, domain):
    res = kg(reference, *command, "--domain", domain)
    assert res.exit_code == 0, res.output
