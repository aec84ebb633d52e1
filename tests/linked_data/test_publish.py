"""`kg publish` output, checked as a host and a client would: links resolve, the dataset
description parses and passes the shipped shapes, dumps reload with the same counts, no path
of the building machine appears, standard super-properties are stated."""

from __future__ import annotations

import gzip
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyoxigraph as ox
import rdflib
from click.testing import CliRunner

from aicoop.cli import cli
from aicoop.publish.dataset import check_description, description_shapes_file

BASE = "https://w3id.org/aicoop/"
TEST_GRAPH = "https://w3id.org/aicoop/graph/test/hostile-label"
ENTAILED = BASE + "graph/standard-entailments"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_every_link_of_every_page_resolves_to_a_file(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 4000
    broken = []
    checked = 0
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlparse(link)
            if parts.scheme or link.startswith("#") or link.startswith("data:"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
    assert checked > 50_000
    assert broken == []


def test_every_resource_page_links_the_documentation_and_its_rdf(site):
    page = site / "id" / "org" / "who.html"
    html = page.read_text(encoding="utf-8")
    for doc in ("../../docs/ontology.html", "../../docs/vocabularies.html",
                "../../docs/shapes.html"):
        assert f'href="{doc}"' in html
    for ext in ("ttl", "jsonld", "nt"):
        assert f'href="../../id/org/who.{ext}"' in html
        assert (site / "id" / "org" / f"who.{ext}").is_file()
    # the documentation itself is pyLODE's, with its term anchors
    onto = (site / "docs" / "ontology.html").read_text(encoding="utf-8")
    assert "issuedBy" in onto and "pyLODE" in onto


def test_pages_carry_english_french_and_spanish_labels(site):
    g = rdflib.Graph().parse(site / "id" / "org" / "who.ttl")
    who = rdflib.URIRef(BASE + "id/org/who")
    langs = {lab.language for lab in g.objects(who, rdflib.RDFS.label)}
    assert {"en", "fr", "es"} <= langs
    html = (site / "id" / "org" / "who.html").read_text(encoding="utf-8")
    assert "Organisation mondiale de la Santé" in html
    assert "Organización Mundial de la Salud" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_each_fact_names_its_source_graph(site):
    html = (site / "id" / "org" / "who.html").read_text(encoding="utf-8")
    # the Wikidata ID comes from the organisations register; the link goes to that graph's page
    row = re.search(r"aic:wikidataId</a></td>\s*<td>Q7817</td>\s*<td><a class=\"source\" "
                    r"href=\"([^\"]+)\"", html)
    assert row and row.group(1) == "../../graph/reference/organisations.html"
    graph_page = (site / "graph" / "reference" / "organisations.html").read_text("utf-8")
    # the register is named by the tool's software IRI (no path of the building machine), and
    # the file is published at that path
    from aicoop import __version__
    rel = f"software/kg/{__version__}/data/reference/organisations.csv"
    assert rel in graph_page
    assert (site / rel).is_file()


def test_void_dcat_parses_and_passes_the_shipped_shapes(site):
    g = rdflib.Graph().parse(site / "void.ttl")
    report = check_description(g)
    assert report.conforms, report
    assert description_shapes_file().is_file()
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    ds = rdflib.URIRef(BASE + "dataset")
    assert g.value(ds, void.sparqlEndpoint) == rdflib.URIRef("https://example.org/sparql")
    assert g.value(ds, rdflib.DCTERMS.license) is not None
    assert len(list(g.objects(ds, void.exampleResource))) >= 3
    subsets = set(g.objects(ds, void.subset))
    assert rdflib.URIRef(BASE + "graph/reference/organisations") in subsets
    assert rdflib.URIRef(ENTAILED) in subsets
    downloads = {str(u) for u in g.objects(None, dcat.downloadURL)}
    assert {BASE + "dumps/" + n for n in ("aicoop.ttl", "aicoop.nt.gz", "aicoop.trig",
                                          "aicoop.jsonld")} <= downloads
    # every named graph's own description is there, with its count
    store_triples = int(g.value(rdflib.URIRef(BASE + "graph/reference/states"), void.triples))
    assert store_triples > 0


def test_the_shapes_catch_a_description_without_a_licence(site):
    g = rdflib.Graph().parse(site / "void.ttl")
    g.remove((rdflib.URIRef(BASE + "dataset"), rdflib.DCTERMS.license, None))
    report = check_description(g)
    assert not report.conforms
    assert "licence" in str(report)


def test_dumps_reload_into_an_empty_store_with_the_same_counts(site, reference_store_path):
    source = ox.Store.read_only(str(reference_store_path))
    stored = sum(1 for _ in source.quads_for_pattern(None, None, None, None))
    del source
    trig = ox.Store()
    trig.load(path=str(site / "dumps" / "aicoop.trig"), format=ox.RdfFormat.TRIG)
    entailed = sum(1 for _ in trig.quads_for_pattern(None, None, None, ox.NamedNode(ENTAILED)))
    assert entailed > 0
    assert len(trig) == stored + entailed
    jsonld = ox.Store()
    jsonld.load(path=str(site / "dumps" / "aicoop.jsonld"), format=ox.RdfFormat.JSON_LD)
    assert len(jsonld) == len(trig)
    distinct = len({q.triple for q in trig.quads_for_pattern(None, None, None, None)})
    for name, fmt in (("aicoop.ttl", ox.RdfFormat.TURTLE),
                      ("aicoop.nt.gz", ox.RdfFormat.N_TRIPLES)):
        s = ox.Store()
        path = site / "dumps" / name
        data = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
        s.load(data, format=fmt)
        assert len(s) == distinct, name


def test_no_path_of_the_building_machine_anywhere(site, reference_store_path):
    import aicoop
    needles = {str(reference_store_path), str(Path(aicoop.__file__).parent.parent.parent),
               str(Path.cwd()), str(Path.home()), "file:/", sys.prefix}
    needles = {n for n in needles if n not in ("/", "")}
    found = []
    for f in site.rglob("*"):
        if not f.is_file() or f.parent.name == "source" or "source" in f.parts:
            continue
        data = gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes()
        text = data.decode("utf-8", "replace")
        found += [f"{f.relative_to(site)}: {n}" for n in needles if n in text]
    assert found == []


def test_standard_super_properties_are_published(site):
    """Terms as N-Triples text: a DCTERMS/SKOS/ORG-only client finds each fact."""
    quads = ox.parse(path=str(site / "dumps" / "aicoop.trig"), format=ox.RdfFormat.TRIG)
    triples = {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}
    aic = "<https://w3id.org/aicoop/ontology#%s>"
    skos = "<http://www.w3.org/2004/02/skos/core#%s>"
    org = "<http://www.w3.org/ns/org#%s>"
    issued = [(s, o) for s, p, o in triples if p == aic % "issuedBy"]
    assert issued
    for doc, issuer in issued:
        assert (doc, "<http://purl.org/dc/terms/publisher>", issuer) in triples
    addressed = [(s, o) for s, p, o in triples if p == aic % "addressesDomain"]
    assert addressed
    for doc, domain in addressed:
        assert (doc, "<http://purl.org/dc/terms/subject>", domain) in triples
    labels = [(s, o) for s, p, o in triples if p == skos % "prefLabel"]
    assert labels
    for concept, label in labels:
        assert (concept, "<http://www.w3.org/2000/01/rdf-schema#label>", label) in triples
    by_membership: dict[str, dict[str, str]] = {}
    for s, p, o in triples:
        if p in (org % "member", org % "organization"):
            by_membership.setdefault(s, {})[p] = o
    pairs = [(m[org % "member"], m[org % "organization"]) for m in by_membership.values()
             if len(m) == 2]
    assert len(pairs) > 1000
    for member, organisation in pairs:
        assert (member, org % "memberOf", organisation) in triples
        assert (organisation, org % "hasMember", member) in triples


def test_conneg_rules_cover_every_published_format(site):
    htaccess = (site / ".htaccess").read_text()
    nginx = (site / "nginx.conf").read_text()
    w3id = (site / "w3id.htaccess").read_text()
    for ext in ("ttl", "jsonld", "nt", "html"):
        assert f"$1.{ext} [L]" in htaccess
        assert f'".{ext}"' in nginx
        assert f"$1.{ext} [R=303,L]" in w3id
    assert "text/turtle" in htaccess and "application/ld\\+json" in htaccess
    assert "site.invalid" in w3id  # no --site-url given: a placeholder, said so
    assert "--site-url" in w3id


def test_publish_refuses_a_folder_that_is_not_empty(reference_store_path, tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    res = CliRunner().invoke(cli, ["--store", str(reference_store_path), "publish",
                                   str(tmp_path), "--no-docs"])
    assert res.exit_code == 2
    assert "not empty" in res.output
    assert sorted(os.listdir(tmp_path)) == ["keep.txt"]
