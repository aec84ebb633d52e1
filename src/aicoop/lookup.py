"""Resolve what a user types ("WHO", "who", "World Health Organization", an IRI) to one
organisation or state IRI, with the closest valid names when nothing matches."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from .errors import OrganisationNotFound, UsageError
from .queries import get_query
from .store.base import Store


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name.

    >>> fold("  Organisation mondiale de la Santé ")
    'organisation mondiale de la sante'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True)
class NameIndex:
    """Names of every organisation: acronyms (exact case), names and keys (folded)."""

    acronyms: dict[str, frozenset[str]]
    names: dict[str, frozenset[str]]
    display: dict[str, str]

    def resolve(self, text: str) -> str:
        t = text.strip()
        if t.startswith(("http://", "https://")):
            if t in self.display:
                return t
            raise OrganisationNotFound(t, self.suggest(t))
        hits = self.acronyms.get(t)
        if not hits:
            hits = self.names.get(fold(t))
        if not hits:
            # an acronym typed in another case ("who" for WHO) or a key ("world-bank")
            hits = self.acronyms.get(t.upper()) or self.names.get(fold(t).replace("-", " "))
        if not hits:
            by_key = [iri for iri in self.display if iri.rsplit("/", 1)[-1] == t.lower()]
            hits = frozenset(by_key)
        if not hits:
            raise OrganisationNotFound(t, self.suggest(t))
        if len(hits) > 1:
            options = ", ".join(sorted(self.display[h] for h in hits))
            raise UsageError(f"{t!r} names several organisations: {options}; use the full name "
                             "or the IRI")
        return next(iter(hits))

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """The closest names, as "ACRONYM (English name)" where there is an acronym."""
        by_folded: dict[str, tuple[str, str]] = {}
        for name, iris in sorted(self.names.items()):
            by_folded.setdefault(name, (name, min(iris)))
        for acr, iris in sorted(self.acronyms.items()):  # acronyms win: shown in their case
            by_folded[fold(acr)] = (acr, min(iris))
        close = difflib.get_close_matches(fold(text), list(by_folded), n=n * 4, cutoff=0.5)
        out: list[str] = []
        seen: set[str] = set()
        for c in close:
            shown, iri = by_folded[c]
            if iri in seen:
                continue
            seen.add(iri)
            label = self.display.get(iri, shown)
            out.append(f"{shown} ({label})" if fold(shown) != fold(label) else label)
        return out[:n]


def name_index(store: Store) -> NameIndex:
    acronyms: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    display: dict[str, str] = {}
    for row in store.select(get_query("list-organisation-names").text).values():
        iri, name, kind = row["org"], row["name"], row["kind"]
        if kind == "acronym":
            acronyms.setdefault(name.strip(), set()).add(iri)
            continue
        names.setdefault(fold(name), set()).add(iri)
        if kind == "english":
            display[iri] = name
        else:
            display.setdefault(iri, name)
    return NameIndex({k: frozenset(v) for k, v in acronyms.items()},
                     {k: frozenset(v) for k, v in names.items()}, display)


def resolve_organisation(store: Store, text: str) -> str:
    """The IRI of the organisation or state ``text`` names; ``OrganisationNotFound`` with
    suggestions otherwise."""
    return name_index(store).resolve(text)


# ---- indexes used by the records loader ----------------------------------------------------
# The loader resolves thousands of cell values; it builds each index once per load with one
# SPARQL query, then matches in memory. Matching rules (see docs/reference-data.md):
# labels, names and notations of concepts are folded (case and accents ignored); acronyms are
# matched exactly, so "WHO" is the World Health Organization and "who" is not; keys (the last
# segment of an organisation's IRI) are matched exactly.

_CONCEPT_LABELS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?scheme ?c ?kind ?label (LANG(?label) AS ?lang) WHERE {
  ?c skos:inScheme ?scheme .
  { ?c skos:notation ?label BIND("notation" AS ?kind) }
  UNION { ?c skos:prefLabel ?label BIND("pref" AS ?kind) }
  UNION { ?c skos:altLabel ?label BIND("alt" AS ?kind) }
  UNION { ?c skos:hiddenLabel ?label BIND("hidden" AS ?kind) }
}
"""

_ACTOR_TYPES = """
PREFIX aic: <https://w3id.org/aicoop/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT DISTINCT ?a ?type ?g WHERE {
  GRAPH ?g { ?a a ?type }
  FILTER(?type IN (aic:Organisation, aic:State, org:FormalOrganization))
  # organisations a load minted are its own: another load never resolves a name to them
  FILTER NOT EXISTS { ?a aic:mintedFromName ?minted }
}
"""

_ACTOR_NAMES = """
PREFIX aic: <https://w3id.org/aicoop/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT DISTINCT ?a ?kind ?name (LANG(?name) AS ?lang) ?g WHERE {
  { ?a a aic:Organisation } UNION { ?a a aic:State } UNION { ?a a org:FormalOrganization }
  GRAPH ?g {
    { ?a skos:prefLabel ?name BIND("pref" AS ?kind) }
    UNION { ?a skos:altLabel ?name BIND("name" AS ?kind) }
    UNION { ?a rdfs:label ?name BIND("name" AS ?kind) }
    UNION { ?a foaf:name ?name BIND("name" AS ?kind) }
    UNION { ?a skos:hiddenLabel ?name BIND("name" AS ?kind) }
    UNION { ?a skos:notation ?name BIND("notation" AS ?kind) }
    UNION { ?a aic:acronym ?name BIND("acronym" AS ?kind) }
  }
}
"""

_CLASS_NOTATIONS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?c ?notation WHERE {
  { ?c a owl:Class } UNION { ?c a rdfs:Class }
  ?c skos:notation ?notation .
}
"""



def _closest(text: str, candidates: dict[str, str], n: int = 3) -> tuple[str, ...]:
    """Up to ``n`` display strings whose folded key is closest to ``text``."""
    if not candidates:
        return ()
    keys = difflib.get_close_matches(fold(text), list(candidates), n=n * 3, cutoff=0.6)
    out: list[str] = []
    for k in keys:
        d = candidates[k]
        if d not in out:
            out.append(d)
    return tuple(out[:n])


#: the order in which concept labels are tried: a notation beats a preferred label, which beats
#: an alternative label, which beats a hidden label (hidden labels are matcher variants and may
#: be shared between concepts)
LABEL_TIERS = ("notation", "pref", "alt", "hidden")


@dataclass(frozen=True)
class ConceptIndex:
    """Concepts of one scheme by notation and label (prefLabel, altLabel, hiddenLabel), folded."""

    scheme: str
    tiers: tuple[dict[str, frozenset[str]], ...]
    display: dict[str, str]

    def resolve(self, text: str) -> frozenset[str]:
        """The concepts ``text`` names, from the first tier of labels that matches."""
        t = text.strip()
        if t in self.display:
            return frozenset({t})
        key = fold(t)
        for tier in self.tiers:
            hits = tier.get(key)
            if hits:
                return hits
        return frozenset()

    def closest(self, text: str, n: int = 3) -> tuple[str, ...]:
        cands: dict[str, str] = {}
        for tier in self.tiers:
            for k, v in tier.items():
                cands.setdefault(k, self.display[sorted(v)[0]])
        return _closest(text, cands, n)

    def __len__(self) -> int:
        return len(self.display)


def concept_indexes(store: Store) -> dict[str, ConceptIndex]:
    """One index per concept scheme found in the store, keyed by scheme IRI."""
    tiers: dict[str, dict[str, dict[str, set[str]]]] = {}
    prefs: dict[str, str] = {}
    notations: dict[str, str] = {}
    members: dict[str, set[str]] = {}
    for row in store.select(_CONCEPT_LABELS).values():
        scheme, c, kind, label = row["scheme"], row["c"], row["kind"], str(row["label"])
        tiers.setdefault(scheme, {}).setdefault(kind, {}).setdefault(fold(label), set()).add(c)
        members.setdefault(scheme, set()).add(c)
        if kind == "notation":
            notations.setdefault(c, label)
        elif kind == "pref" and (c not in prefs or row.get("lang") == "en"):
            prefs[c] = label
    out = {}
    for scheme, by_kind in tiers.items():
        shown = {c: (f"{notations[c]} ({prefs[c]})" if c in notations and c in prefs
                     else notations.get(c) or prefs.get(c) or c) for c in members[scheme]}
        ordered = tuple({k: frozenset(v) for k, v in by_kind.get(t, {}).items()}
                        for t in LABEL_TIERS)
        out[scheme] = ConceptIndex(scheme, ordered, shown)
    return out


def iri_key(iri: str) -> str:
    """The key of an IRI: its last path segment (``…/id/org/who`` -> ``who``)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ActorIndex:
    """Organisations and States by key, acronym (exact case), name (folded) and notation."""

    keys: dict[str, frozenset[str]]
    acronyms: dict[str, frozenset[str]]
    names: dict[str, frozenset[str]]
    notations: dict[str, frozenset[str]]
    states: frozenset[str]
    display: dict[str, str]

    def _kinds(self, iris: frozenset[str], target: str) -> frozenset[str]:
        if target == "state":
            return frozenset(i for i in iris if i in self.states)
        if target == "organisation":
            return frozenset(i for i in iris if i not in self.states)
        return iris

    def lookup(self, text: str, *, match: tuple[str, ...], target: str = "actor"
               ) -> frozenset[str]:
        """Every IRI that ``text`` names under the ``match`` modes, in order: the first mode
        that finds something wins."""
        t = text.strip()
        if t in self.display and t.startswith(("http://", "https://")):
            return self._kinds(frozenset({t}), target)
        for mode in match:
            if mode == "key":
                hits = self.keys.get(t, frozenset())
            elif mode == "acronym":
                hits = self.acronyms.get(t, frozenset())
            elif mode == "notation":
                hits = self.notations.get(t, frozenset())
            else:
                hits = self.names.get(fold(t), frozenset())
            hits = self._kinds(hits, target)
            if hits:
                return hits
        return frozenset()

    def resolve(self, text: str, *, match: tuple[str, ...], target: str = "actor"
                ) -> frozenset[str]:
        """Like ``lookup``; a name with an acronym in brackets ("European Commission (EC)")
        also tries the name and the acronym alone, and resolves if they agree."""
        hits = self.lookup(text, match=match, target=target)
        if hits:
            return hits
        m = re.match(r"^(.*\S)\s*\(([^()]+)\)\s*$", text.strip())
        if not m:
            return frozenset()
        found: set[str] = set()
        for part in (m.group(1), m.group(2)):
            found |= self.lookup(part, match=match, target=target)
        return frozenset(found)

    def closest(self, text: str, *, target: str = "actor", n: int = 3) -> tuple[str, ...]:
        cands: dict[str, str] = {}
        for table in (self.acronyms, self.names, self.keys, self.notations):
            for k, iris in table.items():
                iris = self._kinds(iris, target)
                if iris:
                    iri = sorted(iris)[0]
                    name = self.display.get(iri, iri)
                    cands.setdefault(fold(k), name if fold(k) == fold(name) else f"{k} ({name})")
        return _closest(text, cands, n)

    def __contains__(self, iri: object) -> bool:
        return iri in self.display


def actor_index(store: Store, *, exclude_graph: str | None = None) -> ActorIndex:
    """Index every organisation and State in the store by the ways a record may name it.

    Statements in ``exclude_graph`` (the graph a load is about to replace) are left out, so
    reloading a file never resolves against its own previous load."""
    from .namespaces import AIC
    keys: dict[str, set[str]] = {}
    acronyms: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    notations: dict[str, set[str]] = {}
    states: set[str] = set()
    display: dict[str, str] = {}
    for row in store.select(_ACTOR_TYPES).values():
        a = row["a"]
        if row["g"] == exclude_graph or not str(a).startswith(("http://", "https://")):
            continue
        keys.setdefault(iri_key(a), set()).add(a)
        display.setdefault(a, iri_key(a))
        if row["type"] == AIC.State:
            states.add(a)
    for row in store.select(_ACTOR_NAMES).values():
        a, kind, name = row["a"], row["kind"], row["name"]
        if row["g"] == exclude_graph or a not in display or name is None:
            continue
        name = str(name)
        if kind == "acronym":
            acronyms.setdefault(name.strip(), set()).add(a)
        elif kind == "notation":
            notations.setdefault(name.strip(), set()).add(a)
        else:
            names.setdefault(fold(name), set()).add(a)
            if kind == "pref" and (display.get(a) == iri_key(a) or row["lang"] == "en"):
                display[a] = name
    freeze = lambda d: {k: frozenset(v) for k, v in d.items()}  # noqa: E731
    return ActorIndex(freeze(keys), freeze(acronyms), freeze(names), freeze(notations),
                      frozenset(states), display)


def default_kind_classes() -> dict[str, str]:
    """Kind notation -> class IRI from ``namespaces.KIND_CLASSES``, for a store that does not
    (yet) hold the ontology."""
    from .namespaces import AIC, KIND_CLASSES
    return {k: AIC[v] for k, v in KIND_CLASSES.items()}


def class_index(store: Store) -> dict[str, str]:
    """Classes by their ``skos:notation`` (organisation kinds), the store's over the defaults."""
    out = default_kind_classes()
    for row in store.select(_CLASS_NOTATIONS).values():
        out[str(row["notation"])] = row["c"]
    return out
