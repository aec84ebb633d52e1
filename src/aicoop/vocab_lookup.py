"""Look up concepts of the controlled vocabularies in the store, by notation or label."""

from __future__ import annotations

import difflib

import pyoxigraph as ox

from .errors import NotFound, UsageError
from .namespaces import SCHEMES, concept
from .store.base import Store

_NOTATIONS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?scheme ?notation WHERE { ?c skos:inScheme ?scheme ; skos:notation ?notation }
"""

_LABELS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?scheme ?notation ?label WHERE {
  ?c skos:inScheme ?scheme ; skos:notation ?notation .
  OPTIONAL { ?c skos:prefLabel|skos:altLabel ?label }
}
"""


def concept_notations(store: Store, scheme: str) -> set[str]:
    """Notations of every concept in one scheme (``domains``, ``risks``…)."""
    res = store.select(_NOTATIONS, params={"scheme": ox.NamedNode(SCHEMES[scheme][0])})
    return {row[1].value for row in res.rows if row[1] is not None}


def match_name(text: str, notations: set[str] | dict[str, object],
               by_label: dict[str, set[str]], kind: str) -> str:
    """The notation a user named by notation or label (``by_label`` maps folded labels to
    notations). ``NotFound`` with the closest notations (empty if none is close) when nothing
    matches; ``UsageError`` when a label names several concepts."""
    from .lookup import fold
    key = fold(text)
    if key.replace(" ", "-") in notations:
        return key.replace(" ", "-")
    hits = by_label.get(key, set())
    if len(hits) == 1:
        return next(iter(hits))
    if hits:
        raise UsageError(f"{text!r} names several {kind}s: {', '.join(sorted(hits))}; "
                         "give the notation")
    dashed = key.replace(" ", "-")
    close = difflib.get_close_matches(dashed, sorted(notations), n=3, cutoff=0.5)
    if not close:
        close = [n for n in sorted(notations) if dashed and (dashed in n or n in dashed)][:3]
    if not close:
        labels = difflib.get_close_matches(key, sorted(by_label), n=3, cutoff=0.6)
        close = sorted({n for lab in labels for n in by_label[lab]})[:3]
    raise NotFound(kind, text, close)


def resolve_concept(store: Store, scheme: str, text: str) -> str:
    """The IRI of the concept a user named by notation, IRI, or preferred or alternative
    label in any language (``health``, ``Health``, ``santé``), case and accents aside."""
    from .lookup import fold
    res = store.select(_LABELS, params={"scheme": ox.NamedNode(SCHEMES[scheme][0])})
    notations: set[str] = set()
    by_label: dict[str, set[str]] = {}
    for _, notation, label in res.rows:
        if notation is None:
            continue
        notations.add(notation.value)
        if label is not None:
            by_label.setdefault(fold(label.value), set()).add(notation.value)
    value = text.strip()
    prefix = SCHEMES[scheme][1]
    if value.startswith(prefix) and value[len(prefix):] in notations:
        return value
    kind = scheme.rstrip("s")
    try:
        return concept(scheme, match_name(value, notations, by_label, kind))
    except NotFound as exc:
        raise NotFound(kind, text, exc.suggestions or sorted(notations)[:8]) from None
