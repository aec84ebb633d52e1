"""Text extraction per format, and a clear error (not a crash) for each kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from aicoop.loaders.text.extract import (ExtractionError, collect_files, decode_text, extract,
                                          find_headings)

ARTICLE = """<!DOCTYPE html>
<html><head><title>AI in Public Health: A Guide</title></head>
<body>
<header><nav><a href="/">Home</a> | <a href="/about">About us</a> | <a href="/news">News</a></nav></header>
<aside class="sidebar">Subscribe to our newsletter for weekly updates!</aside>
<main><article>
<h1>AI in Public Health</h1>
<p>Hospitals are starting to use artificial intelligence to triage patients in emergency
departments, and ministries of health use it to forecast epidemics from surveillance data.</p>
<h2>Risks for patients</h2>
<p>Health data is sensitive: clinical records must be protected, and models trained on one
population may fail on another. Regulators should require evaluation before deployment in
hospitals, and continuous monitoring afterwards, so that patients are not harmed.</p>
<p>Public health agencies should share evaluation results so that smaller hospitals can learn
from them, and patients should be told when an algorithm took part in their care.</p>
</article></main>
<footer>Copyright 2024 Example Org. Cookie policy. Terms of use. Contact.</footer>
</body></html>
"""


def test_plain_text_with_title_and_headings(tmp_path: Path) -> None:
    f = tmp_path / "bill.txt"
    f.write_text("SECTION 1. SHORT TITLE.\nThis Act may be cited as the “Farm AI Act”.\n"
                 "SEC. 2. GRANTS FOR FARMERS.\nThe Secretary shall award grants.\n",
                 encoding="utf-8")
    doc = extract(f)
    assert doc.format == "text"
    assert doc.title == "Farm AI Act"
    assert doc.text[doc.title_span[0]:doc.title_span[1]] == "Farm AI Act"
    headings = [doc.text[s:e] for s, e in doc.headings]
    assert headings == ["SECTION 1. SHORT TITLE.", "SEC. 2. GRANTS FOR FARMERS."]


def test_markdown_headings_and_title(tmp_path: Path) -> None:
    f = tmp_path / "note.md"
    f.write_text("# Santé et IA\n\nIntro.\n\n## Les hôpitaux\n\nTexte.\n", encoding="utf-8")
    doc = extract(f)
    assert doc.format == "markdown"
    assert doc.title == "Santé et IA"
    assert [doc.text[s:e] for s, e in doc.headings] == ["Santé et IA", "Les hôpitaux"]


def test_html_keeps_main_content_and_drops_boilerplate(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(ARTICLE, encoding="utf-8")
    doc = extract(f)
    assert doc.format == "html"
    assert doc.title.startswith("AI in Public Health")
    assert "triage patients" in doc.text
    assert "Health data is sensitive" in doc.text
    for boilerplate in ("Subscribe to our newsletter", "Cookie policy", "About us"):
        assert boilerplate not in doc.text
    assert "Risks for patients" in [doc.text[s:e] for s, e in doc.headings]


def test_pdf_pages_and_metadata_title(make_pdf) -> None:
    f = make_pdf("report.pdf", [["AI for Health (report)", "Hospitals and patients use AI."],
                                ["Page two: farmers and crops."]], title="AI and Health Report")
    doc = extract(f)
    assert doc.format == "pdf" and doc.pages == 2
    assert doc.title == "AI and Health Report"
    assert "Hospitals and patients use AI." in doc.text
    assert "farmers and crops" in doc.text
    assert doc.warnings == ()


def test_pdf_with_some_pages_scanned_warns(make_pdf) -> None:
    doc = extract(make_pdf("mixed.pdf", [["Some text here."], []]))
    assert doc.warnings == ("1 of 2 pages have no text layer (scanned?)",)


@pytest.mark.parametrize("kind, message", [
    ("encrypted", "encrypted PDF (needs a password)"),
    ("scanned", "no text layer on any of its 2 page(s)"),
    ("truncated", "damaged or not a PDF"),
    ("not-a-pdf", "damaged or not a PDF"),
], ids=["encrypted", "scanned", "truncated", "not-a-pdf"])
def test_bad_pdfs_give_a_clear_error(make_pdf, tmp_path: Path, kind: str, message: str) -> None:
    if kind == "encrypted":
        f = make_pdf("x.pdf", [["secret"]], encrypted=True)
    elif kind == "scanned":
        f = make_pdf("x.pdf", [[], []])
    elif kind == "truncated":
        good = make_pdf("good.pdf", [["Some text"], ["More text"]]).read_bytes()
        f = tmp_path / "x.pdf"
        f.write_bytes(good[: len(good) // 2])
    else:
        f = tmp_path / "x.pdf"
        f.write_bytes(b"%PDF-1.7\nthis is not really a PDF\n")
    with pytest.raises(ExtractionError) as err:
        extract(f)
    assert message in str(err.value)
    assert err.value.source == str(f)


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    with pytest.raises(ExtractionError, match="empty file"):
        extract(f)


def test_whitespace_only_file_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "blank.md"
    f.write_text("  \n\n \t\n", encoding="utf-8")
    with pytest.raises(ExtractionError, match="no text found"):
        extract(f)


def test_latin1_text_is_read_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "latin1.txt"
    f.write_bytes("La santé des élèves à l'école.".encode("latin-1"))
    doc = extract(f)
    assert doc.text == "La santé des élèves à l'école."
    assert doc.warnings == ("not valid UTF-8 (byte 0xE9 at offset 7); read as Windows-1252",)


def test_binary_data_is_an_error() -> None:
    with pytest.raises(ExtractionError, match="binary data"):
        decode_text(b"\x00\x01\x02abc", source="x.txt")


def test_utf8_bom_and_crlf() -> None:
    text, warnings = decode_text("\ufeffLine one\r\nLine two".encode("utf-8"), source="x")
    assert (text, warnings) == ("Line one\nLine two", [])


def test_format_sniffed_without_extension(make_pdf, tmp_path: Path) -> None:
    pdf = make_pdf("report", [["Hello from a PDF without extension."]])
    assert extract(pdf).format == "pdf"
    html = tmp_path / "page"
    html.write_text(ARTICLE, encoding="utf-8")
    assert extract(html).format == "html"


def test_folders_are_searched_recursively_and_other_files_reported(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("a.txt", "b/c.md", "b/d.pdf", "b/e.docx", ".hidden.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = collect_files([tmp_path, tmp_path / "a.txt", tmp_path / "missing.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == \
        ["a.txt", "b/c.md", "b/d.pdf"]
    assert [p.name for p in found.skipped] == ["e.docx"]
    assert found.missing == (str(tmp_path / "missing.txt"),)


def test_all_capitals_document_has_no_capital_headings() -> None:
    text = "\n".join(["WHENEVER A CONTROLLER MAKES A DECISION"] * 10)
    assert find_headings(text) == []
