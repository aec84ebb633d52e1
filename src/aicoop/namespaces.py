"""Every IRI the code uses, in one place.

Values are plain ``str`` IRIs so this module costs nothing to import; convert with
``pyoxigraph.NamedNode`` or ``rdflib.URIRef`` where a term object is needed. Our own
namespace is closed: a misspelt term raises ``AttributeError`` instead of minting an IRI.
"""

from __future__ import annotations

import re
import unicodedata

DEFAULT_BASE = "https://w3id.org/aicoop/"
ONTOLOGY_IRI = "https://w3id.org/aicoop/ontology"
#: concepts of the controlled vocabularies live at fixed IRIs, whatever the instance base
VOCAB_BASE = "https://w3id.org/aicoop/id/"


class Namespace(str):
    """An IRI prefix; ``NS.term`` and ``NS["term"]`` give full IRIs (as ``str``)."""

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return str(self) + name

    def __getitem__(self, name: str) -> str:  # type: ignore[override]
        return str(self) + name


class ClosedNamespace(Namespace):
    """A namespace whose terms are listed; anything else is an error."""

    terms: frozenset[str]

    def __new__(cls, base: str, terms: str) -> "ClosedNamespace":
        ns = super().__new__(cls, base)
        ns.terms = frozenset(terms.split())
        return ns

    def __getattr__(self, name: str) -> str:
        if name.startswith("__") or name == "terms":
            raise AttributeError(name)
        if name not in self.terms:
            raise AttributeError(f"{name!r} is not a term of {str(self)}")
        return str(self) + name

    def __getitem__(self, name: str) -> str:  # type: ignore[override]
        return self.__getattr__(name)


# The project ontology. The list is the contract between code and ontology/aicoop.ttl;
# tests check that every term here is declared, labelled and defined there.
AIC = ClosedNamespace(
    ONTOLOGY_IRI + "#",
    """
    Organisation UNSystemEntity IntergovernmentalOrganisation SecurityAlliance ForumOrClub
    DevelopmentBank StandardsBody RegionalOrganisation MultistakeholderPartnership
    ResearchNetwork NonStateOrganisation State
    GovernmentBody Parliament Regulator Company CivilSocietyOrganisation AcademicInstitution
    ProfessionalAssociation
    PolicyDocument JointInitiative FunctionRole ConceptDetection TextEvidence
    Domain Risk Benefit InstitutionalFunction InstrumentType CooperationPathway Technology
    issuedBy addressesDomain identifiesRisk promisesBenefit mitigatesRisk endorses cites
    partnerOf performsFunction hasFunctionRole function inDomain activeInDomain
    instrumentType binding pathway partner initiativeType
    Endorsement endorser endorsedDocument endorsementAct Citation citingDocument citedDocument
    acronym foundingYear headquarters wikidataId issuerDescription mintedFromName
    detection detectedConcept score mentions mentionsInContext addresses evidence
    sourceFile textLength language blockingPhrase
    """,
)

#: organisation kinds: the ``kind`` notation used in registers -> local name of the AIC class.
#: The ontology states the same pairs as ``skos:notation`` on each class (tests check both agree).
KIND_CLASSES: dict[str, str] = {
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
    "government-body": "GovernmentBody",
    "parliament": "Parliament",
    "regulator": "Regulator",
    "company": "Company",
    "civil-society-organisation": "CivilSocietyOrganisation",
    "academic-institution": "AcademicInstitution",
    "professional-association": "ProfessionalAssociation",
    "state": "State",
}

ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
SH = Namespace("http://www.w3.org/ns/shacl#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, str] = {
    "aic": str(AIC), "org": str(ORG), "skos": str(SKOS), "dcterms": str(DCTERMS),
    "prov": str(PROV), "oa": str(OA), "owl": str(OWL), "rdf": str(RDF), "rdfs": str(RDFS),
    "xsd": str(XSD), "foaf": str(FOAF), "schema": str(SCHEMA), "time": str(TIME),
    "sh": str(SH), "dcat": str(DCAT), "void": str(VOID), "wd": str(WD),
}

#: concept schemes of the controlled vocabularies: short name -> (scheme IRI, concept prefix)
SCHEMES: dict[str, tuple[str, str]] = {
    name: (VOCAB_BASE + "scheme/" + name, VOCAB_BASE + prefix + "/")
    for name, prefix in [
        ("domains", "domain"), ("risks", "risk"), ("benefits", "benefit"),
        ("functions", "function"), ("instruments", "instrument"), ("pathways", "pathway"),
        ("technologies", "technology"),
    ]
}


def concept(scheme: str, notation: str) -> str:
    """IRI of a concept from its scheme's short name and its notation.

    >>> concept("domains", "health")
    'https://w3id.org/aicoop/id/domain/health'
    """
    return SCHEMES[scheme][1] + notation


def slug(text: str) -> str:
    """A stable, readable IRI key: accents folded, lower case, runs of other characters to '-'.

    >>> slug("Conseil de l'Europe / Council of Europe")
    'conseil-de-l-europe-council-of-europe'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


class Minter:
    """Mints instance IRIs under a configurable base, from normalised keys."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base

    def org(self, key: str) -> str:
        return f"{self.base}id/org/{slug(key)}"

    def state(self, iso3: str) -> str:
        return f"{self.base}id/state/{iso3.strip().lower()}"

    def doc(self, key: str) -> str:
        return f"{self.base}id/doc/{slug(key)}"

    def initiative(self, key: str) -> str:
        return f"{self.base}id/initiative/{slug(key)}"

    def graph(self, *parts: str) -> str:
        return f"{self.base}graph/" + "/".join(parts)


MINT = Minter()

# Well-known named graphs (under the default base).
GRAPH_ONTOLOGY = MINT.graph("ontology")
GRAPH_VOCABULARIES = MINT.graph("vocabularies")
GRAPH_DERIVED = MINT.graph("derived")
