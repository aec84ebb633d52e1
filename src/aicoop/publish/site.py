"""``kg publish``: the static linked-data site.

Layout of the output folder (every IRI ``<base>PATH`` of a resource becomes files ``PATH.*``)::

    index.html                 resources by kind
    dataset.html, void.ttl     the dataset description (VoID + DCAT 3), also .jsonld and .nt
    dumps/                     aicoop.ttl, aicoop.nt.gz, aicoop.trig, aicoop.jsonld
    id/…/X.html .ttl .jsonld .nt   one page per resource, with its RDF beside it
    ontology.html …            the ontology IRI (its terms are #fragments of that page)
    docs/                      pyLODE documentation: ontology, vocabularies, shapes
    source/                    the packaged files the provenance statements name
    static/site.css
    .htaccess, nginx.conf, w3id.htaccess   content negotiation and redirect rules
"""

from __future__ import annotations

import gzip
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .. import __version__
from ..namespaces import DEFAULT_BASE
from ..progress import steps
from ..store.base import Store
from . import conneg
from .dataset import DatasetFacts, Dump, GraphFacts, check_description, counts_from_store, \
    describe_dataset, description_shapes_file, vocabulary_namespaces
from .graph import PublishableGraph, entailed_graph, memory_store, publishable_graph
from .pages import EXTENSIONS, SiteLinks, describe, render_html, render_rdf, templates

DUMPS = (
    ("aicoop.ttl", "text/turtle", ox.RdfFormat.TURTLE, None),
    ("aicoop.nt.gz", "application/n-triples", ox.RdfFormat.N_TRIPLES, "gzip"),
    ("aicoop.trig", "application/trig", ox.RdfFormat.TRIG, None),
    ("aicoop.jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, None),
)
PAGE_MEDIA = ("text/turtle", "application/ld+json", "application/n-triples")

#: index groups: (heading, class IRI)
GROUPS = (
    ("Organisations", "http://www.w3.org/ns/org#Organization"),
    ("States", "https://w3id.org/aicoop/ontology#State"),
    ("Policy documents", "https://w3id.org/aicoop/ontology#PolicyDocument"),
    ("Joint initiatives", "https://w3id.org/aicoop/ontology#JointInitiative"),
    ("Concept schemes", "http://www.w3.org/2004/02/skos/core#ConceptScheme"),
    ("Concepts", "http://www.w3.org/2004/02/skos/core#Concept"),
)


@dataclass(frozen=True)
class PublishSummary:
    out: Path
    pages: int
    triples: int
    quads: int
    graphs: int
    dumps: tuple[Dump, ...]
    docs: int
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        return (f"published {self.pages} resource pages, {self.quads} statements in "
                f"{self.graphs} named graphs ({self.triples} distinct triples), "
                f"{len(self.dumps)} dumps and {self.docs} documentation pages to {self.out}")


def static_links(base: str, depth: int, sparql: str | None,
                 pages: frozenset[str] | None = None,
                 files: frozenset[str] = frozenset()) -> SiteLinks:
    """Relative links from a page ``depth`` folders below the site root."""
    up = "../" * depth

    def href_for_path(path: str) -> str:
        return up + (path + ".html" if path else "index.html")

    return SiteLinks(base=base, href_for_path=href_for_path, asset=lambda p: up + p,
                     sparql=sparql, pages=pages, files=files)


def resource_documents(quads, base: str) -> dict[str, list[str]]:
    """Document IRIs under ``base`` (subjects without a fragment, or the part before '#')
    mapped to their fragment subjects."""
    docs: dict[str, set[str]] = defaultdict(set)
    for q in quads:
        s = q.subject
        if isinstance(s, ox.NamedNode) and s.value.startswith(base) and s.value != base:
            doc, _, frag = s.value.partition("#")
            if doc[len(base):].startswith(("source/", "rules/")):
                continue
            docs[doc]
            if frag:
                docs[doc].add(s.value)
    return {d: sorted(f) for d, f in sorted(docs.items())}


def graph_titles(mem: Store, base: str) -> dict[str, str]:
    rows = mem.select("SELECT DISTINCT ?g ?t WHERE { GRAPH ?g { ?g <http://purl.org/dc/terms/"
                      "title>|<http://www.w3.org/2000/01/rdf-schema#label> ?t } }").values()
    out = {r["g"]: r["t"] for r in rows}
    out.setdefault(entailed_graph(base), "Standard statements (entailed)")
    return out


def publish_site(store: Store, out: Path, *, base: str = DEFAULT_BASE,
                 sparql_endpoint: str | None = None, site_url: str | None = None,
                 docs: bool = True, progress: Callable[[str], None] = lambda m: None
                 ) -> PublishSummary:
    """Write the static site for ``store`` into ``out`` (created; must be empty or absent)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    progress("reading the store")
    graph = publishable_graph(store, base=base)
    mem = memory_store(graph)
    titles = graph_titles(mem, base)
    progress("writing dumps")
    dumps = write_dumps(graph, out / "dumps")
    progress("writing resource pages")
    docs_map = resource_documents(graph.quads, base)
    pages = frozenset(d[len(base):] for d in docs_map) | {"", "dataset"}
    files = frozenset(graph.sources)
    with steps(len(docs_map), "resource pages", unit="pages") as advance:
        for doc, fragments in docs_map.items():
            advance(1)
            path = doc[len(base):]
            view = describe(mem, doc, fragments=fragments)
            links = static_links(base, path.count("/"), sparql_endpoint, pages, files)
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            (out / (path + ".html")).write_text(render_html(view, links, graph_titles=titles),
                                                encoding="utf-8")
            for media in PAGE_MEDIA:
                (out / f"{path}.{EXTENSIONS[media]}").write_bytes(render_rdf(view, media))
    progress("writing the dataset description")
    facts = dataset_facts(mem, graph, base=base, dumps=dumps, sparql=sparql_endpoint,
                          site=site_url, titles=titles)
    void = describe_dataset(facts)
    report = check_description(void)
    if not report.conforms:
        from .docs import PublishError
        raise PublishError(f"the dataset description does not pass its shapes "
                           f"({description_shapes_file()}):\n{report}")
    (out / "void.ttl").write_text(void.serialize(format="turtle"), encoding="utf-8")
    (out / "void.jsonld").write_text(void.serialize(format="json-ld"), encoding="utf-8")
    (out / "void.nt").write_text(void.serialize(format="nt"), encoding="utf-8")
    for ext in ("ttl", "jsonld", "nt"):  # the dataset IRI dereferences like any resource
        shutil.copyfile(out / f"void.{ext}", out / f"dataset.{ext}")
    links = static_links(base, 0, sparql_endpoint, pages, files)
    env = templates()
    (out / "dataset.html").write_text(env.get_template("dataset.html").render(
        title="Dataset", description="The whole graph, its named graphs, dumps and endpoint.",
        links=links,
        licence="https://spdx.org/licenses/MIT", version=__version__,
        dumps=[(d.name, d.media_type, d.size) for d in dumps],
        graphs=[(g.iri, g.title or g.iri, g.triples) for g in facts.graphs]), encoding="utf-8")
    (out / "index.html").write_text(render_index(mem, links), encoding="utf-8")
    progress("writing sources, rules and styles")
    for rel, local in graph.sources.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(local, out / rel)
    (out / "static").mkdir(exist_ok=True)
    shutil.copyfile(Path(__file__).parent / "static" / "site.css", out / "static" / "site.css")
    (out / ".htaccess").write_text(conneg.apache_htaccess(), encoding="utf-8")
    (out / "nginx.conf").write_text(conneg.nginx_snippet(), encoding="utf-8")
    (out / "w3id.htaccess").write_text(conneg.w3id_htaccess(site_url), encoding="utf-8")
    n_docs = 0
    if docs:
        progress("generating documentation with pyLODE")
        n_docs = write_docs(out, links)
    triples = len({(q.subject, q.predicate, q.object) for q in graph.quads})
    return PublishSummary(out, len(docs_map), triples, len(graph.quads),
                          len(graph.graph_names), tuple(dumps), n_docs)


def write_dumps(graph: PublishableGraph, folder: Path) -> list[Dump]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    from ..namespaces import PREFIXES
    for name, media, fmt, compression in DUMPS:
        path = folder / name
        if fmt.supports_datasets:
            data = graph.quads
        else:  # triple formats: the union, each triple once
            data = tuple(dict.fromkeys(q.triple for q in graph.quads))
        opener = gzip.open if compression else open
        with opener(path, "wb") as fh:
            if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
                ox.serialize(data, fh, fmt, prefixes=dict(PREFIXES))
            else:
                ox.serialize(data, fh, fmt)
        out.append(Dump(name, media, path.stat().st_size, "gzip" if compression else None))
    return out


def dataset_facts(mem: Store, graph: PublishableGraph, *, base: str, dumps: list[Dump],
                  sparql: str | None, site: str | None, titles: dict[str, str]) -> DatasetFacts:
    triples, subjects, properties, classes = counts_from_store(mem)
    infos = {g.iri: g.triples for g in mem.graphs()}
    sources = defaultdict(set)
    for row in mem.select("SELECT DISTINCT ?g ?src WHERE { GRAPH ?g { ?g <http://www.w3.org/"
                          "ns/prov#wasDerivedFrom> ?src } }").values():
        sources[row["g"]].add(row["src"])
    gfs = tuple(GraphFacts(iri, n, titles.get(iri, ""), tuple(sorted(sources.get(iri, ()))),
                           entailed=iri == entailed_graph(base))
                for iri, n in sorted(infos.items()))
    preds = [r["p"] for r in mem.select(
        "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }").values()]
    examples = [r["x"] for r in mem.select(
        "SELECT (MIN(STR(?x)) AS ?x) WHERE { GRAPH ?g { ?x a ?c } VALUES ?c { "
        "<http://www.w3.org/ns/org#Organization> <https://w3id.org/aicoop/ontology#State> "
        "<https://w3id.org/aicoop/ontology#PolicyDocument> "
        "<https://w3id.org/aicoop/ontology#JointInitiative> "
        "<http://www.w3.org/2004/02/skos/core#Concept> } } GROUP BY ?c ORDER BY ?x").values()
        if r.get("x")]
    modified = mem.select("SELECT (MAX(?t) AS ?t) WHERE { GRAPH ?g { ?a <http://www.w3.org/ns/"
                          "prov#endedAtTime>|<http://www.w3.org/ns/prov#generatedAtTime> ?t } }"
                          ).values()
    mod = modified[0].get("t") if modified else None
    return DatasetFacts(base=base, version=__version__, triples=triples, subjects=subjects,
                        properties=properties, classes=classes, graphs=gfs, dumps=tuple(dumps),
                        examples=tuple(examples), vocabularies=vocabulary_namespaces(preds),
                        modified=str(mod) if mod else None, sparql_endpoint=sparql, site=site)


def index_groups(mem: Store) -> list[tuple[str, list[tuple[str, str]]]]:
    """Resources to list on the home page, by kind, with their English (or any) label."""
    out = []
    for heading, cls in GROUPS:
        rows = mem.select(
            "SELECT ?cls ?x (SAMPLE(?l) AS ?label) WHERE { ?x a ?cls . OPTIONAL { ?x "
            "<http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2000/01/"
            "rdf-schema#label>|<http://purl.org/dc/terms/title> ?l FILTER(LANG(?l) IN "
            "('en', '')) } } GROUP BY ?cls ?x", params={"cls": ox.NamedNode(cls)}).values()
        items = sorted(((r["x"], r.get("label") or r["x"].rsplit("/", 1)[-1]) for r in rows),
                       key=lambda t: (t[1].lower(), t[0]))
        out.append((heading, items))
    return out


def render_index(mem: Store, links: SiteLinks) -> str:
    return templates().get_template("index.html").render(
        title="aicoop knowledge graph",
        description="International AI policy: organisations, States, documents, initiatives "
                    "and the controlled vocabularies, each with its sources.",
        groups=index_groups(mem), links=links)


def write_docs(out: Path, links: SiteLinks) -> int:
    from .docs import documentation_pages
    pages = documentation_pages()
    for p in pages:
        (out / p.path).parent.mkdir(parents=True, exist_ok=True)
        (out / p.path).write_text(p.html, encoding="utf-8")
    vocab = [(p.title, p.path[len("docs/"):]) for p in pages if p.path.startswith("docs/vocab/")]
    html = templates().get_template("vocabularies.html").render(
        title="Vocabularies", vocab=vocab, links=static_links(links.base, 1, links.sparql))
    (out / "docs" / "vocabularies.html").write_text(html, encoding="utf-8")
    return len(pages) + 1
