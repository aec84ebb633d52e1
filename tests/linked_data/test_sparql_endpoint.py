"""The SPARQL 1.1 Protocol endpoint of `kg serve`, driven by real clients (SPARQLWrapper,
urllib) against the live server: result formats, refusals, the time limit and the cap."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib

SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
WHO = "https://w3id.org/aicoop/id/org/who"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(url, *, data=None, headers=None, method=None):
    """(status, headers, body) of one request; error statuses are returned, not raised."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with OPENER.open(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def get_query(server, query, accept=None):
    headers = {"Accept": accept} if accept else {}
    return http(server + "/sparql?" + urllib.parse.urlencode({"query": query}),
                headers=headers)


def test_sparqlwrapper_select(server):
    sw = SPARQLWrapper.SPARQLWrapper(server + "/sparql")
    sw.setQuery("PREFIX org: <http://www.w3.org/ns/org#> "
                "SELECT ?state WHERE { <%s> org:hasMember ?state } ORDER BY ?state" % WHO)
    sw.setReturnFormat(SPARQLWrapper.JSON)
    rows = sw.query().convert()["results"]["bindings"]
    states = [r["state"]["value"] for r in rows]
    # France and Japan are WHO Member States; the ORG membership is materialised as
    # org:hasMember, and each State is listed once
    assert "https://w3id.org/aicoop/id/state/fra" in states
    assert "https://w3id.org/aicoop/id/state/jpn" in states
    assert len(states) == len(set(states)) > 150


def test_sparqlwrapper_ask_true_and_false(server):
    sw = SPARQLWrapper.SPARQLWrapper(server + "/sparql")
    sw.setReturnFormat(SPARQLWrapper.JSON)
    sw.setQuery("ASK { <%s> ?p ?o }" % WHO)
    assert sw.query().convert()["boolean"] is True
    sw.setQuery("ASK { <https://w3id.org/aicoop/id/org/no-such-org> ?p ?o }")
    assert sw.query().convert()["boolean"] is False


def test_sparqlwrapper_construct_parses_as_rdf(server):
    sw = SPARQLWrapper.SPARQLWrapper(server + "/sparql")
    sw.setQuery("CONSTRUCT { <%s> ?p ?o } WHERE { <%s> ?p ?o }" % (WHO, WHO))
    sw.setReturnFormat(SPARQLWrapper.TURTLE)
    data = sw.query().convert()
    g = rdflib.Graph().parse(data=data, format="turtle")
    assert (rdflib.URIRef(WHO), rdflib.RDFS.label,
            rdflib.Literal("World Health Organization", lang="en")) in g


def test_construct_as_json_ld_by_accept(server):
    status, headers, body = get_query(server, "CONSTRUCT WHERE { <%s> ?p ?o }" % WHO,
                                      "application/ld+json")
    assert status == 200 and headers.get_content_type() == "application/ld+json"
    g = rdflib.Graph().parse(data=body, format="json-ld")
    assert (rdflib.URIRef(WHO), rdflib.URIRef("https://w3id.org/aicoop/ontology#wikidataId"),
            rdflib.Literal("Q7817")) in g


@pytest.mark.parametrize("accept, parse", [
    ("text/csv", lambda b: list(csv.reader(io.StringIO(b.decode())))[1][0]),
    ("text/tab-separated-values", lambda b: b.decode().splitlines()[1].split("\t")[0]),
    ("application/sparql-results+xml", lambda b: "Q7817" if b"<literal>Q7817</literal>" in b
     else None),
    ("application/sparql-results+json",
     lambda b: json.loads(b)["results"]["bindings"][0]["id"]["value"]),
], ids=["csv", "tsv", "xml", "json"])
def test_select_in_every_results_format(server, accept, parse):
    status, headers, body = get_query(
        server, "SELECT ?id WHERE { <%s> <https://w3id.org/aicoop/ontology#wikidataId> ?id }"
        % WHO, accept)
    assert status == 200 and headers.get_content_type() == accept
    assert parse(body).strip('"') == "Q7817"


def test_post_with_a_sparql_query_body(server):
    status, _, body = http(server + "/sparql", data=b"ASK {}", headers={
        "Content-Type": "application/sparql-query", "Accept": "application/json"})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_malformed_query_is_400(server):
    status, _, body = get_query(server, "SELEKT * WHERE { ?s ?p ?o }")
    assert status == 400 and b"malformed SPARQL query" in body


def test_syntax_error_inside_a_query_is_400_with_where(server):
    status, _, body = get_query(server, "SELECT * WHERE { ?s ?p }")
    assert status == 400 and b"malformed SPARQL query" in body


def test_unsupported_result_type_is_406(server):
    status, _, body = get_query(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "image/png")
    assert status == 406 and b"text/csv" in body
    status, _, _ = get_query(server, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/csv")
    assert status == 406


@pytest.mark.parametrize("data, ctype", [
    (b"update=" + urllib.parse.quote(b"INSERT DATA { <a:x> <a:y> <a:z> }").encode(),
     "application/x-www-form-urlencoded"),
    (b"DELETE WHERE { ?s ?p ?o }", "application/sparql-update"),
    (b"query=" + urllib.parse.quote(b"CLEAR ALL").encode(), "application/x-www-form-urlencoded"),
], ids=["update-form", "update-body", "update-as-query"])
def test_update_is_refused_with_403_and_changes_nothing(server, data, ctype):
    before = json.loads(get_query(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                  "application/json")[2])
    status, _, body = http(server + "/sparql", data=data, headers={"Content-Type": ctype})
    assert status == 403 and b"read-only" in body
    after = json.loads(get_query(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                 "application/json")[2])
    assert before == after


def test_service_is_refused_with_403(server):
    status, _, body = get_query(server, "SELECT * WHERE { ?s ?p ?o . SERVICE "
                                "<http://127.0.0.1:9/sparql> { ?s ?q ?r } }")
    assert status == 403 and b"SERVICE" in body


def test_time_limit_stops_a_runaway_query_and_the_endpoint_goes_on(server, pytestconfig):
    """The fixture's limit is 2 s; a triple cross product over ~45k triples would run for
    hours. The answer must come back as 503 well before that, and the next query works."""
    started = time.monotonic()
    status, _, body = get_query(server, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f ."
                                " ?g ?h ?i }", "application/json")
    elapsed = time.monotonic() - started
    assert status == 503 and b"time limit" in body
    assert 1.5 < elapsed < 20
    # the work really stopped: the worker that ran it was killed (SIGKILL), not left running
    pool = pytestconfig.kg_query_pool
    assert pool.killed >= 1 and pool.killed_exit_codes[-1] == -9
    status, _, body = get_query(server, "ASK {}", "application/json")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_result_cap_refuses_a_huge_result_with_413(server):
    """The fixture caps results at 200 kB; every triple as JSON is several MB."""
    status, _, body = get_query(server, "SELECT * WHERE { ?s ?p ?o }", "application/json")
    assert status == 413 and b"LIMIT" in body
    status, _, body = get_query(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
                                "application/json")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 10


def test_cors_header_on_answers_and_preflight(server):
    _, headers, _ = get_query(server, "ASK {}")
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = http(server + "/sparql", method="OPTIONS", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]


def test_service_description_in_turtle(server):
    status, headers, body = http(server + "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200
    g = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(g.subjects(rdflib.RDF.type, sd.Service))
    assert (service, sd.endpoint, rdflib.URIRef(server + "/sparql")) in g
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g


def test_default_graph_is_the_union_and_graph_reaches_one_source(server):
    q = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/aicoop/graph/reference/"
         "organisations> { <%s> ?p ?o } }" % WHO)
    one = json.loads(get_query(server, q, "application/json")[2])
    n_one = int(one["results"]["bindings"][0]["n"]["value"])
    q_all = "SELECT (COUNT(*) AS ?n) WHERE { <%s> ?p ?o }" % WHO
    n_all = int(json.loads(get_query(server, q_all, "application/json")[2])
                ["results"]["bindings"][0]["n"]["value"])
    assert 0 < n_one < n_all
