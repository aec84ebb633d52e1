"""Declarative mappings: how the records of a CSV, TSV, JSON, JSON Lines or YAML file become
triples. Parsing and checking only; ``records.py`` applies a mapping to a file.

A mapping is a YAML document (see ``docs`` in ``src/aicoop/data/reference/*.mapping.yaml``)::

    format: csv                          # csv | tsv | json | jsonl | yaml
    subject:
      iri: "doc/{key}"                   # relative IRIs are resolved against {base}id/
      class: aic:PolicyDocument
      required: [key, title]
    fields:
      - column: title
        property: dcterms:title
        lang: en
      - column: issuers
        split: "|"
        property: aic:issuedBy
        map: organisation                # or state, actor, class, or a concept scheme
        match: [key]

Every error names the mapping file and the field, so a knowledge engineer can fix the YAML
without reading code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..namespaces import AIC, PREFIXES, SCHEMES
from .conditions import Combined, Condition, Expr, parse_condition  # noqa: F401
from .parse_limits import load_yaml_node

FORMATS = ("csv", "tsv", "json", "jsonl", "yaml")
DATATYPES = ("string", "int", "decimal", "boolean", "date", "gYear", "gYearMonth", "iri",
             "language")
#: what to do with a value that does not resolve (``unresolved``) or is malformed (``invalid``)
UNRESOLVED = ("error", "warn", "report", "mint")
INVALID = ("error", "warn")
#: targets of ``map`` besides concept schemes
ACTOR_TARGETS = ("organisation", "state", "actor")
MAP_TARGETS = ACTOR_TARGETS + ("class",)
MATCH_MODES = ("key", "acronym", "name", "notation")
DEFAULT_MATCH = ("acronym", "name")
FUNCTIONS = ("slug", "lower", "upper", "hash", "strip")
#: names a template may use besides the record's columns
SPECIAL_NAMES = ("base", "subject", "parent", "value")

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_CALL = re.compile(r"^\s*(\w+)\s*\((.*)\)\s*$")


def mapping_error(source: str, where: str, message: str) -> InputError:
    return InputError(f"{where}: {message}" if where else message, source=source)


# ---- templates ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Placeholder:
    """``{name}`` or ``{func(arg, arg)}`` inside a template."""

    func: str | None
    args: tuple[str, ...]


@dataclass(frozen=True)
class Template:
    """A string with placeholders; ``parts`` alternates literal text and placeholders."""

    text: str
    parts: tuple[str | Placeholder, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a for p in self.parts if isinstance(p, Placeholder) for a in p.args)


def parse_template(text: str, *, source: str = "", where: str = "") -> Template:
    """Split a template into literal text and placeholders.

    >>> t = parse_template("doc/{slug(title)}-{year}")
    >>> [p if isinstance(p, str) else (p.func, p.args) for p in t.parts]
    ['doc/', ('slug', ('title',)), '-', (None, ('year',))]
    """
    if not isinstance(text, str) or not text:
        raise mapping_error(source, where, "a template must be a non-empty string")
    parts: list[str | Placeholder] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(text):
        if m.start() > pos:
            parts.append(text[pos:m.start()])
        inner = m.group(1).strip()
        call = _CALL.match(inner)
        if call:
            func = call.group(1)
            if func not in FUNCTIONS:
                raise mapping_error(source, where, f"unknown function {func!r} in template "
                                    f"{text!r}; use one of {', '.join(FUNCTIONS)}")
            args = tuple(a.strip() for a in call.group(2).split(",") if a.strip())
            if not args:
                raise mapping_error(source, where, f"{func}() needs at least one column in "
                                    f"template {text!r}")
            parts.append(Placeholder(func, args))
        else:
            if not inner:
                raise mapping_error(source, where, f"empty placeholder {{}} in template {text!r}")
            parts.append(Placeholder(None, (inner,)))
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    leftover = "".join(p for p in parts if isinstance(p, str))
    if "{" in leftover or "}" in leftover:
        raise mapping_error(source, where, f"unbalanced braces in template {text!r}")
    return Template(text, tuple(parts))


# ---- conditions --------------------------------------------------------------------------

def _conditions(raw: Any, *, source: str, where: str) -> tuple[Expr, ...]:
    """``when:``: one condition or a list of them (all must hold)."""
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    return tuple(parse_condition(c, source=source, where=where) for c in items)


# ---- fields and nodes --------------------------------------------------------------------

@dataclass(frozen=True)
class NodeSpec:
    """A node of the output: its IRI template, classes and fields. The record's subject is
    one; a field's ``node`` or ``mint`` is another."""

    iri: Template | None
    classes: tuple[str, ...] = ()
    fields: tuple["FieldSpec", ...] = ()
    required: tuple[str, ...] = ()
    unique: bool = False


@dataclass(frozen=True)
class FieldSpec:
    """One field of a mapping: where its values come from and what they become."""

    name: str                                  # for messages: column, path or property
    column: str | None = None                  # column name or dotted JSON path
    value: Template | None = None              # a constant or template value
    flags: tuple[tuple[str, tuple[str, ...]], ...] = ()   # column -> values when true
    property: str | None = None                # full IRI
    inverse: bool = False
    datatype: str = "string"
    lang: str | None = None
    split: tuple[str, ...] = ()                # separators of a multi-valued cell
    formats: tuple[str, ...] = ()              # strptime formats for dates
    map: str | None = None                     # actor target, "class" or a scheme IRI
    match: tuple[str, ...] = DEFAULT_MATCH
    values: tuple[tuple[str, str | None], ...] | None = None  # folded value -> replacement
    rename: tuple[tuple[str, str], ...] = ()   # folded value -> replacement; others kept
    when: tuple[Expr, ...] = ()
    null_values: frozenset[str] = frozenset()
    unresolved: str = "warn"                   # error | warn | mint
    invalid: str = "error"                     # error | warn
    mint: NodeSpec | None = None
    iri: Template | None = None                # value -> IRI
    must_exist: bool = False
    node: NodeSpec | None = None

    def columns(self) -> set[str]:
        """Every column this field (and its nested nodes) reads."""
        cols: set[str] = set()
        if self.column:
            cols.add(self.column)
        cols.update(c for c, _ in self.flags)
        for c in self.when:
            cols.update(n for n in c.columns() if n not in SPECIAL_NAMES)
        for t in (self.value, self.iri):
            if t is not None:
                cols.update(n for n in t.names if n not in SPECIAL_NAMES)
        for n in (self.node, self.mint):
            if n is not None:
                cols.update(node_columns(n))
        return cols


def node_columns(node: NodeSpec) -> set[str]:
    cols = set(node.required)
    if node.iri is not None:
        cols.update(n for n in node.iri.names if n not in SPECIAL_NAMES)
    for f in node.fields:
        cols.update(f.columns())
    return cols


@dataclass(frozen=True)
class Mapping:
    """A parsed, checked mapping file."""

    source: str
    format: str
    subject: NodeSpec
    records: str | None = None
    delimiter: str | None = None
    encoding: str = "utf-8-sig"
    when: tuple[Expr, ...] = ()
    null_values: frozenset[str] = frozenset({""})
    base: str | None = None
    description: str = ""

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return self.subject.fields

    def columns(self) -> set[str]:
        """Every column (or JSON path) the mapping reads."""
        cols = node_columns(self.subject)
        for c in self.when:
            cols.update(c.columns())
        return cols


# ---- IRIs from the YAML ------------------------------------------------------------------

def expand_iri(text: Any, prefixes: MappingABC[str, str], *, source: str, where: str) -> str:
    """A full IRI from ``prefix:local``, ``<iri>`` or an absolute IRI. Terms of our own
    namespace must exist (a misspelt ``aic:`` term is an error, not a new IRI)."""
    if not isinstance(text, str) or not text.strip():
        raise mapping_error(source, where, f"expected an IRI or prefix:name, found {text!r}")
    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        return t[1:-1]
    if t.startswith(("http://", "https://", "urn:")):
        return t
    if t == "a":
        return PREFIXES["rdf"] + "type"
    prefix, sep, local = t.partition(":")
    if not sep or prefix not in prefixes:
        known = ", ".join(sorted(prefixes))
        raise mapping_error(source, where, f"{t!r} is not an IRI or a known prefix:name "
                            f"(prefixes: {known})")
    if prefixes[prefix] == str(AIC) and local not in AIC.terms:
        raise mapping_error(source, where, f"aic:{local} is not a term of the ontology")
    return prefixes[prefix] + local


def _str_list(raw: Any, *, source: str, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        if not isinstance(item, (str, int, float)) or isinstance(item, bool):
            raise mapping_error(source, where, f"expected a string or a list of strings, "
                                f"found {item!r}")
        out.append(str(item))
    return tuple(out)


# ---- parsing -----------------------------------------------------------------------------

_FIELD_KEYS = {"column", "path", "value", "flags", "property", "inverse", "datatype", "lang",
               "split", "formats", "format", "map", "match", "values", "rename", "when",
               "null_values",
               "unresolved", "invalid", "mint", "iri", "must_exist", "node", "name"}
_NODE_KEYS = {"iri", "class", "fields", "required", "unique"}
_TOP_KEYS = {"format", "records", "delimiter", "encoding", "when", "null_values", "base",
             "description", "prefixes", "subject", "fields"}


class _Parser:
    def __init__(self, source: str, prefixes: dict[str, str]) -> None:
        self.source = source
        self.prefixes = prefixes

    def error(self, where: str, message: str) -> InputError:
        return mapping_error(self.source, where, message)

    def node(self, raw: Any, where: str, *, need_iri: bool = False,
             fields_where: str | None = None) -> NodeSpec:
        if not isinstance(raw, dict):
            raise self.error(where, "expected a mapping with iri, class and fields")
        unknown = set(raw) - _NODE_KEYS
        if unknown:
            raise self.error(where, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                             f"expected {', '.join(sorted(_NODE_KEYS))}")
        iri = raw.get("iri")
        if iri is None and need_iri:
            raise self.error(where, "needs an 'iri' template")
        tpl = parse_template(iri, source=self.source, where=f"{where}.iri") if iri else None
        classes = tuple(expand_iri(c, self.prefixes, source=self.source, where=f"{where}.class")
                        for c in _str_list(raw.get("class"), source=self.source,
                                           where=f"{where}.class"))
        fw = fields_where or f"{where}.fields"
        fields_raw = raw.get("fields") or []
        if not isinstance(fields_raw, list):
            raise self.error(fw, "expected a list of fields")
        fields = tuple(self.field(f, f"{fw}[{i + 1}]") for i, f in enumerate(fields_raw))
        return NodeSpec(tpl, classes, fields,
                        _str_list(raw.get("required"), source=self.source,
                                  where=f"{where}.required"),
                        bool(raw.get("unique", False)))

    def field(self, raw: Any, where: str) -> FieldSpec:
        if not isinstance(raw, dict):
            raise self.error(where, "expected a mapping such as {column: title, property: "
                             "dcterms:title}")
        column = raw.get("column", raw.get("path"))
        if column is not None and not isinstance(column, str):
            raise self.error(where, f"column must be a string, found {column!r}")
        name = str(raw.get("name") or column or raw.get("property") or where)
        where = f"{where} ({name})"
        unknown = set(raw) - _FIELD_KEYS
        if unknown:
            raise self.error(where, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                             f"expected some of {', '.join(sorted(_FIELD_KEYS))}")
        sources = [k for k in ("column", "path", "value", "flags") if raw.get(k) is not None]
        if len(sources) > 1:
            raise self.error(where, f"give only one of column/path, value, flags "
                             f"(found {', '.join(sources)})")
        value = None
        if raw.get("value") is not None:
            value = parse_template(str(raw["value"]), source=self.source, where=f"{where}.value")
        flags: tuple[tuple[str, tuple[str, ...]], ...] = ()
        if raw.get("flags") is not None:
            if not isinstance(raw["flags"], dict) or not raw["flags"]:
                raise self.error(f"{where}.flags", "expected a mapping of column -> value(s)")
            flags = tuple((str(k), _str_list(v, source=self.source, where=f"{where}.flags"))
                          for k, v in raw["flags"].items())
        prop = raw.get("property")
        prop_iri = (expand_iri(prop, self.prefixes, source=self.source, where=f"{where}.property")
                    if prop is not None else None)
        datatype = raw.get("datatype", "string")
        if datatype in ("integer",):
            datatype = "int"
        if datatype not in DATATYPES:
            raise self.error(f"{where}.datatype", f"unknown datatype {datatype!r}; use one of "
                             f"{', '.join(DATATYPES)}")
        formats = _str_list(raw.get("formats", raw.get("format")), source=self.source,
                            where=f"{where}.formats")
        if formats and datatype not in ("date", "gYear", "gYearMonth"):
            raise self.error(f"{where}.formats", "date formats need datatype date, gYear or "
                             "gYearMonth")
        lang = raw.get("lang")
        if lang is not None and (not isinstance(lang, str)
                                 or not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", lang)):
            raise self.error(f"{where}.lang", f"not a BCP 47 language tag: {lang!r}")
        if lang and datatype != "string":
            raise self.error(f"{where}.lang", f"a language tag needs datatype string, not "
                             f"{datatype}")
        split_raw = raw.get("split")
        seps = split_raw if isinstance(split_raw, list) else [split_raw]
        if split_raw is not None and (not seps or not all(isinstance(s, str) and s
                                                          for s in seps)):
            raise self.error(f"{where}.split", "split must be a non-empty string such as '|', "
                             "or a list of them such as ['|', ';']")
        split = tuple(seps) if split_raw is not None else ()
        target = self.map_target(raw.get("map"), where)
        match = _str_list(raw.get("match"), source=self.source, where=f"{where}.match")
        if match:
            bad = [m for m in match if m not in MATCH_MODES]
            if bad:
                raise self.error(f"{where}.match", f"unknown match mode(s) {', '.join(bad)}; "
                                 f"use {', '.join(MATCH_MODES)}")
            if target not in ACTOR_TARGETS:
                raise self.error(f"{where}.match", "match applies to map: organisation, state "
                                 "or actor")
        values = None
        if raw.get("values") is not None:
            if not isinstance(raw["values"], dict) or not raw["values"]:
                raise self.error(f"{where}.values", "expected a mapping of value -> "
                                 "replacement (or null to ignore the value on purpose)")
            from ..lookup import fold
            values = tuple((fold(str(k)), None if v is None else _scalar(v))
                           for k, v in raw["values"].items())
        rename: tuple[tuple[str, str], ...] = ()
        if raw.get("rename") is not None:
            if not isinstance(raw["rename"], dict) or not raw["rename"]:
                raise self.error(f"{where}.rename", "expected a mapping of value -> "
                                 "replacement (values not listed are kept)")
            from ..lookup import fold
            rename = tuple((fold(str(k)), _scalar(v)) for k, v in raw["rename"].items()
                           if v is not None)
        # a name that matches no organisation is reported (a warning) unless the mapping says
        # otherwise; a value that is no concept of a vocabulary is an error
        unresolved = raw.get("unresolved", "warn" if target in ACTOR_TARGETS else "error")
        if unresolved not in UNRESOLVED:
            raise self.error(f"{where}.unresolved", f"expected one of {', '.join(UNRESOLVED)}, "
                             f"found {unresolved!r}")
        unresolved = "warn" if unresolved == "report" else unresolved
        invalid = raw.get("invalid", "error")
        if invalid not in INVALID:
            raise self.error(f"{where}.invalid", f"expected error or warn, found {invalid!r}")
        mint = None
        if unresolved == "mint":
            if target not in ACTOR_TARGETS:
                raise self.error(f"{where}.unresolved", "mint applies to map: organisation, "
                                 "state or actor")
            mint_raw = raw.get("mint") or {}
            mint = self.node(mint_raw, f"{where}.mint")
            if mint.iri is None:
                mint = NodeSpec(parse_template("org/{slug(value)}"), mint.classes, mint.fields)
            if not mint.classes:
                mint = NodeSpec(mint.iri, (PREFIXES["org"] + "FormalOrganization",),
                                mint.fields)
        elif raw.get("mint") is not None:
            raise self.error(f"{where}.mint", "mint needs unresolved: mint")
        iri = (parse_template(str(raw["iri"]), source=self.source, where=f"{where}.iri")
               if raw.get("iri") is not None else None)
        if iri is not None and target is not None:
            raise self.error(where, "give either map or iri, not both")
        node = self.node(raw["node"], f"{where}.node") if raw.get("node") is not None else None
        if not sources and node is None:
            raise self.error(where, "needs a source: column (or path), value or flags")
        if not sources and node is not None and node.iri is None:
            raise self.error(f"{where}.node", "a node without a source column needs an 'iri' "
                             "template")
        if prop_iri is None and node is None:
            raise self.error(where, "needs a property")
        inverse = bool(raw.get("inverse", False))
        if inverse and not (target is not None or iri is not None or datatype == "iri"
                            or node is not None):
            raise self.error(f"{where}.inverse", "inverse needs values that are IRIs "
                             "(map, iri or datatype iri)")
        nulls = frozenset(_fold_all(_str_list(raw.get("null_values"), source=self.source,
                                              where=f"{where}.null_values")))
        return FieldSpec(
            name=name, column=column, value=value, flags=flags, property=prop_iri,
            inverse=inverse, datatype=datatype, lang=lang, split=split, formats=formats,
            map=target, match=match or (("key",) if target == "class" else DEFAULT_MATCH),
            values=values, rename=rename, when=_conditions(raw.get("when"), source=self.source,
                                            where=f"{where}.when"),
            null_values=nulls, unresolved=unresolved, invalid=invalid, mint=mint, iri=iri,
            must_exist=bool(raw.get("must_exist", False)), node=node)

    def map_target(self, raw: Any, where: str) -> str | None:
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise self.error(f"{where}.map", f"expected a name, found {raw!r}")
        if raw in MAP_TARGETS:
            return raw
        if raw in SCHEMES:
            return SCHEMES[raw][0]
        if raw.startswith(("http://", "https://", "<")) or ":" in raw:
            return expand_iri(raw, self.prefixes, source=self.source, where=f"{where}.map")
        raise self.error(f"{where}.map", f"unknown target {raw!r}; use one of "
                         f"{', '.join(MAP_TARGETS + tuple(SCHEMES))} or a scheme IRI")


def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _fold_all(items: tuple[str, ...]) -> list[str]:
    from ..lookup import fold
    return [fold(i) for i in items]


def parse_mapping(data: Any, *, source: str = "<mapping>", yaml_node: Any = None) -> Mapping:
    """Check a mapping read from YAML (a dict) against the language's schema, then its
    meaning (prefixes, ontology terms, templates, conditions), and return it as frozen
    dataclasses. ``yaml_node`` (``yaml.compose`` of the file) puts lines on schema errors."""
    from .mapping_schema import check_schema
    check_schema(data, source=source, yaml_node=yaml_node)
    if not isinstance(data, dict):
        raise mapping_error(source, "", "a mapping file must be a YAML mapping with format, "
                            "subject and fields")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise mapping_error(source, "", f"unknown key(s) {', '.join(sorted(map(str, unknown)))};"
                            f" expected some of {', '.join(sorted(_TOP_KEYS))}")
    fmt = data.get("format")
    if fmt not in FORMATS:
        raise mapping_error(source, "format", f"expected one of {', '.join(FORMATS)}, found "
                            f"{fmt!r}")
    prefixes = dict(PREFIXES)
    extra = data.get("prefixes") or {}
    if not isinstance(extra, dict):
        raise mapping_error(source, "prefixes", "expected a mapping of prefix -> namespace IRI")
    prefixes.update({str(k): str(v) for k, v in extra.items()})
    parser = _Parser(source, prefixes)
    subject_raw = data.get("subject")
    if subject_raw is None:
        raise mapping_error(source, "subject", "missing: give subject.iri (and subject.class)")
    if isinstance(subject_raw, dict) and "fields" in subject_raw:
        raise mapping_error(source, "subject.fields", "put fields at the top level of the "
                            "mapping, beside subject")
    subject_raw = dict(subject_raw) if isinstance(subject_raw, dict) else subject_raw
    if isinstance(subject_raw, dict):
        subject_raw["fields"] = data.get("fields") or []
    subject = parser.node(subject_raw, "subject", need_iri=True, fields_where="fields")
    records = data.get("records")
    if records is not None and fmt not in ("json", "yaml"):
        raise mapping_error(source, "records", "records (a path to the list) applies to json "
                            "and yaml only")
    delimiter = data.get("delimiter")
    if delimiter is not None and (fmt not in ("csv", "tsv") or not isinstance(delimiter, str)
                                  or len(delimiter) != 1):
        raise mapping_error(source, "delimiter", "a one-character delimiter, for csv or tsv")
    nulls = data.get("null_values", [""])
    base = data.get("base")
    if base is not None and not (isinstance(base, str) and base.startswith(("http://",
                                                                           "https://"))):
        raise mapping_error(source, "base", f"expected an http(s) IRI, found {base!r}")
    return Mapping(
        source=source, format=fmt, subject=subject,
        records=str(records) if records is not None else None, delimiter=delimiter,
        encoding=str(data.get("encoding", "utf-8-sig")),
        when=_conditions(data.get("when"), source=source, where="when"),
        null_values=frozenset(_fold_all(_str_list(nulls, source=source,
                                                  where="null_values"))) | {""},
        base=base, description=str(data.get("description") or "").strip())


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file; ``InputError`` naming the file and field otherwise."""
    import yaml

    p = Path(path)
    if not p.is_file():
        raise InputError("no such mapping file", source=str(p))
    try:
        text = p.read_text(encoding="utf-8")
        data, node = load_yaml_node(text, str(p))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"not valid YAML: {problem}", source=str(p), line=line,
                         column=col) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", source=str(p)) from exc
    return parse_mapping(data, source=str(p), yaml_node=node)
