"""RML and YARRRML mappings, run by morph-kgc, into the store's named-graph and provenance
scheme: the output of one mapping replaces one named graph (by default the graph the records
loader gives the mapping's first data file), with the same PROV statements.

morph-kgc pins pyoxigraph < 0.4 and rdflib < 7.3, which kg cannot use, so it runs in its own
Python environment: ``$KG_MORPH_KGC_PYTHON`` names that interpreter (or the current one, if
it can import ``morph_kgc``). It is run as a separate process with the mapping's folder as
its working directory, so relative source paths are read from beside the mapping; its
N-Triples output is parsed and checked before anything is written.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, UsageError
from ..namespaces import DEFAULT_BASE, Minter
from ..provenance import graph_provenance, source_iri
from ..store.base import Store
from .load_problems import NothingSelected
from .parse_limits import load_yaml

ENV = "KG_MORPH_KGC_PYTHON"
#: rml:source in the RML of semweb.mmlab.be and rml:path in the W3C community group's RML
_SOURCE_PROPS = ("http://semweb.mmlab.be/ns/rml#source", "http://w3id.org/rml/path")
YARRRML_SUFFIXES = (".yml", ".yaml")
RDF_SUFFIXES = {".ttl": ox.RdfFormat.TURTLE, ".rml": ox.RdfFormat.TURTLE,
                ".nt": ox.RdfFormat.N_TRIPLES, ".n3": ox.RdfFormat.N3}


@dataclass(frozen=True)
class RmlLoad:
    """What an RML or YARRRML load did."""

    mapping: str
    graph: str
    sources: tuple[str, ...]
    triples: int
    seconds: float
    written: bool = False

    def summary(self) -> str:
        return (f"{Path(self.mapping).name}: {self.triples} triples from "
                f"{', '.join(Path(s).name for s in self.sources) or 'its sources'} -> "
                f"<{self.graph}> ({self.seconds:.2f} s)")


def morph_kgc_python() -> str | None:
    """The Python interpreter that runs morph-kgc, or None when there is none."""
    env = os.environ.get(ENV)
    if env:
        return env
    if importlib.util.find_spec("morph_kgc") is not None:
        return sys.executable
    return None


def mapping_sources(path: Path) -> list[Path]:
    """The local data files a mapping reads, resolved against its folder, in file order."""
    names: list[str] = []
    if path.suffix.lower() in YARRRML_SUFFIXES:
        import yaml
        try:
            doc = load_yaml(path.read_text(encoding="utf-8"), str(path)) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(f"not a readable YARRRML file: {exc}", source=str(path)) from exc
        blocks = list((doc.get("sources") or {}).values()) if isinstance(
            doc.get("sources"), dict) else []
        for m in (doc.get("mappings") or doc.get("m") or {}).values():
            srcs = (m or {}).get("sources") or (m or {}).get("source") or []
            blocks.extend(srcs if isinstance(srcs, list) else [srcs])
        for b in blocks:
            if isinstance(b, list) and b:
                b = b[0]
            if isinstance(b, dict):
                b = b.get("access")
            if isinstance(b, str):
                names.append(b.split("~", 1)[0])
    else:
        from .rdf import parse_file
        fmt = RDF_SUFFIXES.get(path.suffix.lower(), ox.RdfFormat.TURTLE)
        for q in parse_file(path, fmt):
            if q.predicate.value in _SOURCE_PROPS and isinstance(q.object, ox.Literal):
                names.append(q.object.value)
    out: list[Path] = []
    for n in dict.fromkeys(names):
        if "://" in n:
            continue
        p = Path(n) if Path(n).is_absolute() else path.parent / n
        out.append(p.resolve())
    return out


def run_morph_kgc(path: Path, *, python: str, timeout: float = 600.0) -> list[ox.Triple]:
    """Materialise a mapping with morph-kgc in its own process; its triples."""
    with tempfile.TemporaryDirectory(prefix="kg-rml-") as tmp:
        out = Path(tmp) / "out.nt"
        config = Path(tmp) / "config.ini"
        # the config is ours: paths are absolute, no value comes from the mapping
        config.write_text("[CONFIGURATION]\n"
                          f"output_file = {out}\n"
                          "output_format = N-TRIPLES\n"
                          "logging_level = WARNING\n"
                          "[Mapping]\n"
                          f"mappings = {path.resolve()}\n", encoding="utf-8")
        try:
            proc = subprocess.run([python, "-m", "morph_kgc", str(config)],
                                  cwd=str(path.resolve().parent), capture_output=True,
                                  text=True, timeout=timeout, check=False)
        except FileNotFoundError as exc:
            raise UsageError(f"cannot run morph-kgc: {python} does not exist (set {ENV} to "
                             "the python of an environment where morph-kgc is "
                             "installed)") from exc
        except subprocess.TimeoutExpired as exc:
            raise InputError(f"morph-kgc did not finish within {timeout:.0f} s",
                             source=str(path)) from exc
        if proc.returncode != 0:
            tail = "\n  ".join((proc.stderr or proc.stdout).strip().splitlines()[-6:])
            raise InputError(f"morph-kgc failed (exit {proc.returncode}):\n  {tail}",
                             source=str(path))
        if not out.is_file():
            return []
        try:
            return [q.triple for q in ox.parse(path=str(out), format=ox.RdfFormat.N_TRIPLES)]
        except SyntaxError as exc:
            raise InputError(f"morph-kgc wrote output kg cannot read: {exc}",
                             source=str(path)) from exc


def load_rml(store: Store, mapping: str | os.PathLike[str], *, graph: str | None = None,
             base: str | None = None, generated_at: datetime | None = None,
             python: str | None = None) -> RmlLoad:
    """Run an RML (Turtle) or YARRRML mapping and replace its named graph with the result
    and its provenance. Nothing is written if morph-kgc fails or produces nothing."""
    from .rdf import default_graph_for

    started = time.perf_counter()
    path = Path(mapping)
    if not path.is_file():
        raise InputError("no such mapping file", source=str(path))
    runner = python or morph_kgc_python()
    if runner is None:
        raise UsageError("RML and YARRRML mappings run through morph-kgc, which is not "
                         "installed here. It pins pyoxigraph<0.4 and rdflib<7.3, which kg "
                         "cannot use, so install it in an environment of its own and point "
                         f"{ENV} at its python:\n  python3 -m venv ~/.morph-kgc && "
                         f"~/.morph-kgc/bin/pip install morph-kgc\n  export "
                         f"{ENV}=~/.morph-kgc/bin/python")
    sources = mapping_sources(path)
    minter = Minter(base or DEFAULT_BASE)
    g = graph or default_graph_for(sources[0] if sources else path, minter)
    triples = list(dict.fromkeys(run_morph_kgc(path, python=runner)))
    if not triples:
        raise NothingSelected(f"{path}: morph-kgc produced no triple from the mapping; the "
                              f"graph <{g}> was left as it was")
    prov = graph_provenance(g, sources=[source_iri(s) for s in [*sources, path]],
                            activity="load rml", label=path.name, triples=len(triples),
                            generated_at=generated_at or datetime.now(timezone.utc))
    store.replace_graph(g, triples + prov)
    return RmlLoad(str(path), g, tuple(str(s) for s in sources), len(triples),
                   time.perf_counter() - started, written=True)
