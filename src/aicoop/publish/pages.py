"""One page per resource: what the store says about it, in HTML and RDF.

``describe`` reads a resource's statements (and those of the ``#fragment`` IRIs under it,
which a browser cannot ask for separately) from any ``Store``; ``render_html`` and
``render_rdf`` are pure. ``kg publish`` writes the results to files; ``kg serve`` returns them.
Everything shown is escaped by Jinja2's autoescaping: labels come from data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..queries import get_query
from ..store.base import Store

#: label languages shown on every page, in order of preference
LANGUAGES = ("en", "fr", "es")
LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
)
#: a page shows at most this many incoming links (the query caps the rows it returns)
INCOMING_SHOWN = 500

RDF_MEDIA_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
#: file extension of each RDF media type beside a page
EXTENSIONS = {"text/turtle": "ttl", "application/ld+json": "jsonld",
              "application/n-triples": "nt", "application/rdf+xml": "rdf"}


@dataclass(frozen=True)
class Value:
    """The object of a statement (or the subject of an incoming one) as a page shows it."""

    text: str
    iri: str | None = None
    label: str | None = None
    language: str | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class Fact:
    subject: str
    predicate: str
    value: Value
    graph: str


@dataclass(frozen=True)
class ResourceView:
    iri: str
    facts: tuple[Fact, ...]
    incoming: tuple[Fact, ...] = ()
    incoming_truncated: bool = False
    triples: tuple[ox.Triple, ...] = field(default=(), repr=False)

    @property
    def exists(self) -> bool:
        return bool(self.facts)

    def labels(self) -> dict[str, list[str]]:
        """Labels of the resource by language ('' for none), preferred properties first."""
        out: dict[str, list[str]] = defaultdict(list)
        for prop in LABEL_PROPERTIES + ("http://www.w3.org/2004/02/skos/core#altLabel",):
            for f in self.facts:
                if f.subject == self.iri and f.predicate == prop and f.value.iri is None:
                    lang = f.value.language or ""
                    if f.value.text not in out[lang]:
                        out[lang].append(f.value.text)
        return dict(out)

    def title(self) -> str:
        labels = self.labels()
        for lang in ("en", "", *LANGUAGES):
            if labels.get(lang):
                return labels[lang][0]
        return local_name(self.iri)

    def types(self) -> list[str]:
        return sorted({f.value.iri for f in self.facts if f.subject == self.iri
                       and f.predicate == RDF_TYPE and f.value.iri})

    def subjects(self) -> list[str]:
        """The resource first, then its ``#fragment`` IRIs, sorted."""
        rest = sorted({f.subject for f in self.facts} - {self.iri})
        return [self.iri, *rest]

    def graphs(self) -> list[str]:
        return sorted({f.graph for f in self.facts} | {f.graph for f in self.incoming})


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def local_name(iri: str) -> str:
    """The last segment of an IRI, for a resource with no label.

    >>> local_name("https://w3id.org/aicoop/ontology#issuedBy")
    'issuedBy'
    """
    return iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]


def curie(iri: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """``aic:issuedBy`` for a known namespace, else the IRI.

    >>> curie("http://purl.org/dc/terms/publisher")
    'dcterms:publisher'
    """
    best = ""
    for p, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")):
            best = p
    return f"{best}:{iri[len(prefixes[best]):]}" if best else iri


def _pick_label(labels: Sequence[ox.Literal]) -> str | None:
    for lang in ("en", None, *LANGUAGES):
        for lab in labels:
            if lab.language == lang:
                return lab.value
    return labels[0].value if labels else None


def _value(term, labels: Sequence[ox.Literal]) -> Value:
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        plain = dt in ("http://www.w3.org/2001/XMLSchema#string",
                       "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
        return Value(term.value, language=term.language, datatype=None if plain else dt)
    if isinstance(term, ox.BlankNode):
        return Value("_:" + term.value)
    return Value(term.value, iri=term.value, label=_pick_label(labels))


@lru_cache(maxsize=None)
def _query(name: str) -> str:
    return get_query(name).text


def describe(store: Store, iri: str, *, fragments: Sequence[str] = ()) -> ResourceView:
    """What ``store`` says about ``iri`` and about its ``fragments`` (``iri#…`` subjects)."""
    facts: dict[tuple[str, str, str, str], tuple[ox.Triple, list[ox.Literal], str]] = {}
    for subject in (iri, *fragments):
        res = store.select(_query("resource-statements"),
                           params={"resource": ox.NamedNode(subject)})
        for row in res.dicts():
            o = row["o"]
            key = (subject, row["p"].value, str(o), row["g"].value)
            if key not in facts:
                facts[key] = (ox.Triple(ox.NamedNode(subject), row["p"], o), [], row["g"].value)
            if isinstance(row.get("olabel"), ox.Literal):
                facts[key][1].append(row["olabel"])
    out = [Fact(k[0], k[1], _value(t.object, labels), g) for k, (t, labels, g) in facts.items()]
    out.sort(key=lambda f: (f.subject != iri, f.subject, f.predicate, f.value.text, f.graph))
    triples = tuple(dict.fromkeys(t for t, _, _ in facts.values()))
    incoming: dict[tuple[str, str, str], list[ox.Literal]] = {}
    res = store.select(_query("resource-links-in"), params={"resource": ox.NamedNode(iri)})
    truncated = len(res) >= 2000
    for row in res.dicts():
        s = row["s"]
        if not isinstance(s, ox.NamedNode):
            continue
        key = (s.value, row["p"].value, row["g"].value)
        incoming.setdefault(key, [])
        if isinstance(row.get("slabel"), ox.Literal):
            incoming[key].append(row["slabel"])
    inc = sorted((Fact(iri, p, _value(ox.NamedNode(s), labs), g)
                  for (s, p, g), labs in incoming.items()),
                 key=lambda f: (f.predicate, f.value.label or f.value.text, f.graph))
    truncated = truncated or len(inc) > INCOMING_SHOWN
    return ResourceView(iri, tuple(out), tuple(inc[:INCOMING_SHOWN]), truncated, triples)


def render_rdf(view: ResourceView, media_type: str) -> bytes:
    """The resource's own statements (deduplicated across graphs) in ``media_type``."""
    fmt = RDF_MEDIA_TYPES[media_type]
    if fmt == ox.RdfFormat.RDF_XML or fmt == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(view.triples, format=fmt)
    return ox.serialize(view.triples, format=fmt, prefixes=dict(PREFIXES))


@dataclass(frozen=True)
class SiteLinks:
    """How a page links: to resource pages, to the documentation, to the endpoint.

    ``href(iri)`` gives the link for an IRI under ``base`` (a page of the site) and the IRI
    itself for anything else; ``asset(path)`` the link to a file of the site (docs, dumps)."""

    base: str
    href_for_path: Callable[[str], str]
    asset: Callable[[str], str]
    sparql: str | None = None
    live: bool = False
    #: site paths that have a page (None: every path under ``base``)
    pages: frozenset[str] | None = None
    #: site paths that are files served as they are (sources, rules)
    files: frozenset[str] = frozenset()

    def page_path(self, iri: str) -> str | None:
        """The site path of the page that describes ``iri`` ('' for the base itself)."""
        if not iri.startswith(self.base):
            return None
        path = iri[len(self.base):].split("#", 1)[0]
        return path

    def href(self, iri: str) -> str:
        path = self.page_path(iri)
        if path is not None and path in self.files:
            return self.asset(path)
        if path is None or (self.pages is not None and path not in self.pages):
            return iri
        anchor = "#" + iri.split("#", 1)[1] if "#" in iri else ""
        return self.href_for_path(path) + anchor

    def anchor(self, iri: str) -> str:
        return iri.split("#", 1)[1] if "#" in iri else ""


@lru_cache(maxsize=1)
def templates():
    """The Jinja2 environment of the packaged templates, autoescaping HTML."""
    import jinja2
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("aicoop.publish", "templates"),
        autoescape=jinja2.select_autoescape(("html",), default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["curie"] = curie
    env.filters["local_name"] = local_name
    return env


def render_html(view: ResourceView, links: SiteLinks, *, graph_titles: Mapping[str, str]
                = {}) -> str:
    """The HTML page of one resource."""
    by_subject: dict[str, list[Fact]] = defaultdict(list)
    for f in view.facts:
        by_subject[f.subject].append(f)
    formats = [(EXTENSIONS[m], m) for m in ("text/turtle", "application/ld+json",
                                              "application/n-triples")]
    path = links.page_path(view.iri) or "index"
    return templates().get_template("resource.html").render(
        view=view, title=view.title(), labels=view.labels(), languages=LANGUAGES,
        by_subject=by_subject, links=links, formats=formats, path=path,
        graph_titles=graph_titles)
