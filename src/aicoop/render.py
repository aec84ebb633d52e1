"""Rows, query results and triples rendered as table, CSV, TSV, JSON, Markdown or RDF.

One module renders for every command, so ``--format`` means the same everywhere. A format
that does not fit the data says why instead of printing something odd.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import UsageError

ROW_FORMATS = ("table", "csv", "tsv", "json", "markdown")
RDF_FORMATS = {"turtle": "ttl", "ttl": "ttl", "jsonld": "jsonld", "nt": "nt", "nq": "nq",
               "trig": "trig", "xml": "xml", "rdfxml": "xml"}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def table(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], *, max_width: int = 60) -> str:
    """A plain-text table with aligned columns; long cells are cut with an ellipsis."""
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    cells = [[v if len(v) <= max_width else v[: max_width - 1] + "…" for v in row] for row in cells]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in cells:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


def markdown(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    def esc(v: str) -> str:
        return v.replace("|", "\\|").replace("\n", " ")
    out = ["| " + " | ".join(esc(c) for c in columns) + " |",
           "|" + "|".join("---" for _ in columns) + "|"]
    for r in rows:
        out.append("| " + " | ".join(esc(_cell(r.get(c))) for c in columns) + " |")
    return "\n".join(out) + "\n"


def delimited(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], *, delimiter: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue()


def render_rows(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], fmt: str) -> str:
    """Render plain rows (dicts of plain values) in one of ``ROW_FORMATS``."""
    if fmt == "table":
        return table(columns, rows)
    if fmt == "csv":
        return delimited(columns, rows, delimiter=",")
    if fmt == "tsv":
        return delimited(columns, rows, delimiter="\t")
    if fmt == "markdown":
        return markdown(columns, rows)
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in rows], indent=2,
                          ensure_ascii=False, default=str) + "\n"
    raise UsageError(f"--format {fmt} does not fit tabular results; use one of "
                     + ", ".join(ROW_FORMATS))


def render_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def render_select(result: Any, fmt: str) -> str:
    """Render a ``SelectResult``: ``json`` is the W3C SPARQL 1.1 results JSON, ``csv`` and
    ``tsv`` the W3C SPARQL CSV/TSV forms, ``table``/``markdown`` plain values for reading."""
    import pyoxigraph as ox

    from .store.base import term_value

    cols = list(result.variables)
    if fmt in ("table", "markdown"):
        rows = [{c: term_value(t) for c, t in zip(cols, row)} for row in result.rows]
        return render_rows(cols, rows, fmt)
    if fmt == "csv":
        rows = [{c: term_value(t) for c, t in zip(cols, row)} for row in result.rows]
        return delimited(cols, rows, delimiter=",")
    if fmt == "tsv":
        buf = io.StringIO()
        buf.write("\t".join("?" + c for c in cols) + "\n")
        for row in result.rows:
            buf.write("\t".join("" if t is None else str(t) for t in row) + "\n")
        return buf.getvalue()
    if fmt == "json":
        bindings = []
        for row in result.rows:
            b: dict[str, Any] = {}
            for c, t in zip(cols, row):
                if t is None:
                    continue
                if isinstance(t, ox.NamedNode):
                    b[c] = {"type": "uri", "value": t.value}
                elif isinstance(t, ox.BlankNode):
                    b[c] = {"type": "bnode", "value": t.value}
                else:
                    d: dict[str, str] = {"type": "literal", "value": t.value}
                    if t.language:
                        d["xml:lang"] = t.language
                    elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                        d["datatype"] = t.datatype.value
                    b[c] = d
            bindings.append(b)
        return json.dumps({"head": {"vars": cols}, "results": {"bindings": bindings}},
                          indent=2, ensure_ascii=False) + "\n"
    if fmt in RDF_FORMATS:
        raise UsageError(f"--format {fmt} needs a CONSTRUCT or DESCRIBE query; "
                         "a SELECT query gives table, csv, tsv, json or markdown")
    raise UsageError(f"unknown format {fmt!r}")


def render_triples(triples: Sequence[Any], fmt: str) -> bytes:
    """Serialise triples in an RDF format (with the project's prefixes for Turtle)."""
    import pyoxigraph as ox

    from .namespaces import PREFIXES

    key = RDF_FORMATS.get(fmt)
    if key is None:
        raise UsageError(f"--format {fmt} needs a SELECT query; a CONSTRUCT or DESCRIBE query "
                         "gives turtle, jsonld, nt or xml")
    rdf_fmt = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
               "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
               "nq": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TURTLE}[key]
    kwargs: dict[str, Any] = {}
    if rdf_fmt in (ox.RdfFormat.TURTLE,):
        kwargs["prefixes"] = PREFIXES
    return ox.serialize(triples, format=rdf_fmt, **kwargs) or b""
