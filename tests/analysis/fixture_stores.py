"""Stores holding small fixture files, shared by the analysis tests."""

from __future__ import annotations

from pathlib import Path

from aicoop.derive import derive
from aicoop.loaders.rdf import load_rdf
from aicoop.store.embedded import EmbeddedStore


def fixture_store(files: list[Path], path: Path | None = None, *,
                  with_derived: bool = True) -> EmbeddedStore:
    """A store (in memory, or on disk at ``path``) holding the fixture files, with the derived
    facts materialised as `kg load` does unless ``with_derived`` is false."""
    store = EmbeddedStore(path)
    load_rdf(store, files)
    if with_derived:
        derive(store)
    return store


def fixture_store_path(tmp_path_factory, name: str, files: list[Path], *,
                       with_derived: bool = True) -> str:
    """An on-disk store holding the fixture files, for driving the CLI with --store."""
    path = tmp_path_factory.mktemp(name) / "store"
    fixture_store(files, path, with_derived=with_derived).close()
    return str(path)
