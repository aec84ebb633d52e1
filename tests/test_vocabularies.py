"""The SKOS concept schemes: exactly the notations of docs/reference-data.md, at the IRIs the
code mints, labelled in English, French and Spanish, with the labels the text matcher needs."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from aicoop import resources
from aicoop.namespaces import AIC, SCHEMES, concept
from aicoop.validation import ontology_graph, validate

REPO = Path(__file__).resolve().parents[1]
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
CLASS_OF = {"domains": "Domain", "risks": "Risk", "benefits": "Benefit",
            "functions": "InstitutionalFunction", "instruments": "InstrumentType",
            "pathways": "CooperationPathway", "technologies": "Technology"}
LANGS = ("en", "fr", "es")


def documented_notations() -> dict[str, list[str]]:
    """The '## Notations' lists of docs/reference-data.md, the source of truth."""
    text = (REPO / "docs" / "reference-data.md").read_text(encoding="utf-8")
    section = text.split("## Notations", 1)[1].split("\n## ", 1)[0]
    joined = re.sub(r"\n\s+(?=[a-z])", " ", section)  # continuation lines
    return {m.group(1): [n.strip() for n in m.group(2).split(",")]
            for m in re.finditer(r"^- (\w+): (.+)$", joined, flags=re.M)}


@pytest.fixture(scope="module")
def vocab() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in resources.vocabulary_files():
        g.parse(path)
    return g


def concepts_of(g: rdflib.Graph, scheme: str) -> list[URIRef]:
    return sorted(g.subjects(SKOS.inScheme, URIRef(SCHEMES[scheme][0])))


def labels(g: rdflib.Graph, node: URIRef, prop: URIRef, lang: str | None = None) -> list[str]:
    return [str(v) for v in g.objects(node, prop)
            if isinstance(v, Literal) and (lang is None or v.language == lang)]


def test_documented_notations_are_parsed():
    """Guard the parser: seven lists, with the first and last notations read by hand."""
    notations = documented_notations()
    assert set(notations) == set(SCHEMES)
    assert len(notations) == 7
    assert notations["domains"][0] == "agriculture" and notations["domains"][-1] == "governance"
    assert notations["pathways"] == ["institutional-alignment", "strategic-benefits",
                                     "risk-mitigation"]
    assert notations["technologies"] == ["artificial-intelligence", "machine-learning",
                                         "algorithms", "automation", "generative-ai", "robotics",
                                         "software-and-data", "devices-and-models"]


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_scheme_has_exactly_the_documented_notations(vocab, scheme):
    expected = documented_notations()[scheme]
    found = {str(vocab.value(c, SKOS.notation)): c for c in concepts_of(vocab, scheme)}
    assert sorted(found) == sorted(expected)
    for notation, iri in found.items():
        assert str(iri) == concept(scheme, notation)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_scheme_header(vocab, scheme):
    iri = URIRef(SCHEMES[scheme][0])
    assert (iri, RDF.type, SKOS.ConceptScheme) in vocab
    assert {t.language for t in vocab.objects(iri, DCTERMS.title)} >= set(LANGS)
    version = vocab.value(iri, OWL.versionInfo)
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(version))
    assert vocab.value(iri, OWL.versionIRI) == URIRef(f"{iri}/{version}")
    tops = set(vocab.objects(iri, SKOS.hasTopConcept))
    assert tops == set(concepts_of(vocab, scheme))


def all_concepts() -> list[tuple[str, str]]:
    return [(s, n) for s, notations in sorted(documented_notations().items()) for n in notations]


@pytest.mark.parametrize("scheme,notation", all_concepts(),
                         ids=[f"{s}/{n}" for s, n in all_concepts()])
def test_concept_is_complete(vocab, scheme, notation):
    iri = URIRef(concept(scheme, notation))
    scheme_iri = URIRef(SCHEMES[scheme][0])
    assert (iri, RDF.type, SKOS.Concept) in vocab
    assert (iri, RDF.type, URIRef(AIC[CLASS_OF[scheme]])) in vocab
    assert (iri, SKOS.inScheme, scheme_iri) in vocab
    assert (iri, SKOS.topConceptOf, scheme_iri) in vocab
    notation_literal = vocab.value(iri, SKOS.notation)
    assert notation_literal == Literal(notation) and notation_literal.datatype in (None, XSD_STRING)
    for lang in LANGS:
        assert len(labels(vocab, iri, SKOS.prefLabel, lang)) == 1, f"prefLabel@{lang}"
        assert labels(vocab, iri, SKOS.altLabel, lang), f"altLabel@{lang}"
    assert labels(vocab, iri, SKOS.hiddenLabel)
    definition = labels(vocab, iri, SKOS.definition, "en")
    assert len(definition) == 1 and definition[0].endswith(".") and len(definition[0]) > 40


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_labels_are_unambiguous_within_a_scheme(vocab, scheme):
    """SKOS integrity (pref, alt and hidden labels disjoint) and, for the matcher, no label
    (ignoring case) that points at two concepts of the same scheme."""
    owner: dict[tuple[str, str], URIRef] = {}
    for c in concepts_of(vocab, scheme):
        mine: set[tuple[str, str]] = set()
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for lit in vocab.objects(c, prop):
                key = (str(lit).casefold(), lit.language)
                assert key not in mine, f"{c}: {lit!r} given twice"
                mine.add(key)
        for key in mine:
            assert owner.setdefault(key, c) == c, f"{key} labels {owner[key]} and {c}"


# Labels too common in AI policy texts to signal a domain, risk or benefit on their own
# ("machine learning", "AI development", "AI governance", "trade-offs").
TOO_GENERIC = {"learning", "development", "governance", "security", "trade", "environment",
               "data", "ai", "artificial intelligence", "technology", "policy", "system",
               "systems", "model", "models", "risk", "risks"}


@pytest.mark.parametrize("scheme", ["domains", "risks", "benefits"])
def test_detection_labels_are_not_generic_words(vocab, scheme):
    for c in concepts_of(vocab, scheme):
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for lit in vocab.objects(c, prop):
                assert str(lit).casefold() not in TOO_GENERIC, f"{c}: {lit!r}"


# What a text matcher must find, by hand from the design brief: (scheme, notation, label, lang)
DETECTION_EXAMPLES = [
    ("domains", "health", "healthcare", "en"), ("domains", "health", "public health", "en"),
    ("domains", "health", "patients", "en"), ("domains", "health", "hospital", "en"),
    ("domains", "health", "santé", "fr"), ("domains", "health", "soins de santé", "fr"),
    ("domains", "health", "salud", "es"), ("domains", "health", "atención sanitaria", "es"),
    ("domains", "agriculture", "farmers", "en"), ("domains", "agriculture", "livestock", "en"),
    ("domains", "agriculture", "food systems", "en"), ("domains", "agriculture", "agricole", "fr"),
    ("domains", "agriculture", "agrícola", "es"),
    ("domains", "cybersecurity", "cyberattack", "en"), ("domains", "cybersecurity", "ransomware", "en"),
    ("domains", "cybersecurity", "cybersécurité", "fr"), ("domains", "cybersecurity", "ciberseguridad", "es"),
    ("domains", "environment", "climate change", "en"), ("domains", "environment", "biodiversity", "en"),
    ("domains", "environment", "environmental monitoring", "en"),
    ("domains", "environment", "environnement", "fr"), ("domains", "environment", "medio ambiente", "es"),
    ("domains", "education", "teachers", "en"), ("domains", "education", "curriculum", "en"),
    ("domains", "education", "éducation", "fr"), ("domains", "education", "educación", "es"),
    ("risks", "privacy", "personal data", "en"), ("risks", "privacy", "surveillance", "en"),
    ("risks", "privacy", "données personnelles", "fr"), ("risks", "privacy", "datos personales", "es"),
    ("risks", "bias", "discrimination", "en"), ("risks", "bias", "fairness", "en"),
    ("risks", "bias", "biais", "fr"), ("risks", "bias", "sesgo", "es"),
    ("risks", "transparency", "explainability", "en"), ("risks", "transparency", "black box", "en"),
    ("risks", "safety", "accidents", "en"), ("risks", "safety", "unsafe", "en"),
    ("risks", "misinformation", "disinformation", "en"), ("risks", "misinformation", "deepfakes", "en"),
    ("risks", "misinformation", "désinformation", "fr"), ("risks", "misinformation", "desinformación", "es"),
    ("risks", "dual-use", "military applications", "en"), ("risks", "dual-use", "weaponization", "en"),
    ("benefits", "food-security", "sécurité alimentaire", "fr"),
    ("benefits", "sustainable-development", "desarrollo sostenible", "es"),
]


# Context labels: the text loader counts a domain, risk or benefit mention fully when its
# sentence also names one of these technologies. (scheme, notation, label, lang)
CONTEXT_EXAMPLES = [
    ("technologies", "artificial-intelligence", "AI", "en"),
    ("technologies", "artificial-intelligence", "A.I.", "en"),
    ("technologies", "artificial-intelligence", "IA", "fr"),
    ("technologies", "artificial-intelligence", "IA", "es"),
    ("technologies", "artificial-intelligence", "intelligence artificielle", "fr"),
    ("technologies", "artificial-intelligence", "inteligencia artificial", "es"),
    ("technologies", "machine-learning", "deep learning", "en"),
    ("technologies", "algorithms", "algorithmic", "en"),
    ("technologies", "automation", "automated decision-making", "en"),
    ("technologies", "generative-ai", "large language model", "en"),
    ("technologies", "generative-ai", "deepfake", "en"),
    ("technologies", "robotics", "autonomous system", "en"),
    ("technologies", "software-and-data", "numérique", "fr"),
]


@pytest.mark.parametrize("scheme,notation,label,lang", DETECTION_EXAMPLES + CONTEXT_EXAMPLES,
                         ids=[f"{n}:{l}@{g}" for _, n, l, g in DETECTION_EXAMPLES + CONTEXT_EXAMPLES])
def test_matcher_labels_are_present(vocab, scheme, notation, label, lang):
    iri = URIRef(concept(scheme, notation))
    found = {(str(v).casefold(), v.language) for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
             for v in vocab.objects(iri, p)}
    assert (label.casefold(), lang) in found


def test_ai_acronyms_keep_their_capitals(vocab):
    """The matcher reads all-capital labels as acronyms that must match letter for letter, so
    "AI" and "IA" must be stored in capitals, on the artificial-intelligence concept."""
    iri = URIRef(concept("technologies", "artificial-intelligence"))
    alt = {(str(v), v.language) for v in vocab.objects(iri, SKOS.altLabel)}
    assert {("AI", "en"), ("IA", "fr"), ("IA", "es")} <= alt


SDG = "http://metadata.un.org/sdg/"
# Hand-picked from the SDG targets: the goals each domain serves most directly.
EXPECTED_SDGS = {
    "health": {3}, "education": {4}, "agriculture": {2}, "environment": {13, 14, 15},
    "cybersecurity": {9, 16}, "trade": {17}, "labour": {8}, "justice": {16},
}


def test_every_domain_matches_a_sustainable_development_goal(vocab):
    goals: dict[str, set[int]] = defaultdict(set)
    for c in concepts_of(vocab, "domains"):
        for match in vocab.objects(c, SKOS.closeMatch):
            assert str(match).startswith(SDG), match
            number = int(str(match)[len(SDG):])
            assert 1 <= number <= 17
            goals[str(vocab.value(c, SKOS.notation))].add(number)
    assert set(goals) == set(documented_notations()["domains"])
    for notation, expected in EXPECTED_SDGS.items():
        assert goals[notation] == expected, notation


def test_packaged_vocabularies_conform_to_the_shapes():
    """The concept shapes run on the vocabularies themselves: no violations, no warnings."""
    report = validate(ontology_graph())
    assert report.violations == ()
