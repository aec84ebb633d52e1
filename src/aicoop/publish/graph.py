"""The graph as it is published and served: the store's quads with local paths made portable,
plus the standard statements of ``entailment`` in their own named graph."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .. import resources
from ..store.base import Store
from .entailment import standard_entailments
from .portable import portable_quads


@dataclass(frozen=True)
class PublishableGraph:
    quads: tuple[ox.Quad, ...]
    #: packaged source files named by the quads: path under the site -> local file
    sources: dict[str, Path] = field(default_factory=dict)

    @property
    def graph_names(self) -> list[str]:
        return sorted({q.graph_name.value for q in self.quads
                       if isinstance(q.graph_name, ox.NamedNode)})


def entailed_graph(base: str) -> str:
    return base + "graph/standard-entailments"


def source_roots() -> list[tuple[str, str]]:
    """Local folders whose files are published under ``source/`` (most specific first)."""
    pkg = Path(resources.ontology_file()).parent
    return [(str(resources.ontology_dir()), "ontology"), (str(resources.shapes_dir()), "shapes"),
            (str(resources.reference_dir()), "reference"),
            (str(resources.queries_dir()), "queries"), (str(pkg.parent), "package")]


def publishable_graph(store: Store, *, base: str) -> PublishableGraph:
    """Every quad of ``store`` made portable, plus the standard entailments graph."""
    roots = source_roots()
    quads = list(portable_quads(store.quads(), roots, base))
    sources: dict[str, Path] = {}
    for q in store.quads():
        for t in (q.subject, q.object):
            if isinstance(t, ox.NamedNode) and t.value.startswith("file:"):
                local = Path(urllib.parse.unquote(urllib.parse.urlparse(t.value).path))
                new = portable_quads([ox.Quad(t, q.predicate, t, q.graph_name)], roots, base)
                iri = next(iter(new)).subject.value
                if iri.startswith(base + "source/") and local.is_file():
                    sources[urllib.parse.unquote(iri[len(base):])] = local
    triples = [(q.subject, q.predicate, q.object) for q in quads]
    g = ox.NamedNode(entailed_graph(base))
    extra = sorted(standard_entailments(triples, ox.NamedNode), key=str)
    quads += [ox.Quad(s, p, o, g) for s, p, o in extra]
    return PublishableGraph(tuple(quads), sources)


def memory_store(graph: PublishableGraph):
    """An in-memory store holding the publishable graph, for fast page queries."""
    from ..store.embedded import EmbeddedStore
    mem = EmbeddedStore(None)
    mem.add_quads(graph.quads)
    return mem
