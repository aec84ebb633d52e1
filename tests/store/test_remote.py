"""What only the remote backend has: endpoint layout, flavour detection, HTTP errors, the
union default graph on servers started without it, and Oxigraph's bulk path."""

from __future__ import annotations

import doctest
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

import aicoop.store.remote as remote
from aicoop.errors import QueryError, StoreError
from aicoop.store import open_store
from aicoop.store.base import GraphInfo
from aicoop.store.remote import Endpoints, RemoteStore, endpoints_for, query_form, values_clause

EX = "http://example.org/"
G = EX + "graph/g"


def triple(s: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o))


def test_doctests() -> None:
    assert doctest.testmod(remote).failed == 0


@pytest.mark.parametrize("url, expected", [
    ("http://127.0.0.1:7878", ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
                               "http://127.0.0.1:7878/store")),
    ("http://127.0.0.1:7878/", ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
                                "http://127.0.0.1:7878/store")),
    ("http://127.0.0.1:7878/query", ("http://127.0.0.1:7878/query",
                                     "http://127.0.0.1:7878/update",
                                     "http://127.0.0.1:7878/store")),
    ("http://h:3030/ds", ("http://h:3030/ds/query", "http://h:3030/ds/update",
                          "http://h:3030/ds/data")),
    ("https://h/fuseki/ds/sparql", ("https://h/fuseki/ds/sparql", "https://h/fuseki/ds/update",
                                    "https://h/fuseki/ds/data")),
], ids=["oxigraph-base", "oxigraph-slash", "oxigraph-query", "fuseki-dataset", "fuseki-sparql"])
def test_endpoints_from_the_url(url: str, expected: tuple[str, str, str]) -> None:
    assert endpoints_for(url) == Endpoints(*expected)


def test_explicit_endpoints_win() -> None:
    eps = endpoints_for("http://h:7200/repositories/r/query", update_url="http://h:7200/u",
                        store_url="http://h:7200/gsp")
    assert (eps.update, eps.store) == ("http://h:7200/u", "http://h:7200/gsp")


@pytest.mark.parametrize("sparql, form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("# a comment with ASK in it\nBASE <http://e/>\nprefix a: <http://e/#x>\n ask {}", "ASK"),
    ("PREFIX : <http://e/>\nDESCRIBE :a", "DESCRIBE"),
    ("INSERT DATA {}", None),
], ids=["select", "comment-base-prefix", "empty-prefix", "not-a-query"])
def test_query_form(sparql: str, form: str | None) -> None:
    assert query_form(sparql) == form


@pytest.mark.parametrize("params, message", [
    ({"x": ox.BlankNode()}, "blank node"),
    ({"x) {} ; DROP ALL": ox.Literal("a")}, "not a SPARQL variable name"),
    ({"x": "plain string"}, "expected an IRI or a literal"),
], ids=["blank-node", "bad-name", "not-a-term"])
def test_values_clause_refuses_what_it_cannot_bind(params, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        values_clause(params)


def test_open_store_gives_a_remote_store_for_a_url() -> None:
    store = open_store("http://127.0.0.1:9/query")
    assert isinstance(store, RemoteStore) and store.location == "http://127.0.0.1:9/query"


# ---- against a server ------------------------------------------------------------------------

@pytest.fixture
def server(oxigraph_server: str) -> str:
    RemoteStore(oxigraph_server).update("DROP ALL")
    return oxigraph_server



@pytest.mark.remote
def test_oxigraph_is_detected(server: str) -> None:
    assert RemoteStore(server).flavour == "oxigraph"


@pytest.mark.remote
def test_a_failed_put_leaves_the_old_graph(server: str) -> None:
    # replace_graph relies on the server swapping a graph in one transaction on PUT
    store = RemoteStore(server)
    store.replace_graph(G, [triple("a", "old")])
    body = b'<http://example.org/a> <http://example.org/p> "new" .\n<http://example.org/b> <'
    req = urllib.request.Request(f"{server}/store?graph={G}", data=body, method="PUT",
                                 headers={"Content-Type": "application/n-triples"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=10)
    assert err.value.code == 400
    assert [q.triple for q in store.quads(G)] == [triple("a", "old")]


@pytest.mark.remote
def test_a_query_error_names_the_endpoint_and_the_server_message(server: str) -> None:
    with pytest.raises(QueryError) as err:
        RemoteStore(server).query("SELECT * WHERE { ?s ?p ")
    message = str(err.value)
    assert f"{server}/query rejected the query (HTTP 400)" in message
    assert "error at 1:" in message  # Oxigraph's own position, columns not shifted
    assert len(message) < 600


@pytest.mark.remote
def test_a_wrong_endpoint_is_a_store_error_with_a_hint(server: str) -> None:
    with pytest.raises(StoreError, match=r"HTTP 404.*right endpoint"):
        RemoteStore(server + "/no-such-dataset").graphs()


def test_connection_refused_says_to_start_the_server() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(StoreError, match=rf"{url}/query.*is the server running\?"):
        RemoteStore(url).graphs()


def test_a_silent_server_times_out() -> None:
    with socket.socket() as sock:  # accepts connections (backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        with pytest.raises(StoreError, match=r"no answer from .* within 0.3 s"):
            RemoteStore(url, timeout=0.3, flavour="oxigraph").graphs()


@pytest.mark.remote
def test_loopback_ignores_proxy_settings(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    assert RemoteStore(server).graphs() == []


@pytest.mark.remote
def test_union_without_the_server_flag(start_oxigraph) -> None:
    """An Oxigraph server started without --union-default-graph still answers with the union
    (asked per query); the standard path cannot ask and says so instead of answering empty."""
    with start_oxigraph(union=False) as url:
        RemoteStore(url).replace_graph(G, [triple("a", "x")])
        assert RemoteStore(url).query("ASK { ?s ?p ?o }") is True
        with pytest.raises(StoreError, match="not the union of the named graphs"):
            RemoteStore(url, flavour="standard").query("ASK { ?s ?p ?o }")


@pytest.mark.remote
@pytest.mark.parametrize("flavour", ["oxigraph", "standard"])
def test_bulk_load_file_replaces_the_graph(server: str, tmp_path: Path, flavour: str) -> None:
    store = RemoteStore(server, flavour=flavour)
    store.replace_graph(G, [triple("old", "1")])
    path = tmp_path / "big.nt"
    triples = [triple(f"s{i}", str(i)) for i in range(1000)]
    path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    store.bulk_load_file(path, ox.RdfFormat.N_TRIPLES, G)
    assert store.graphs() == [GraphInfo(G, 1000)]
    assert {q.triple for q in store.quads(G)} == set(triples)
