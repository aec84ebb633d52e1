"""Look up concepts of the controlled vocabularies in the store, by notation."""

from __future__ import annotations

import pyoxigraph as ox

from .namespaces import SCHEMES
from .store.base import Store

_NOTATIONS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?scheme ?notation WHERE { ?c skos:inScheme ?scheme ; skos:notation ?notation }
"""


def concept_notations(store: Store, scheme: str) -> set[str]:
    """Notations of every concept in one scheme (``domains``, ``risks``…)."""
    res = store.select(_NOTATIONS, params={"scheme": ox.NamedNode(SCHEMES[scheme][0])})
    return {row[1].value for row in res.rows if row[1] is not None}
