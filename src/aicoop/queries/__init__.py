"""Named SPARQL queries shipped with the package: ``*.rq`` files with a comment header.

Header lines (before the query text)::

    # <first line: what the query answers>
    # more description...
    # param <name>: <type> - <what it is>      (type: iri, string, integer, date, domain,
    #                                           risk, benefit, function, org)
    # returns: <columns>

Parameters are bound as RDF terms (never pasted into the text). They must be projected by
the query, which keeps the binding identical on the embedded store (pre-bound substitution)
and on remote endpoints (a trailing ``VALUES`` clause).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import InputError, NotFound, UsageError

_PARAM = re.compile(r"^#\s*param\s+(\w+)\s*:\s*([\w-]+)\s*(?:[-–—]\s*(.*))?$")
_RETURNS = re.compile(r"^#\s*returns\s*:\s*(.*)$")
PARAM_TYPES = ("iri", "string", "integer", "date", "domain", "risk", "benefit", "function",
               "org")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str
    params: tuple[Param, ...] = field(default_factory=tuple)
    returns: str = ""


def parse_header(name: str, path: Path, text: str) -> NamedQuery:
    lines = []
    params: list[Param] = []
    returns = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        m = _PARAM.match(line)
        if m:
            ptype = m.group(2)
            if ptype not in PARAM_TYPES:
                raise UsageError(f"{path}: parameter {m.group(1)} has unknown type {ptype!r}; "
                                 f"expected one of {', '.join(PARAM_TYPES)}")
            params.append(Param(m.group(1), ptype, (m.group(3) or "").strip()))
            continue
        m = _RETURNS.match(line)
        if m:
            returns = m.group(1).strip()
            continue
        lines.append(line.lstrip("#").strip())
    lines = [ln for ln in lines if ln]
    summary = lines[0] if lines else ""
    return NamedQuery(name, path, text, summary, " ".join(lines), tuple(params), returns)


def queries_dir() -> Path:
    return Path(str(resources.files(__name__)))


def named_queries() -> dict[str, NamedQuery]:
    """Every shipped query by name (file name without ``.rq``), sorted."""
    out = {}
    for path in sorted(queries_dir().glob("*.rq")):
        out[path.stem] = parse_header(path.stem, path, path.read_text(encoding="utf-8"))
    return out


def get_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name in queries:
        return queries[name]
    import difflib
    raise NotFound("query", name, difflib.get_close_matches(name, list(queries), n=3, cutoff=0.4))


def load_query(spec: str, stdin_text: str | None = None) -> NamedQuery:
    """A query from a file path, ``-`` (standard input) or a shipped query name."""
    if spec == "-":
        text = stdin_text or ""
        return parse_header("<stdin>", Path("-"), text)
    p = Path(spec)
    if p.suffix == ".rq" or p.exists():
        if not p.is_file():
            raise UsageError(f"{spec}: no such query file")
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start}); a query "
                             "file is SPARQL text", source=spec) from None
        return parse_header(p.stem, p, text)
    return get_query(spec)
