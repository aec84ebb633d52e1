"""The records loader: CSV, TSV, JSON, JSON Lines and YAML registers -> triples, through a
declarative mapping (``mapping.py``; the language: docs/mappings.md), into one named graph per
source file.

Everything is read, resolved and checked before anything is written. Every bad record is
listed (up to a limit) with the file, its line, the record and the field, in
``RecordsRejected``, and the store is unchanged; with ``skip_bad`` the good records load and
the others come back in ``RecordsLoad.rejected``. A mapping that selects no record raises
``NothingSelected`` and leaves the graph alone. Names that resolve to nothing are never
dropped silently: they come back in ``RecordsLoad.unresolved`` with the closest known names
(errors with ``strict=True``). IRIs depend only on the file's content, never on what the
store held before.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import InputError
from ..lookup import ActorIndex, ConceptIndex, fold
from ..namespaces import AIC, DEFAULT_BASE, RDF, SKOS, XSD, Minter, slug
from ..progress import steps
from ..provenance import graph_provenance, source_iri
from ..store.base import Store
from .conditions import holds
from .load_problems import NothingSelected, Problem, RecordsRejected, problem_from
from .mapping import (ACTOR_TARGETS, SPECIAL_NAMES, Expr, FieldSpec, Mapping, NodeSpec,
                      Placeholder, Template, load_mapping)
from .record_input import (FALSE, TRUE, Record, condition_holds, has_path, input_error,
                           iri_text, parse_date, raw_values, read_records, truthy)
from .values import check_iri, check_language

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_MAX_MESSAGES = 20
#: errors a load collects before it stops reading (``max_errors``)
MAX_ERRORS = 100


# ---- results -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Unresolved:
    """A value that matched nothing (or several things); reported, never silently dropped."""

    record: int
    field: str
    value: str
    closest: tuple[str, ...] = ()
    line: int | None = None
    reason: str = ""

    def message(self) -> str:
        where = f"record {self.record}"
        if self.line is not None:
            where += f" (line {self.line})"
        text = f'{where}, field "{self.field}": "{self.value}" {self.reason or "matches nothing"}'
        if self.closest:
            text += "; closest: " + ", ".join(self.closest)
        return text


@dataclass(frozen=True)
class Minted:
    """An organisation created because a value matched none (``unresolved: mint``)."""

    value: str
    iri: str
    records: int


@dataclass(frozen=True)
class RecordsLoad:
    """What one load did: counts, the graph written, and every value that did not resolve."""

    source: str
    mapping: str
    graph: str
    records: int
    loaded: int
    skipped: int
    triples: int
    unresolved: tuple[Unresolved, ...] = ()
    minted: tuple[Minted, ...] = ()
    ignored: int = 0
    seconds: float = 0.0
    written: bool = False
    rejected: tuple[Problem, ...] = ()   # errors of records left out (skip_bad only)
    warnings: tuple[Problem, ...] = ()   # values left out where the mapping says warn

    def summary(self) -> str:
        parts = [f"{self.loaded} of {self.records} records", f"{self.triples} triples"]
        if self.skipped:
            parts.append(f"{self.skipped} skipped by condition")
        if self.minted:
            parts.append(f"{len(self.minted)} organisations minted")
        if self.rejected:
            parts.append(f"{len({p.record for p in self.rejected})} records rejected")
        if self.warnings:
            parts.append(f"{len(self.warnings)} values left out")
        parts.append(f"{len(self.unresolved)} unresolved values")
        return (f"{Path(self.source).name}: " + ", ".join(parts)
                + f" -> <{self.graph}> ({self.seconds:.2f} s)")


@dataclass(frozen=True)
class PreparedRecords:
    """A file mapped and checked, ready to write."""

    result: RecordsLoad
    triples: tuple[ox.Triple, ...]
    sources: tuple[str, ...]


# ---- the loader --------------------------------------------------------------------------

class _Empty(Exception):
    """A template needs a column that is empty in this record."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class _Resolver:
    """The store's organisations, States, concepts and kind classes, indexed once per load."""

    def __init__(self, store: Store | None, exclude_graph: str) -> None:
        self.store = store
        self.exclude = exclude_graph
        self._actors: ActorIndex | None = None
        self._concepts: dict[str, ConceptIndex] | None = None
        self._classes: dict[str, str] | None = None

    @property
    def actors(self) -> ActorIndex:
        if self._actors is None:
            from ..lookup import actor_index
            self._actors = (actor_index(self.store, exclude_graph=self.exclude)
                            if self.store is not None else
                            ActorIndex({}, {}, {}, {}, frozenset(), {}))
        return self._actors

    @property
    def concepts(self) -> dict[str, ConceptIndex]:
        if self._concepts is None:
            from ..lookup import concept_indexes
            self._concepts = concept_indexes(self.store) if self.store is not None else {}
        return self._concepts

    @property
    def classes(self) -> dict[str, str]:
        if self._classes is None:
            from ..lookup import class_index, default_kind_classes
            self._classes = (class_index(self.store) if self.store is not None else
                             default_kind_classes())
        return self._classes

    def resolve(self, fs: FieldSpec, text: str) -> tuple[frozenset[str], tuple[str, ...], str]:
        """(IRIs, options, reason) for one value under a field's ``map``; ``options`` lists
        the candidates when the value names several."""
        target = fs.map or ""
        if target in ACTOR_TARGETS:
            hits = self.actors.resolve(text, match=fs.match, target=target)
            if len(hits) > 1:
                names = tuple(sorted(self.actors.display.get(h, h) for h in hits))
                return frozenset(), names, f"names several {target}s"
            if hits:
                return hits, (), ""
            what = {"actor": "organisation or State"}.get(target, target)
            return frozenset(), (), f"matches no {what}"
        if target == "class":
            iri = self.classes.get(text.strip()) or {fold(k): v for k, v in
                                                     self.classes.items()}.get(fold(text))
            if iri:
                return frozenset({iri}), (), ""
            return frozenset(), (), "is not the notation of a class"
        index = self.concepts.get(target)
        if index is None:
            return (frozenset(), (), f"cannot be resolved: the scheme <{target}> is not in the "
                    "store (load its SKOS file first: kg load rdf FILE)")
        hits = index.resolve(text)
        if len(hits) > 1:
            return frozenset(), tuple(sorted(index.display[h] for h in hits)), \
                "names several concepts"
        if hits:
            return hits, (), ""
        scheme = target.rsplit("/", 1)[-1]
        return frozenset(), (), f"matches no concept of {scheme}"

    def closest(self, fs: FieldSpec, text: str) -> tuple[str, ...]:
        """The closest known names, for a value that resolved to nothing (computed only when
        a value is reported: it is the slow part)."""
        from ..lookup import _closest
        target = fs.map or ""
        if target in ACTOR_TARGETS:
            return self.actors.closest(text, target=target)
        if target == "class":
            return _closest(text, {fold(k): k for k in self.classes})
        index = self.concepts.get(target)
        return index.closest(text) if index is not None else ()


@dataclass
class _State:
    """Mutable bookkeeping of one load."""

    triples: dict[ox.Triple, None] = field(default_factory=dict)
    unresolved: list[Unresolved] = field(default_factory=list)
    minted: dict[str, list[Any]] = field(default_factory=dict)   # iri -> [value, records]
    must_exist: dict[str, tuple[Record, str, str]] = field(default_factory=dict)
    ignored: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: minted IRI (from the template) -> the folded names that gave it
    mint_names: dict[str, set[str]] = field(default_factory=dict)


class _Mapper:
    def __init__(self, path: Path, mapping: Mapping, resolver: _Resolver, base: str) -> None:
        self.path = path
        self.mapping = mapping
        self.resolver = resolver
        self.base = base
        self.state = _State()
        self.nulls = mapping.null_values

    # -- templates --
    def render(self, tpl: Template, record: Record, ctx: dict[str, str], fld: str) -> str:
        out: list[str] = []
        for part in tpl.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            out.append(self._placeholder(part, record, ctx, fld))
        return "".join(out)

    def _column_value(self, name: str, record: Record, fld: str, *, allow_empty: bool) -> str:
        try:
            vals = [v for v in raw_values(record.data, name) if fold(v) not in self.nulls]
        except ValueError as exc:
            raise input_error(self.path, record, fld, f"column {name!r}: {exc}") from None
        vals = [v.strip() for v in vals]
        if len(vals) > 1:
            raise input_error(self.path, record, fld, f"column {name!r} has several values "
                         f"({', '.join(vals)}); a template needs one")
        if not vals or not vals[0]:
            if allow_empty:
                return ""
            raise _Empty(name)
        return vals[0]

    def _placeholder(self, p: Placeholder, record: Record, ctx: dict[str, str], fld: str) -> str:
        def get(name: str, allow_empty: bool = False) -> tuple[str, bool]:
            if name in SPECIAL_NAMES:
                if name not in ctx:
                    raise input_error(self.path, record, fld, f"{{{name}}} is not available here")
                return ctx[name], name != "value"
            return self._column_value(name, record, fld, allow_empty=allow_empty), False

        if p.func == "hash":
            vals = [get(a, allow_empty=True)[0] for a in p.args]
            return hashlib.sha1("\x1f".join(vals).encode("utf-8")).hexdigest()[:12]
        text = " ".join(get(a)[0] for a in p.args) if p.func else None
        if p.func == "slug":
            s = slug(text or "")
            if not s:
                raise _Empty(p.args[0])
            return s
        if p.func in ("lower", "upper", "strip"):
            t = {"lower": str.lower, "upper": str.upper, "strip": str.strip}[p.func](text or "")
            return iri_text(t)
        value, is_iri = get(p.args[0])
        return value if is_iri else iri_text(value)

    def absolute(self, text: str, record: Record, fld: str) -> str:
        iri = text if _SCHEME.match(text) else f"{self.base}id/{text}"
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise input_error(self.path, record, fld, f"not a valid IRI: {iri!r} ({exc})") from None
        return iri

    def node_iri(self, node: NodeSpec, record: Record, ctx: dict[str, str], fld: str) -> str:
        assert node.iri is not None
        try:
            return self.absolute(self.render(node.iri, record, ctx, fld), record, fld)
        except _Empty as e:
            raise input_error(self.path, record, fld, f"column {e.name!r} is empty but the IRI "
                         f"template {node.iri.text!r} needs it") from None

    # -- output --
    def add(self, s: str | ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        subj = s if isinstance(s, ox.NamedNode) else ox.NamedNode(s)
        self.state.triples[ox.Triple(subj, ox.NamedNode(p), o)] = None

    def unresolved(self, record: Record, fs: FieldSpec, value: str,
                   closest: tuple[str, ...] = (), reason: str = "") -> None:
        u = Unresolved(record.number, fs.name, value, closest, record.line, reason)
        if fs.unresolved == "error":
            text = f'"{value}" {reason or "matches nothing"}'
            if closest:
                text += "; closest: " + ", ".join(closest)
            self.problem(record, fs.name, text + " (unresolved: warn makes this a warning)")
            return
        self.state.unresolved.append(u)

    def problem(self, record: Record, fld: str, message: str, severity: str = "error") -> None:
        """A bad value or field of ``record``; an error keeps the record out of the graph."""
        self.state.problems.append(Problem(
            str(self.path), f'record {record.number}, field "{fld}": {message}', record.line,
            record.number, fld, severity))

    def holds(self, conds: tuple[Expr, ...], record: Record, ctx: dict[str, str]) -> bool:
        """Whether every condition holds; ``{value}`` and the other special names can be
        tested too (e.g. in a mint node: ``value matches /Congress/``)."""
        def values_of(col: str) -> list[str]:
            if col in SPECIAL_NAMES and col in ctx:
                return [ctx[col]] if ctx[col] else []
            return [v for v in raw_values(record.data, col) if fold(v) not in self.nulls]
        return all(holds(c, values_of, fold, truthy) for c in conds)

    # -- records --
    def map_record(self, record: Record) -> str:
        subject = self.mapping.subject
        missing = [col for col in subject.required
                   if not any(v.strip() for v in raw_values(record.data, col)
                              if fold(v) not in self.nulls)]
        if missing:
            for col in missing:
                self.problem(record, col, "is required but empty")
            raise _Empty(missing[0])
        ctx = {"base": self.base}
        s = self.node_iri(subject, record, ctx, "subject.iri")
        self.emit_node(subject, s, record, {**ctx, "subject": s, "parent": s})
        return s

    def emit_node(self, node: NodeSpec, iri: str, record: Record, ctx: dict[str, str]) -> None:
        for c in node.classes:
            self.add(iri, RDF.type, ox.NamedNode(c))
        for fs in node.fields:
            # one bad field does not hide the others: every error of the record is listed
            try:
                self.emit_field(fs, iri, record, {**ctx, "parent": iri})
            except InputError as exc:
                self.state.problems.append(problem_from(exc))

    def field_values(self, fs: FieldSpec, record: Record, ctx: dict[str, str]) -> list[str | None]:
        if fs.column is not None:
            try:
                vals = raw_values(record.data, fs.column)
            except ValueError as exc:
                raise input_error(self.path, record, fs.name, str(exc)) from None
        elif fs.value is not None:
            try:
                vals = [self.render(fs.value, record, ctx, fs.name)]
            except _Empty:
                return []
        elif fs.flags:
            vals = []
            for col, targets in fs.flags:
                if any(truthy(v) for v in raw_values(record.data, col)):
                    vals.extend(targets)
        else:
            return [None]
        nulls = self.nulls | fs.null_values
        out: list[str | None] = []
        splitter = re.compile("|".join(map(re.escape, fs.split))) if fs.split else None
        for v in vals:
            parts = splitter.split(v) if splitter else [v]
            for part in parts:
                part = part.strip()
                if part and fold(part) not in nulls:
                    out.append(part)
        return out

    def emit_field(self, fs: FieldSpec, subject: str, record: Record,
                   ctx: dict[str, str]) -> None:
        if fs.when and not self.holds(fs.when, record, ctx):
            return
        rename = dict(fs.rename)
        for raw in self.field_values(fs, record, ctx):
            if raw is not None and rename:
                raw = rename.get(fold(raw), raw)
            value = raw
            if raw is not None and fs.values is not None:
                table = dict(fs.values)
                key = fold(raw)
                if key not in table:
                    from ..lookup import _closest
                    self.unresolved(record, fs, raw, _closest(raw, {k: k for k in table}),
                                    "is not in the field's values table")
                    continue
                value = table[key]
                if value is None:
                    self.state.ignored += 1
                    continue
            objects = self.objects(fs, value, record, ctx) if value is not None else [None]
            for obj in objects:
                self.link(fs, subject, obj, value, record, ctx)

    def objects(self, fs: FieldSpec, value: str, record: Record,
                ctx: dict[str, str]) -> list[ox.NamedNode | ox.Literal]:
        if fs.map is not None:
            iris, closest, reason = self.resolver.resolve(fs, value)
            if iris:
                return [ox.NamedNode(i) for i in sorted(iris)]
            if fs.unresolved == "mint" and fs.mint is not None and "several" not in reason:
                return [self.mint(fs, value, record, ctx)]
            self.unresolved(record, fs, value, closest or self.resolver.closest(fs, value),
                            reason)
            return []
        if fs.iri is not None:
            try:
                text = self.render(fs.iri, record, {**ctx, "value": value}, fs.name)
            except _Empty:
                return []
            iri = self.absolute(text, record, fs.name)
            if fs.must_exist:
                self.state.must_exist.setdefault(iri, (record, fs.name, value))
            return [ox.NamedNode(iri)]
        try:
            return [self.literal(fs, value)]
        except ValueError as exc:
            if fs.invalid == "warn":
                self.problem(record, fs.name, f"{exc}; left out (invalid: warn)", "warning")
            else:
                self.problem(record, fs.name, str(exc))
            return []

    def literal(self, fs: FieldSpec, value: str) -> ox.NamedNode | ox.Literal:
        dt = fs.datatype
        if dt == "string":
            return ox.Literal(value, language=fs.lang) if fs.lang else ox.Literal(value)
        if dt == "iri":
            # checked, never repaired: a URL with a space is an error, not another URL
            return ox.NamedNode(check_iri(value))
        if dt == "language":
            return ox.Literal(check_language(value), datatype=ox.NamedNode(XSD.language))
        if dt == "int":
            try:
                d = Decimal(value.replace(",", "")) if value.strip() else None
            except InvalidOperation:
                d = None
            if d is None or not d.is_finite() or d != d.to_integral_value():
                raise ValueError(f"not an integer: {value!r}")
            return ox.Literal(str(int(d)), datatype=ox.NamedNode(XSD.integer))
        if dt == "decimal":
            try:
                d = Decimal(value.strip())
            except InvalidOperation:
                d = None
            if d is None or not d.is_finite():
                raise ValueError(f"not a number: {value!r}")
            # xsd:decimal has no exponent: 1E+3 is written 1000
            return ox.Literal(format(d, "f"), datatype=ox.NamedNode(XSD.decimal))
        if dt == "boolean":
            f = fold(value)
            if f not in TRUE and f not in FALSE:
                raise ValueError(f"not a boolean: {value!r} (expected true or false)")
            return ox.Literal("true" if f in TRUE else "false",
                              datatype=ox.NamedNode(XSD.boolean))
        lexical, kind = parse_date(value, fs.formats, dt)
        return ox.Literal(lexical, datatype=ox.NamedNode(XSD[kind]))

    def mint(self, fs: FieldSpec, value: str, record: Record,
             ctx: dict[str, str]) -> ox.NamedNode:
        """An organisation for a name that matched none. Its IRI comes from the name alone:
        the template's IRI, or, where two different names of this file give the same one
        ("A&B", "A B"), that IRI plus a hash of each name, so loading order and other graphs
        never change it (see ``_final_mint_iris``)."""
        assert fs.mint is not None
        mctx = {**ctx, "value": value}
        base_iri = self.node_iri(fs.mint, record, mctx, fs.name)
        key = fold(value)
        if base_iri in self.resolver.actors:
            # the slug of this name is a curated organisation's IRI ("Who" -> …/who): keep
            # them apart with a hash of the name (minted organisations are never in this
            # index, so only curated or user-loaded ones can collide)
            base_iri = _hashed(base_iri, key)
        iri = _hashed(base_iri, key)   # renamed to base_iri at the end when it is unique
        self.state.mint_names.setdefault(base_iri, set()).add(key)
        entry = self.state.minted.get(iri)
        if entry is None:
            entry = self.state.minted[iri] = [value, set()]
        entry[1].add(record.number)
        node = NodeSpec(None, fs.mint.classes, fs.mint.fields)
        self.emit_node(node, iri, record, {**mctx, "parent": iri})
        if not any(f.property == SKOS.prefLabel for f in fs.mint.fields):
            # the first spelling seen names it, so "X" and "x" give one label
            self.add(iri, SKOS.prefLabel, ox.Literal(entry[0]))
        self.add(iri, AIC.mintedFromName, ox.Literal(entry[0]))
        return ox.NamedNode(iri)

    def final_mint_iris(self) -> dict[str, str]:
        """Hashed IRI -> template IRI for every minted name whose template IRI no other name
        of the file shares."""
        return {_hashed(base, next(iter(keys))): base
                for base, keys in self.state.mint_names.items() if len(keys) == 1}

    def link(self, fs: FieldSpec, subject: str, obj: ox.NamedNode | ox.Literal | None,
             value: str | None, record: Record, ctx: dict[str, str]) -> None:
        target: ox.NamedNode | ox.Literal | None = obj
        if fs.node is not None:
            nctx = {**ctx, "value": value or ""}
            if fs.node.iri is not None:
                target = ox.NamedNode(self.node_iri(fs.node, record, nctx, fs.name))
            elif not isinstance(obj, ox.NamedNode):
                raise input_error(self.path, record, fs.name, "a node needs an 'iri' template or a "
                             "value that is an IRI")
            assert isinstance(target, ox.NamedNode)
            self.emit_node(fs.node, target.value, record, {**nctx, "parent": target.value})
        if fs.property is None or target is None:
            return
        if fs.inverse:
            if not isinstance(target, ox.NamedNode):
                raise input_error(self.path, record, fs.name, "inverse needs an IRI value")
            self.add(target, fs.property, ox.NamedNode(subject))
        else:
            self.add(subject, fs.property, target)


def _hashed(iri: str, key: str) -> str:
    return f"{iri}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"


def _renamed(triples: dict[ox.Triple, None], names: dict[str, str]) -> dict[ox.Triple, None]:
    def term(t):  # type: ignore[no-untyped-def]
        return ox.NamedNode(names[t.value]) if isinstance(t, ox.NamedNode) and \
            t.value in names else t
    return {ox.Triple(term(t.subject), t.predicate, term(t.object)): None for t in triples}


def _check_columns(path: Path, mapping: Mapping, header: list[str] | None,
                   records: list[Record]) -> None:
    """Every column the mapping reads must exist: a misspelt column is an error, not a field
    that silently stays empty."""
    needed = sorted(mapping.columns())
    if header is not None:
        missing = [c for c in needed if c not in header]
        if missing:
            raise InputError(f"the mapping {mapping.source} reads column(s) "
                             f"{', '.join(map(repr, missing))}, not in the file; its columns "
                             f"are: {', '.join(header)}", source=str(path), line=1)
        return
    if not records:
        return
    missing = [c for c in needed if not any(has_path(r.data, c) for r in records)]
    if missing:
        raise InputError(f"the mapping {mapping.source} reads path(s) "
                         f"{', '.join(map(repr, missing))}, found in no record",
                         source=str(path))


def _exists_elsewhere(store: Store | None, iri: str, graph: str) -> bool:
    """Whether ``iri`` is the subject of a statement in some graph other than ``graph``."""
    if store is None:
        return False
    # the IRI was validated as a NamedNode, whose str() is a safely escaped <…> term
    q = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {ox.NamedNode(iri)} ?p ?o }} }}"
    return any(row["g"] != graph for row in store.select(q).values())


def prepare_records(store: Store | None, path: str | os.PathLike[str],
                    mapping: Mapping | str | os.PathLike[str], *, graph: str | None = None,
                    strict: bool = False, base: str | None = None, skip_bad: bool = False,
                    max_errors: int = MAX_ERRORS) -> PreparedRecords:
    """Read ``path``, apply ``mapping`` and check everything; nothing is written.

    Every bad record is listed (up to ``max_errors``) in ``RecordsRejected``; with
    ``skip_bad`` the good records are kept and the bad ones come back in
    ``RecordsLoad.rejected``. A mapping that selects no record raises ``NothingSelected``."""
    from .rdf import default_graph_for

    started = time.perf_counter()
    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", source=str(p))
    m = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
    minter = Minter(base or m.base or DEFAULT_BASE)
    g = graph or default_graph_for(p, minter)
    try:
        ox.NamedNode(g)
    except ValueError as exc:
        raise InputError(f"not an absolute graph IRI: {g!r} ({exc})") from None
    header, records = read_records(p, m)
    _check_columns(p, m, header, records)
    mapper = _Mapper(p, m, _Resolver(store, g), minter.base)
    st = mapper.state
    seen: dict[str, int] = {}
    loaded = skipped = 0
    bad: set[int] = set()
    stopped = False
    with steps(len(records), f"mapping {p.name}", unit="records") as advance:
        for rec in records:
            advance(1)
            if m.when and not all(condition_holds(c, rec.data, m.null_values) for c in m.when):
                skipped += 1
                continue
            # a record's triples join the graph only if the whole record maps without error
            kept, st.triples = st.triples, {}
            before = len(st.problems)
            s = None
            try:
                s = mapper.map_record(rec)
            except _Empty:
                pass
            except InputError as exc:
                st.problems.append(problem_from(exc))
            if s is not None and m.subject.unique and s in seen:
                mapper.problem(rec, "subject.iri", f"has the same IRI as record {seen[s]}: <{s}> "
                               "(duplicate key?)")
            if any(pr.severity == "error" for pr in st.problems[before:]):
                bad.add(rec.number)
                st.triples = kept
                for entry in st.minted.values():
                    entry[1].discard(rec.number)
                if sum(pr.severity == "error" for pr in st.problems) >= max_errors:
                    stopped = True
                    break
                continue
            kept.update(st.triples)
            st.triples = kept
            if s is not None:
                seen.setdefault(s, rec.number)
            loaded += 1
    errors = tuple(pr for pr in st.problems if pr.severity == "error")
    warnings = tuple(pr for pr in st.problems if pr.severity != "error")
    if errors and not skip_bad:
        raise RecordsRejected(str(p), errors, records=len(records), stopped=stopped)
    if loaded == 0:
        why = (f"all {len(records)} were skipped by the mapping's when: "
               + "; ".join(getattr(c, "text", "") or repr(c) for c in m.when)
               if records and skipped == len(records) else
               f"all {len(records)} were rejected" if records and bad else
               "the file holds no record")
        raise NothingSelected(f"{p}: the mapping {m.source} selects no record ({why}); the "
                              f"graph <{g}> was left as it was")
    names = mapper.final_mint_iris()
    if names:
        st.triples = _renamed(st.triples, names)
    st.minted = {names.get(iri, iri): entry for iri, entry in st.minted.items() if entry[1]}
    st.unresolved = [u for u in st.unresolved if u.record not in bad]
    subjects = {t.subject.value for t in st.triples if isinstance(t.subject, ox.NamedNode)}
    for iri, (rec, fname, value) in st.must_exist.items():
        if rec.number in bad:
            continue
        if iri not in subjects and iri not in mapper.resolver.actors \
                and not _exists_elsewhere(store, iri, g):
            st.unresolved.append(Unresolved(rec.number, fname, value, (), rec.line,
                                            f"names nothing known (<{iri}> is not in this file "
                                            "or the store)"))
    # a value read by two fields of one record (e.g. a member and its memberOf link) is
    # reported once
    unresolved = tuple(sorted({(u.record, u.field, u.value): u for u in st.unresolved}.values(),
                              key=lambda u: (u.record, u.field, u.value)))
    if strict and unresolved:
        shown = "\n  ".join(u.message() for u in unresolved[:_MAX_MESSAGES])
        more = (f"\n  … and {len(unresolved) - _MAX_MESSAGES} more"
                if len(unresolved) > _MAX_MESSAGES else "")
        raise InputError(f"{len(unresolved)} value(s) did not resolve (strict mode; nothing "
                         f"was written):\n  {shown}{more}", source=str(p))
    minted = tuple(Minted(v, iri, len(recs)) for iri, (v, recs) in sorted(st.minted.items()))
    triples = tuple(st.triples)
    result = RecordsLoad(source=str(p), mapping=m.source, graph=g, records=len(records),
                         loaded=loaded, skipped=skipped, triples=len(triples),
                         unresolved=unresolved, minted=minted, ignored=st.ignored,
                         seconds=time.perf_counter() - started, rejected=errors,
                         warnings=warnings)
    sources = (source_iri(p), source_iri(m.source)) if Path(m.source).exists() else \
        (source_iri(p),)
    return PreparedRecords(result, triples, sources)


def write_records(store: Store, prepared: PreparedRecords, *,
                  generated_at: datetime | None = None, started: float | None = None
                  ) -> RecordsLoad:
    """Replace the target graph with the prepared triples and their provenance."""
    res = prepared.result
    prov = graph_provenance(res.graph, sources=list(prepared.sources), activity="load records",
                            generated_at=generated_at, label=Path(res.source).name,
                            triples=res.triples)
    store.replace_graph(res.graph, list(prepared.triples) + prov)
    seconds = res.seconds if started is None else time.perf_counter() - started
    from dataclasses import replace
    return replace(res, written=True, seconds=seconds)


def load_records(store: Store, path: str | os.PathLike[str],
                 mapping: Mapping | str | os.PathLike[str], *, graph: str | None = None,
                 strict: bool = False, base: str | None = None, skip_bad: bool = False,
                 max_errors: int = MAX_ERRORS,
                 generated_at: datetime | None = None) -> RecordsLoad:
    """Load one file through a mapping into its own named graph (replaced as a unit).

    Returns counts and every value that did not resolve; ``strict=True`` raises
    ``InputError`` instead, and then nothing is written."""
    started = time.perf_counter()
    prepared = prepare_records(store, path, mapping, graph=graph, strict=strict, base=base,
                               skip_bad=skip_bad, max_errors=max_errors)
    return write_records(store, prepared, generated_at=generated_at or datetime.now(timezone.utc),
                         started=started)

