"""The graph as it is published and served: the store's quads with local paths made portable,
plus the standard statements of ``entailment`` in their own named graph."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from importlib.resources import files as resources_files

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
    # packaged files are named by IRIs under the tool's software IRI (provenance.source_iri):
    # publish each at that path of the namespace, so the IRI resolves once w3id redirects
    from ..provenance import SOFTWARE_AGENT, packaged_path
    namespace = SOFTWARE_AGENT.split("software/", 1)[0]
    for q in quads:
        for t in (q.subject, q.object):
            if isinstance(t, ox.NamedNode) and t.value.startswith(SOFTWARE_AGENT + "/"):
                local = packaged_path(t.value[len(SOFTWARE_AGENT) + 1:])
                if local is not None:
                    sources[t.value[len(namespace):]] = local
    # derivation rules are named by IRIs under <base>rules/: publish the rule files there
    rules_dir = Path(str(resources_files("aicoop.rules")))
    for q in quads:
        for t in (q.subject, q.object):
            if isinstance(t, ox.NamedNode) and t.value.startswith(base + "rules/"):
                local = rules_dir / t.value[len(base + "rules/"):]
                if local.is_file():
                    sources[t.value[len(base):]] = local
    triples = [(q.subject, q.predicate, q.object) for q in quads]
    g = ox.NamedNode(entailed_graph(base))
    extra = sorted(standard_entailments(triples, ox.NamedNode), key=str)
    quads += [ox.Quad(s, p, o, g) for s, p, o in extra]
    quads += _describe_entailed_graph(g, sorted({q.graph_name.value for q in quads
                                                 if isinstance(q.graph_name, ox.NamedNode)
                                                 and q.graph_name != g}))
    return PublishableGraph(tuple(quads), sources)


def _describe_entailed_graph(g: ox.NamedNode, sources: list[str]) -> list[ox.Quad]:
    """The entailed graph says what it is and where it comes from, like every loaded graph."""
    dcterms, prov = "http://purl.org/dc/terms/", "http://www.w3.org/ns/prov#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    out = [
        ox.Quad(g, rdf_type, ox.NamedNode(prov + "Entity"), g),
        ox.Quad(g, ox.NamedNode(dcterms + "title"),
                ox.Literal("Standard statements (entailed)", language="en"), g),
        ox.Quad(g, ox.NamedNode(dcterms + "description"), ox.Literal(
            "Statements with standard DCTERMS, ORG, SKOS, FOAF and RDFS terms that follow from "
            "the other graphs by the super-properties, super-classes and inverses their "
            "vocabularies declare, for clients that do no reasoning.", language="en"), g),
    ]
    out += [ox.Quad(g, ox.NamedNode(prov + "wasDerivedFrom"), ox.NamedNode(src), g)
            for src in sources]
    return out


def memory_store(graph: PublishableGraph):
    """An in-memory store holding the publishable graph, for fast page queries."""
    from ..store.embedded import EmbeddedStore
    mem = EmbeddedStore(None)
    mem.add_quads(graph.quads)
    return mem
