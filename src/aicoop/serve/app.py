"""The WSGI application of ``kg serve``: SPARQL endpoint, resource pages with content
negotiation, analyses as JSON, network pages, documentation. It never writes anywhere.

Routes::

    /                       home (resources by kind)
    /sparql                 SPARQL 1.1 Protocol (GET, POST); the query editor for a browser;
                            the service description for an RDF client
    /id/…, /graph/…, /ontology, /dataset …   resource pages; .html .ttl .jsonld .nt .rdf or
                            Accept header (303-free: the IRI itself answers, with Vary: Accept)
    /api/bridges?domain=…   /api/paths?from=…&to=…   /api/complementarity?domain=…
    /api/gaps[?domain=…]    /api/network?domain=…    analyses as JSON
    /network/, /network/<domain>   interactive network of a domain
    /docs/…                 pyLODE documentation; /static/… scripts and styles (bundled)
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ..publish import pages as pagelib
from . import sparql as protocol

STATIC = Path(__file__).parent / "static"
PUBLISH_STATIC = Path(__file__).parent.parent / "publish" / "static"
HTML = "text/html"
RDF_SUFFIXES = {v: k for k, v in pagelib.EXTENSIONS.items()}


class AnswerCache:
    """Answers of the immutable snapshot, most recently used kept, bounded in bytes: the
    same page or query asked again costs a dictionary look-up. Only 200 answers are kept."""

    def __init__(self, max_bytes: int = 64_000_000, max_item: int = 1_000_000) -> None:
        from collections import OrderedDict
        self.items: OrderedDict[tuple, tuple[int, str, bytes]] = OrderedDict()
        self.size, self.max_bytes, self.max_item = 0, max_bytes, max_item
        self.lock = threading.Lock()

    def get(self, key: tuple) -> tuple[int, str, bytes] | None:
        with self.lock:
            hit = self.items.get(key)
            if hit is not None:
                self.items.move_to_end(key)
            return hit

    def put(self, key: tuple, answer: tuple[int, str, bytes]) -> None:
        if answer[0] != 200 or len(answer[2]) > self.max_item:
            return
        with self.lock:
            if key in self.items:
                return
            self.items[key] = answer
            self.size += len(answer[2])
            while self.size > self.max_bytes:
                _, old = self.items.popitem(last=False)
                self.size -= len(old[2])


@dataclass
class Settings:
    base: str
    timeout_s: float = 10.0
    max_result_bytes: int = 10_000_000
    public_url: str = ""


@dataclass
class Service:
    """Everything the application reads: settings, the in-memory stores, the docs."""

    settings: Settings
    pages: Any
    analysis: Any
    graph: Any = None
    pool: Any = None  # workers.QueryPool
    docs: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)
    fragments: dict[str, list[str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    answers: AnswerCache = field(default_factory=AnswerCache)
    _cache: dict[tuple, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """The analyses read an immutable snapshot, so each answer is computed once."""
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        value = compute()
        with self._lock:
            self._cache[key] = value
        return value


URLS = Map([
    Rule("/", endpoint="home"),
    Rule("/sparql", endpoint="sparql", methods=["GET", "POST", "OPTIONS", "HEAD"]),
    Rule("/api/bridges", endpoint="bridges"),
    Rule("/api/paths", endpoint="paths"),
    Rule("/api/complementarity", endpoint="complementarity"),
    Rule("/api/gaps", endpoint="gaps"),
    Rule("/api/network", endpoint="network_data"),
    Rule("/network/", endpoint="networks"),
    Rule("/network/<domain>", endpoint="network"),
    Rule("/static/<path:path>", endpoint="static"),
    Rule("/docs/<path:path>", endpoint="docs"),
    Rule("/source/<path:path>", endpoint="source"),
    Rule("/<path:path>", endpoint="resource"),
], strict_slashes=False)


def _cors(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    resp.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    return resp


def _error(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def plain(data: Any) -> Any:
    """An analysis result as JSON-ready values, whatever its dataclasses hold: a mapping
    with non-string keys (e.g. (organisation, domain) pairs) becomes a list of
    ``{"key": [...], "value": ...}``.

    >>> plain({("a", "b"): 1, "x": (2, 3)})
    [{'key': ['a', 'b'], 'value': 1}, {'key': 'x', 'value': [2, 3]}]
    """
    import dataclasses
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        data = dataclasses.asdict(data)
    if isinstance(data, dict):
        if all(isinstance(k, str) for k in data):
            return {k: plain(v) for k, v in data.items()}
        return [{"key": plain(list(k) if isinstance(k, tuple) else k), "value": plain(v)}
                for k, v in data.items()]
    if isinstance(data, (list, tuple, set, frozenset)):
        items = sorted(data, key=str) if isinstance(data, (set, frozenset)) else data
        return [plain(x) for x in items]
    return data


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(plain(data), ensure_ascii=False, indent=1, default=str),
                    status=status, mimetype="application/json")


class App:
    def __init__(self, service: Service) -> None:
        self.service = service
        s = service.settings

        def href_for_path(path: str) -> str:
            return "/" + path

        pages = frozenset(d[len(s.base):] for d in service.fragments) | {"", "dataset"}
        self.links = pagelib.SiteLinks(base=s.base, href_for_path=href_for_path,
                                       asset=lambda p: "/" + p, sparql="/sparql", live=True,
                                       pages=pages, files=frozenset(service.sources))

    # ---- WSGI -----------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            adapter = URLS.bind_to_environ(environ)
            endpoint, values = adapter.match()
            resp = getattr(self, "on_" + endpoint)(request, **values)
        except protocol.ProtocolError as exc:
            resp = _error(exc.status, exc.message)
        except HTTPException as exc:
            resp = exc.get_response(environ)
        except Exception as exc:  # a bug: say so without a traceback to the client
            from ..errors import KgError
            status = 400 if isinstance(exc, KgError) else 500
            resp = _error(status, f"{type(exc).__name__}: {exc}")
        return _cors(resp)(environ, start_response)

    # ---- pages ----------------------------------------------------------------------------
    def _render(self, name: str, **kw: Any) -> Response:
        html = pagelib.templates().get_template(name).render(links=self.links, **kw)
        return Response(html, mimetype=HTML)

    def on_home(self, request: Request) -> Response:
        from ..publish.site import index_groups
        groups = self.service.cached(("index",), lambda: index_groups(self.service.pages))
        return self._render("index.html", title="aicoop knowledge graph",
                            description="International AI policy: organisations, States, "
                            "documents, initiatives and the controlled vocabularies, each with "
                            "its sources. Query them at /sparql.", groups=groups)

    def on_resource(self, request: Request, path: str) -> Response:
        s = self.service.settings
        if path in self.service.sources:  # rule files named by the provenance
            return _file(self.service.sources[path])
        stem, dot, ext = path.rpartition(".")
        explicit = None
        if dot and (ext in RDF_SUFFIXES or ext == "html"):
            path, explicit = stem, (RDF_SUFFIXES.get(ext) or HTML)
        if path in ("dataset", "void"):
            return self._dataset(request, explicit)
        iri = s.base + path
        media = explicit or request.accept_mimetypes.best_match(
            [HTML, *pagelib.RDF_MEDIA_TYPES], default=HTML)
        if media is None:
            return _error(406, "available: text/html, " + ", ".join(pagelib.RDF_MEDIA_TYPES))
        key = ("page", iri, media)
        answer = self.service.answers.get(key)
        if answer is None:
            view = pagelib.describe(self.service.pages, iri,
                                    fragments=self.service.fragments.get(iri, ()))
            if not view.exists:
                raise NotFound(f"nothing is known about {iri}")
            body = (pagelib.render_html(view, self.links, graph_titles=self.service.titles)
                    .encode("utf-8") if media == HTML else pagelib.render_rdf(view, media))
            answer = (200, media, body)
            self.service.answers.put(key, answer)
        resp = Response(answer[2], mimetype=answer[1])
        resp.headers["Vary"] = "Accept"
        return resp

    def _dataset(self, request: Request, explicit: str | None) -> Response:
        endpoint = (self.service.settings.public_url or request.host_url).rstrip("/") + "/sparql"
        void = self.service.cached(("void", endpoint), lambda: self._void(endpoint))
        media = explicit or request.accept_mimetypes.best_match(
            [HTML, *pagelib.RDF_MEDIA_TYPES], default=HTML)
        if media == HTML or media is None:
            import rdflib
            graphs = sorted((str(g), str(void.value(g, rdflib.DCTERMS.title)),
                             int(void.value(g, rdflib.VOID.triples)))
                            for g in void.objects(None, rdflib.VOID.subset))
            return self._render("dataset.html", title="Dataset",
                                description="The whole graph, its named graphs and the "
                                "SPARQL endpoint (dumps: kg publish).", licence=
                                "https://spdx.org/licenses/MIT", version=_version(), dumps=[],
                                graphs=graphs)
        fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld",
               "application/n-triples": "nt", "application/rdf+xml": "xml"}[media]
        return Response(void.serialize(format=fmt), mimetype=media)

    def _void(self, endpoint: str):
        """The dataset description, naming this server's endpoint as the client reached it
        (or ``public_url``); never an address the server cannot vouch for."""
        from ..publish.dataset import describe_dataset
        from ..publish.site import dataset_facts
        s = self.service.settings
        facts = dataset_facts(self.service.pages, self.service.graph, base=s.base, dumps=[],
                              sparql=endpoint, site=s.public_url or None,
                              titles=self.service.titles)
        return describe_dataset(facts)

    def on_static(self, request: Request, path: str) -> Response:
        for root in (STATIC, PUBLISH_STATIC):
            f = (root / path).resolve()
            if f.is_file() and root.resolve() in f.parents:
                return _file(f)
        raise NotFound()

    def on_source(self, request: Request, path: str) -> Response:
        f = self.service.sources.get("source/" + path)
        if f is None:
            raise NotFound()
        return _file(f)

    def on_docs(self, request: Request, path: str) -> Response:
        html = self.service.docs.get("docs/" + path)
        if html is None:
            raise NotFound("no such documentation page")
        return Response(html, mimetype=HTML)

    # ---- SPARQL ---------------------------------------------------------------------------
    def on_sparql(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response("", status=204)
        query, update = self._sparql_text(request)
        if update is not None:
            raise protocol.ProtocolError(403, "this endpoint is read-only: SPARQL Update is "
                                         "refused")
        if query is None:
            media = request.accept_mimetypes.best_match(
                [HTML, "text/turtle", "application/ld+json", "application/n-triples"],
                default="text/turtle")
            if media == HTML:
                return self._editor()
            return self._service_description(request, media or "text/turtle")
        info = protocol.check_query(query)
        media = protocol.negotiate(info, request.headers.get("Accept"),
                                   request.values.get("format"))
        graphs = (tuple(request.values.getlist("default-graph-uri")),
                  tuple(request.values.getlist("named-graph-uri")))
        key = ("sparql", query, media, graphs)
        answer = self.service.answers.get(key)
        if answer is None:
            answer = self.service.pool.run(query, media, *graphs)
            self.service.answers.put(key, answer)
        status, media_type, body = answer
        resp = Response(body, status=status, mimetype=media_type)
        resp.headers["Vary"] = "Accept"
        return resp

    @staticmethod
    def _sparql_text(request: Request) -> tuple[str | None, str | None]:
        ctype = request.mimetype
        if request.method == "POST" and ctype == "application/sparql-query":
            return request.get_data(as_text=True), None
        if request.method == "POST" and ctype == "application/sparql-update":
            return None, request.get_data(as_text=True)
        if request.method == "POST" and ctype not in ("application/x-www-form-urlencoded",
                                                      "multipart/form-data", ""):
            raise protocol.ProtocolError(415, f"unsupported request type {ctype}; send "
                                         "application/sparql-query or a form")
        return request.values.get("query"), request.values.get("update")

    def _editor(self) -> Response:
        from ..queries import named_queries
        from ..namespaces import PREFIXES
        examples = []
        for q in named_queries().values():
            if q.name.startswith("resource-"):
                continue
            examples.append({"name": q.name, "summary": q.summary,
                             "query": with_prefixes(q.text, PREFIXES)})
        return self._render("sparql.html", title="SPARQL query editor", examples=examples)

    def _service_description(self, request: Request, media: str) -> Response:
        import rdflib
        from rdflib import RDF, URIRef
        sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
        g = rdflib.Graph()
        g.bind("sd", sd)
        endpoint = URIRef(request.base_url)
        node = URIRef(request.base_url + "#service")
        g.add((node, RDF.type, sd.Service))
        g.add((node, sd.endpoint, endpoint))
        g.add((node, sd.supportedLanguage, sd.SPARQL11Query))
        g.add((node, sd.feature, sd.UnionDefaultGraph))
        for media_type in protocol.SELECT_TYPES + protocol.GRAPH_TYPES:
            g.add((node, sd.resultFormat, URIRef(
                "https://www.iana.org/assignments/media-types/" + media_type)))
        ds = URIRef(self.service.settings.base + "dataset")
        g.add((node, sd.defaultDataset, ds))
        g.add((ds, RDF.type, sd.Dataset))
        fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld",
               "application/n-triples": "nt"}[media]
        return Response(g.serialize(format=fmt), mimetype=media)

    # ---- analyses -------------------------------------------------------------------------
    def _arg(self, request: Request, name: str, default: str | None = None) -> str:
        value = request.args.get(name, default)
        if value is None or not value.strip():
            raise protocol.ProtocolError(400, f"missing parameter {name}")
        return value

    @staticmethod
    def _layers(request: Request) -> dict[str, bool]:
        """The opt-in evidence layers of the analyses (``other_domains``, ``with_members``),
        as the CLI's --other-domains and --with-members."""
        return {name: request.args.get(name, "false").lower() in ("1", "true", "yes")
                for name in ("other_domains", "with_members")}

    def on_bridges(self, request: Request) -> Response:
        from ..analysis.bridges import bridges
        domain = self._arg(request, "domain")
        top = int(request.args.get("top", "10"))
        layers = self._layers(request)
        result = self.service.cached(("bridges", domain, top, *layers.values()), lambda: bridges(
            self.service.analysis, domain, top=top or None, **layers))
        return _json(result)

    def on_paths(self, request: Request) -> Response:
        from ..analysis.paths import cooperation_paths
        src, dst = self._arg(request, "from"), self._arg(request, "to")
        domain = request.args.get("domain") or None
        k = int(request.args.get("k", "3"))
        avoid = request.args.get("avoid_security", "false").lower() in ("1", "true", "yes")
        result = self.service.cached(("paths", src, dst, domain, k, avoid), lambda:
                                     cooperation_paths(self.service.analysis, src, dst,
                                                       domain=domain, k=k,
                                                       avoid_security=avoid))
        return _json(result)

    def on_complementarity(self, request: Request) -> Response:
        from ..analysis.complementarity import complementarity
        domain = self._arg(request, "domain")
        top = int(request.args.get("top", "20"))
        result = self.service.cached(("complementarity", domain, top), lambda:
                                     complementarity(self.service.analysis, domain,
                                                     top=top or None))
        return _json(result)

    def on_gaps(self, request: Request) -> Response:
        from ..analysis.gaps import gaps
        domain = request.args.get("domain") or None
        result = self.service.cached(("gaps", domain), lambda: gaps(self.service.analysis,
                                                                     domain=domain))
        return _json(result)

    def on_network_data(self, request: Request) -> Response:
        from .network import domain_network
        domain = self._arg(request, "domain")
        layers = self._layers(request)
        data = self.service.cached(("network", domain, *layers.values()), lambda: domain_network(
            self.service.analysis, domain, base=self.service.settings.base, **layers))
        return _json(data)

    def on_networks(self, request: Request) -> Response:
        from ..analysis.fetch import known_domains
        domains = self.service.cached(("domains",), lambda: known_domains(
            self.service.analysis))
        return self._render("networks.html", title="Domain networks", domains=domains)

    def on_network(self, request: Request, domain: str) -> Response:
        from ..analysis.fetch import resolve_domain
        dom = resolve_domain(self.service.analysis, domain)
        return self._render("network.html", title=f"Network: {dom.label}", domain=dom)


def with_prefixes(text: str, prefixes: dict[str, str]) -> str:
    """A shipped query with PREFIX lines for the prefixes it uses but does not declare
    (the embedded store predeclares them; a SPARQL endpoint does not).

    >>> with_prefixes("SELECT * { ?s a skos:Concept }", {"skos": "http://s#"}).splitlines()[0]
    'PREFIX skos: <http://s#>'
    """
    import re
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+(\w*):", text))
    used = set(re.findall(r"(?<![\w<\"'])([A-Za-z][\w-]*):[A-Za-z_]", text))
    missing = sorted((used - declared) & set(prefixes))
    head = "".join(f"PREFIX {p}: <{prefixes[p]}>\n" for p in missing)
    return head + text


def _file(path: Path) -> Response:
    import mimetypes
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".ttl":
        media = "text/turtle"
    resp = Response(path.read_bytes(), mimetype=media)
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


def _version() -> str:
    from .. import __version__
    return __version__
