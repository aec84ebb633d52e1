"""A store behind any SPARQL 1.1 endpoint: Query, Update and the Graph Store Protocol (GSP).

Where the endpoints are, from the URL alone (no request):

================================  ==============  ==============  ============
URL given                         query endpoint  update          graph store
================================  ==============  ==============  ============
``http://host:7878`` (Oxigraph)   ``/query``      ``/update``     ``/store``
``http://host:7878/query``        as given        ``/update``     ``/store``
``http://host:3030/ds`` (Fuseki)  ``/ds/query``   ``/ds/update``  ``/ds/data``
``http://host:3030/ds/sparql``    as given        ``/ds/update``  ``/ds/data``
================================  ==============  ==============  ============

Other servers (GraphDB, Virtuoso, QLever) name their endpoints differently: pass
``update_url=`` and ``store_url=`` explicitly.

Which server it is (the *flavour*) comes from the ``Server`` header of one tiny query sent
before the first operation that needs it. An Oxigraph server gets three extensions: every
query asks for the union default graph (``union-default-graph``, so the server need not be
started with ``--union-default-graph``), ``add_quads`` posts N-Quads to ``/store`` in one
transaction, and ``bulk_load_file`` streams a file in one PUT (atomic; Oxigraph's
``?no_transaction`` path is faster but could leave half a graph, so it is not used). Any
other server gets the standard protocols only, and the same first query checks
that its default graph is the union of its named graphs (Fuseki: ``tdb2:unionDefaultGraph
true`` in the dataset configuration); if data sits only in named graphs that a plain query
cannot see, it raises ``StoreError`` rather than give empty answers. Queries are never
rewritten to emulate the union.

Parameters (``params=``) are bound by appending a trailing ``VALUES`` clause built from the
terms' N-Triples form, never by pasting text into the query; a trailing ``VALUES`` joins after
grouping, so, as with the embedded store, a parameter must be projected (or grouped by) by the
query, and the query must not end with a ``VALUES`` clause of its own.

HTTP goes through the standard library's ``urllib.request``: a request costs one loopback
connection (well under a millisecond), the payloads are whole documents, and no dependency is
worth adding for that. Proxies from the environment are honoured except for loopback hosts.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..namespaces import PREFIXES
from .base import GraphInfo, SelectResult, Store, Term

Flavour = Literal["oxigraph", "standard"]
_Kind = Literal["query", "update", "data"]

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
_FORM = "application/x-www-form-urlencoded"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_MESSAGE_LIMIT = 400

_GRAPHS = ("SELECT ?g (COUNT(?s) AS ?n) WHERE { GRAPH ?g { OPTIONAL { ?s ?p ?o } } } "
           "GROUP BY ?g")
_ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
# one request that names the server and tells whether a plain pattern sees the named graphs
_PROBE = ("SELECT (EXISTS { GRAPH ?g { ?s ?p ?o } } AS ?named) "
          "(EXISTS { ?s ?p ?o } AS ?union) WHERE {}")


@dataclass(frozen=True)
class Endpoints:
    """The three URLs a remote store talks to."""

    query: str
    update: str
    store: str


def endpoints_for(url: str, *, update_url: str | None = None,
                  store_url: str | None = None) -> Endpoints:
    """Query, update and graph store URLs from a server base URL, a dataset URL or a query
    endpoint URL (see the module docstring).

    >>> endpoints_for("http://127.0.0.1:7878").store
    'http://127.0.0.1:7878/store'
    >>> endpoints_for("http://localhost:3030/ds/").store
    'http://localhost:3030/ds/data'
    >>> endpoints_for("http://localhost:3030/ds/sparql").update
    'http://localhost:3030/ds/update'
    """
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if last in ("query", "sparql"):
        query, dataset = path, head
    else:
        query, dataset = path + "/query", path
    root = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    # an Oxigraph server lives at the root; a Fuseki dataset has a path of its own
    gsp = "/store" if not dataset else "/data"
    return Endpoints(query=root + query,
                     update=update_url or root + dataset + "/update",
                     store=store_url or root + dataset + gsp)


def values_clause(params: Mapping[str, Term]) -> str:
    r"""A trailing ``VALUES`` clause binding each parameter to one term, written in the
    terms' own N-Triples syntax so that no input can escape its literal.

    >>> values_clause({"s": ox.NamedNode("http://example.org/a"), "o": ox.Literal('a "b"')})
    'VALUES (?o ?s) { ("a \\"b\\"" <http://example.org/a>) }'
    """
    names = sorted(params)
    cells = []
    for name in names:
        if not re.fullmatch(r"\w+", name):
            raise QueryError(f"cannot bind {name!r}: not a SPARQL variable name")
        term = params[name]
        if isinstance(term, ox.BlankNode):
            raise QueryError(f"cannot bind ?{name} to a blank node on a remote store: "
                             "blank node labels do not survive between requests")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise QueryError(f"cannot bind ?{name}: expected an IRI or a literal term, "
                             f"got {type(term).__name__}")
        cells.append(str(term))
    return "VALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(cells) + ") }"


_DECLARED = re.compile(r"(?i)\bPREFIX\s+([^\s:]*):")


def with_prefixes(sparql: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """Declare the project prefixes that the text uses but does not declare (the embedded
    store knows them too), on its first line, so that the line numbers in a server's syntax
    error still match the text the user wrote.

    >>> known = {"ex": "http://x/", "a": "http://a/", "b": "http://b/"}
    >>> with_prefixes("PREFIX ex: <http://e/>\\nASK { ex:a a:b ?c }", known)
    'PREFIX a: <http://a/> PREFIX ex: <http://e/>\\nASK { ex:a a:b ?c }'
    """
    declared = set(_DECLARED.findall(sparql))
    missing = [f"PREFIX {p}: <{iri}>" for p, iri in prefixes.items()
               if p not in declared and re.search(rf"(?<![\w.-]){re.escape(p)}:", sparql)]
    return " ".join(missing + [sparql]) if missing else sparql


_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|(?i:BASE)\s*<[^>]*>|(?i:PREFIX)\s+[^\s:]*:\s*<[^>]*>)*")
_FORM_KEYWORD = re.compile(r"(?i)(SELECT|ASK|CONSTRUCT|DESCRIBE)\b")


def query_form(sparql: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``, read after the prologue.

    >>> query_form("# why\\nPREFIX ex: <http://e/#>\\nconstruct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    m = _FORM_KEYWORD.match(sparql, _PROLOGUE.match(sparql).end())
    return m.group(1).upper() if m else None


def _server_message(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read(4 * _MESSAGE_LIMIT).decode("utf-8", "replace")
    except OSError:
        text = ""
    finally:
        exc.close()
    text = " ".join(text.split()) or exc.reason or ""
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT] + "…"


class RemoteStore(Store):
    """A store behind a SPARQL 1.1 endpoint; terms come back as pyoxigraph terms.

    ``url`` is an Oxigraph base URL, a Fuseki dataset URL or a query endpoint URL;
    ``timeout`` bounds each request (seconds, default 60); ``flavour`` skips detection."""

    def __init__(self, url: str, *, update_url: str | None = None, store_url: str | None = None,
                 timeout: float = 60.0, flavour: Flavour | None = None) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(f"not an http(s) URL: {url!r}")
        self.location = url
        self.endpoints = endpoints_for(url, update_url=update_url, store_url=store_url)
        self.timeout = timeout
        self._flavour: Flavour | None = flavour
        self._checked = flavour == "oxigraph"
        handlers = [urllib.request.ProxyHandler({})] if parts.hostname in _LOOPBACK else []
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        return f"RemoteStore({self.location!r})"

    # ---- HTTP ----------------------------------------------------------------------------
    def _open(self, method: str, url: str, *, data: bytes | IO[bytes] | None = None,
              headers: Mapping[str, str] | None = None, kind: _Kind = "data",
              missing_ok: bool = False):
        """Send one request. Failures become ``StoreError``, except those that are the
        query's fault, mapped as on the embedded store: a 400 from the query or update
        endpoint and a 500 from the query endpoint (evaluation failed) are ``QueryError``."""
        req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        try:
            return self._opener.open(req, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            if missing_ok and exc.code == 404:
                exc.close()
                return None
            message = _server_message(exc)
            queryish = exc.code == 400 and kind != "data" or exc.code == 500 and kind == "query"
            cls = QueryError if queryish else StoreError
            hint = ""
            if exc.code in (404, 405):
                hint = ("; is this the right endpoint? Give an Oxigraph base URL or a Fuseki "
                        "dataset URL (http://host:3030/dataset)")
            what = {"query": "rejected the query", "update": "rejected the update"}.get(
                kind, f"refused {method}")
            raise cls(f"{url} {what} (HTTP {exc.code}): {message}{hint}") from None
        except urllib.error.URLError as exc:
            raise self._network_error(url, exc.reason) from None
        except OSError as exc:  # a timeout or a reset before any answer
            raise self._network_error(url, exc) from None

    def _network_error(self, url: str, reason: object) -> StoreError:
        if isinstance(reason, ConnectionRefusedError):
            return StoreError(f"cannot connect to {url}: connection refused; is the server "
                              "running?")
        if isinstance(reason, TimeoutError):
            return StoreError(f"no answer from {url} within {self.timeout:g} s (timeout)")
        return StoreError(f"cannot reach {url}: {reason}")

    def _read(self, resp, url: str) -> bytes:
        try:
            with resp:
                return resp.read()
        except OSError as exc:  # includes a timeout half-way through the body
            raise self._network_error(url, exc) from None

    def _graph_url(self, graph: str) -> str:
        ox.NamedNode(graph)  # an IRI, or ValueError as on the embedded store
        sep = "&" if "?" in self.endpoints.store else "?"
        return f"{self.endpoints.store}{sep}graph={urllib.parse.quote(graph, safe='')}"

    # ---- flavour -------------------------------------------------------------------------
    @property
    def flavour(self) -> Flavour:
        """``oxigraph`` or ``standard``, from the ``Server`` header of one small query."""
        if self._flavour is None or not self._checked:
            self._probe()
        assert self._flavour is not None
        return self._flavour

    def _probe(self) -> None:
        url = self.endpoints.query
        body = urllib.parse.urlencode({"query": _PROBE}).encode()
        try:
            resp = self._open("POST", url, data=body, kind="query",
                              headers={"Content-Type": _FORM, "Accept": RESULTS_JSON})
        except QueryError:  # a server that cannot run the probe is no Oxigraph; go on
            self._flavour = self._flavour or "standard"
            self._checked = True
            return
        server = resp.headers.get("Server") or ""
        payload = self._read(resp, url)
        if self._flavour is None:
            self._flavour = "oxigraph" if server.lower().startswith("oxigraph") else "standard"
        if self._flavour == "oxigraph":
            self._checked = True
            return  # every query will ask for the union itself
        try:
            row = next(iter(ox.parse_query_results(payload, ox.QueryResultsFormat.JSON)))
            named, union = (row["named"].value == "true", row["union"].value == "true")
        except (SyntaxError, ValueError, StopIteration, KeyError, AttributeError):
            named = union = False  # an odd answer proves nothing; queries show what they show
        if named and not union:
            raise StoreError(
                f"{url}: the default graph is not the union of the named graphs, so queries "
                "would miss every loaded source; configure the dataset with a union default "
                "graph (Fuseki/TDB2: tdb2:unionDefaultGraph true; Oxigraph: "
                "--union-default-graph)")
        self._checked = True

    # ---- queries -------------------------------------------------------------------------
    def query(self, sparql: str, *, params: Mapping[str, Term] | None = None,
              without: Collection[str] = ()) -> SelectResult | bool | list[ox.Triple]:
        text = with_prefixes(sparql)
        if params:
            text += "\n" + values_clause(params)
        form = query_form(sparql)
        if form in ("SELECT", "ASK"):
            accept = RESULTS_JSON
        elif form in ("CONSTRUCT", "DESCRIBE"):
            accept = N_TRIPLES
        else:  # unreadable prologue: let the server pick, we parse what it says it sent
            accept = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9"
        fields = [("query", text)]
        if without:
            # the protocol's own dataset description: every other graph, by name
            keep = [g.iri for g in self.graphs() if g.iri not in without]
            fields += [("default-graph-uri", g) for g in keep]
            fields += [("named-graph-uri", g) for g in keep]
        elif self.flavour == "oxigraph":
            fields.append(("union-default-graph", ""))
        url = self.endpoints.query
        resp = self._open("POST", url, data=urllib.parse.urlencode(fields).encode(),
                          headers={"Content-Type": _FORM, "Accept": accept},
                          kind="query")
        media = resp.headers.get_content_type()
        payload = self._read(resp, url)
        results_fmt = ox.QueryResultsFormat.from_media_type(media)
        rdf_fmt = ox.RdfFormat.from_media_type(media)
        try:
            if results_fmt is not None:
                result = ox.parse_query_results(payload, results_fmt)
                if isinstance(result, ox.QueryBoolean):
                    return bool(result)
                variables = tuple(v.value for v in result.variables)
                rows = tuple(tuple(sol[i] for i in range(len(variables))) for sol in result)
                return SelectResult(variables, rows)
            if rdf_fmt is not None:
                return [q.triple for q in ox.parse(payload, rdf_fmt)]
        except SyntaxError as exc:
            raise StoreError(f"{url} answered with unreadable {media}: {exc}") from None
        raise StoreError(f"{url} answered with {media!r}, which is neither query results "
                         "nor RDF")

    def update(self, sparql: str) -> None:
        resp = self._open("POST", self.endpoints.update, data=with_prefixes(sparql).encode(),
                          headers={"Content-Type": "application/sparql-update"},
                          kind="update")
        self._read(resp, self.endpoints.update)

    # ---- graphs --------------------------------------------------------------------------
    def graphs(self) -> list[GraphInfo]:
        # OPTIONAL keeps empty named graphs, which the embedded store lists with 0 triples
        rows = self.select(_GRAPHS)
        counts = {g.value: int(n.value) for g, n in rows
                  if isinstance(g, ox.NamedNode) and n is not None}
        return [GraphInfo(iri, n) for iri, n in sorted(counts.items())]

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple] | Iterable[ox.Quad]) -> int:
        # one GSP PUT: the server swaps the graph in one transaction, and a PUT that fails
        # (bad body, dropped connection) leaves the old graph as it was
        body = [ox.Triple(t.subject, t.predicate, t.object) for t in triples]
        url = self._graph_url(graph)
        resp = self._open("PUT", url, data=ox.serialize(body, format=ox.RdfFormat.N_TRIPLES),
                          headers={"Content-Type": N_TRIPLES})
        self._read(resp, url)
        return len(body)

    def add_quads(self, quads: Iterable[ox.Quad]) -> int:
        batch = list(quads)
        if not batch:
            return 0
        if self.flavour == "oxigraph":
            url = self.endpoints.store
            resp = self._open("POST", url, data=ox.serialize(batch, format=ox.RdfFormat.N_QUADS),
                              headers={"Content-Type": N_QUADS})
        else:
            # the GSP has no dataset-wide POST; one INSERT DATA keeps the whole batch in one
            # transaction, as the Store contract asks
            url = self.endpoints.update
            resp = self._open("POST", url, data=_insert_data(batch).encode(),
                              headers={"Content-Type": "application/sparql-update"},
                              kind="update")
        self._read(resp, url)
        return len(batch)

    def bulk_load_file(self, path: Path, fmt: ox.RdfFormat, graph: str) -> None:
        """Replace ``graph`` with a file of triples, streamed to the server in one Graph Store
        PUT, which the server applies in one transaction: a failure half-way leaves the old
        graph whole. (Oxigraph's faster ``?no_transaction`` POST is not used: it is not
        atomic.) Dataset formats are parsed here and sent as N-Triples."""
        if fmt.supports_datasets:
            self.replace_graph(graph, (q.triple for q in ox.parse(path=str(path), format=fmt)))
            return
        url = self._graph_url(graph)
        with open(path, "rb") as fh:
            resp = self._open("PUT", url, data=fh, headers={
                "Content-Type": fmt.media_type, "Content-Length": str(Path(path).stat().st_size)})
            self._read(resp, url)

    def put_ntriples(self, graph: str, path: Path, extra: list[ox.Triple]) -> None:
        """Replace ``graph`` with an N-Triples file plus ``extra`` triples (its provenance) in
        one streamed Graph Store PUT: the server swaps the graph in one transaction, and the
        file is never held in memory here."""
        tail = b"\n" + ox.serialize(extra, format=ox.RdfFormat.N_TRIPLES)
        size = Path(path).stat().st_size + len(tail)

        def body():
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    yield chunk
            yield tail

        url = self._graph_url(graph)
        resp = self._open("PUT", url, data=body(), headers={
            "Content-Type": N_TRIPLES, "Content-Length": str(size)})
        self._read(resp, url)

    def drop_graph(self, graph: str) -> bool:
        url = self._graph_url(graph)
        resp = self._open("DELETE", url, missing_ok=True)
        if resp is None:
            return False
        self._read(resp, url)
        return True

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        if graph is not None:
            url = self._graph_url(graph)
            g = ox.NamedNode(graph)
            resp = self._open("GET", url, headers={"Accept": N_TRIPLES}, missing_ok=True)
            if resp is not None:
                for q in self._stream(resp, url):
                    yield ox.Quad(q.subject, q.predicate, q.object, g)
            return
        if self.flavour == "oxigraph":
            url = self.endpoints.store
            resp = self._open("GET", url, headers={"Accept": N_QUADS})
            for q in self._stream(resp, url):
                if not isinstance(q.graph_name, ox.DefaultGraph):
                    yield q
            return
        for s, p, o, g in self.select(_ALL_QUADS):
            yield ox.Quad(s, p, o, g)

    def _stream(self, resp, url: str) -> Iterator[ox.Quad]:
        """Parse a GSP answer as it arrives, in the format the server says it sent."""
        fmt = ox.RdfFormat.from_media_type(resp.headers.get_content_type()) or ox.RdfFormat.N_QUADS
        with resp:
            try:
                yield from ox.parse(resp, fmt)
            except SyntaxError as exc:
                raise StoreError(f"{url} answered with unreadable {fmt.name}: {exc}") from None
            except OSError as exc:
                raise self._network_error(url, exc) from None


def _insert_data(quads: list[ox.Quad]) -> str:
    """One ``INSERT DATA`` for a batch of quads; N-Triples lines are valid SPARQL triples."""
    by_graph: dict[ox.NamedNode | ox.DefaultGraph, list[ox.Triple]] = defaultdict(list)
    for q in quads:
        by_graph[q.graph_name].append(q.triple)
    parts = ["INSERT DATA {"]
    for g, triples in by_graph.items():
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
        parts.append(text if isinstance(g, ox.DefaultGraph) else f"GRAPH {g} {{\n{text}}}")
    parts.append("}")
    return "\n".join(parts)
