"""Resolve what a user types ("WHO", "who", "World Health Organization", an IRI) to one
organisation or state IRI, with the closest valid names when nothing matches."""

from __future__ import annotations

import difflib
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
        candidates = {a: next(iter(iris)) for a, iris in self.acronyms.items()}
        candidates.update({k: next(iter(iris)) for k, iris in self.names.items()})
        close = difflib.get_close_matches(fold(text), [fold(c) for c in candidates], n=n * 3,
                                          cutoff=0.5)
        folded = {fold(c): c for c in candidates}
        out: list[str] = []
        for c in close:
            label = self.display.get(candidates[folded[c]], folded[c])
            name = folded[c]
            entry = f"{name} ({label})" if name != label else name
            if entry not in out:
                out.append(entry)
        return out[:n]


def name_index(store: Store) -> NameIndex:
    acronyms: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    display: dict[str, str] = {}
    for row in store.select(get_query("list-organisation-names").text).values():
        iri, name, kind = row["org"], row["name"], row["kind"]
        if kind == "acronym":
            acronyms.setdefault(name.strip(), set()).add(iri)
        else:
            names.setdefault(fold(name), set()).add(iri)
            display.setdefault(iri, name)
        display.setdefault(iri, name)
    return NameIndex({k: frozenset(v) for k, v in acronyms.items()},
                     {k: frozenset(v) for k, v in names.items()}, display)


def resolve_organisation(store: Store, text: str) -> str:
    """The IRI of the organisation or state ``text`` names; ``OrganisationNotFound`` with
    suggestions otherwise."""
    return name_index(store).resolve(text)
