"""The Store contract, run unchanged on every backend: the embedded pyoxigraph store, a remote
Oxigraph server (with its extensions) and the same server spoken to with the standard
protocols only (the path other servers such as Fuseki take)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from aicoop.cli import cli
from aicoop.errors import InputError, QueryError
from aicoop.loaders.rdf import load_rdf
from aicoop.store.base import GraphInfo, SelectResult, Store
from aicoop.store.embedded import EmbeddedStore
from aicoop.store.remote import RemoteStore

EX = "http://example.org/"
G1 = EX + "graph/one"
G2 = EX + "graph/two"
G3 = EX + "graph/three"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
NASTY = '"} ; DROP ALL ; {'
PREFIX = f"PREFIX ex: <{EX}>\n"


def ex(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def quad(s: str, p: str, o: ox.NamedNode | ox.Literal, g: str) -> ox.Quad:
    return ox.Quad(ex(s), ex(p) if ":" not in p else ox.NamedNode(p), o, ox.NamedNode(g))


# G1: 4 triples, G2: 5 triples
DATA_G1 = [
    quad("who", RDFS_LABEL, ox.Literal("World Health Organization", language="en"), G1),
    quad("who", "addresses", ex("health"), G1),
    quad("who", "name", ox.Literal("WHO"), G1),
    quad("who", "kind", ex("Agency"), G1),
]
DATA_G2 = [
    quad("oecd", "name", ox.Literal("OECD"), G2),
    quad("oecd", "addresses", ex("health"), G2),
    quad("oecd", "addresses", ex("trade"), G2),
    quad("oecd", "founded", ox.Literal("1961", datatype=ox.NamedNode(XSD_INTEGER)), G2),
    quad("nasty", "name", ox.Literal(NASTY), G2),
]
DATA = DATA_G1 + DATA_G2

BACKENDS = [
    pytest.param("embedded", id="embedded"),
    pytest.param("remote", id="remote-oxigraph", marks=pytest.mark.remote),
    pytest.param("remote-standard", id="remote-standard", marks=pytest.mark.remote),
]


def open_backend(kind: str, request: pytest.FixtureRequest, folder: Path) -> Store:
    """An empty store of the given kind; the shared server is cleared first."""
    if kind == "embedded":
        return EmbeddedStore(folder)
    url = request.getfixturevalue("oxigraph_server")
    store = RemoteStore(url, flavour="standard" if kind == "remote-standard" else None)
    store.update("DROP ALL")
    return store


@pytest.fixture(params=BACKENDS)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path):
    store = open_backend(request.param, request, tmp_path / "store")
    yield store
    store.close()


@pytest.fixture
def store(empty_store: Store) -> Store:
    empty_store.replace_graph(G1, DATA_G1)
    empty_store.replace_graph(G2, DATA_G2)
    return empty_store


# ---- queries ---------------------------------------------------------------------------------

def test_select_sees_the_union_of_named_graphs(store: Store) -> None:
    rows = store.select(PREFIX + "SELECT ?org ?domain WHERE { ?org ex:addresses ?domain } "
                        "ORDER BY ?org ?domain").values()
    assert rows == [{"org": EX + "oecd", "domain": EX + "health"},
                    {"org": EX + "oecd", "domain": EX + "trade"},
                    {"org": EX + "who", "domain": EX + "health"}]


def test_graph_reaches_one_named_graph(store: Store) -> None:
    one = store.select(PREFIX + f"SELECT ?org WHERE {{ GRAPH <{G1}> {{ ?org ex:addresses ?d }} }}")
    assert one.values() == [{"org": EX + "who"}]
    which = store.select(PREFIX + "SELECT ?g WHERE { GRAPH ?g { ?s ex:addresses ex:trade } }")
    assert which.values() == [{"g": G2}]


def test_project_prefixes_need_no_declaration(store: Store) -> None:
    rows = store.select("SELECT ?s ?l WHERE { ?s rdfs:label ?l }")
    assert rows.rows == ((ex("who"), ox.Literal("World Health Organization", language="en")),)


def test_select_gives_pyoxigraph_terms_and_typed_values(store: Store) -> None:
    result = store.select(PREFIX + "SELECT ?y ?missing WHERE { ex:oecd ex:founded ?y "
                          "OPTIONAL { ex:oecd ex:dissolved ?missing } }")
    assert result.variables == ("y", "missing")
    assert result.rows == ((ox.Literal("1961", datatype=ox.NamedNode(XSD_INTEGER)), None),)
    assert result.values() == [{"y": 1961, "missing": None}]


@pytest.mark.parametrize("sparql, expected", [
    ("ASK { ex:oecd ex:founded 1961 }", True),
    ("ASK { ex:who ex:addresses ex:trade }", False),
], ids=["true", "false"])
def test_ask(store: Store, sparql: str, expected: bool) -> None:
    assert store.query(PREFIX + sparql) is expected


def test_construct_gives_triples(store: Store) -> None:
    triples = store.construct(PREFIX + "CONSTRUCT { ?d ex:addressedBy ?org } "
                              "WHERE { ?org ex:addresses ?d }")
    assert set(triples) == {ox.Triple(ex("health"), ex("addressedBy"), ex("who")),
                            ox.Triple(ex("health"), ex("addressedBy"), ex("oecd")),
                            ox.Triple(ex("trade"), ex("addressedBy"), ex("oecd"))}
    assert len(triples) == 3


def test_query_form_mismatch_and_syntax_errors_raise_query_error(store: Store) -> None:
    with pytest.raises(QueryError):
        store.select("ASK { ?s ?p ?o }")
    with pytest.raises(QueryError):
        store.construct("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError):
        store.query("SELECT * WHERE { ?s ?p ")


# ---- parameters ------------------------------------------------------------------------------

def test_params_bind_an_iri(store: Store) -> None:
    rows = store.select(PREFIX + "SELECT ?org ?domain WHERE { ?org ex:addresses ?domain }",
                        params={"domain": ex("trade")})
    assert rows.values() == [{"org": EX + "oecd", "domain": EX + "trade"}]


def test_params_bind_a_literal(store: Store) -> None:
    rows = store.select(PREFIX + "SELECT ?org ?name WHERE { ?org ex:name ?name }",
                        params={"name": ox.Literal("OECD")})
    assert rows.values() == [{"org": EX + "oecd", "name": "OECD"}]


def test_params_bind_a_grouped_variable(store: Store) -> None:
    rows = store.select(PREFIX + "SELECT ?domain (COUNT(?org) AS ?n) "
                        "WHERE { ?org ex:addresses ?domain } GROUP BY ?domain",
                        params={"domain": ex("health")})
    assert rows.values() == [{"domain": EX + "health", "n": 2}]  # WHO and OECD


@pytest.mark.parametrize("domain, expected", [("health", True), ("trade", False)])
def test_params_in_ask(store: Store, domain: str, expected: bool) -> None:
    answer = store.query(PREFIX + "ASK { ?org ex:addresses ?domain }",
                         params={"org": ex("who"), "domain": ex(domain)})
    assert answer is expected


def test_params_in_construct(store: Store) -> None:
    triples = store.construct(PREFIX + "CONSTRUCT { ?org ex:active ?domain } "
                              "WHERE { ?org ex:addresses ?domain }", params={"org": ex("who")})
    assert triples == [ox.Triple(ex("who"), ex("active"), ex("health"))]


def test_a_literal_parameter_cannot_inject_sparql(store: Store) -> None:
    before = store.graphs()
    rows = store.select(PREFIX + "SELECT ?org ?name WHERE { ?org ex:name ?name }",
                        params={"name": ox.Literal(NASTY)})
    assert rows.values() == [{"org": EX + "nasty", "name": NASTY}]
    tricky = 'back\\slash "quote" \'single\'\nnewline } ; DROP ALL ; # é \u0001'
    rows = store.select(PREFIX + "SELECT ?org ?name WHERE { ?org ex:name ?name }",
                        params={"name": ox.Literal(tricky)})
    assert rows.values() == []
    assert store.graphs() == before


def test_an_iri_parameter_cannot_carry_syntax() -> None:
    # why IRIs are safe to serialise: pyoxigraph refuses to build one with delimiters in it
    with pytest.raises(ValueError):
        ox.NamedNode(f"{EX}a> }} ; DROP ALL ; {{ <{EX}b")


# ---- graphs ----------------------------------------------------------------------------------

def test_graphs_lists_named_graphs_with_counts(store: Store) -> None:
    assert store.graphs() == [GraphInfo(G1, 4), GraphInfo(G2, 5)]
    assert len(store) == 9
    assert not store.is_empty()


def test_an_empty_replaced_graph_is_listed(store: Store) -> None:
    assert store.replace_graph(G3, []) == 0
    assert GraphInfo(G3, 0) in store.graphs()


def test_replace_graph_replaces_only_that_graph(store: Store) -> None:
    new = [ox.Triple(ex("who"), ex("name"), ox.Literal("World Health Organization"))]
    assert store.replace_graph(G1, new) == 1
    assert [q.triple for q in store.quads(G1)] == new
    assert store.graphs() == [GraphInfo(G1, 1), GraphInfo(G2, 5)]
    assert not store.query(PREFIX + "ASK { ex:who ex:addresses ?d }")


def test_replace_graph_moves_quads_into_the_graph(store: Store) -> None:
    store.replace_graph(G3, DATA_G2[:2])
    assert set(store.quads(G3)) == {ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(G3))
                                    for q in DATA_G2[:2]}
    assert GraphInfo(G2, 5) in store.graphs()


def test_drop_graph(store: Store) -> None:
    assert store.drop_graph(G1) is True
    assert store.graphs() == [GraphInfo(G2, 5)]
    assert store.drop_graph(G1) is False


def test_quads_of_one_graph_and_of_all(store: Store) -> None:
    assert set(store.quads(G2)) == set(DATA_G2)
    assert set(store.quads()) == set(DATA)
    assert list(store.quads(G3)) == []


def test_add_quads_in_several_graphs(store: Store) -> None:
    extra = [quad("un", "name", ox.Literal("UN"), G3), quad("un", "addresses", ex("peace"), G2)]
    assert store.add_quads(extra) == 2
    assert store.graphs() == [GraphInfo(G1, 4), GraphInfo(G3, 1), GraphInfo(G2, 6)]


def test_update(store: Store) -> None:
    store.update(PREFIX + f'INSERT DATA {{ GRAPH <{G3}> {{ ex:un ex:name "UN" }} }}')
    assert GraphInfo(G3, 1) in store.graphs()
    assert store.query(PREFIX + 'ASK { ?org ex:name "UN" }') is True


def test_blank_nodes_survive_a_round_trip(empty_store: Store) -> None:
    from rdflib.compare import isomorphic
    b = ox.BlankNode()
    triples = [ox.Triple(ex("oecd"), ex("address"), b),
               ox.Triple(b, ex("city"), ox.Literal("Paris"))]
    empty_store.replace_graph(G1, triples)
    assert isomorphic(as_rdflib(q.triple for q in empty_store.quads(G1)), as_rdflib(triples))


def test_dump_dataset_and_one_graph(store: Store) -> None:
    import io
    whole = io.BytesIO()
    store.dump(whole, ox.RdfFormat.N_QUADS)
    assert set(ox.parse(whole.getvalue(), ox.RdfFormat.N_QUADS)) == set(DATA)
    one = io.BytesIO()
    store.dump(one, ox.RdfFormat.TURTLE, graph=G1)
    assert {q.triple for q in ox.parse(one.getvalue(), ox.RdfFormat.TURTLE)} == \
        {q.triple for q in DATA_G1}


def as_rdflib(triples):
    import rdflib
    text = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES).decode()
    return rdflib.Graph().parse(data=text, format="nt")


# ---- the backends agree ----------------------------------------------------------------------

@pytest.fixture
def both(request: pytest.FixtureRequest, tmp_path: Path):
    """An embedded and a remote store holding the same data."""
    stores = [open_backend(kind, request, tmp_path / "store") for kind in ("embedded", "remote")]
    for s in stores:
        s.add_quads(DATA)
    yield stores
    for s in stores:
        s.close()


@pytest.mark.remote
@pytest.mark.parametrize("sparql, params", [
    ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o", None),
    ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", None),
    ("SELECT ?org ?name WHERE { ?org ex:name ?name } ORDER BY ?org", {"name": ox.Literal(NASTY)}),
    ("ASK { ?org ex:addresses ?d }", {"d": ex("trade")}),
    ("CONSTRUCT { ?o ex:by ?s } WHERE { ?s ex:addresses ?o }", None),
    ("DESCRIBE ex:oecd", None),
], ids=["select-all", "count-by-graph", "select-param", "ask-param", "construct", "describe"])
def test_backends_give_identical_results(both: list[Store], sparql: str, params) -> None:
    embedded, remote = (s.query(PREFIX + sparql, params=params) for s in both)
    if isinstance(embedded, list):  # graphs: same set of triples, order is free
        assert set(embedded) == set(remote) and len(embedded) == len(remote)
    else:
        assert embedded == remote
    if isinstance(embedded, SelectResult):
        assert len(embedded) > 0


# ---- loads are atomic --------------------------------------------------------------------------

GOOD_TTL = f"@prefix ex: <{EX}> .\nex:un ex:name \"UN\" .\nex:un ex:addresses ex:peace .\n"
# line 3 has one term too many
BAD_TTL = (f"@prefix ex: <{EX}> .\nex:a ex:p \"ok\" .\nex:b ex:p ex:c ex:d .\n"
           "ex:c ex:p \"ok\" .\n")


@pytest.fixture
def turtle(tmp_path: Path):
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write


def test_a_bad_turtle_file_changes_nothing(store: Store, turtle) -> None:
    load_rdf(store, [turtle("good.ttl", GOOD_TTL)])
    before, quads_before = store.graphs(), set(store.quads())
    bad = turtle("bad.ttl", BAD_TTL)
    with pytest.raises(InputError) as err:
        load_rdf(store, [turtle("other.ttl", GOOD_TTL), bad])
    assert err.value.source == str(bad)
    assert err.value.line == 3
    assert store.graphs() == before
    assert set(store.quads()) == quads_before


@pytest.fixture(params=BACKENDS[:2])
def cli_store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A ``--store`` value for an existing empty store (so no default build runs)."""
    if request.param == "embedded":
        location = tmp_path / "store"
        EmbeddedStore(location).close()
        return str(location)
    open_backend(request.param, request, tmp_path).close()
    return request.getfixturevalue("oxigraph_server")


def kg_stats(location: str) -> dict:
    result = CliRunner().invoke(cli, ["--store", location, "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cli_load_of_a_bad_file_fails_and_changes_nothing(cli_store: str, turtle) -> None:
    runner = CliRunner()
    good = runner.invoke(cli, ["--store", cli_store, "load", "rdf", str(turtle("g.ttl", GOOD_TTL))])
    assert good.exit_code == 0, good.output
    before = kg_stats(cli_store)
    assert before["triples"] > 2  # the two triples plus their provenance

    bad = turtle("bad.ttl", BAD_TTL)
    result = runner.invoke(cli, ["--store", cli_store, "load", "rdf", str(bad)])
    assert result.exit_code == InputError.exit_code
    assert f"{bad}, line 3" in result.stderr
    assert result.stdout == ""
    assert kg_stats(cli_store) == before


UNTITLED_TTL = """\
@prefix aic: <https://w3id.org/aicoop/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<http://example.org/doc/untitled> a aic:PolicyDocument ;
    aic:issuedBy <https://w3id.org/aicoop/id/org/who> ;
    dcterms:issued "2024"^^<http://www.w3.org/2001/XMLSchema#gYear> ;
    foaf:page <http://example.org/untitled.pdf> ;
    aic:addressesDomain <https://w3id.org/aicoop/id/domain/health> .
<https://w3id.org/aicoop/id/org/who> a aic:UNSystemEntity ;
    <http://www.w3.org/2004/02/skos/core#prefLabel> "World Health Organization"@en .
"""


def test_cli_validate_names_a_document_without_title(cli_store: str, turtle) -> None:
    """The same check on both backends: SHACL over the store, in plain words, exit 1."""
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", cli_store, "init", "--empty"]).exit_code == 0
    ok = runner.invoke(cli, ["--store", cli_store, "validate"])
    assert ok.exit_code == 0, ok.output
    loaded = runner.invoke(cli, ["--store", cli_store, "load", "rdf",
                                 str(turtle("untitled.ttl", UNTITLED_TTL))])
    assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(cli, ["--store", cli_store, "validate"])
    assert result.exit_code == 1
    record = result.stdout.split("<http://example.org/doc/untitled>", 1)
    assert len(record) == 2, result.stdout
    assert "must have a title" in record[1]
    listing = runner.invoke(cli, ["--store", cli_store, "query", "--list"])
    assert listing.exit_code == 0 and "documents-by-domain" in listing.stdout
