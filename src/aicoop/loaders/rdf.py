"""Load any RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML, N3) into a store.

The whole file is parsed before the store is touched, so a file that fails to parse changes
nothing. Triples go into one named graph per file (stable for the same path); quads from a
dataset file keep their graph names unless ``graph`` is given.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, UsageError
from ..namespaces import MINT, Minter, slug
from ..provenance import graph_provenance, source_iri
from ..progress import reading
from ..store.base import Store
from .parse_limits import check_limits
from .protected import check_replaceable

EXTENSIONS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD, "json": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML, "xml": ox.RdfFormat.RDF_XML, "owl": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}

_POSITION = re.compile(r"line (\d+) column (\d+)")


@dataclass(frozen=True)
class RdfLoad:
    path: str
    graphs: tuple[str, ...]
    triples: int


def rdf_format(path: Path, name: str | None = None) -> ox.RdfFormat:
    """The RDF format of a file, from ``name`` (an extension or media type) or its extension."""
    key = (name or path.suffix.lstrip(".")).lower()
    if "/" in key:
        fmt = ox.RdfFormat.from_media_type(key)
        if fmt is not None:
            return fmt
    if key in EXTENSIONS:
        return EXTENSIONS[key]
    raise UsageError(f"{path}: cannot tell the RDF format from {key!r}; "
                     f"use one of {', '.join(sorted(set(EXTENSIONS)))}")


def default_graph_for(path: Path, minter: Minter = MINT) -> str:
    """A stable graph IRI for a file: its name plus a short hash of its absolute path."""
    resolved = str(path.resolve())
    digest = hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:8]
    return minter.graph("file", f"{slug(path.name)}-{digest}")


def syntax_error(path: Path, fmt: ox.RdfFormat, exc: SyntaxError) -> InputError:
    """A parser's ``SyntaxError`` as an ``InputError`` naming the file, line and column."""
    line = col = None
    if exc.args and isinstance(exc.args[-1], tuple) and len(exc.args[-1]) >= 3:
        line, col = exc.args[-1][1], exc.args[-1][2]
    else:
        m = _POSITION.search(str(exc))
        if m:
            line, col = int(m.group(1)), int(m.group(2))
    msg = str(exc.args[0]) if exc.args else str(exc)
    msg = re.sub(r"^Parser error at line \d+ column \d+: ", "", msg)
    return InputError(f"not valid {fmt.name}: {msg}", source=str(path), line=line, column=col)


def parse_file(path: Path, fmt: ox.RdfFormat) -> list[ox.Quad]:
    """Parse a whole file, raising ``InputError`` with file, line and column on bad syntax.
    The file is checked against the parser limits first (``parse_limits``)."""
    check_limits(path, fmt)
    try:
        return list(ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise syntax_error(path, fmt, exc) from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read: {exc}", source=str(path)) from exc


@dataclass(frozen=True)
class PreparedRdf:
    """A parsed file, ready to write: triples per target graph."""

    paths: tuple[Path, ...]
    by_graph: dict[str, list[ox.Triple]]


def prepare_rdf(path: str | os.PathLike[str], *, graph: str | None = None,
                fmt: str | None = None, minter: Minter = MINT) -> PreparedRdf:
    """Parse one file and sort its statements into the graphs they will replace."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", source=str(p))
    rdf_fmt = rdf_format(p, fmt)
    quads = parse_file(p, rdf_fmt)
    file_graph = graph or default_graph_for(p, minter)
    by_graph: dict[str, list[ox.Triple]] = {}
    for q in quads:
        if graph is None and isinstance(q.graph_name, ox.NamedNode):
            target = q.graph_name.value
        else:
            target = file_graph
        by_graph.setdefault(target, []).append(q.triple)
    if not by_graph:
        by_graph[file_graph] = []
    return PreparedRdf((p,), by_graph)


def write_rdf(store: Store, prepared: PreparedRdf) -> RdfLoad:
    """Replace each target graph with the file's statements plus their provenance."""
    sources = [source_iri(p) for p in prepared.paths]
    label = ", ".join(p.name for p in prepared.paths)
    total = 0
    contents = {}
    for g, triples in sorted(prepared.by_graph.items()):
        prov = graph_provenance(g, sources=sources, activity="load rdf", label=label,
                                triples=len(triples))
        contents[g] = triples + prov
        total += len(triples)
    if hasattr(store, "swap"):  # every graph of the file becomes visible at once
        with store.swap() as sw:
            for g, items in contents.items():
                sw.extend(g, items)
    else:
        for g, items in contents.items():
            store.replace_graph(g, items)
    return RdfLoad(label, tuple(sorted(prepared.by_graph)), total)


def load_rdf(store: Store, paths: list[str | os.PathLike[str]], *, graph: str | None = None,
             fmt: str | None = None, minter: Minter = MINT,
             replace_reference: bool = False) -> list[RdfLoad]:
    """Load RDF files into ``store``. Nothing is visible until every file has been read, so
    one bad file among many changes nothing. Files of triples go through the store's bulk
    loader where it has one. A shipped graph is replaced only with ``replace_reference``."""
    files = []
    for path in paths:
        p = Path(path)
        if not p.is_file():
            raise InputError("no such file", source=str(p))
        files.append((p, rdf_format(p, fmt)))
    if hasattr(store, "swap") and not any(f.supports_datasets for _, f in files):
        if graph is not None:
            check_replaceable([graph], source=str(files[0][0]),
                              replace_reference=replace_reference)
        return _bulk_load(store, files, graph=graph, minter=minter)
    if hasattr(store, "put_ntriples") and len(files) == 1 and \
            files[0][1] == ox.RdfFormat.N_TRIPLES:
        return [_stream_ntriples(store, files[0][0], graph or default_graph_for(files[0][0],
                                                                                minter),
                                 replace_reference=replace_reference)]
    prepared = [prepare_rdf(p, graph=graph, fmt=fmt, minter=minter) for p in paths]
    for pr in prepared:
        check_replaceable(pr.by_graph, source=str(pr.paths[0]),
                          replace_reference=replace_reference)
    if graph is not None and len(prepared) > 1:
        merged: dict[str, list[ox.Triple]] = {graph: []}
        for pr in prepared:
            merged[graph].extend(pr.by_graph.get(graph, []))
        prepared = [PreparedRdf(tuple(pr.paths[0] for pr in prepared), merged)]
    return [write_rdf(store, pr) for pr in prepared]


def _bulk_load(store, files: list[tuple[Path, ox.RdfFormat]], *, graph: str | None,
               minter: Minter) -> list[RdfLoad]:
    """Stream every file into hidden staging graphs with the bulk loader and swap them all in
    at once (see ``store.swap``): no Python object per triple, so time and memory are those
    of the store's own bulk loader."""
    by_graph: dict[str, list[Path]] = {}
    for p, f in files:
        check_limits(p, f)
        by_graph.setdefault(graph or default_graph_for(p, minter), []).append(p)
    counts = {}
    with store.swap() as sw:
        for p, f in files:
            g = graph or default_graph_for(p, minter)
            try:
                with reading(p, p.name) as source:
                    sw.bulk_load(g, str(p), f, base_iri=p.resolve().as_uri(), source=source)
            except SyntaxError as exc:
                raise syntax_error(p, f, exc) from None
            except (OSError, ValueError) as exc:
                raise InputError(f"cannot read: {exc}", source=str(p)) from None
        for g, ps in sorted(by_graph.items()):
            counts[g] = n = sw.count(g)
            sw.extend(g, graph_provenance(g, sources=[source_iri(p) for p in ps],
                                          activity="load rdf",
                                          label=", ".join(p.name for p in ps), triples=n))
    return [RdfLoad(", ".join(p.name for p in ps), (g,), counts[g])
            for g, ps in sorted(by_graph.items())]


def _stream_ntriples(store, path: Path, graph: str, *, replace_reference: bool) -> RdfLoad:
    """An N-Triples file to a remote store: checked and counted in one streaming pass here
    (so errors name the line), then streamed to the server in one atomic PUT."""
    check_replaceable([graph], source=str(path), replace_reference=replace_reference)
    fmt = ox.RdfFormat.N_TRIPLES
    n = 0
    try:
        with reading(path, path.name) as source:
            for _ in ox.parse(source, fmt) if source is not None else \
                    ox.parse(path=str(path), format=fmt):
                n += 1
    except SyntaxError as exc:
        raise syntax_error(path, fmt, exc) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read: {exc}", source=str(path)) from None
    prov = graph_provenance(graph, sources=[source_iri(path)], activity="load rdf",
                            label=path.name, triples=n)
    store.put_ntriples(graph, path, prov)
    return RdfLoad(path.name, (graph,), n)
