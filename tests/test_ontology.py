"""The OWL ontology keeps its contract with the code, documents every term, reuses the W3C
vocabularies as the design says, and stays consistent OWL 2 DL."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from aicoop import resources
from aicoop.namespaces import AIC, ONTOLOGY_IRI
from aicoop.reasoning import check_consistency, check_ontology, format_check, ontology_files

ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")  # plain: pytest probes module attributes
VANN = rdflib.Namespace("http://purl.org/vocab/vann/")
A = rdflib.Namespace(str(AIC))
ONTO = URIRef(ONTOLOGY_IRI)
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(resources.ontology_file())


@pytest.fixture(scope="module")
def onto_and_vocab() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in ontology_files():
        g.parse(path)
    return g


def test_resources_hold_the_repository_files():
    """Installed (packaged copy) or editable (source tree), the files are the repository's."""
    assert resources.ontology_file().read_bytes() == (REPO / "ontology" / "aicoop.ttl").read_bytes()
    shapes = sorted(p.name for p in resources.shapes_dir().glob("*.ttl"))
    assert shapes == sorted(p.name for p in (REPO / "shapes").glob("*.ttl"))
    assert [p.name for p in resources.vocabulary_files()] == [
        "benefits.ttl", "detection-labels.ttl", "domains.ttl", "functions.ttl",
        "instruments.ttl", "pathways.ttl", "risks.ttl", "technologies.ttl"]
    for p in resources.vocabulary_files():
        assert p.read_bytes() == (REPO / "ontology" / "vocab" / p.name).read_bytes()


# ---- header ---------------------------------------------------------------------------------

def test_ontology_header(onto):
    assert (ONTO, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTO, OWL.versionIRI) == URIRef("https://w3id.org/aicoop/ontology/0.2.0")
    assert onto.value(ONTO, OWL.versionInfo) == Literal("0.2.0")
    assert onto.value(ONTO, VANN.preferredNamespacePrefix) == Literal("aic")
    assert onto.value(ONTO, VANN.preferredNamespaceUri) == Literal(str(AIC))
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator):
        assert onto.value(ONTO, prop) is not None, prop


def test_version_iri_ends_with_version_info(onto):
    version = str(onto.value(ONTO, OWL.versionInfo))
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert str(onto.value(ONTO, OWL.versionIRI)) == f"{ONTOLOGY_IRI}/{version}"


# ---- the contract with aicoop.namespaces.AIC -------------------------------------------------

@pytest.mark.parametrize("term", sorted(AIC.terms))
def test_every_code_term_is_declared_labelled_and_defined(onto, term):
    iri = URIRef(AIC[term])
    # Classes are capitalised, properties are not: the declaration must agree.
    if term[0].isupper():
        assert (iri, RDF.type, OWL.Class) in onto
    else:
        assert {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty} & set(
            onto.objects(iri, RDF.type))
    labels = {lit.language: str(lit) for lit in onto.objects(iri, RDFS.label)}
    assert {"en", "fr", "es"} <= set(labels), labels
    definitions = [d for d in onto.objects(iri, SKOS.definition) if d.language == "en"]
    assert definitions and len(str(definitions[0])) > 20


def test_ontology_declares_no_aic_term_the_code_does_not_know(onto):
    declared = {str(s)[len(str(AIC)):] for s in onto.subjects(RDF.type, None)
                if str(s).startswith(str(AIC))}
    assert declared == set(AIC.terms)


# ---- reuse of W3C vocabularies ---------------------------------------------------------------

SUBCLASSES = [
    ("Organisation", ORG.FormalOrganization),
    ("State", ORG.FormalOrganization),
    ("PolicyDocument", FOAF.Document),
    ("PolicyDocument", PROV.Entity),
    ("JointInitiative", ORG.OrganizationalCollaboration),
    ("TextEvidence", OA.Annotation),
    ("ConceptDetection", PROV.Entity),
    ("Domain", SKOS.Concept),
    ("Risk", SKOS.Concept),
    ("Benefit", SKOS.Concept),
    ("InstitutionalFunction", SKOS.Concept),
    ("InstrumentType", SKOS.Concept),
    ("CooperationPathway", SKOS.Concept),
    ("Technology", SKOS.Concept),
]


@pytest.mark.parametrize("cls,parent", SUBCLASSES, ids=[f"{c}<{p.split('/')[-1]}" for c, p in SUBCLASSES])
def test_classes_specialise_reused_vocabularies(onto, cls, parent):
    assert (A[cls], RDFS.subClassOf, parent) in onto


# the `kind` strings of docs/reference-data.md, plus the two kinds outside that column
KINDS = {
    "un-system-entity": "UNSystemEntity",
    "intergovernmental-organisation": "IntergovernmentalOrganisation",
    "security-alliance": "SecurityAlliance",
    "forum-or-club": "ForumOrClub",
    "development-bank": "DevelopmentBank",
    "standards-body": "StandardsBody",
    "regional-organisation": "RegionalOrganisation",
    "multistakeholder-partnership": "MultistakeholderPartnership",
    "research-network": "ResearchNetwork",
    "non-state-organisation": "NonStateOrganisation",
    "state": "State",
    # issuers of third-party inventories (docs/mappings.md)
    "government-body": "GovernmentBody",
    "parliament": "Parliament",
    "regulator": "Regulator",
    "company": "Company",
    "civil-society-organisation": "CivilSocietyOrganisation",
    "academic-institution": "AcademicInstitution",
    "professional-association": "ProfessionalAssociation",
}


def test_the_code_kind_table_matches_the_ontology():
    from aicoop.namespaces import KIND_CLASSES
    assert KIND_CLASSES == KINDS


@pytest.mark.parametrize("notation,cls", sorted(KINDS.items()))
def test_kind_classes_carry_the_register_notation(onto, notation, cls):
    assert list(onto.subjects(SKOS.notation, Literal(notation))) == [A[cls]]
    if cls != "State":
        # directly, or through a broader kind (a regulator is a government body)
        assert A.Organisation in set(onto.transitive_objects(A[cls], RDFS.subClassOf))


PROPERTIES = [
    # property, super-property or None, domain or None, range or None
    ("issuedBy", DCTERMS.publisher, A.PolicyDocument, ORG.Organization),
    ("cites", DCTERMS.references, None, None),
    ("partner", ORG.hasMember, A.JointInitiative, ORG.Organization),
    ("hasFunctionRole", None, ORG.Organization, A.FunctionRole),
    ("function", None, A.FunctionRole, A.InstitutionalFunction),
    ("inDomain", None, A.FunctionRole, A.Domain),
    ("performsFunction", None, ORG.Organization, A.InstitutionalFunction),
    ("activeInDomain", None, ORG.Organization, A.Domain),
    ("addressesDomain", None, None, A.Domain),
    ("identifiesRisk", None, A.PolicyDocument, A.Risk),
    ("mitigatesRisk", None, A.PolicyDocument, A.Risk),
    ("promisesBenefit", None, A.PolicyDocument, A.Benefit),
    ("instrumentType", None, A.PolicyDocument, A.InstrumentType),
    ("pathway", None, None, A.CooperationPathway),
    ("headquarters", None, None, A.State),
    ("detection", None, None, A.ConceptDetection),
    ("detectedConcept", None, A.ConceptDetection, None),
    ("evidence", None, None, A.TextEvidence),
    ("score", None, A.ConceptDetection, XSD.decimal),
    ("mentions", None, A.ConceptDetection, XSD.integer),
    ("addresses", None, A.ConceptDetection, XSD.boolean),
    ("binding", None, A.PolicyDocument, XSD.boolean),
    ("foundingYear", None, None, XSD.gYear),
]


@pytest.mark.parametrize("prop,parent,domain,range_", PROPERTIES, ids=[p[0] for p in PROPERTIES])
def test_property_axioms(onto, prop, parent, domain, range_):
    iri = A[prop]
    if parent is not None:
        assert (iri, RDFS.subPropertyOf, parent) in onto
    if domain is not None:
        assert onto.value(iri, RDFS.domain) == domain
    if range_ is not None:
        assert onto.value(iri, RDFS.range) == range_


def test_partner_of_is_symmetric(onto):
    assert (A.partnerOf, RDF.type, OWL.SymmetricProperty) in onto


def test_shortcut_properties_are_chains_of_the_n_ary_nodes(onto):
    """performsFunction = hasFunctionRole o function; so a reasoner agrees with the loaders."""
    from rdflib.collection import Collection

    chains = [list(Collection(onto, c)) for c in onto.objects(A.performsFunction,
                                                                 OWL.propertyChainAxiom)]
    assert chains == [[A.hasFunctionRole, A.function]]


# ---- OWL 2 DL hygiene -------------------------------------------------------------------------

def test_no_punning_between_concepts_and_classes(onto_and_vocab):
    g = onto_and_vocab
    classes = set(g.subjects(RDF.type, OWL.Class))
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert not classes & concepts


def test_no_property_has_two_owl_kinds(onto_and_vocab):
    g = onto_and_vocab
    kinds = [set(g.subjects(RDF.type, k)) for k in
             (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)]
    assert not kinds[0] & kinds[1]
    assert not kinds[0] & kinds[2]
    assert not kinds[1] & kinds[2]


# ---- kg ontology check -------------------------------------------------------------------------

def test_check_ontology_finds_nothing_wrong():
    check = check_ontology(reason=False)
    assert check.syntax_errors == ()
    assert check.undeclared_terms == ()
    assert check.missing_labels == ()
    assert check.missing_definitions == ()
    # the contract terms and 73 concepts (15 + 15 + 11 + 10 + 11 + 3 + 8)
    assert check.terms_checked == len(AIC.terms) + 73
    assert check.ok and check.problems() == []
    assert check.consistent is None and "not checked" in check.note


def test_check_ontology_reports_syntax_errors_with_file_and_line(tmp_path):
    (tmp_path / "aicoop.ttl").write_text(
        "@prefix ex: <http://example.org/> .\n"
        "ex:a ex:b ex:c .\n"
        "ex:d ex:e ex:f ex:g .\n", encoding="utf-8")
    (tmp_path / "shapes").mkdir()
    check = check_ontology(ontology_dir=tmp_path, shapes_dir=tmp_path / "shapes", reason=True)
    assert len(check.syntax_errors) == 1
    error = check.syntax_errors[0]
    assert error.path == str(tmp_path / "aicoop.ttl")
    assert error.line == 3
    assert f"{tmp_path / 'aicoop.ttl'}, line 3:" in str(error)
    assert not check.ok
    assert check.consistent is None


def test_check_ontology_reports_undeclared_and_undocumented_terms(tmp_path):
    (tmp_path / "aicoop.ttl").write_text(
        "@prefix aic: <https://w3id.org/aicoop/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "aic:Organisation a owl:Class .\n", encoding="utf-8")
    (tmp_path / "shapes").mkdir()
    check = check_ontology(ontology_dir=tmp_path, shapes_dir=tmp_path / "shapes", reason=False)
    assert AIC.Organisation not in check.undeclared_terms
    assert AIC.PolicyDocument in check.undeclared_terms
    assert check.missing_labels == (AIC.Organisation,)
    assert check.missing_definitions == (AIC.Organisation,)
    assert any("has no English label" in p for p in check.problems())


def test_check_consistency_without_java_says_so(monkeypatch):
    monkeypatch.setenv("PATH", "")
    result = check_consistency(ontology_files())
    assert result.reasoner is None and result.consistent is None
    assert result.note == "Java not found: OWL consistency not checked"


@pytest.mark.java
@pytest.mark.skipif(shutil.which("java") is None, reason="Java not found: HermiT needs it")
def test_hermit_finds_the_ontology_and_vocabularies_consistent():
    check = check_ontology()
    assert check.reasoner == "HermiT"
    assert check.consistent is True
    assert check.ok


@pytest.mark.java
@pytest.mark.skipif(shutil.which("java") is None, reason="Java not found: HermiT needs it")
def test_hermit_detects_an_inconsistency(tmp_path):
    """A concept that is both a domain and a risk breaks the disjointness of the schemes."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://w3id.org/aicoop/id/domain/health> a "
                   "<https://w3id.org/aicoop/ontology#Risk> .\n", encoding="utf-8")
    result = check_consistency([*ontology_files(), bad])
    assert result.reasoner == "HermiT"
    assert result.consistent is False


def test_format_check_in_plain_words(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    (tmp_path / "shapes").mkdir()
    (tmp_path / "aicoop.ttl").write_text(
        "@prefix aic: <https://w3id.org/aicoop/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        'aic:Organisation a owl:Class ; rdfs:label "Organisation"@en ;\n'
        '    skos:definition "An organisation."@en .\n', encoding="utf-8")
    check = check_ontology(ontology_dir=tmp_path, shapes_dir=tmp_path / "shapes")
    text = format_check(check)
    lines = text.splitlines()
    assert lines[0] == "Checked 1 files and 1 terms."
    assert lines[1] == f"{len(AIC.terms) - 1} problems:"
    assert "  - https://w3id.org/aicoop/ontology#PolicyDocument is used by the code " \
           "(aicoop.namespaces.AIC) but not declared in the ontology" in lines
    assert lines[-1] == "Java not found: OWL consistency not checked."
    import json
    data = json.loads(format_check(check, "json"))
    assert data["ok"] is False and data["consistent"] is None
    assert len(data["problems"]) == len(AIC.terms) - 1
