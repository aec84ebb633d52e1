"""What every command shares: the store location, opening it, and the default build."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click


@dataclass
class Context:
    store_location: str | None = None
    debug: bool = False
    #: seconds a writer waits for another writer to finish (0: fail at once)
    wait: float = 0.0
    #: seconds a request to a remote endpoint may take
    remote_timeout: float = 60.0
    _store: Any = field(default=None, repr=False)
    _writable: bool = field(default=False, repr=False)

    def location(self) -> str:
        import os

        from ..store import default_store_path
        return self.store_location or os.environ.get("KG_STORE") or str(default_store_path())

    def store(self, *, build_default: bool = True, write: bool = False) -> Any:
        """Open the store: read-only unless ``write`` (so readers never block each other or a
        writer), building the embedded default from the packaged reference data the first
        time a command needs it, or again if a first build was interrupted."""
        if self._store is not None and (self._writable or not write):
            return self._store
        self.close()
        from ..store import is_remote
        loc = self.location()
        if is_remote(loc):
            from ..store.remote import RemoteStore
            self._store, self._writable = RemoteStore(loc, timeout=self.remote_timeout), True
            return self._store
        from ..store.embedded import EmbeddedStore
        from ..store.marker import StoreState, begin_build, finish_build, store_state
        path = Path(loc)
        state = store_state(path)
        if state is StoreState.FOREIGN:
            from ..errors import UsageError
            raise UsageError(f"{path} is not empty and is not a kg store; give --store an "
                             "empty or new folder, or an existing store")
        if build_default and state in (StoreState.ABSENT, StoreState.INCOMPLETE):
            begin_build(path)
            store = EmbeddedStore(path, wait=self.wait)
            if store_state(path) is StoreState.INCOMPLETE:  # re-read under the writer's lock
                self._build(store, path, again=state is StoreState.INCOMPLETE)
                finish_build(path, store)
            self._store, self._writable = store, True
            return store
        if write or state is StoreState.ABSENT:
            self._store, self._writable = EmbeddedStore(path, wait=self.wait), True
        else:
            self._store, self._writable = EmbeddedStore(path, read_only=True), False
        return self._store

    def _build(self, store: Any, path: Path, *, again: bool) -> None:
        from ..reference import build_reference
        if again:
            click.echo(f"kg: the store at {path} was left half-built by an interrupted first "
                       "run; building it again…", err=True)
            store.raw.clear()
        else:
            click.echo(f"kg: building the default store at {path} from the packaged "
                       "reference data (first run)…", err=True)
        summary = build_reference(store)
        click.echo(f"kg: {summary}", err=True)
        from ..validation import validate_store
        report = validate_store(store)
        if report.conforms:
            click.echo(f"kg: the reference graph conforms to the shapes "
                       f"({len(report.warnings)} warnings)", err=True)
        else:
            click.echo(f"kg: warning: the reference graph has {len(report.errors)} "
                       "SHACL violations; run `kg validate` for details", err=True)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
            self._writable = False


def get_context(ctx: click.Context) -> Context:
    obj = ctx.find_root().obj
    if obj is None:
        obj = ctx.find_root().obj = Context()
    ctx.call_on_close(obj.close)
    return obj


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def write_out(text: str | bytes) -> None:
    if isinstance(text, bytes):
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
    else:
        click.echo(text, nl=False)
