"""The embedded on-disk store (pyoxigraph), the default backend."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..namespaces import PREFIXES
from .base import GraphInfo, SelectResult, Store, Term

_COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class EmbeddedStore(Store):
    """A pyoxigraph store on disk (or in memory when ``path`` is ``None``)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.location = str(path) if path is not None else ":memory:"
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.location}: {exc}") from exc

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store, for bulk work inside the package."""
        return self._store

    def query(self, sparql: str, *, params: Mapping[str, Term] | None = None
              ) -> SelectResult | bool | list[ox.Triple]:
        subs = {ox.Variable(k): v for k, v in (params or {}).items()}
        try:
            result = self._store.query(sparql, use_default_graph_as_union=True,
                                       prefixes=PREFIXES, substitutions=subs or None)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except RuntimeError as exc:
            raise QueryError(f"query failed: {exc}") from exc
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            rows = tuple(tuple(sol[i] for i in range(len(variables))) for sol in result)
            return SelectResult(variables, rows)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return list(result)

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL Update syntax error: {exc}") from exc
        except (RuntimeError, OSError) as exc:
            raise StoreError(f"update failed: {exc}") from exc

    def graphs(self) -> list[GraphInfo]:
        counts = {sol["g"].value: int(sol["n"].value) for sol in self._store.query(_COUNT_BY_GRAPH)}
        for g in self._store.named_graphs():
            if isinstance(g, ox.NamedNode):
                counts.setdefault(g.value, 0)
        return [GraphInfo(iri, n) for iri, n in sorted(counts.items())]

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple] | Iterable[ox.Quad]) -> int:
        g = ox.NamedNode(graph)
        quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
        # Oxigraph has no multi-operation transaction in Python; the new content is fully
        # parsed before we touch the store, so the window between the two calls only matters
        # if the process is killed there.
        self._store.remove_graph(g) if self._store.contains_named_graph(g) else None
        self._store.add_graph(g)
        self._store.extend(quads)
        return len(quads)

    def add_quads(self, quads: Iterable[ox.Quad]) -> int:
        batch = list(quads)
        self._store.extend(batch)
        return len(batch)

    def bulk_load_file(self, path: Path, fmt: ox.RdfFormat, graph: str) -> None:
        """Fast path for big files; the caller has already checked that the file parses."""
        g = ox.NamedNode(graph)
        if self._store.contains_named_graph(g):
            self._store.remove_graph(g)
        self._store.bulk_load(path=str(path), format=fmt, to_graph=g)

    def drop_graph(self, graph: str) -> bool:
        g = ox.NamedNode(graph)
        if not self._store.contains_named_graph(g):
            return False
        self._store.remove_graph(g)
        return True

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        g = ox.NamedNode(graph) if graph is not None else None
        for q in self._store.quads_for_pattern(None, None, None, g):
            if graph is None and isinstance(q.graph_name, ox.DefaultGraph):
                continue
            yield q

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        try:
            self._store.flush()
        except Exception:  # read-only or in-memory stores have nothing to flush
            pass
        del self._store
