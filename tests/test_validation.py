"""The validation API: what it validates (the union of graphs, with the class hierarchy
materialised), how it names records, and how it reports to people and programs."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef

from aicoop.errors import InputError, UsageError
from aicoop.store.embedded import EmbeddedStore
from aicoop.validation import Violation, format_report, validate, validate_store

DATA = Path(__file__).parent / "data" / "shapes"
DOC = "https://w3id.org/aicoop/id/doc/"
ORG = "https://w3id.org/aicoop/id/org/"
PREFIXES = """
@prefix aic: <https://w3id.org/aicoop/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
OECD = f"""<{ORG}oecd> a aic:IntergovernmentalOrganisation ; skos:prefLabel "OECD"@en ."""
UNTITLED = f"""
<{DOC}untitled> a aic:PolicyDocument ;
    aic:issuedBy <{ORG}oecd> ;
    dcterms:issued "2019-05-22"^^xsd:date ;
    aic:instrumentType <https://w3id.org/aicoop/id/instrument/recommendation> ;
    aic:addressesDomain <https://w3id.org/aicoop/id/domain/governance> ;
    dcterms:source <https://example.org/untitled> .
"""


def graph(*turtle: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + "\n".join(turtle), format="turtle")


def test_a_document_without_title_is_named_with_what_is_missing():
    report = validate(graph(OECD, UNTITLED))
    assert not report.conforms
    assert report.violations == (Violation(
        focus=f"{DOC}untitled", focus_label=None, path="dcterms:title", path_label="title",
        message="A policy document must have a title (dcterms:title), given as text.",
        severity="Violation", value=None,
        shape="https://w3id.org/aicoop/shapes#PolicyDocument-title"),)
    assert format_report(report) == (
        "The graph does not conform: 1 violation, 0 warnings in 1 record.\n"
        "\n"
        f"<{DOC}untitled>\n"
        "  title — A policy document must have a title (dcterms:title), given as text.\n")


def test_text_report_groups_by_record_and_field_with_label_and_found_value():
    g = graph(f"""
<{ORG}who> a aic:UNSystemEntity ; skos:prefLabel "World Health Organization"@en ;
    aic:foundingYear "1948" ; aic:wikidataId "Q-7817" .
<{DOC}x> a aic:PolicyDocument ; dcterms:title "Some guidance"@en ; aic:issuedBy <{ORG}who> ;
    aic:instrumentType <https://w3id.org/aicoop/id/instrument/guidance> ;
    aic:addressesDomain <https://w3id.org/aicoop/id/domain/health> ;
    dcterms:source <https://example.org/x> .
""")
    text = format_report(validate(g))
    assert text == (
        "The graph does not conform: 2 violations, 1 warning in 2 records.\n"
        "\n"
        f"<{ORG}who> (World Health Organization)\n"
        "  Wikidata ID — A Wikidata ID (aic:wikidataId) must be a single item identifier such as"
        ' "Q7817": the letter Q followed by digits. Found: "Q-7817".\n'
        "  founding year — The founding year of an organisation (aic:foundingYear) must be a"
        ' single year typed xsd:gYear, such as "1948"^^xsd:gYear. Found: "1948".\n'
        "\n"
        f"<{DOC}x> (Some guidance)\n"
        "  date [warning] — A policy document should have a date (dcterms:issued); leave it out"
        " only when no source confirms it.\n")


def test_warnings_alone_keep_the_graph_conforming():
    g = graph(OECD, UNTITLED.replace("dcterms:issued", "dcterms:title \"T\"@en ; dcterms:created"))
    report = validate(g)
    assert report.conforms
    assert [v.path_label for v in report.warnings] == ["date"]
    assert report.errors == ()


def test_class_hierarchy_is_materialised_from_the_ontology():
    """An issuer typed aic:IntergovernmentalOrganisation is an org:Organization only through
    the ontology's subclass axioms; without them the same data fails."""
    g = graph(OECD, UNTITLED.replace("aic:issuedBy", 'dcterms:title "T"@en ; aic:issuedBy'))
    assert validate(g).violations == ()
    bare = validate(g, ontology=rdflib.Graph())
    issuer = [v for v in bare.violations if v.path_label == "issuer"]
    assert [v.value for v in issuer] == [f"<{ORG}oecd>"]


def test_input_graph_is_not_modified():
    g = graph(OECD, UNTITLED)
    before = set(g)
    validate(g)
    assert set(g) == before


def test_a_dataset_is_validated_as_the_union_of_its_graphs():
    """The document and its issuer live in different named graphs, as after two loads."""
    ds = rdflib.Dataset()
    ds.graph(URIRef("https://w3id.org/aicoop/graph/orgs")).parse(
        data=PREFIXES + OECD, format="turtle")
    ds.graph(URIRef("https://w3id.org/aicoop/graph/docs")).parse(
        data=PREFIXES + UNTITLED.replace("aic:issuedBy", 'dcterms:title "T"@en ; aic:issuedBy'),
        format="turtle")
    report = validate(ds)
    assert report.violations == ()


def test_validate_store_reads_every_named_graph():
    store = EmbeddedStore(None)
    for name, text in (("orgs", OECD), ("docs", UNTITLED)):
        triples = ox.parse((PREFIXES + text).encode(), ox.RdfFormat.TURTLE)
        store.replace_graph(f"https://w3id.org/aicoop/graph/{name}", triples)
    from_store = validate_store(store)
    from_graph = validate(graph(OECD, UNTITLED))
    assert from_store.violations == from_graph.violations
    assert [v.focus for v in from_store.violations] == [f"{DOC}untitled"]


def test_blank_node_checks_are_reported_against_the_owning_record():
    report = validate(rdflib.Graph().parse(DATA / "invalid" / "function-role-without-domain.ttl"))
    (v,) = report.violations
    assert v.focus == f"{ORG}who"
    assert v.focus_label == "World Health Organization"
    assert v.path == "aic:inDomain"


def test_complex_paths_are_written_as_sparql_paths():
    report = validate(rdflib.Graph().parse(DATA / "invalid" / "evidence-without-quote.ttl"))
    assert [v.path for v in report.violations] == ["oa:hasTarget/oa:hasSelector/oa:exact"]


def test_reports_are_deterministic():
    g = rdflib.Graph()
    for path in sorted((DATA / "invalid").glob("organisation-*.ttl")):
        g.parse(path)
    first, second = validate(g), validate(g)
    assert first.violations == second.violations
    assert len(first.violations) >= 5


def test_json_report():
    report = validate(graph(OECD, UNTITLED))
    data = json.loads(format_report(report, "json"))
    assert data["conforms"] is False
    assert data["violations"] == 1 and data["warnings"] == 0
    assert data["results"][0]["focus"] == f"{DOC}untitled"
    assert data["results"][0]["path_label"] == "title"


def test_turtle_report_is_the_shacl_results_graph():
    report = validate(graph(OECD, UNTITLED))
    results = rdflib.Graph().parse(data=format_report(report, "turtle"), format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    (rep,) = results.subjects(rdflib.RDF.type, sh.ValidationReport)
    assert results.value(rep, sh.conforms) == Literal(False)
    assert list(results.objects(None, sh.focusNode)) == [URIRef(f"{DOC}untitled")]


def test_unknown_report_format_is_a_usage_error():
    report = validate(graph(OECD))
    with pytest.raises(UsageError, match="choose text, json or turtle"):
        format_report(report, "yaml")


def test_empty_report_says_the_graph_conforms():
    assert format_report(validate(graph(OECD))) == (
        "The graph conforms to the shapes: no violations, no warnings.\n")


def test_custom_shapes_replace_the_packaged_ones(tmp_path):
    shapes = tmp_path / "extra.ttl"
    shapes.write_text("""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix aic: <https://w3id.org/aicoop/ontology#> .
<urn:x:AcronymRequired> a sh:NodeShape ; sh:targetClass aic:Organisation ;
    sh:property [ sh:path aic:acronym ; sh:minCount 1 ; sh:name "acronym" ;
        sh:message "An organisation needs an acronym (aic:acronym)."@en ] .
""", encoding="utf-8")
    report = validate(graph(OECD), shapes=shapes)
    assert [(v.focus, v.path_label, v.message) for v in report.violations] == [
        (f"{ORG}oecd", "acronym", "An organisation needs an acronym (aic:acronym).")]


def test_shapes_with_a_syntax_error_name_the_file_and_line(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:a> a sh:NodeShape\n",
                      encoding="utf-8")
    with pytest.raises(InputError) as info:
        validate(graph(OECD), shapes=broken)
    assert info.value.source == str(broken)
    assert info.value.line == 3
