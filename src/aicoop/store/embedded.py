"""The embedded on-disk store (pyoxigraph), the default backend.

Many readers, one writer: a writer holds RocksDB's lock, readers open the folder read-only and
never take it. Graph replacement goes through ``swap`` (written beside the old content, made
visible in one transaction), so readers never see a half-written graph.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..namespaces import PREFIXES
from . import swap
from .base import GraphInfo, SelectResult, Store, Term

_COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _open_writer(path: str, wait: float) -> ox.Store:
    """Open for writing. When another process holds the lock, say so plainly (after waiting
    up to ``wait`` seconds for it to finish)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return ox.Store(path)
        except OSError as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                hint = (f" (waited {wait:g} s)" if wait else
                        "; wait for it to finish, or pass --wait SECONDS")
                raise StoreError(f"another kg process is writing to the store at {path}"
                                 f"{hint}") from None
            time.sleep(0.2)


def _transient(exc: BaseException) -> bool:
    """A file a writer beside us compacted away after we listed it: gone on a fresh open."""
    return "No such file" in str(exc) or "Corruption" in str(exc)


def _open_reader(path: str, patience: float = 10.0) -> ox.Store:
    """Open read-only. A writer beside us may compact files away between our reading the
    list of files and opening them; that race is transient, so try again (for up to
    ``patience`` seconds: a busy machine slows the writer's compaction down)."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError) as exc:
            if not _transient(exc) or time.monotonic() >= deadline:
                raise OSError(str(exc)) from None
            time.sleep(0.05)


#: how many times a read-only store reopens itself when a read meets a compacted-away file
_READ_RETRIES = 3


class EmbeddedStore(Store):
    """A pyoxigraph store on disk (or in memory when ``path`` is ``None``).

    ``read_only`` opens without the writer's lock, so any number of readers can run beside
    each other and beside one writer; ``wait`` is how long a writer waits for another."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 wait: float = 0.0) -> None:
        self.location = str(path) if path is not None else ":memory:"
        self.read_only = read_only and path is not None
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = _open_reader(str(path))
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self._store = _open_writer(str(path), wait)
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.location}: {exc}") from exc
        if not self.read_only:
            swap.recover(self._store)  # finish or undo what a killed writer left pending

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store, for bulk work inside the package."""
        return self._store

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.location} is open read-only")

    def _named(self) -> list[ox.NamedNode]:
        return [g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]

    def query(self, sparql: str, *, params: Mapping[str, Term] | None = None,
              without: Collection[str] = ()) -> SelectResult | bool | list[ox.Triple]:
        subs = {ox.Variable(k): v for k, v in (params or {}).items()}

        def run() -> SelectResult | bool | list[ox.Triple]:
            v = swap.view(self._store)
            if v is None and not without:
                scope: dict = {"use_default_graph_as_union": True}
            else:
                graphs = [g for g in (v.graphs if v is not None else self._named())
                          if g.value not in without]
                scope = {"default_graph": graphs, "named_graphs": graphs}
            result = self._store.query(sparql, prefixes=PREFIXES, substitutions=subs or None,
                                       **scope)
            if isinstance(result, ox.QuerySolutions):
                variables = tuple(v.value for v in result.variables)
                rows = tuple(tuple(sol[i] for i in range(len(variables))) for sol in result)
                return SelectResult(variables, rows)
            if isinstance(result, ox.QueryBoolean):
                return bool(result)
            return list(result)
        try:
            return self._reading(run)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except (RuntimeError, OSError) as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def _reading(self, read):  # type: ignore[no-untyped-def]
        """Run ``read``; a read-only store whose files a writer compacted away meanwhile
        reopens (on the writer's new files) and reads again."""
        for attempt in range(_READ_RETRIES + 1):
            try:
                return read()
            except (RuntimeError, OSError) as exc:
                if not (self.read_only and _transient(exc)) or attempt == _READ_RETRIES:
                    raise
                time.sleep(0.1)
                self._store = _open_reader(self.location)
        raise AssertionError("unreachable")

    def update(self, sparql: str) -> None:
        self._writable()
        try:
            self._store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL Update syntax error: {exc}") from exc
        except (RuntimeError, OSError) as exc:
            raise StoreError(f"update failed: {exc}") from exc

    def graphs(self) -> list[GraphInfo]:
        return self._reading(self._graphs)

    def _graphs(self) -> list[GraphInfo]:
        counts = {sol["g"].value: int(sol["n"].value)
                  for sol in self._store.query(_COUNT_BY_GRAPH)}
        for g in self._named():
            counts.setdefault(g.value, 0)
        v = swap.view(self._store)
        if v is None:
            return [GraphInfo(iri, n) for iri, n in sorted(counts.items())]
        shown = {v.stands_for.get(g, g).value: counts.get(g.value, 0) for g in v.graphs}
        return [GraphInfo(iri, n) for iri, n in sorted(shown.items())]

    def swap(self) -> swap.Swap:
        """Replace graphs atomically: ``with store.swap() as sw: sw.bulk_load(...)``; the new
        content becomes visible in one transaction when the block ends without an error."""
        self._writable()
        return swap.Swap(self._store)

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple] | Iterable[ox.Quad]) -> int:
        g = ox.NamedNode(graph)
        batch = list(triples)
        with self.swap() as sw:
            sw.extend(g, batch)
        return len(batch)

    def add_quads(self, quads: Iterable[ox.Quad]) -> int:
        self._writable()
        batch = list(quads)
        self._store.extend(batch)
        return len(batch)

    def drop_graph(self, graph: str) -> bool:
        self._writable()
        g = ox.NamedNode(graph)
        if not self._store.contains_named_graph(g):
            return False
        self._store.remove_graph(g)  # one transaction
        return True

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        v = self._reading(lambda: swap.view(self._store))
        if v is None:
            g = ox.NamedNode(graph) if graph is not None else None
            for q in self._store.quads_for_pattern(None, None, None, g):
                if graph is None and isinstance(q.graph_name, ox.DefaultGraph):
                    continue
                yield q
            return
        for physical in v.graphs:
            logical = v.stands_for.get(physical, physical)
            if graph is not None and logical.value != graph:
                continue
            for q in self._store.quads_for_pattern(None, None, None, physical):
                yield q if physical == logical else ox.Quad(q.subject, q.predicate, q.object,
                                                            logical)

    def pattern_reader(self) -> Callable[[Any, Any, Any], Iterator[ox.Quad]]:
        """A function giving the quads that match ``(subject, predicate, object)`` (``None``
        for any) in the named graphs that queries see, as :meth:`quads` does: for walking the
        graph a node at a time (batched validation) without copying it."""
        v = self._reading(lambda: swap.view(self._store))
        visible = None if v is None else frozenset(v.graphs)
        raw = self._store

        def match(s: Any, p: Any, o: Any) -> Iterator[ox.Quad]:
            for q in raw.quads_for_pattern(s, p, o, None):
                g = q.graph_name
                if isinstance(g, ox.DefaultGraph) or (visible is not None and g not in visible):
                    continue
                yield q
        return match

    def __len__(self) -> int:
        if self._reading(lambda: swap.view(self._store)) is None:
            return self._reading(lambda: len(self._store))
        return sum(g.triples for g in self.graphs())

    def close(self) -> None:
        if not hasattr(self, "_store"):
            return
        try:
            self._store.flush()
        except Exception:  # read-only or in-memory stores have nothing to flush
            pass
        del self._store
