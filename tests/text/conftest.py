"""Fixtures for the text loader: PDFs made on the fly, the test vocabulary, an annotator."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from .pdfwriter import write_pdf

DATA = Path(__file__).resolve().parents[1] / "data" / "text"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str, pages: Sequence[Sequence[str]], **kwargs: object) -> Path:
        return write_pdf(tmp_path / name, pages, **kwargs)  # type: ignore[arg-type]
    return make


@pytest.fixture(scope="session")
def test_vocabulary():
    from aicoop.loaders.text.vocabulary import organisations_from_csv, vocabulary_from_files
    return vocabulary_from_files([DATA / "vocab.ttl"]).merged(
        organisations_from_csv(DATA / "organisations.csv"))


@pytest.fixture(scope="session")
def annotator(test_vocabulary):
    from aicoop.loaders.text.annotate import Annotator
    return Annotator(test_vocabulary)


@pytest.fixture(scope="session")
def agora_dir() -> Path:
    """The AGORA dataset in ../shared/data (skips when absent)."""
    path = SHARED / "agora"
    if not (path / "documents.csv").is_file():
        pytest.skip("../shared/data/agora is not present")
    return path
