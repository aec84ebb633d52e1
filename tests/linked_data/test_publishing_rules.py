"""The pure parts of publishing and serving, with expected values worked out by hand:
standard entailments, portable paths, the SPARQL request checks, conneg rule text, JSON."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aicoop.publish import conneg
from aicoop.publish.entailment import standard_entailments
from aicoop.publish.portable import LOCAL_FILE_URN, portable_path, portable_term
from aicoop.serve.app import plain, with_prefixes
from aicoop.serve.sparql import ProtocolError, QueryInfo, check_query, negotiate

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBP = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
SUBC = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def test_sub_property_chain_is_followed_to_the_top():
    data = [("p", SUBP, "q"), ("q", SUBP, "r"), ("a", "p", "b")]
    new = standard_entailments(data)
    assert ("a", "q", "b") in new and ("a", "r", "b") in new
    assert ("a", "p", "b") not in new  # already stated: not repeated


def test_sub_class_closure_types_instances():
    data = [("A", SUBC, "B"), ("B", SUBC, "C"), ("x", RDF_TYPE, "A")]
    assert {("x", RDF_TYPE, "B"), ("x", RDF_TYPE, "C")} <= standard_entailments(data)


def test_skos_labels_and_broader_chains():
    data = [("c1", SKOS + "prefLabel", "one"), ("c1", SKOS + "altLabel", "uno"),
            ("c1", SKOS + "hiddenLabel", "1"), ("c1", SKOS + "broader", "c2"),
            ("c2", SKOS + "broader", "c3")]
    new = standard_entailments(data)
    assert ("c1", RDFS_LABEL, "one") in new and ("c1", RDFS_LABEL, "uno") in new
    assert ("c1", RDFS_LABEL, "1") not in new  # hidden labels stay hidden
    # broader -> broaderTransitive, chained; and the inverses
    assert ("c1", SKOS + "broaderTransitive", "c3") in new
    assert ("c3", SKOS + "narrowerTransitive", "c1") in new
    assert ("c2", SKOS + "narrower", "c1") in new
    assert ("c3", SKOS + "broaderTransitive", "c1") not in new


def test_org_membership_gives_member_of_and_has_member():
    data = [("m", ORG + "member", "fra"), ("m", ORG + "organization", "who")]
    new = standard_entailments(data)
    assert ("fra", ORG + "memberOf", "who") in new
    assert ("who", ORG + "hasMember", "fra") in new


def test_axioms_on_blank_nodes_and_literals_are_left_alone():
    inverse = ox.NamedNode("http://www.w3.org/2002/07/owl#inverseOf")
    p, q = ox.NamedNode("http://e.org/p"), ox.NamedNode("http://e.org/q")
    s, t = ox.NamedNode("http://e.org/s"), ox.NamedNode("http://e.org/t")
    data = [(ox.BlankNode("b"), inverse, p),  # as inside an owl:propertyChainAxiom
            (p, inverse, q),
            (s, p, t), (s, p, ox.Literal("a literal is never a subject")),
            (s, ox.NamedNode(SKOS + "prefLabel"), ox.Literal("x"))]
    new = standard_entailments(data, ox.NamedNode)
    assert new == {(s, ox.NamedNode(RDFS_LABEL), ox.Literal("x")), (t, q, s)}


def test_facts_already_stated_are_not_repeated():
    data = [("fra", ORG + "memberOf", "who"), ("who", ORG + "hasMember", "fra"),
            ("p", SUBP, "p"), ("p", SUBP, "q"), ("q", SUBP, "p"), ("a", "p", "b")]
    assert standard_entailments(data) == {("a", "q", "b")}


def test_inverse_and_chain_feed_each_other_to_a_fixpoint():
    """narrower stated downwards only: the broader chain comes from the inverses."""
    data = [("top", SKOS + "narrower", "mid"), ("mid", SKOS + "narrower", "leaf")]
    new = standard_entailments(data)
    assert ("leaf", SKOS + "broaderTransitive", "top") in new
    assert ("top", SKOS + "narrowerTransitive", "leaf") in new


@pytest.mark.parametrize("path, expected", [
    ("/opt/venv/lib/aicoop/data/reference/orgs.csv",
     "https://w3id.org/aicoop/source/reference/orgs.csv"),
    ("/home/me/corpus/my file.csv", LOCAL_FILE_URN + "my%20file.csv"),
    ("C:\\Users\\me\\x.ttl", LOCAL_FILE_URN + "x.ttl"),
], ids=["packaged", "local-with-space", "windows"])
def test_portable_path(path, expected):
    roots = [("/opt/venv/lib/aicoop/data/reference", "reference")]
    assert portable_path(path, roots, "https://w3id.org/aicoop/") == expected


def test_portable_term_rewrites_file_iris_and_path_literals_only():
    roots = [("/pkg", "package")]
    base = "https://w3id.org/aicoop/"
    assert portable_term(ox.NamedNode("file:///pkg/a%20b.csv"), roots, base) == \
        ox.NamedNode(base + "source/package/a%20b.csv")
    assert portable_term(ox.Literal("/tmp/x/y.pdf"), roots, base) == ox.Literal("y.pdf")
    for unchanged in (ox.Literal("2021-05-01"), ox.Literal("AI / health", language="en"),
                      ox.NamedNode("https://www.who.int/a/b")):
        assert portable_term(unchanged, roots, base) == unchanged


@pytest.mark.parametrize("query, form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("ASK {}", "ASK"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://e.org/x>", "DESCRIBE"),
    ("# a comment\nPREFIX e: <http://e.org/>\nSELECT ?x { ?x e:p ?y }", "SELECT"),
])
def test_check_query_names_the_form(query, form):
    assert check_query(query).form == form


@pytest.mark.parametrize("query, status, words", [
    ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", 403, "Update"),
    ("DROP ALL", 403, "Update"),
    ("SELECT * { SERVICE <http://e.org/sparql> { ?s ?p ?o } }", 403, "SERVICE"),
    ("SELECT * { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://e/s> { ?s ?q ?r } } }", 403,
     "SERVICE"),
    ("PREFIX e: <http://e/>\nWITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", 403,
     "Update"),
    ("select * { service <http://e.org/sparql> { ?s ?p ?o } }", 403, "SERVICE"),
    ("PREFIX e: <http://e/> e:x", 400, "malformed"),
    ("", 400, "malformed"),
    ("# only a comment", 400, "malformed"),
], ids=["insert", "drop", "service", "nested-service", "with-delete", "lower-case-service",
        "no-form", "empty", "comment"])
def test_check_query_refuses(query, status, words):
    with pytest.raises(ProtocolError) as err:
        check_query(query)
    assert err.value.status == status and words in err.value.message


@pytest.mark.parametrize("query", [
    'SELECT * { ?s ?p "SERVICE <http://e/x> {}" }',
    "SELECT * { ?s <http://e/SERVICE> ?o }",
    "SELECT ?service { ?s e:SERVICE ?service } # SERVICE",
    "SELECT * { ?s ?p \"\"\"a\nSERVICE\"\"\" }",
], ids=["in-string", "in-iri", "variable-pname-comment", "long-string"])
def test_service_inside_strings_iris_and_names_is_not_a_call(query):
    assert check_query(query).form == "SELECT"


@pytest.mark.parametrize("form, accept, fmt, expected", [
    ("SELECT", None, None, "application/sparql-results+json"),
    ("SELECT", "text/csv;q=0.5, application/sparql-results+xml", None,
     "application/sparql-results+xml"),
    ("SELECT", "application/json", None, "application/sparql-results+json"),
    ("SELECT", "*/*", "csv", "text/csv"),
    ("ASK", "text/html,*/*;q=0.1", None, "application/sparql-results+json"),
    ("CONSTRUCT", None, None, "text/turtle"),
    ("CONSTRUCT", "application/ld+json", None, "application/ld+json"),
    ("DESCRIBE", None, "json", "application/ld+json"),
])
def test_negotiate(form, accept, fmt, expected):
    assert negotiate(QueryInfo(form), accept, fmt) == expected


@pytest.mark.parametrize("form, accept, fmt", [
    ("SELECT", "text/turtle", None), ("CONSTRUCT", "text/csv", None),
    ("SELECT", None, "pdf"),
])
def test_negotiate_refuses_with_406(form, accept, fmt):
    with pytest.raises(ProtocolError) as err:
        negotiate(QueryInfo(form), accept, fmt)
    assert err.value.status == 406


def test_with_prefixes_adds_only_missing_used_prefixes():
    text = "PREFIX org: <http://www.w3.org/ns/org#>\nSELECT * { ?x org:memberOf ?y ; a skos:Concept }"
    out = with_prefixes(text, {"org": "http://www.w3.org/ns/org#",
                               "skos": "http://s/", "aic": "http://a/"})
    assert out == "PREFIX skos: <http://s/>\n" + text


def test_plain_turns_tuple_keys_into_key_value_rows():
    assert plain({("who", "health"): 2}) == [{"key": ["who", "health"], "value": 2}]
    assert plain({"a": {1, 3, 2}}) == {"a": [1, 2, 3]}


def test_w3id_rules_point_at_the_site_given():
    text = conneg.w3id_htaccess("https://data.example.org/aicoop")
    assert "RewriteRule ^(.+)$ https://data.example.org/aicoop/$1.ttl [R=303,L]" in text
    assert "site.invalid" not in text
    # HTML is chosen first for a browser, whatever else it accepts
    assert text.index("text/html") < text.index("text/turtle")


def test_answer_cache_keeps_only_whole_successes_within_its_byte_bound():
    from aicoop.serve.app import AnswerCache
    cache = AnswerCache(max_bytes=10, max_item=6)
    cache.put(("a",), (200, "text/plain", b"12345"))
    cache.put(("err",), (503, "text/plain", b"x"))  # errors are never kept
    cache.put(("big",), (200, "text/plain", b"1234567"))  # over max_item
    assert cache.get(("err",)) is None and cache.get(("big",)) is None
    cache.put(("b",), (200, "text/plain", b"1234"))
    assert cache.get(("a",)) is not None  # 'a' is now the most recently used
    cache.put(("c",), (200, "text/plain", b"123"))  # 5 + 4 + 3 = 12 > 10: drop 'b'
    assert cache.get(("b",)) is None
    assert cache.get(("a",))[2] == b"12345" and cache.get(("c",))[2] == b"123"
    assert cache.size == 8
