"""RDF output: the triples of an annotation, SHACL-valid, linked to the register, and a
reload that replaces the graph instead of adding to it."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest

from aicoop.loaders.text.rdf import (prepare_text_graph, register_index, text_graph_for,
                                      write_text_graph)
from aicoop.namespaces import AIC, OA

from .conftest import DATA

WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
TEXT = ("AI for Health Systems\n\nHospitals use AI to help patients. Public health agencies "
        "protect personal data of patients.\nThe WHO publishes guidance for hospitals.\n")


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    f = tmp_path / "health-guidance.txt"
    f.write_text(TEXT, encoding="utf-8")
    return f


def _store():
    from aicoop.store.embedded import EmbeddedStore
    return EmbeddedStore(None)


def _select(store, query: str) -> list[dict]:
    return store.select(query).values()


def test_annotation_becomes_detections_statements_and_evidence(annotator, text_file) -> None:
    store = _store()
    res = write_text_graph(store, annotator.annotate_file(text_file), generated_at=WHEN)
    assert res.graph == text_graph_for(text_file) and not res.linked
    assert "health" in res.addressed
    health = "https://w3id.org/aicoop/id/domain/health"
    rows = _select(store, f"""
        SELECT ?mentions ?inContext ?addresses WHERE {{
          ?doc aic:detection ?d ; aic:addressesDomain <{health}> .
          ?d aic:detectedConcept <{health}> ; aic:mentions ?mentions ;
             aic:mentionsInContext ?inContext ; aic:addresses ?addresses
        }}""")
    # the title and the first sentence name AI (3 mentions); the last two sentences do not
    assert rows == [{"mentions": 6, "inContext": 3, "addresses": True}]
    ev = _select(store, f"""
        SELECT ?start ?end ?exact ?source WHERE {{
          ?d aic:detectedConcept <{health}> ; aic:evidence ?e .
          ?e a aic:TextEvidence ; oa:hasTarget ?t . ?t oa:hasSource ?source ;
             oa:hasSelector ?p , ?q . ?p a oa:TextPositionSelector ; oa:start ?start ;
             oa:end ?end . ?q a oa:TextQuoteSelector ; oa:exact ?exact }} ORDER BY ?start""")
    assert ev and all(TEXT[r["start"]:r["end"]] == r["exact"] for r in ev)
    assert {r["source"] for r in ev} == {res.document}
    prov = _select(store, f"""
        SELECT ?file WHERE {{ GRAPH <{res.graph}> {{ <{res.graph}> prov:wasDerivedFrom ?file ;
          prov:wasGeneratedBy ?act . ?act rdfs:label "kg load text" }} }}""")
    assert prov == [{"file": text_file.resolve().as_uri()}]


def test_output_is_shacl_valid(annotator, text_file) -> None:
    import rdflib

    from aicoop.validation import validate
    _graph, _doc, _linked, triples = prepare_text_graph(annotator.annotate_file(text_file))
    g = rdflib.Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    # the organisation found in the text is known in the store as an organisation
    g.add((rdflib.URIRef("https://w3id.org/aicoop/id/org/who"), rdflib.RDF.type,
           rdflib.URIRef("http://www.w3.org/ns/org#Organization")))
    report = validate(g)
    assert report.conforms, "\n".join(v.message for v in report.errors)
    assert len(list(g.subjects(rdflib.RDF.type, rdflib.URIRef(AIC.TextEvidence)))) >= 3
    assert len(list(g.subjects(rdflib.RDF.type, rdflib.URIRef(OA.TextPositionSelector)))) >= 3


def test_reloading_replaces_the_graph(annotator, text_file) -> None:
    store = _store()
    first = write_text_graph(store, annotator.annotate_file(text_file), generated_at=WHEN)
    before = sorted(str(q) for q in store.quads(first.graph))
    again = write_text_graph(store, annotator.annotate_file(text_file), generated_at=WHEN)
    assert again.graph == first.graph
    assert sorted(str(q) for q in store.quads(first.graph)) == before
    assert len(store.graphs()) == 1
    # the file changes: its old detections are gone, not kept beside the new ones
    text_file.write_text("Farmers grow crops. Farmers and crops and agriculture.\n",
                         encoding="utf-8")
    write_text_graph(store, annotator.annotate_file(text_file), generated_at=WHEN)
    concepts = {r["c"] for r in _select(store, "SELECT DISTINCT ?c WHERE { ?d aic:detectedConcept ?c }")}
    assert concepts == {"https://w3id.org/aicoop/id/domain/agriculture"}


def test_a_register_record_that_names_the_file_is_the_document(annotator, text_file,
                                                                tmp_path: Path) -> None:
    register = tmp_path / "docs.csv"
    register.write_text("key,title,url\n"
                        "who-2024,Guidance on AI for health,https://example.org/files/"
                        "health-guidance.txt\n"
                        "other,Something else,https://example.org/other.pdf\n",
                        encoding="utf-8")
    mapping = tmp_path / "docs.mapping.yaml"
    mapping.write_text("format: csv\nsubject:\n  iri: \"doc/{key}\"\n"
                       "  class: aic:PolicyDocument\nfields:\n"
                       "  - column: title\n    property: dcterms:title\n"
                       "  - column: url\n    property: foaf:page\n    datatype: iri\n",
                       encoding="utf-8")
    index = register_index(register, mapping)
    store = _store()
    res = write_text_graph(store, annotator.annotate_file(text_file), register=index,
                           generated_at=WHEN)
    assert res.linked and res.document == "https://w3id.org/aicoop/id/doc/who-2024"
    # the register's record keeps its own title and type: the text graph adds none
    titles = _select(store, f"SELECT ?t WHERE {{ <{res.document}> dcterms:title ?t }}")
    assert titles == []
    assert store.query(f"ASK {{ <{res.document}> aic:addressesDomain ?d }}") is True


def test_vocabulary_can_come_from_the_store() -> None:
    from aicoop.loaders.rdf import load_rdf
    from aicoop.loaders.text.vocabulary import vocabulary_from_store
    store = _store()
    load_rdf(store, [DATA / "vocab.ttl"])
    vocab = vocabulary_from_store(store)
    assert {c.notation for c in vocab.by_scheme("domains")} == \
        {"health", "education", "agriculture", "cybersecurity"}
    assert any(lab.text == "Santé" and lab.language == "fr" for lab in vocab.labels)
