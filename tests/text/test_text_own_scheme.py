"""kg annotate --vocabulary with a user's own SKOS scheme: concepts linked to a domain, risk or
benefit count for it; the others are listed with the reason they are not looked for."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from aicoop.cli import cli
from aicoop.loaders.text.vocabulary import default_vocabulary

OWN = Path(__file__).resolve().parents[1] / "data" / "text" / "own-scheme.ttl"
# "polyclinic networks" is a label of the user's concept only (broadMatch: health)
TEXT = ("National plan\n\nArtificial intelligence systems will support polyclinic networks "
        "across the country, and AI tools will help polyclinic networks plan their work.\n")


def test_the_packaged_vocabularies_need_no_note():
    assert default_vocabulary().notes == ()


def test_a_concept_of_a_users_scheme_counts_for_the_domain_it_matches(tmp_path):
    doc = tmp_path / "plan.txt"
    doc.write_text(TEXT, encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(cli, ["annotate", str(doc), "--format", "table"])
    assert plain.exit_code == 0 and "health" not in plain.stdout
    own = runner.invoke(cli, ["annotate", str(doc), "--format", "table", "--vocabulary",
                              str(OWN)])
    assert own.exit_code == 0 and "health" in own.stdout
    # the unlinked concept is named with the reason and the fix
    assert "scheme <https://example.org/sectors/scheme>: 1 concept(s) count" in own.stderr
    assert "1 concept(s) are not looked for" in own.stderr
    assert "skos:exactMatch" in own.stderr
