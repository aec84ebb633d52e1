"""The dataset description: VoID and DCAT 3 for the whole graph and each named graph.

Pure: ``describe_dataset`` takes counts and names gathered by the caller and returns an rdflib
graph. Nothing here names a local path: sources are the portable IRIs of ``portable``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import rdflib
from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD, Literal, URIRef

#: DCAT 3 (rdflib's closed DCAT namespace lacks dcat:version)
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
IANA = "https://www.iana.org/assignments/media-types/"
LICENCE = "https://spdx.org/licenses/MIT"
TITLE = "aicoop: institutional complementarity in international AI policy"
DESCRIPTION = ("International organisations, States and their memberships, joint initiatives, "
               "AI policy documents and the domains, risks and benefits they address, with the "
               "source of every fact; organisations' ties derived from them.")


@dataclass(frozen=True)
class GraphFacts:
    iri: str
    triples: int
    title: str = ""
    sources: tuple[str, ...] = ()
    entailed: bool = False


@dataclass(frozen=True)
class Dump:
    """A dump file: its name in ``dumps/``, media type, size, compression (if any)."""

    name: str
    media_type: str
    size: int
    compression: str | None = None


@dataclass(frozen=True)
class DatasetFacts:
    base: str
    version: str
    triples: int
    subjects: int
    properties: int
    classes: int
    graphs: tuple[GraphFacts, ...]
    dumps: tuple[Dump, ...]
    examples: tuple[str, ...]
    vocabularies: tuple[str, ...]
    modified: str | None = None
    sparql_endpoint: str | None = None
    #: where the site itself lives (the dumps' download URLs are under it)
    site: str | None = None
    extra_notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def iri(self) -> str:
        return self.base + "dataset"


def describe_dataset(facts: DatasetFacts) -> rdflib.Graph:
    """VoID + DCAT 3 description of the dataset, its named graphs, dumps and endpoint."""
    g = rdflib.Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("prov", PROV),
                       ("sd", SD), ("owl", OWL), ("rdfs", RDFS), ("xsd", XSD)):
        g.bind(prefix, ns)
    site = facts.site or facts.base
    ds = URIRef(facts.iri)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal(TITLE, lang="en")))
    g.add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((ds, DCTERMS.license, URIRef(LICENCE)))
    g.add((ds, DCAT.version, Literal(facts.version)))
    g.add((ds, OWL.versionInfo, Literal(facts.version)))
    g.add((ds, DCAT.landingPage, URIRef(site + "dataset.html")))
    g.add((ds, VOID.uriSpace, Literal(facts.base + "id/")))
    g.add((ds, VOID.triples, Literal(facts.triples, datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(facts.subjects, datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(facts.properties, datatype=XSD.integer)))
    g.add((ds, VOID.classes, Literal(facts.classes, datatype=XSD.integer)))
    software = URIRef(f"{facts.base}software/kg/{facts.version}")
    activity = URIRef(facts.iri + "#publication")
    g.add((ds, PROV.wasGeneratedBy, activity))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, PROV.wasAssociatedWith, software))
    g.add((activity, RDFS.label, Literal(f"kg publish {facts.version}", lang="en")))
    if facts.modified:
        g.add((ds, DCTERMS.modified, Literal(facts.modified, datatype=XSD.dateTime)))
    for ex in facts.examples:
        g.add((ds, VOID.exampleResource, URIRef(ex)))
    for voc in facts.vocabularies:
        g.add((ds, VOID.vocabulary, URIRef(voc)))
    for dump in facts.dumps:
        url = URIRef(f"{site}dumps/{dump.name}")
        dist = URIRef(f"{facts.iri}#dump-{dump.name.replace('.', '-')}")
        g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"{TITLE} ({dump.name})", lang="en")))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        g.add((dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        g.add((dist, DCTERMS.license, URIRef(LICENCE)))
        if dump.compression:
            g.add((dist, DCAT.compressFormat, URIRef(IANA + dump.compression)))
    if facts.sparql_endpoint:
        endpoint = URIRef(facts.sparql_endpoint)
        service = URIRef(facts.iri + "#sparql")
        g.add((ds, VOID.sparqlEndpoint, endpoint))
        g.add((service, RDF.type, DCAT.DataService))
        g.add((service, RDF.type, SD.Service))
        g.add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint (read-only)", lang="en")))
        g.add((service, DCAT.endpointURL, endpoint))
        g.add((service, SD.endpoint, endpoint))
        g.add((service, DCAT.servesDataset, ds))
        g.add((service, DCTERMS.license, URIRef(LICENCE)))
        dist = URIRef(facts.iri + "#dist-sparql")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
        g.add((dist, DCAT.accessURL, endpoint))
        g.add((dist, DCAT.accessService, service))
        g.add((dist, DCTERMS.license, URIRef(LICENCE)))
    for gf in facts.graphs:
        sub = URIRef(gf.iri)
        g.add((ds, VOID.subset, sub))
        g.add((ds, DCTERMS.hasPart, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, RDF.type, DCAT.Dataset))
        g.add((sub, DCTERMS.isPartOf, ds))
        g.add((sub, DCTERMS.title, Literal(gf.title or _graph_title(gf.iri, facts.base),
                                           lang="en")))
        g.add((sub, DCTERMS.license, URIRef(LICENCE)))
        g.add((sub, DCAT.version, Literal(facts.version)))
        g.add((sub, VOID.triples, Literal(gf.triples, datatype=XSD.integer)))
        for src in gf.sources:
            g.add((sub, PROV.wasDerivedFrom, URIRef(src)))
            g.add((sub, DCTERMS.source, URIRef(src)))
        if gf.entailed:
            g.add((sub, DCTERMS.description, Literal(
                "Standard super-properties, super-classes, inverses and SKOS transitive "
                "chains of the other graphs' statements, stated for clients that do no RDFS "
                "reasoning.", lang="en")))
            g.add((sub, PROV.wasDerivedFrom, ds))
        else:
            g.add((sub, PROV.wasGeneratedBy, URIRef(gf.iri + "#activity")))
    return g


def description_shapes_file():
    """The SHACL shapes of the dataset description (``shapes/publishing/``)."""
    from ..resources import shapes_dir
    return shapes_dir() / "publishing" / "dataset-description.ttl"


def check_description(graph: rdflib.Graph):
    """The description validated against its shapes, exactly as given (no ontology)."""
    from ..validation import validate
    return validate(graph, shapes=description_shapes_file(), ontology=rdflib.Graph())


def _graph_title(iri: str, base: str) -> str:
    """``graph/reference/states`` -> ``Named graph reference/states``."""
    return "Named graph " + iri[len(base) + len("graph/"):] if iri.startswith(base) else iri


def counts_from_store(store) -> tuple[int, int, int, int]:
    """Triples, distinct subjects, properties and classes of the union graph."""
    res = store.select(
        "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s_) (COUNT(DISTINCT ?p) AS ?p_) "
        "WHERE { GRAPH ?g { ?s ?p ?o } }")
    row = res.values()[0]
    classes = store.select("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?x a ?c } }")
    return int(row["t"]), int(row["s_"]), int(row["p_"]), int(classes.values()[0]["n"])


def vocabulary_namespaces(predicates: Sequence[str]) -> tuple[str, ...]:
    """The namespaces (up to the last '#' or '/') of the predicates used."""
    out = set()
    for p in predicates:
        cut = max(p.rfind("#"), p.rfind("/"))
        out.add(p[:cut + 1])
    return tuple(sorted(out))
