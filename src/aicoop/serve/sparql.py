"""The SPARQL 1.1 Protocol: what may run, and in which format it answers.

``check_query`` decides, before anything runs, whether a request may run at all: a SPARQL
Update is refused (403), so is a query that calls ``SERVICE`` (403: the endpoint never makes
requests to other servers), and text that is not a query at all is a 400. It reads keywords
only (a full parse with rdflib's grammar took ~40 ms a query and rejected valid SPARQL that
Oxigraph runs); the engine reports other syntax errors. ``negotiate``
picks the result format from the ``Accept`` header (406 when nothing fits). The query then runs
in a killable worker (``workers``), which enforces the time limit and the result cap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

SELECT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values")
GRAPH_TYPES = ("text/turtle", "application/ld+json", "application/n-triples",
               "application/rdf+xml")
#: aliases clients send for the same formats
ALIASES = {"application/json": "application/sparql-results+json",
           "application/xml": "application/sparql-results+xml",
           "text/xml": "application/sparql-results+xml",
           "application/x-turtle": "text/turtle", "text/plain": "application/n-triples"}

#: ``format=`` short names (as SPARQLWrapper and browsers send): (table result, graph result)
SHORT_NAMES = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", "text/csv"), "tsv": ("text/tab-separated-values",) * 2,
    "turtle": ("text/turtle", "text/turtle"), "ttl": ("text/turtle", "text/turtle"),
    "json-ld": ("application/ld+json",) * 2, "jsonld": ("application/ld+json",) * 2,
    "n-triples": ("application/n-triples",) * 2, "nt": ("application/n-triples",) * 2,
    "rdf+xml": ("application/rdf+xml",) * 2,
}


class ProtocolError(Exception):
    """A request the endpoint answers with an HTTP error status and a plain message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class QueryInfo:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


#: one token of SPARQL text: strings, IRIs, comments, variables and prefixed names are
#: recognised first so that a keyword inside them is never taken for one
_TOKEN = re.compile(r"""
    (?P<string>'{3}.*?'{3}|"{3}.*?"{3}|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<comment>\#[^\n]*)
  | (?P<var>[?$][\w]+)
  | (?P<pname>[\w.-]*:[\w.:%-]*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<other>\S)
""", re.VERBOSE | re.DOTALL)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                "WITH")


def keywords(text: str) -> list[str]:
    """The bare words of a SPARQL text, upper-cased, outside strings, IRIs and comments.

    >>> keywords('SELECT * { ?s ?p "SERVICE" } # SERVICE')
    ['SELECT']
    """
    return [m.group("word").upper() for m in _TOKEN.finditer(text) if m.lastgroup == "word"]


@lru_cache(maxsize=1024)
def check_query(text: str) -> QueryInfo:
    """The form of a query, or a ``ProtocolError``: 403 for an Update or a ``SERVICE`` call,
    400 for text that is no query at all. Decided from the keywords alone, before anything
    runs; the engine reports any other syntax error (400) with its line and column."""
    words = [w for w in keywords(text) if w not in ("BASE", "PREFIX")]
    if not words:
        raise ProtocolError(400, "malformed SPARQL query: the query is empty")
    first = words[0]
    if first in UPDATE_WORDS:
        raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is refused")
    if first not in QUERY_FORMS:
        raise ProtocolError(400, f"malformed SPARQL query: expected SELECT, ASK, CONSTRUCT or "
                            f"DESCRIBE, found {first}")
    if "SERVICE" in words:
        raise ProtocolError(403, "federated queries (SERVICE) are refused: this endpoint "
                            "does not call other servers")
    return QueryInfo(first)


def negotiate(info: QueryInfo, accept: str | None, requested: str | None = None) -> str:
    """The media type to answer with: ``requested`` (a ``format=`` parameter) or the best
    match of ``accept``; JSON results or Turtle when the client accepts anything."""
    from werkzeug.datastructures import MIMEAccept
    from werkzeug.http import parse_accept_header
    offers = GRAPH_TYPES if info.returns_graph else SELECT_TYPES
    if requested:
        short = SHORT_NAMES.get(requested.lower())
        wanted = (short[1] if info.returns_graph else short[0]) if short \
            else ALIASES.get(requested, requested)
        if wanted in offers:
            return wanted
        raise ProtocolError(406, f"format {requested!r} is not available for a {info.form} "
                            f"query; use one of {', '.join(offers)}")
    if not accept:
        return offers[0]
    parsed = parse_accept_header(accept, MIMEAccept)
    values = [(ALIASES.get(v, v), q) for v, q in parsed]
    best = MIMEAccept(values).best_match(offers)
    if best is None:
        raise ProtocolError(406, f"none of the accepted types ({accept}) is available for a "
                            f"{info.form} query; use one of {', '.join(offers)}")
    return best
