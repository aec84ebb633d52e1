"""``kg annotate`` and ``kg load text`` driven as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aicoop.cli import cli


@pytest.fixture
def corpus(tmp_path: Path, make_pdf) -> Path:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a-health.txt").write_text(
        "AI in Hospitals\n\nHospitals use AI to triage patients. Patients and clinicians need "
        "health data protected. The WHO issued guidance on AI for health.\n", encoding="utf-8")
    make_pdf("corpus/b-schools.pdf", [["AI in Schools"],
                                         ["Schools and teachers use AI with students.",
                                          "Students learn; teachers teach; education changes."]])
    (folder / "c-broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    (folder / "d-empty.txt").write_bytes(b"")
    (folder / "sub" / "e-latin1.txt").write_bytes(
        "L'intelligence artificielle aide les agriculteurs: cultures, élevage et pêche."
        .encode("latin-1"))
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    return folder


def test_annotate_reports_bad_files_by_name_and_goes_on(corpus: Path) -> None:
    result = CliRunner().invoke(cli, ["annotate", str(corpus)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["source"]).name for r in records] == \
        ["a-health.txt", "b-schools.pdf", "e-latin1.txt"]
    stderr = result.stderr
    assert f"kg: error: {corpus / 'c-broken.pdf'}: damaged or not a PDF" in stderr
    assert f"kg: error: {corpus / 'd-empty.txt'}: empty file (0 bytes)" in stderr
    assert f"kg: warning: {corpus / 'sub' / 'e-latin1.txt'}: not valid UTF-8" in stderr
    assert "skipped 1 file(s) of other types" in stderr and "notes.docx" in stderr
    assert "annotated 3 of 5 file(s), 2 failed" in stderr


def test_annotate_record_shape(corpus: Path) -> None:
    result = CliRunner().invoke(cli, ["annotate", str(corpus / "a-health.txt")])
    assert result.exit_code == 0, result.output
    (rec,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert list(rec) == ["source", "title", "language", "domains", "risks", "benefits",
                         "organisations"]
    assert (rec["title"], rec["language"]) == ("AI in Hospitals", "en")
    health = rec["domains"][0]
    assert health["notation"] == "health" and health["addresses"] is True
    assert health["iri"] == "https://w3id.org/aicoop/id/domain/health"
    assert set(health) == {"notation", "iri", "score", "addresses", "mentions", "in_context",
                           "evidence"}
    # every sentence names AI, or data ("… need health data protected.")
    assert (health["mentions"], health["in_context"]) == (7, 7)
    text = (corpus / "a-health.txt").read_text(encoding="utf-8")
    for ev in health["evidence"]:
        assert text[ev["start"]:ev["end"]] == ev["quote"]
    assert [o["notation"] for o in rec["organisations"]] == ["who"]


def test_annotate_in_input_order_and_as_a_table(corpus: Path) -> None:
    files = [str(corpus / "sub" / "e-latin1.txt"), str(corpus / "a-health.txt")]
    result = CliRunner().invoke(cli, ["annotate", *files])
    assert [json.loads(x)["source"] for x in result.stdout.splitlines()] == files
    table = CliRunner().invoke(cli, ["annotate", "--format", "table", *files])
    lines = table.stdout.splitlines()
    assert lines[0].split()[:4] == ["source", "title", "language", "domains"]
    assert "agriculture" in lines[2] and "fr" in lines[2]
    assert "health" in lines[3]


def test_annotate_missing_path_fails(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["annotate", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "no such file or folder" in result.stderr


def test_load_text_then_reload_is_idempotent(corpus: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    args = ["--store", store, "load", "text", str(corpus / "a-health.txt"),
            str(corpus / "b-schools.pdf")]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert "addresses: health" in first.stderr
    from aicoop.store import open_store

    def snapshot() -> tuple[int, set[str]]:
        s = open_store(store)
        try:
            graphs = {g.iri for g in s.graphs() if "/graph/text/" in g.iri}
            n = sum(g.triples for g in s.graphs() if g.iri in graphs)
            return n, graphs
        finally:
            s.close()

    before = snapshot()
    assert len(before[1]) == 2
    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert snapshot() == before


def test_load_text_needs_register_and_mapping_together(corpus: Path, tmp_path: Path) -> None:
    reg = tmp_path / "r.csv"
    reg.write_text("key\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "load", "text",
                                      str(corpus / "a-health.txt"), "--register", str(reg)])
    assert result.exit_code == 2
    assert "--register and --mapping go together" in result.output + result.stderr


def test_load_text_into_a_store_without_technology_labels_uses_the_packaged_ones(
        corpus: Path, tmp_path: Path) -> None:
    from aicoop.loaders.rdf import load_rdf
    from aicoop.resources import vocabulary_files
    from aicoop.store import open_store
    store = str(tmp_path / "old-store")
    s = open_store(store)
    try:  # a store loaded before the technologies scheme existed
        load_rdf(s, [f for f in vocabulary_files() if f.stem == "domains"])
    finally:
        s.close()
    result = CliRunner().invoke(cli, ["--store", store, "load", "--no-derive", "text",
                                      str(corpus / "a-health.txt")])
    assert result.exit_code == 0, result.output
    assert "no technology vocabulary in the store; using the packaged one" in result.stderr
    assert "addresses: health" in result.stderr


def test_load_text_with_a_broken_file_loads_the_others_and_still_derives(
        corpus: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    result = CliRunner().invoke(cli, ["--store", store, "load", "text",
                                      str(corpus / "a-health.txt"), str(corpus / "c-broken.pdf")])
    assert result.exit_code == 1
    assert "loaded 1 of 2 file(s), 1 failed" in result.stderr
    assert "derived " in result.stderr  # the derived graph is rebuilt for the file that loaded
    skipped = CliRunner().invoke(cli, ["--store", store, "load", "--no-derive", "text",
                                       str(corpus / "a-health.txt"),
                                       str(corpus / "c-broken.pdf")])
    assert skipped.exit_code == 1 and "loaded 1 of 2 file(s), 1 failed" in skipped.stderr
    assert "derived " not in skipped.stderr
