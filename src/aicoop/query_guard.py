"""What ``kg query`` lets through: read-only queries, without federated ``SERVICE`` calls
unless asked for. A lexical check: comments, string literals and IRIs are set aside first, so
a keyword inside them is not mistaken for one in the query.
"""

from __future__ import annotations

import re

from .errors import QueryError

_OPAQUE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                     r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_PROLOGUE = re.compile(r"(?i)(?:\s+|BASE\s*<>|PREFIX\s+[\w.-]*:\s*<>)*")
_KEYWORD = re.compile(r"(?i)[a-z]+")
_SERVICE = re.compile(r"(?i)(?<![\w:?$-])SERVICE(?![\w:-])")
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD",
                             "MOVE", "COPY", "WITH"})


def strip_opaque(sparql: str) -> str:
    """The query with comments, strings and IRIs emptied (``<>``, ``""``), so only its own
    keywords remain.

    >>> strip_opaque('SELECT * { ?s <http://e/#SERVICE> "SERVICE" } # SERVICE')
    'SELECT * { ?s <> "" } '
    """
    def blank(m: re.Match[str]) -> str:
        t = m.group(0)
        return "" if t.startswith("#") else "<>" if t.startswith("<") else '""'
    return _OPAQUE.sub(blank, sparql)


def first_keyword(sparql: str) -> str:
    """The first keyword after the prologue, upper-cased ("" if none).

    >>> first_keyword("PREFIX ex: <http://e/>\\n# why\\ninsert data { ex:a ex:b ex:c }")
    'INSERT'
    """
    text = strip_opaque(sparql)
    m = _KEYWORD.match(text, _PROLOGUE.match(text).end())
    return m.group(0).upper() if m else ""


def uses_service(sparql: str) -> bool:
    """Whether the query calls ``SERVICE`` (a federated query to another endpoint).

    >>> uses_service('SELECT ?service { ?s <http://e/SERVICE> ?o ; ex:service "SERVICE" }')
    False
    >>> uses_service('SELECT * { service silent <http://e/sparql> { ?s ?p ?o } }')
    True
    """
    return bool(_SERVICE.search(strip_opaque(sparql)))


def check_query(sparql: str, *, allow_service: bool = False) -> None:
    """``QueryError`` for an update, or for ``SERVICE`` unless ``allow_service``."""
    keyword = first_keyword(sparql)
    if keyword in UPDATE_KEYWORDS:
        raise QueryError(f"kg query runs queries only: SPARQL updates ({keyword} …) are not "
                         "allowed; load data with kg load, remove a graph with kg graphs --drop")
    if not allow_service and uses_service(sparql):
        raise QueryError("the query calls SERVICE (a federated query to another endpoint), "
                         "which is off by default; pass --allow-service to let it reach the "
                         "network")
