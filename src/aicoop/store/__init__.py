"""Open a store from a location: a folder path (embedded) or an http(s) URL (remote)."""

from __future__ import annotations

import os
from pathlib import Path

from .base import GraphInfo, LoadResult, SelectResult, Store, term_value

__all__ = ["GraphInfo", "LoadResult", "SelectResult", "Store", "term_value",
           "default_store_path", "open_store", "is_remote"]


def default_store_path() -> Path:
    """Where the embedded store lives unless ``--store`` or ``KG_STORE`` says otherwise:
    ``$XDG_DATA_HOME/aicoop/store`` (``~/.local/share/aicoop/store`` by default)."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "aicoop" / "store"


def is_remote(location: str | os.PathLike[str]) -> bool:
    return str(location).startswith(("http://", "https://"))


def open_store(location: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> Store:
    """Open the store at ``location`` (path or URL), ``$KG_STORE``, or the default path."""
    loc = location if location is not None else os.environ.get("KG_STORE") or default_store_path()
    if is_remote(loc):
        from .remote import RemoteStore
        return RemoteStore(str(loc))
    from .embedded import EmbeddedStore
    return EmbeddedStore(Path(loc), read_only=read_only)
