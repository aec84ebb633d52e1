"""kg load rdf of an N-Triples file into a remote store: checked here (errors name the line),
streamed to the server in one PUT, replacing the graph atomically with its provenance."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from aicoop.errors import InputError
from aicoop.loaders.rdf import load_rdf
from aicoop.store.remote import RemoteStore

pytestmark = pytest.mark.remote

G = "http://example.org/graph/streamed"
P = ox.NamedNode("http://example.org/p")


@pytest.fixture
def store(oxigraph_server: str) -> RemoteStore:
    s = RemoteStore(oxigraph_server)
    s.update("DROP ALL")
    return s


def test_an_ntriples_file_replaces_the_remote_graph_with_its_provenance(
        store: RemoteStore, tmp_path: Path) -> None:
    old = tmp_path / "old.nt"
    old.write_text('<http://example.org/x> <http://example.org/p> "old" .\n')
    load_rdf(store, [old], graph=G)
    path = tmp_path / "new.nt"
    path.write_text("".join(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n'
                            for i in range(500)))
    [res] = load_rdf(store, [path], graph=G)
    assert res.triples == 500
    triples = {q.triple for q in store.quads(G)}
    assert {t.object.value for t in triples if t.predicate == P} == {str(i) for i in range(500)}
    assert ox.Triple(ox.NamedNode(G), ox.NamedNode("http://rdfs.org/ns/void#triples"),
                     ox.Literal("500", datatype=ox.NamedNode(
                         "http://www.w3.org/2001/XMLSchema#integer"))) in triples


def test_a_bad_ntriples_file_names_its_line_and_leaves_the_remote_graph(
        store: RemoteStore, tmp_path: Path) -> None:
    good = tmp_path / "good.nt"
    good.write_text('<http://example.org/x> <http://example.org/p> "kept" .\n')
    load_rdf(store, [good], graph=G)
    before = sorted(str(q) for q in store.quads(G))
    bad = tmp_path / "bad.nt"
    bad.write_text('<http://example.org/a> <http://example.org/p> "1" .\n'
                   '<http://example.org/a> <http://example.org/p> .\n')
    with pytest.raises(InputError) as err:
        load_rdf(store, [bad], graph=G)
    assert err.value.line == 2 and str(bad) in str(err.value)
    assert sorted(str(q) for q in store.quads(G)) == before
