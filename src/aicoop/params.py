"""Turn ``--param name=value`` strings into RDF terms for a query's declared parameters.

Values become terms (IRIs checked, literals typed); they are never pasted into query text.
"""

from __future__ import annotations

import pyoxigraph as ox

from .errors import UsageError
from .namespaces import XSD
from .queries import NamedQuery
from .store.base import Store
from .vocab_lookup import resolve_concept

_CONCEPT_TYPES = {"domain": "domains", "risk": "risks", "benefit": "benefits",
                  "function": "functions"}


def parse_assignments(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param {pair!r}: expected name=value")
        out[name.strip().lstrip("?$")] = value
    return out


def bind_params(query: NamedQuery, values: dict[str, str], store: Store) -> dict[str, ox.NamedNode | ox.Literal]:
    """Terms for the query's parameters; unknown or missing parameters are usage errors."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown and declared:
        raise UsageError(f"query {query.name} has no parameter {', '.join(unknown)}; "
                         f"it takes: {', '.join(declared)}")
    terms: dict[str, ox.NamedNode | ox.Literal] = {}
    for name, value in values.items():
        ptype = declared[name].type if name in declared else "string"
        if ptype == "iri":
            try:
                terms[name] = ox.NamedNode(value)
            except ValueError as exc:
                raise UsageError(f"--param {name}: {value!r} is not an absolute IRI ({exc})")
        elif ptype == "integer":
            try:
                terms[name] = ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD.integer))
            except ValueError:
                raise UsageError(f"--param {name}: expected an integer, found {value!r}")
        elif ptype == "date":
            from datetime import date
            try:
                day = date.fromisoformat(value.strip())
            except ValueError:
                raise UsageError(f"--param {name}: expected a day YYYY-MM-DD, found {value!r}")
            terms[name] = ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD.date))
        elif ptype in _CONCEPT_TYPES:
            terms[name] = ox.NamedNode(resolve_concept(store, _CONCEPT_TYPES[ptype], value))
        elif ptype == "org":
            from .lookup import resolve_organisation
            terms[name] = ox.NamedNode(resolve_organisation(store, value))
        else:
            terms[name] = ox.Literal(value)
    missing = [p.name for p in query.params if p.name not in terms]
    if missing:
        raise UsageError(f"query {query.name} needs --param " + ", ".join(f"{m}=…" for m in missing))
    return terms
