"""Reading register files into records, and the pure value helpers the records loader uses:
CSV/TSV (with line numbers), JSON (a list, or a dotted path to it), JSON Lines and YAML;
values by column or dotted JSON path, conditions, dates and IRI-safe text.

Errors are ``InputError`` naming the file, the record (1-based, with the CSV line where there
is one) and the field.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import InputError
from ..lookup import fold
from .mapping import Expr, Mapping
from .parse_limits import load_yaml

TRUE = frozenset({"true", "yes", "y", "1", "t", "x"})
FALSE = frozenset({"false", "no", "n", "0", "f", ""})
#: characters that may not appear in an IRI as they are (RFC 3987); everything else is kept
_IRI_SAFE = "/:?#[]@!$&'()*+,;=-._~%"


@dataclass(frozen=True)
class Record:
    number: int          # 1-based record number
    line: int | None     # line in the file where the record starts, where known
    data: dict[str, Any]


# ---- reading -----------------------------------------------------------------------------

def csv_lines(reader: Any, source: Path, where: Any, first: int = 1
              ) -> Iterator[tuple[int, list[str]]]:
    """``(line where the row starts, row)`` from a strict ``csv.reader``; a malformed row is an
    ``InputError`` at the line where it starts, prefixed by ``where()`` (an unclosed quote is
    said so, instead of swallowing the rows after it)."""
    start = first
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            hint = " (a quote opened here is never closed)" if "end of data" in str(exc) else ""
            raise InputError(f"{where()}: {exc}{hint}", source=str(source), line=start) from exc
        yield start, row
        start = reader.line_num + 1


def read_table(path: str | os.PathLike[str], *, what: str = "", need: Iterable[str] = (),
               **dialect: Any) -> list[dict[str, str]]:
    """The rows of a CSV (or, with ``delimiter``, TSV) file as dicts; ``InputError`` naming
    the file when it cannot be read or lacks one of the ``need``ed columns (see
    ``read_table_lines``)."""
    return [row for _, row in read_table_lines(path, what=what, need=need, **dialect)]


def read_table_lines(path: str | os.PathLike[str], *, what: str = "",
                     need: Iterable[str] = (), multiline: bool = False,
                     **dialect: Any) -> list[tuple[int, dict[str, str]]]:
    """``(line, row)`` for every row of a CSV/TSV file, read strictly: every row must have as
    many fields as the header, and a quote left open is reported with the line where it
    opened instead of swallowing the rows after it. A quoted field may span lines only with
    ``multiline``."""
    p = Path(path)
    label = f"the {what}" if what else "the file"
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        with p.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, strict=True, **dialect)
            header: list[str] | None = None
            for start, row in csv_lines(reader, p, lambda: f"cannot read {label}"):
                if reader.line_num > start and not multiline:
                    raise InputError(f"a quoted field runs from line {start} to line "
                                     f"{reader.line_num} (an unclosed quote?)", source=str(p),
                                     line=start)
                if header is None:
                    header = row
                    continue
                if not row:
                    continue
                if len(row) != len(header):
                    raise InputError(f"expected {len(header)} fields as in the header, found "
                                     f"{len(row)}", source=str(p), line=start)
                rows.append((start, dict(zip(header, row))))
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read {label}: not UTF-8 text ({exc.reason} at byte "
                         f"{exc.start})", source=str(p)) from exc
    except OSError as exc:
        raise InputError(f"cannot read {label}: {exc.strerror or exc}", source=str(p)) from exc
    missing = set(need) - set(header or ())
    if missing:
        raise InputError(f"not a {what or 'table'}: missing column(s) "
                         f"{', '.join(sorted(missing))}", source=str(p), line=1)
    return rows


def input_error(path: Path, record: Record | None, fld: str | None, message: str
                ) -> InputError:
    """An ``InputError`` naming the file, the record (and its line) and the field."""
    where = []
    if record is not None:
        where.append(f"record {record.number}")
    if fld:
        where.append(f'field "{fld}"')
    prefix = ", ".join(where)
    err = InputError(f"{prefix}: {message}" if prefix else message, source=str(path),
                     line=record.line if record is not None else None)
    err.record = record.number if record is not None else None  # type: ignore[attr-defined]
    err.field = fld  # type: ignore[attr-defined]
    return err


#: a JSON or YAML records file is parsed as one document, which takes several times its size
#: in memory; above this size it is refused (CSV and JSON Lines have no such limit)
MAX_WHOLE_DOCUMENT_BYTES = 256 * 10**6


def read_records(path: Path, mapping: Mapping) -> tuple[list[str] | None, list[Record]]:
    """Every record of the file, with its number and line; the header for CSV/TSV."""
    try:
        if mapping.format in ("csv", "tsv"):
            return _read_delimited(path, mapping)
        size = path.stat().st_size
        if mapping.format in ("json", "yaml") and size > MAX_WHOLE_DOCUMENT_BYTES:
            raise InputError(f"{mapping.format.upper()} files are parsed whole, and this one "
                             f"is {size / 1e6:.0f} MB (limit "
                             f"{MAX_WHOLE_DOCUMENT_BYTES // 10**6} MB); give the records as "
                             "CSV or JSON Lines, or split the file", source=str(path))
        text = path.read_text(encoding=mapping.encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"not {mapping.encoding} text: {exc}", source=str(path)) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc}", source=str(path)) from exc
    if mapping.format == "jsonl":
        return None, _read_jsonl(path, text)
    if mapping.format == "json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", source=str(path), line=exc.lineno,
                             column=exc.colno) from exc
    else:
        import yaml
        try:
            doc = load_yaml(text, str(path))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise InputError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                             source=str(path), line=mark.line + 1 if mark else None) from exc
    items = _record_list(path, doc, mapping.records)
    out = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise InputError(f"record {i}: expected an object, found {type(item).__name__}",
                             source=str(path))
        out.append(Record(i, None, item))
    return None, out


def _record_list(path: Path, doc: Any, records: str | None) -> list[Any]:
    node = doc
    if records:
        for part in records.split("."):
            if isinstance(node, dict) and part in node:
                node = node[part]
            else:
                keys = ", ".join(map(str, node)) if isinstance(node, dict) else type(node).__name__
                raise InputError(f"records path {records!r}: no key {part!r} (found: {keys})",
                                 source=str(path))
    if isinstance(node, dict) and not records:
        raise InputError("the file holds an object, not a list of records; set 'records:' in "
                         f"the mapping to the path of the list (keys: {', '.join(map(str, node))})",
                         source=str(path))
    if not isinstance(node, list):
        raise InputError(f"expected a list of records, found {type(node).__name__}",
                         source=str(path))
    return node


def _read_jsonl(path: Path, text: str) -> list[Record]:
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"record {len(out) + 1}: not valid JSON: {exc.msg}",
                             source=str(path), line=lineno, column=exc.colno) from exc
        if not isinstance(item, dict):
            raise InputError(f"record {len(out) + 1}: expected an object", source=str(path),
                             line=lineno)
        out.append(Record(len(out) + 1, lineno, item))
    return out


def _read_delimited(path: Path, mapping: Mapping) -> tuple[list[str], list[Record]]:
    delimiter = mapping.delimiter or ("\t" if mapping.format == "tsv" else ",")
    quoting = csv.QUOTE_NONE if mapping.format == "tsv" else csv.QUOTE_MINIMAL
    out: list[Record] = []
    with path.open(encoding=mapping.encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter, quoting=quoting, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError("the file is empty (no header row)", source=str(path)) from None
        except csv.Error as exc:
            raise InputError(f"bad header: {exc}", source=str(path), line=1) from exc
        header = [h.strip() for h in header]
        problems = header_problems(header)
        # a column without a name (spreadsheet exports add them at the end) is left out when
        # it is empty in every record, and named by its position when it holds a value
        blank_used: dict[int, int] = {}
        for start, row in csv_lines(reader, path, lambda: f"record {len(out) + 1}",
                                    first=reader.line_num + 1):
            if not row or all(not c.strip() for c in row) and len(row) <= 1:
                continue
            if len(row) != len(header):
                raise InputError(f"record {len(out) + 1}: expected {len(header)} fields, found "
                                 f"{len(row)} (a stray '{delimiter}' or an unclosed quote?)",
                                 source=str(path), line=start)
            for i, (h, cell) in enumerate(zip(header, row)):
                if not h and cell.strip():
                    blank_used.setdefault(i, len(out) + 1)
            out.append(Record(len(out) + 1, start, {h: c for h, c in zip(header, row) if h}))
    problems += [f"column {i + 1} has no name in the header but holds a value (first in "
                 f"record {n}); name it" for i, n in sorted(blank_used.items())]
    if problems:
        raise InputError("the header has problems:\n  " + "\n  ".join(problems),
                         source=str(path), line=1)
    return [h for h in header if h], out


def header_problems(header: list[str]) -> list[str]:
    """Columns named twice, by position (1-based).

    >>> header_problems(["key", "title", "key", "", ""])
    ['columns 1 and 3 are both named "key"']
    """
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(header, 1):
        if h:
            positions.setdefault(h, []).append(i)
    out = []
    for name, pos in positions.items():
        if len(pos) > 1:
            listed = ", ".join(map(str, pos[:-1])) + f" and {pos[-1]}"
            out.append(f'columns {listed} are both named "{name}"' if len(pos) == 2 else
                       f'columns {listed} are all named "{name}"')
    return out


# ---- values ------------------------------------------------------------------------------

def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _flatten(v: Any, out: list[str]) -> None:
    if v is None:
        return
    if isinstance(v, list):
        for item in v:
            _flatten(item, out)
    elif isinstance(v, dict):
        raise ValueError("expected a value or a list of values, found an object")
    else:
        out.append(_scalar(v))


def raw_values(data: dict[str, Any], column: str) -> list[str]:
    """The values at ``column``: a CSV column, a JSON key, or a dotted JSON path (lists are
    walked and flattened)."""
    if column in data:
        node: Any = data[column]
    else:
        nodes: list[Any] = [data]
        for part in column.split("."):
            nxt: list[Any] = []
            for n in nodes:
                if isinstance(n, dict) and part in n:
                    nxt.append(n[part])
                elif isinstance(n, list):
                    nxt.extend(x[part] for x in n if isinstance(x, dict) and part in x)
            nodes = nxt
        node = nodes
    out: list[str] = []
    _flatten(node, out)
    return out


def has_path(data: dict[str, Any], column: str) -> bool:
    if column in data:
        return True
    node: Any = data
    for part in column.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return True


def truthy(text: str) -> bool:
    return fold(text) in TRUE


def condition_holds(cond: "Expr", data: dict[str, Any], nulls: frozenset[str]) -> bool:
    """Whether a ``when:`` condition holds for a record (null values count as empty)."""
    from .conditions import holds
    return holds(cond, lambda col: [v for v in raw_values(data, col) if fold(v) not in nulls],
                 fold, truthy)


_DATE_FORMS = [
    (re.compile(r"^(\d{4})$"), "gYear"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "gYearMonth"),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$"), "date"),
]
_PRECISION = {"gYear": 0, "gYearMonth": 1, "date": 2}


def parse_date(text: str, formats: tuple[str, ...] = (), want: str = "date") -> tuple[str, str]:
    """A date as (lexical form, XSD type) at the precision the text has, or at ``want``'s
    precision if coarser. ``formats`` are extra ``strptime`` formats.

    >>> parse_date("2019")
    ('2019', 'gYear')
    >>> parse_date("2019-05")
    ('2019-05', 'gYearMonth')
    >>> parse_date("21/05/2019", ("%d/%m/%Y",))
    ('2019-05-21', 'date')
    >>> parse_date("2019-05-21", want="gYear")
    ('2019', 'gYear')
    >>> parse_date("03/04/2019", ("%d/%m/%Y", "%m/%d/%Y"))
    Traceback (most recent call last):
    ValueError: ambiguous date: '03/04/2019' fits several formats (%d/%m/%Y gives 2019-04-03; %m/%d/%Y gives 2019-03-04); keep only the format the file uses
    """
    t = text.strip()
    found: tuple[int, int, int, str] | None = None
    for rx, kind in _DATE_FORMS:
        m = rx.match(t)
        if m:
            nums = [int(g) for g in m.groups()]
            y, mo, d = (nums + [1, 1])[:3]
            found = (y, mo, d, kind)
            break
    if found is None:
        # every format is tried: a value two formats read differently ("03/04/2020" under
        # %d/%m/%Y and %m/%d/%Y) is an error, never the first reading
        fits: dict[tuple[int, int, int, str], str] = {}
        for fmt in formats:
            try:
                dt = datetime.strptime(t, fmt)
            except ValueError:
                continue
            kind = ("date" if "%d" in fmt or "%j" in fmt else
                    "gYearMonth" if any(x in fmt for x in ("%m", "%b", "%B")) else "gYear")
            fits.setdefault((dt.year, dt.month, dt.day, kind), fmt)
        if len(fits) > 1:
            readings = "; ".join(f"{fmt} gives {y:04d}-{mo:02d}-{d:02d}"
                                 for (y, mo, d, _), fmt in fits.items())
            raise ValueError(f"ambiguous date: {text!r} fits several formats ({readings}); "
                             "keep only the format the file uses")
        if fits:
            found = next(iter(fits))
    if found is None:
        hint = f" or {', '.join(formats)}" if formats else ""
        raise ValueError(f"not a date: {text!r} (expected YYYY, YYYY-MM or YYYY-MM-DD{hint})")
    y, mo, d, kind = found
    try:
        datetime(y, mo, d)
    except ValueError as exc:
        raise ValueError(f"not a date: {text!r} ({exc})") from None
    if want in _PRECISION and _PRECISION[want] < _PRECISION[kind]:
        kind = want
    lexical = {"gYear": f"{y:04d}", "gYearMonth": f"{y:04d}-{mo:02d}",
               "date": f"{y:04d}-{mo:02d}-{d:02d}"}[kind]
    return lexical, kind


def iri_text(text: str) -> str:
    """Percent-encode what may not stand in an IRI (spaces, quotes, braces…), keep the rest.

    >>> iri_text("https://example.org/a b|c")
    'https://example.org/a%20b%7Cc'
    """
    return quote(text.strip(), safe=_IRI_SAFE)
