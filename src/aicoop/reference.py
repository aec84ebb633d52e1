"""Build the embedded default: ontology, vocabularies and the packaged reference graph."""

from __future__ import annotations

from .loaders.rdf import PreparedRdf, parse_file, rdf_format, write_rdf
from .namespaces import GRAPH_ONTOLOGY, GRAPH_VOCABULARIES
from .resources import ontology_dir
from .store.base import Store


def load_ontology(store: Store) -> int:
    """Load the ontology into its graph and every vocabulary file into the vocabularies graph."""
    files = sorted(ontology_dir().rglob("*.ttl"))
    onto = [f for f in files if f.name == "aicoop.ttl"]
    vocab = [f for f in files if f.name != "aicoop.ttl"]
    total = 0
    for graph, group in ((GRAPH_ONTOLOGY, onto), (GRAPH_VOCABULARIES, vocab)):
        triples = []
        for f in group:
            triples.extend(q.triple for q in parse_file(f, rdf_format(f)))
        total += write_rdf(store, PreparedRdf(tuple(group), {graph: triples})).triples
    return total


def build_reference(store: Store) -> str:
    """Load everything the default store holds; returns a one-line summary."""
    n = load_ontology(store)
    return f"loaded the ontology and vocabularies ({n} triples)"
