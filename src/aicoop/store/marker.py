"""Whether an embedded store folder holds a complete store.

A first build writes ``kg-build-incomplete`` before anything else and, once every graph is
committed and flushed, the completion marker ``kg-store.json`` (atomically, by rename) and
then removes the first file. A folder that still has ``kg-build-incomplete`` was interrupted
and is built again. RocksDB ignores files it does not know, so both live in the store folder.
"""

from __future__ import annotations

import enum
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import __version__

INCOMPLETE = "kg-build-incomplete"
COMPLETE = "kg-store.json"
#: a file every RocksDB (so every Oxigraph) store folder has
_ROCKSDB = "CURRENT"


class StoreState(enum.Enum):
    ABSENT = "absent"            # no folder, or an empty one: build from scratch
    INCOMPLETE = "incomplete"    # a first build began and did not finish: build again
    READY = "ready"              # a store (complete, or made by other means such as the API)
    FOREIGN = "foreign"          # a non-empty folder that is not a store: refuse it


def store_state(path: Path) -> StoreState:
    if not path.exists():
        return StoreState.ABSENT
    if not path.is_dir():
        return StoreState.FOREIGN
    if (path / INCOMPLETE).exists():
        return StoreState.INCOMPLETE
    if (path / _ROCKSDB).exists() or (path / COMPLETE).exists():
        return StoreState.READY
    if not any(p for p in path.iterdir() if not p.name.startswith("kg-")):
        return StoreState.ABSENT  # empty, or only a marker's temporary file
    return StoreState.FOREIGN


def begin_build(path: Path) -> None:
    """Mark ``path`` as being built, before the store itself is created."""
    path.mkdir(parents=True, exist_ok=True)
    _write_durably(path / INCOMPLETE, b"a first build of this store has not finished\n")


def finish_build(path: Path, store: Any) -> None:
    """Flush ``store`` and mark the build complete: the last thing a build does."""
    store.raw.flush()
    info = {"built_by": f"kg {__version__}",
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    _write_durably(path / COMPLETE, json.dumps(info, indent=1).encode())
    (path / INCOMPLETE).unlink(missing_ok=True)
    _sync_dir(path)


def _write_durably(target: Path, data: bytes) -> None:
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    _sync_dir(target.parent)


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
