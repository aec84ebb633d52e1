"""The labels the text loader looks for: SKOS labels of the domains, risks and benefits
schemes, and the names and acronyms of the organisations.

Labels come from data, never from code: the vocabulary Turtle files in ``ontology/`` (or the
vocabularies graph of a store) and the organisation register (``organisations.csv``, or the
organisations in a store). ``skos:prefLabel``, ``skos:altLabel`` and ``skos:hiddenLabel`` in
any language all count; hidden labels are where the knowledge engineers put the extra word
forms detection needs ("farmers", "cyber-attack").
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import InputError
from ...namespaces import AIC, SCHEMES, SKOS, MINT, Minter

#: the schemes the text loader detects, in output order
DETECTED_SCHEMES = ("domains", "risks", "benefits")
#: schemes whose labels are read as context, not reported (see score.py)
CONTEXT_SCHEMES = ("technologies",)
BLOCKING_PHRASE = AIC.blockingPhrase
_LABEL_KINDS = {SKOS.prefLabel: "pref", SKOS.altLabel: "alt", SKOS.hiddenLabel: "hidden",
                BLOCKING_PHRASE: "block"}


@dataclass(frozen=True)
class Label:
    """One string to look for and the concept (or organisation) it names."""

    text: str
    concept: str
    scheme: str
    kind: str  # pref, alt, hidden, block (a blocking phrase), acronym, name, alias
    language: str | None
    case_sensitive: bool


@dataclass(frozen=True)
class Concept:
    iri: str
    scheme: str
    notation: str
    name: str


@dataclass(frozen=True)
class Vocabulary:
    """Concepts (by IRI) and every label that names one of them."""

    concepts: dict[str, Concept]
    labels: tuple[Label, ...]
    sources: tuple[str, ...] = field(default=())
    #: what was done with concepts of other schemes (honoured through a match, or why not)
    notes: tuple[str, ...] = field(default=())

    def by_scheme(self, scheme: str) -> list[Concept]:
        return sorted((c for c in self.concepts.values() if c.scheme == scheme),
                      key=lambda c: c.notation)

    def merged(self, other: "Vocabulary") -> "Vocabulary":
        return Vocabulary({**self.concepts, **other.concepts}, self.labels + other.labels,
                          self.sources + other.sources, self.notes + other.notes)


def is_acronym(text: str) -> bool:
    """Whether a label is written like an acronym, and so must match with its exact case.

    >>> [is_acronym(t) for t in ("WHO", "G20", "ITU-T", "Health", "AI Act", "A")]
    [True, True, True, False, False, False]
    """
    letters = [c for c in text if c.isalpha()]
    return (len(letters) >= 2 or (len(letters) == 1 and any(c.isdigit() for c in text))) \
        and not any(c.islower() for c in letters) and " " not in text.strip()


def _scheme_of(iri: str) -> tuple[str, str] | None:
    for name in (*DETECTED_SCHEMES, *CONTEXT_SCHEMES):
        prefix = SCHEMES[name][1]
        if iri.startswith(prefix):
            return name, iri[len(prefix):]
    return None


def _build(rows: Iterable[tuple[str, str, str, str | None]], sources: tuple[str, ...]
           ) -> Vocabulary:
    """Concepts and labels from (concept IRI, property IRI, value, language) rows."""
    notations: dict[str, str] = {}
    names: dict[str, dict[str, str]] = {}
    raw: list[tuple[str, str, str, str | None]] = []
    for iri, prop, value, lang in rows:
        found = _scheme_of(iri)
        if found is None:
            continue
        if prop == SKOS.notation:
            notations[iri] = value
        elif prop in _LABEL_KINDS:
            raw.append((iri, _LABEL_KINDS[prop], value, lang))
            if prop == SKOS.prefLabel:
                names.setdefault(iri, {})[lang or ""] = value
    concepts: dict[str, Concept] = {}
    labels: list[Label] = []
    for iri, kind, value, lang in raw:
        scheme, tail = _scheme_of(iri)  # type: ignore[misc]
        notation = notations.get(iri, tail)
        if iri not in concepts:
            n = names.get(iri, {})
            concepts[iri] = Concept(iri, scheme, notation,
                                    n.get("en") or n.get("") or next(iter(n.values()), notation))
        labels.append(Label(value.strip(), iri, scheme, kind, lang, is_acronym(value)))
    return Vocabulary(concepts, tuple(labels), sources)


def vocabulary_from_files(paths: Iterable[str | os.PathLike[str]]) -> Vocabulary:
    """Read SKOS labels from Turtle (or any RDF) files; other triples are ignored."""
    import pyoxigraph as ox

    from ..rdf import parse_file, rdf_format

    rows: list[tuple[str, str, str, str | None]] = []
    files = [Path(p) for p in paths]
    notes: list[str] = []
    for f in files:
        quads = parse_file(f, rdf_format(f))
        own = _own_scheme_labels(quads, f, notes)
        for q in quads:
            s, p, o = q.subject, q.predicate, q.object
            if isinstance(s, ox.NamedNode) and isinstance(o, ox.Literal):
                rows.append((s.value, p.value, o.value, o.language))
        rows.extend(own)
    vocab = _build(rows, tuple(str(f) for f in files))
    return Vocabulary(vocab.concepts, vocab.labels, vocab.sources, tuple(notes))


#: a concept of a user's scheme counts for one of ours when it is the same, close or narrower
_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.broader)


def _own_scheme_labels(quads, path: Path, notes: list[str]  # type: ignore[no-untyped-def]
                       ) -> list[tuple[str, str, str, str | None]]:
    """Labels of concepts of a user's own scheme, as alternative labels of the detected
    concepts they match (``skos:exactMatch``, ``closeMatch``, ``broadMatch`` or
    ``broader``); a note for each scheme saying how many concepts count, and why the others
    cannot (detection reports domains, risks and benefits only)."""
    import pyoxigraph as ox

    schemes: dict[str, str] = {}
    targets: dict[str, set[str]] = {}
    labels: dict[str, list[tuple[str, str | None]]] = {}
    for q in quads:
        s, p, o = q.subject, q.predicate.value, q.object
        if not isinstance(s, ox.NamedNode) or _scheme_of(s.value) is not None:
            continue
        if p == SKOS.inScheme and isinstance(o, ox.NamedNode):
            schemes.setdefault(s.value, o.value)
        elif p in _MATCHES and isinstance(o, ox.NamedNode):
            found = _scheme_of(o.value)
            if found is not None and found[0] in DETECTED_SCHEMES:
                targets.setdefault(s.value, set()).add(o.value)
        elif p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel) and \
                isinstance(o, ox.Literal):
            labels.setdefault(s.value, []).append((o.value, o.language))
    out = []
    by_scheme: dict[str, list[str]] = {}
    ours = {iri for iri, _ in SCHEMES.values()}
    for c, scheme in schemes.items():
        if scheme not in ours:  # the project's other schemes (functions…) are not a user's
            by_scheme.setdefault(scheme, []).append(c)
    for scheme, members in sorted(by_scheme.items()):
        matched = [c for c in members if c in targets]
        for c in matched:
            for target in sorted(targets[c]):
                out.extend((target, SKOS.altLabel, v, lang) for v, lang in labels.get(c, []))
        missing = len(members) - len(matched)
        text = f"{path.name}: scheme <{scheme}>: "
        if matched:
            text += (f"{len(matched)} concept(s) count for the domains, risks or benefits "
                     "they match")
        if missing:
            text += ("; " if matched else "") + (
                f"{missing} concept(s) are not looked for: kg annotate reports domains, "
                "risks and benefits only; link a concept to one of them with "
                "skos:exactMatch, skos:closeMatch or skos:broadMatch and its labels count "
                "for it")
        notes.append(text)
    return out


_STORE_LABELS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c ?p ?v WHERE {
  VALUES ?p { skos:notation skos:prefLabel skos:altLabel skos:hiddenLabel
              <https://w3id.org/aicoop/ontology#blockingPhrase> }
  ?c ?p ?v . FILTER(isIRI(?c) && isLiteral(?v))
}
"""


def vocabulary_from_store(store) -> Vocabulary:  # type: ignore[no-untyped-def]
    """Read SKOS labels of the domains, risks and benefits concepts loaded in a store."""
    rows = []
    for c, p, v in store.select(_STORE_LABELS).rows:
        rows.append((c.value, p.value, v.value, v.language or None))
    return _build(rows, (store.location,))


def _split(cell: str | None) -> list[str]:
    return [v.strip() for v in (cell or "").split("|") if v.strip()]


def organisations_from_csv(path: str | os.PathLike[str], *, minter: Minter = MINT) -> Vocabulary:
    """Names, aliases and acronyms of the organisations in the register
    (``key,name_en,name_fr,name_es,acronyms,aliases,…``)."""
    from ..record_input import read_table
    p = Path(path)
    rows = read_table(p, what="organisation register")
    concepts: dict[str, Concept] = {}
    labels: list[Label] = []
    for n, row in enumerate(rows, start=2):
        key = (row.get("key") or "").strip()
        if not key:
            raise InputError("organisation without a key", source=str(p), line=n)
        iri = minter.org(key)
        acronyms = _split(row.get("acronyms"))
        concepts[iri] = Concept(iri, "organisations", key,
                                acronyms[0] if acronyms else (row.get("name_en") or key))
        for lang in ("en", "fr", "es"):
            name = (row.get(f"name_{lang}") or "").strip()
            if name:
                labels.append(Label(name, iri, "organisations", "name", lang, is_acronym(name)))
        for a in acronyms:
            labels.append(Label(a, iri, "organisations", "acronym", None, True))
        for a in _split(row.get("aliases")):
            labels.append(Label(a, iri, "organisations", "alias", None, is_acronym(a)))
    return Vocabulary(concepts, tuple(labels), (str(p),))


_STORE_ORGS = """
PREFIX aic: <https://w3id.org/aicoop/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?org ?kind ?v WHERE {
  ?org a aic:Organisation .
  { ?org aic:acronym ?v BIND("acronym" AS ?kind) }
  UNION { ?org skos:prefLabel|foaf:name|rdfs:label ?v BIND("name" AS ?kind) }
  UNION { ?org skos:altLabel ?v BIND("alias" AS ?kind) }
}
"""


def organisations_from_store(store) -> Vocabulary:  # type: ignore[no-untyped-def]
    """Names and acronyms of the organisations (``aic:Organisation``) loaded in a store."""
    concepts: dict[str, Concept] = {}
    labels: list[Label] = []
    seen: set[tuple[str, str]] = set()
    for org, kind, v in store.select(_STORE_ORGS).rows:
        iri, text = org.value, v.value.strip()
        if (iri, text) in seen or not text:
            continue
        seen.add((iri, text))
        if iri not in concepts or kind.value == "acronym":
            concepts[iri] = Concept(iri, "organisations", iri.rstrip("/").rsplit("/", 1)[-1],
                                    text)
        cs = kind.value == "acronym" or is_acronym(text)
        labels.append(Label(text, iri, "organisations", kind.value, v.language or None, cs))
    return Vocabulary(concepts, tuple(labels), (store.location,))


def default_vocabulary(*, extra: Iterable[str | os.PathLike[str]] = (),
                       organisations: str | os.PathLike[str] | None = None) -> Vocabulary:
    """The packaged vocabularies and organisation register, plus ``extra`` SKOS files."""
    from ...resources import reference_dir, vocabulary_files
    vocab = vocabulary_from_files([*vocabulary_files(), *extra])
    org_file = Path(organisations) if organisations else reference_dir() / "organisations.csv"
    if org_file.is_file():
        vocab = vocab.merged(organisations_from_csv(org_file))
    return vocab
