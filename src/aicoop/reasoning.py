"""Checks on the ontology itself: syntax, the code/ontology contract, documentation, OWL
consistency.

This is the only module that imports owlready2, and only when a consistency check runs:
owlready2 is slow to import and needs Java for HermiT. Without Java the other checks still
run and the result says plainly that consistency was not checked.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError, UsageError
from .namespaces import AIC, SCHEMES, VOCAB_BASE

if TYPE_CHECKING:
    import rdflib

_OWL = "http://www.w3.org/2002/07/owl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DECLARATION_TYPES = tuple(_OWL + t for t in (
    "Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty")) + (_RDF + "Property",)


@dataclass(frozen=True)
class FileError:
    """A file that could not be parsed: where, and why."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path + (f", line {self.line}" if self.line is not None else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Consistency:
    """The outcome of an OWL consistency check; ``consistent`` is ``None`` when not checked."""

    reasoner: str | None
    consistent: bool | None
    note: str | None = None


@dataclass(frozen=True)
class OntologyCheck:
    """Everything ``kg ontology check`` reports. ``ok`` is false when any file failed to parse,
    a contract term is undeclared, a term lacks a label or definition, or the reasoner found
    the ontology inconsistent; an unchecked consistency (no Java) does not make it false."""

    files: tuple[str, ...]
    syntax_errors: tuple[FileError, ...]
    undeclared_terms: tuple[str, ...]
    missing_labels: tuple[str, ...]
    missing_definitions: tuple[str, ...]
    terms_checked: int
    reasoner: str | None
    consistent: bool | None
    note: str | None = None

    @property
    def ok(self) -> bool:
        return not (self.syntax_errors or self.undeclared_terms or self.missing_labels
                    or self.missing_definitions or self.consistent is False)

    def problems(self) -> list[str]:
        """One plain sentence per problem found."""
        out = [f"syntax error in {e}" for e in self.syntax_errors]
        out += [f"{t} is used by the code (aicoop.namespaces.AIC) but not declared in the "
                "ontology" for t in self.undeclared_terms]
        out += [f"{t} has no English label (rdfs:label or skos:prefLabel @en)"
                for t in self.missing_labels]
        out += [f"{t} has no English definition (skos:definition or rdfs:comment @en)"
                for t in self.missing_definitions]
        if self.consistent is False:
            out.append(f"the ontology is inconsistent according to {self.reasoner}"
                       + (f": {self.note}" if self.note else ""))
        return out


def ontology_files(ontology_dir: Path | None = None) -> list[Path]:
    """The OWL ontology first, then every other Turtle file below ``ontology_dir``."""
    from .resources import ontology_dir as default_dir

    root = ontology_dir or default_dir()
    main = root / "aicoop.ttl"
    rest = sorted(p for p in root.rglob("*.ttl") if p != main)
    return ([main] if main.exists() else []) + rest


def check_ontology(*, ontology_dir: Path | None = None, shapes_dir: Path | None = None,
                   reason: bool = True) -> OntologyCheck:
    """Parse every ontology, vocabulary and shapes file, check the AIC contract and the
    documentation of every term, and (when ``reason`` and Java is available) run HermiT."""
    import rdflib

    from .resources import read_graph, shapes_dir as default_shapes_dir

    onto_paths = ontology_files(ontology_dir)
    shape_paths = sorted((shapes_dir or default_shapes_dir()).glob("*.ttl"))
    errors: list[FileError] = []
    graphs: list[rdflib.Graph] = []
    for path in dict.fromkeys(onto_paths + shape_paths):  # once each, even if dirs overlap
        try:
            graph = read_graph(path)
        except InputError as exc:
            errors.append(FileError(str(path), exc.line, exc.detail))
            continue
        if path in onto_paths:
            graphs.append(graph)

    ontology = rdflib.Graph()
    for graph in graphs:
        ontology += graph

    terms = sorted(set(_our_terms(ontology)))
    undeclared = sorted(t for t in (AIC[n] for n in AIC.terms) if not _declared(ontology, t))
    no_label = [t for t in terms if not _has_english(ontology, t, _RDFS + "label",
                                                      _SKOS + "prefLabel")]
    no_definition = [t for t in terms if not _has_english(ontology, t, _SKOS + "definition",
                                                           _RDFS + "comment")]

    if not reason:
        result = Consistency(None, None, "consistency not checked (reasoning turned off)")
    elif errors:
        result = Consistency(None, None, "consistency not checked: fix the syntax errors first")
    else:
        result = check_consistency(onto_paths)
    return OntologyCheck(
        files=tuple(str(p) for p in dict.fromkeys(onto_paths + shape_paths)),
        syntax_errors=tuple(errors),
        undeclared_terms=tuple(undeclared),
        missing_labels=tuple(no_label),
        missing_definitions=tuple(no_definition),
        terms_checked=len(terms),
        reasoner=result.reasoner,
        consistent=result.consistent,
        note=result.note,
    )


def _our_terms(graph: rdflib.Graph) -> Iterable[str]:
    """Classes and properties in the AIC namespace, and concepts of our schemes."""
    from rdflib import RDF, URIRef

    for type_iri in _DECLARATION_TYPES:
        for s in graph.subjects(RDF.type, URIRef(type_iri)):
            if str(s).startswith(str(AIC)):
                yield str(s)
    schemes = {URIRef(iri) for iri, _ in SCHEMES.values()}
    seen: set[str] = set()
    for s, scheme in graph.subject_objects(URIRef(_SKOS + "inScheme")):
        if scheme in schemes and str(s) not in seen:
            seen.add(str(s))
            yield str(s)
    for s in graph.subjects(RDF.type, URIRef(_SKOS + "Concept")):
        if str(s).startswith(VOCAB_BASE) and str(s) not in seen:
            seen.add(str(s))
            yield str(s)


def _declared(graph: rdflib.Graph, iri: str) -> bool:
    from rdflib import RDF, URIRef

    return any((URIRef(iri), RDF.type, URIRef(t)) in graph for t in _DECLARATION_TYPES)


def _has_english(graph: rdflib.Graph, iri: str, *props: str) -> bool:
    from rdflib import Literal, URIRef

    for prop in props:
        for value in graph.objects(URIRef(iri), URIRef(prop)):
            if isinstance(value, Literal) and (value.language or "").lower().startswith("en") \
                    and str(value).strip():
                return True
    return False


def format_check(check: OntologyCheck, fmt: str = "text") -> str:
    """Render an ontology check as ``text`` (for people) or ``json``."""
    if fmt == "json":
        data = asdict(check)
        data["syntax_errors"] = [asdict(e) for e in check.syntax_errors]
        data["ok"] = check.ok
        data["problems"] = check.problems()
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt != "text":
        raise UsageError(f"unknown format {fmt!r}; choose text or json")
    lines = [f"Checked {len(check.files)} files and {check.terms_checked} terms."]
    problems = [p for p in check.problems() if not p.startswith("the ontology is inconsistent")]
    if problems:
        lines.append(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}:")
        lines += [f"  - {p}" for p in problems]
    else:
        lines.append("Every file parses; every term the code uses is declared; every term has "
                     "an English label and definition.")
    if check.consistent is True:
        lines.append(f"OWL consistency: consistent ({check.reasoner}).")
    elif check.consistent is False:
        lines.append(f"OWL consistency: INCONSISTENT ({check.reasoner})"
                     + (f": {check.note}" if check.note else "."))
    else:
        lines.append(f"{check.note or 'OWL consistency not checked'}.")
    return "\n".join(lines) + "\n"


def check_consistency(paths: Sequence[Path | str], *, java: str | None = None) -> Consistency:
    """Run HermiT (through owlready2) over the ontology files, loaded into a fresh World.

    Each file is converted to N-Triples with rdflib first, because owlready2 does not read
    Turtle. xsd:gYear is outside the OWL 2 datatype map, so HermiT is told to ignore
    unsupported datatypes rather than refuse the ontology.
    """
    java = java or shutil.which("java")
    if not java:
        return Consistency(None, None, "Java not found: OWL consistency not checked")
    import owlready2

    from .resources import read_graph

    owlready2.JAVA_EXE = java
    world = owlready2.World()
    try:
        with tempfile.TemporaryDirectory(prefix="aicoop-owl-") as tmp:
            for i, path in enumerate(paths):
                target = Path(tmp) / f"{i:03d}.nt"
                read_graph(path).serialize(target, format="nt", encoding="utf-8")
                world.get_ontology(target.as_uri()).load()
            try:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                               ignore_unsupported_datatypes=True)
            except owlready2.OwlReadyInconsistentOntologyError as exc:
                return Consistency("HermiT", False, _first_line(str(exc)) or None)
            except owlready2.OwlReadyJavaError as exc:
                return Consistency("HermiT", None, "HermiT failed: " + _first_line(str(exc)))
    finally:
        world.close()
    return Consistency("HermiT", True, None)


def _first_line(text: str) -> str:
    for line in text.strip().splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""
