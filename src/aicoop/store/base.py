"""The store interface every backend implements, and the result types it returns.

Terms are pyoxigraph terms (``NamedNode``, ``Literal``, ``BlankNode``) on every backend, so
callers never care where the data lives. Queries see the union of all named graphs as their
default graph; ``GRAPH`` still reaches one graph.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Union

import pyoxigraph as ox

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal]


@dataclass(frozen=True)
class SelectResult:
    """Rows of a SELECT query: ``variables`` in projection order, each row a tuple of terms
    (``None`` where unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, Term | None]]:
        return [dict(zip(self.variables, row)) for row in self.rows]

    def values(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (IRIs and literal lexical forms as ``str``,
        numbers and booleans converted)."""
        return [{v: term_value(t) for v, t in zip(self.variables, row)} for row in self.rows]


@dataclass(frozen=True)
class GraphInfo:
    iri: str
    triples: int


@dataclass(frozen=True)
class LoadResult:
    graph: str
    triples: int
    replaced: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)


_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#integer": int,
    "http://www.w3.org/2001/XMLSchema#int": int,
    "http://www.w3.org/2001/XMLSchema#long": int,
    "http://www.w3.org/2001/XMLSchema#nonNegativeInteger": int,
    "http://www.w3.org/2001/XMLSchema#decimal": float,
    "http://www.w3.org/2001/XMLSchema#double": float,
    "http://www.w3.org/2001/XMLSchema#float": float,
}


def term_value(term: Term | None) -> Any:
    """A term as a plain Python value: IRI -> str, numeric/boolean literal -> number/bool."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        conv = _NUMERIC.get(dt)
        if conv is not None:
            try:
                return conv(term.value)
            except ValueError:
                return term.value
        if dt == "http://www.w3.org/2001/XMLSchema#boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


RdfInput = Union[str, bytes, Path, IO[bytes]]


class Store(ABC):
    """A quad store: SPARQL 1.1 query and update, named graphs, atomic graph replacement."""

    #: where the store lives (a path or a URL), for messages
    location: str

    # ---- queries -------------------------------------------------------------------------
    @abstractmethod
    def query(self, sparql: str, *, params: Mapping[str, Term] | None = None,
              without: Collection[str] = ()) -> SelectResult | bool | list[ox.Triple]:
        """Run a query; SELECT gives a ``SelectResult``, ASK a ``bool``, CONSTRUCT/DESCRIBE a
        list of triples. ``params`` pre-binds variables (by name, without '?') to terms;
        ``without`` leaves those named graphs out of the query's dataset."""

    def select(self, sparql: str, *, params: Mapping[str, Term] | None = None,
               without: Collection[str] = ()) -> SelectResult:
        result = self.query(sparql, params=params, without=without)
        if not isinstance(result, SelectResult):
            from ..errors import QueryError
            raise QueryError("expected a SELECT query")
        return result

    def construct(self, sparql: str, *, params: Mapping[str, Term] | None = None,
                  without: Collection[str] = ()) -> list[ox.Triple]:
        result = self.query(sparql, params=params, without=without)
        if not isinstance(result, list):
            from ..errors import QueryError
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        return result

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update."""

    # ---- graphs --------------------------------------------------------------------------
    @abstractmethod
    def graphs(self) -> list[GraphInfo]:
        """Named graphs with their triple counts, sorted by IRI."""

    @abstractmethod
    def replace_graph(self, graph: str, triples: Iterable[ox.Triple] | Iterable[ox.Quad]) -> int:
        """Atomically replace the content of ``graph`` with ``triples``; returns the count.

        Quads are accepted and moved into ``graph``. Callers parse and check input first, so
        a bad file never reaches the store."""

    @abstractmethod
    def add_quads(self, quads: Iterable[ox.Quad]) -> int:
        """Add quads (each in its own graph) in one transaction; returns the count."""

    @abstractmethod
    def drop_graph(self, graph: str) -> bool:
        """Remove a named graph; ``False`` if it did not exist."""

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad, or every quad of one graph."""

    def __len__(self) -> int:
        return sum(g.triples for g in self.graphs())

    def is_empty(self) -> bool:
        return not self.graphs()

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, *, graph: str | None = None) -> None:
        """Serialise the whole store (dataset formats) or one graph / the union (triple formats)."""
        if fmt.supports_datasets and graph is None:
            ox.serialize(self.quads(), output, fmt)
        else:
            triples = (q.triple for q in self.quads(graph))
            ox.serialize(triples, output, fmt)

    def close(self) -> None:
        """Release resources (files, connections)."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
