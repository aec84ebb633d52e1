"""The records loader: CSV, TSV, JSON, JSON Lines and YAML registers -> triples, through a
declarative mapping (``mapping.py``), into one named graph per source file.

Everything is read, resolved and checked before anything is written: a malformed file, a bad
value or (with ``strict=True``) a value that resolves to nothing raises ``InputError`` naming
the file, the record (1-based; with the CSV line where there is one) and the field, and the
store is unchanged. Values that do not resolve are never dropped silently: they come back in
``RecordsLoad.unresolved`` with the closest known names.
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
from ..namespaces import DEFAULT_BASE, RDF, SKOS, XSD, Minter, slug
from ..provenance import graph_provenance, source_iri
from ..store.base import Store
from .mapping import (ACTOR_TARGETS, SPECIAL_NAMES, FieldSpec, Mapping, NodeSpec, Placeholder,
                      Template, load_mapping)
from .record_input import (FALSE, TRUE, Record, condition_holds, has_path, input_error,
                           iri_text, parse_date, raw_values, read_records, truthy)

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_MAX_MESSAGES = 20


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

    def summary(self) -> str:
        parts = [f"{self.loaded} of {self.records} records", f"{self.triples} triples"]
        if self.skipped:
            parts.append(f"{self.skipped} skipped by condition")
        if self.minted:
            parts.append(f"{len(self.minted)} organisations minted")
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
                    "store (load the ontology and vocabularies first)")
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
        self.state.unresolved.append(Unresolved(record.number, fs.name, value, closest,
                                                record.line, reason))

    # -- records --
    def map_record(self, record: Record) -> str:
        subject = self.mapping.subject
        for col in subject.required:
            vals = [v for v in raw_values(record.data, col) if fold(v) not in self.nulls]
            if not any(v.strip() for v in vals):
                raise input_error(self.path, record, col, "is required but empty")
        ctx = {"base": self.base}
        s = self.node_iri(subject, record, ctx, "subject.iri")
        self.emit_node(subject, s, record, {**ctx, "subject": s, "parent": s})
        return s

    def emit_node(self, node: NodeSpec, iri: str, record: Record, ctx: dict[str, str]) -> None:
        for c in node.classes:
            self.add(iri, RDF.type, ox.NamedNode(c))
        for fs in node.fields:
            self.emit_field(fs, iri, record, {**ctx, "parent": iri})

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
        for v in vals:
            parts = v.split(fs.split) if fs.split else [v]
            for part in parts:
                part = part.strip()
                if part and fold(part) not in nulls:
                    out.append(part)
        return out

    def emit_field(self, fs: FieldSpec, subject: str, record: Record,
                   ctx: dict[str, str]) -> None:
        if fs.when and not all(condition_holds(c, record.data, self.nulls) for c in fs.when):
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
            raise input_error(self.path, record, fs.name, str(exc)) from None

    def literal(self, fs: FieldSpec, value: str) -> ox.NamedNode | ox.Literal:
        dt = fs.datatype
        if dt == "string":
            return ox.Literal(value, language=fs.lang) if fs.lang else ox.Literal(value)
        if dt == "iri":
            iri = iri_text(value)
            if not _SCHEME.match(iri):
                raise ValueError(f"not an absolute IRI: {value!r}")
            try:
                return ox.NamedNode(iri)
            except ValueError as exc:
                raise ValueError(f"not a valid IRI: {value!r} ({exc})") from None
        if dt == "int":
            try:
                d = Decimal(value.replace(",", "")) if value.strip() else None
            except InvalidOperation:
                d = None
            if d is None or d != d.to_integral_value():
                raise ValueError(f"not an integer: {value!r}")
            return ox.Literal(str(int(d)), datatype=ox.NamedNode(XSD.integer))
        if dt == "decimal":
            try:
                return ox.Literal(str(Decimal(value)), datatype=ox.NamedNode(XSD.decimal))
            except InvalidOperation:
                raise ValueError(f"not a number: {value!r}") from None
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
        assert fs.mint is not None
        mctx = {**ctx, "value": value}
        iri = self.node_iri(fs.mint, record, mctx, fs.name)
        known = self.resolver.actors
        entry = self.state.minted.get(iri)
        if (iri in known or (entry is not None and fold(entry[0]) != fold(value))):
            # the slug of this name is already another organisation's IRI ("Who" -> …/who):
            # keep them apart with a hash of the name
            iri = f"{iri}-{hashlib.sha1(fold(value).encode('utf-8')).hexdigest()[:8]}"
            entry = self.state.minted.get(iri)
        if entry is None:
            entry = self.state.minted[iri] = [value, set()]
        entry[1].add(record.number)
        node = NodeSpec(None, fs.mint.classes, fs.mint.fields)
        self.emit_node(node, iri, record, {**mctx, "parent": iri})
        if not any(f.property == SKOS.prefLabel for f in fs.mint.fields):
            # the first spelling seen names it, so "X" and "x" give one label
            self.add(iri, SKOS.prefLabel, ox.Literal(entry[0]))
        return ox.NamedNode(iri)

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
                    strict: bool = False, base: str | None = None) -> PreparedRecords:
    """Read ``path``, apply ``mapping`` and check everything; nothing is written."""
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
    seen: dict[str, int] = {}
    loaded = skipped = 0
    for rec in records:
        if m.when and not all(condition_holds(c, rec.data, m.null_values) for c in m.when):
            skipped += 1
            continue
        s = mapper.map_record(rec)
        if m.subject.unique and s in seen:
            raise input_error(p, rec, "subject.iri", f"has the same IRI as record {seen[s]}: <{s}> "
                         "(duplicate key?)")
        seen.setdefault(s, rec.number)
        loaded += 1
    st = mapper.state
    subjects = {t.subject.value for t in st.triples if isinstance(t.subject, ox.NamedNode)}
    for iri, (rec, fname, value) in st.must_exist.items():
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
                         seconds=time.perf_counter() - started)
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
                 strict: bool = False, base: str | None = None,
                 generated_at: datetime | None = None) -> RecordsLoad:
    """Load one file through a mapping into its own named graph (replaced as a unit).

    Returns counts and every value that did not resolve; ``strict=True`` raises
    ``InputError`` instead, and then nothing is written."""
    started = time.perf_counter()
    prepared = prepare_records(store, path, mapping, graph=graph, strict=strict, base=base)
    return write_records(store, prepared, generated_at=generated_at or datetime.now(timezone.utc),
                         started=started)

