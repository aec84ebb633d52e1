"""Text out of PDF, HTML, Markdown and plain-text files, with the title and headings.

Each file is read on its own: a file that cannot be read raises ``ExtractionError`` (naming
the file and what is wrong), so the caller can report it and go on with the others. Problems
that still leave usable text (a file that is not UTF-8, PDF pages without a text layer, an
HTML page whose main content could not be isolated) become warnings on the result.

PDF text comes from pypdfium2 (PDFium), one page at a time so memory stays bounded by the
largest page, not the document. HTML goes through trafilatura, which keeps the main content
and drops navigation, footers and other boilerplate. Both are imported only when needed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...errors import InputError

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html",
           ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}


class ExtractionError(InputError):
    """A file whose text cannot be extracted (encrypted, damaged, empty, no text layer…)."""


@dataclass(frozen=True)
class ExtractedText:
    """The text of one file and where its title and headings are.

    ``headings`` are ``(start, end)`` spans of ``text``; ``title_span`` is where the title
    stands in ``text`` when it is part of it (a first line, a Markdown ``#`` heading), and
    ``None`` when the title comes from metadata (PDF info, HTML ``<title>``)."""

    source: str
    format: str
    text: str
    title: str | None = None
    title_span: tuple[int, int] | None = None
    headings: tuple[tuple[int, int], ...] = ()
    pages: int | None = None
    size: int = 0
    warnings: tuple[str, ...] = field(default=())


# ---- finding files --------------------------------------------------------------------

@dataclass(frozen=True)
class InputFiles:
    files: tuple[Path, ...]
    skipped: tuple[Path, ...]  # files in folders whose extension is not a known format
    missing: tuple[str, ...]


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> InputFiles:
    """Files named on the command line (in order) and, for folders, the files of known
    formats inside them, recursively, sorted by path. Hidden files and folders are skipped."""
    files: list[Path] = []
    skipped: list[Path] = []
    missing: list[str] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if not f.is_file() or any(part.startswith(".") for part in rel):
                    continue
                if f.suffix.lower() in FORMATS:
                    if f not in seen:
                        seen.add(f)
                        files.append(f)
                else:
                    skipped.append(f)
        elif p.is_file():
            if p not in seen:
                seen.add(p)
                files.append(p)
        else:
            missing.append(str(raw))
    return InputFiles(tuple(files), tuple(skipped), tuple(missing))


def detect_format(path: Path, head: bytes) -> str:
    """The format from the extension, or from the first bytes when the extension says
    nothing (``%PDF``, ``<html``, otherwise plain text)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt:
        return fmt
    start = head.lstrip()[:512].lower()
    if start.startswith(b"%pdf"):
        return "pdf"
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start:
        return "html"
    return "text"


def extract(path: str | os.PathLike[str]) -> ExtractedText:
    """Extract the text of one file; ``ExtractionError`` if there is none to be had."""
    p = Path(path)
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise ExtractionError(f"cannot read: {exc.strerror or exc}", source=str(p)) from exc
    if size == 0:
        raise ExtractionError("empty file (0 bytes)", source=str(p))
    fmt = detect_format(p, head)
    if fmt == "pdf":
        result = _extract_pdf(p, size)
    elif fmt == "html":
        result = _extract_html(p, size)
    else:
        text, warnings = decode_text(p.read_bytes(), source=str(p))
        result = _from_plain(str(p), fmt, text, size, warnings)
    if not result.text.strip():
        raise ExtractionError("no text found in the file", source=str(p))
    return result


# ---- plain text and Markdown --------------------------------------------------------------

def decode_text(data: bytes, *, source: str) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8 (with or without BOM); text in another encoding is read as
    Windows-1252 / Latin-1 with a warning, binary data is an error."""
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError as exc:
            raise ExtractionError(f"damaged UTF-16 text: {exc.reason}", source=source) from exc
    if b"\x00" in data[:8192]:
        raise ExtractionError("binary data, not text (NUL bytes found)", source=source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        for enc in ("cp1252", "latin-1"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        warnings.append(f"not valid UTF-8 (byte 0x{bad:02X} at offset {exc.start}); "
                        f"read as {'Windows-1252' if enc == 'cp1252' else 'Latin-1'}")
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_MD_SETEXT = re.compile(r"^([^\n]{2,200})\n {0,3}(=+|-{3,})[ \t]*$", re.M)
_CITED_AS = re.compile(r"may be cited as (?:the )?[\"“'‘]{1,2}([^\"”’\n]{5,200}?)[\"”'’]{1,2}",
                       re.I)
_SECTION_HEADING = re.compile(
    r"(?:^|(?<=[.”\"]))[ \t“\"]*((?:SECTION|SEC\.|Section|Sec\.|ARTICLE|Article|Art\.|CHAPTER|"
    r"Chapter|TITLE|PART|Part|ANNEX|Annex|Chapitre|CHAPITRE|Titre|TITRE|Artículo|ARTÍCULO|"
    r"Capítulo|CAPÍTULO|Anexo|ANEXO|Annexe|ANNEXE)\s+[0-9IVXLC]+[A-Za-z0-9.\-–—:]*"
    r"[^\n]{0,160})$", re.M)
_LINE = re.compile(r"[^\n]+")


def _is_caps_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def find_headings(text: str) -> list[tuple[int, int]]:
    """Spans of lines that look like headings in plain text: section markers ("SEC. 2.",
    "Article 5", "Chapitre III", "Artículo 4") and short lines in capitals (unless most of
    the document is in capitals)."""
    spans: dict[int, int] = {}
    for m in _SECTION_HEADING.finditer(text):
        s, e = m.span(1)
        if len(text[s:e].split()) <= 25:
            spans[s] = e
    lines = [(m.start(), m.end(), m.group()) for m in _LINE.finditer(text)]
    nonblank = [ln for ln in lines if ln[2].strip()]
    caps = [ln for ln in nonblank if _is_caps_line(ln[2])]
    if nonblank and len(caps) <= 0.3 * len(nonblank):
        for s, e, line in caps:
            words = line.split()
            if 1 <= len(words) <= 15 and len(line) <= 150:
                lead = len(line) - len(line.lstrip())
                spans.setdefault(s + lead, e)
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans.items()):
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out


def _looks_like_title(line: str) -> bool:
    """A short line that is not a sentence: few words, no closing punctuation, most long
    words capitalised ("Artificial Intelligence Act", "REGULATION (EU) 2024/1689 …")."""
    words = re.findall(r"[^\W\d_]{2,}", line)
    long_words = [w for w in words if len(w) >= 4]
    if len(words) < 2 or not long_words or len(line.split()) > 25 \
            or line.rstrip()[-1:] in ".,;:":
        return False
    if re.match(r"(?i)(whereas|considérant|considerando)\b", line):
        return False
    return sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


def _plain_title(text: str) -> tuple[str | None, tuple[int, int] | None]:
    m = _CITED_AS.search(text, 0, 5000)
    if m:
        return " ".join(m.group(1).split()), m.span(1)
    for i, m in enumerate(_LINE.finditer(text, 0, 3000)):
        if i >= 8:
            break
        line = m.group().strip()
        if _looks_like_title(line):
            lead = len(m.group()) - len(m.group().lstrip())
            return " ".join(line.split()), (m.start() + lead, m.start() + lead + len(line))
    return None, None


def _from_plain(source: str, fmt: str, text: str, size: int, warnings: list[str],
                *, pages: int | None = None, meta_title: str | None = None) -> ExtractedText:
    if fmt == "markdown":
        headings = [m.span(2) for m in _MD_HEADING.finditer(text)]
        headings += [m.span(1) for m in _MD_SETEXT.finditer(text)]
        headings.sort()
        title = title_span = None
        h1 = next((m for m in _MD_HEADING.finditer(text) if len(m.group(1)) == 1), None)
        if h1:
            title, title_span = h1.group(2).strip(), h1.span(2)
        elif headings:
            title_span = headings[0]
            title = text[title_span[0]:title_span[1]].strip()
    else:
        headings = find_headings(text)
        title, title_span = _plain_title(text)
        if title is None and headings and headings[0][0] < 300:
            title_span = headings[0]  # a leading section heading names the text
            title = " ".join(text[title_span[0]:title_span[1]].split())
    if meta_title and meta_title.strip():
        title, title_span = " ".join(meta_title.split()), None
    return ExtractedText(source, fmt, text, title, title_span, tuple(headings), pages, size,
                         tuple(warnings))


# ---- HTML ---------------------------------------------------------------------------------

def _extract_html(path: Path, size: int) -> ExtractedText:
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ExtractionError("reading HTML needs trafilatura (pip install trafilatura)",
                              source=str(path)) from exc
    data = path.read_bytes()
    warnings: list[str] = []
    text = trafilatura.extract(data, output_format="markdown", include_comments=False,
                               include_tables=True, include_formatting=True, deduplicate=False,
                               favor_recall=True)
    if not text or not text.strip():
        # no main content found: fall back to all visible text rather than nothing
        from trafilatura import html2txt
        text = html2txt(data)
        if text and text.strip():
            warnings.append("no main content found; used all the page's text")
    meta = trafilatura.extract_metadata(data)
    title = meta.title if meta is not None and meta.title else None
    result = _from_plain(str(path), "markdown", (text or "").strip() + "\n", size, warnings,
                         meta_title=title)
    return replace(result, format="html")


# ---- PDF ------------------------------------------------------------------------------------

def _open_pdf(path: Path):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise ExtractionError("encrypted PDF (needs a password); decrypt it first",
                                  source=str(path)) from exc
        raise ExtractionError(f"damaged or not a PDF ({msg})", source=str(path)) from exc


def _page_texts(pdf) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The text of each page, one page in memory at a time."""
    for i in range(len(pdf)):
        page = pdf[i]
        try:
            textpage = page.get_textpage()
            try:
                yield textpage.get_text_bounded()
            finally:
                textpage.close()
        finally:
            page.close()


_NOT_A_TITLE = re.compile(r"(\.(docx?|pdf|rtf|odt|indd)$|^untitled|^microsoft word)", re.I)


def _extract_pdf(path: Path, size: int) -> ExtractedText:
    import pypdfium2 as pdfium

    chunks: list[str] = []
    empty = total = 0
    warnings: list[str] = []
    pdf = _open_pdf(path)
    try:
        try:
            title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        except pdfium.PdfiumError:
            title = None
        if title and (_NOT_A_TITLE.search(title) or len(title.split()) < 2):
            title = None
        try:
            for page_text in _page_texts(pdf):
                total += 1
                page_text = page_text.replace("\r\n", "\n").replace("\r", "\n")
                if not page_text.strip():
                    empty += 1
                chunks.append(page_text)
        except pdfium.PdfiumError as exc:
            if not chunks:
                raise ExtractionError(f"damaged PDF ({exc})", source=str(path)) from exc
            warnings.append(f"damaged PDF: stopped after page {total} ({exc})")
    finally:
        pdf.close()
    if total == 0:
        raise ExtractionError("PDF has no pages (damaged or truncated?)", source=str(path))
    if empty == total:
        raise ExtractionError(f"no text layer on any of its {total} page(s) (a scanned PDF? "
                              "run OCR first)", source=str(path))
    if empty:
        warnings.append(f"{empty} of {total} pages have no text layer (scanned?)")
    text = "\n\n".join(chunks)
    return _from_plain(str(path), "pdf", text, size, warnings, pages=total, meta_title=title)
