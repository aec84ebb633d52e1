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
    _store: Any = field(default=None, repr=False)

    def store(self, *, build_default: bool = True) -> Any:
        """Open the store, building the embedded default from the packaged reference data
        the first time a command needs it (announced on stderr)."""
        if self._store is not None:
            return self._store
        import os

        from ..store import default_store_path, is_remote, open_store
        loc = self.store_location or os.environ.get("KG_STORE") or str(default_store_path())
        fresh = not is_remote(loc) and not Path(loc).exists()
        self._store = open_store(loc)
        if fresh and build_default:
            from ..reference import build_reference
            click.echo(f"kg: building the default store at {loc} from the packaged "
                       "reference data (first run)…", err=True)
            summary = build_reference(self._store)
            click.echo(f"kg: {summary}", err=True)
            from ..validation import validate_store
            report = validate_store(self._store)
            if report.conforms:
                click.echo(f"kg: the reference graph conforms to the shapes "
                           f"({len(report.warnings)} warnings)", err=True)
            else:
                click.echo(f"kg: warning: the reference graph has {len(report.errors)} "
                           "SHACL violations; run `kg validate` for details", err=True)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


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
