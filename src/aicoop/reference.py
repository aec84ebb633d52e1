"""Build the embedded default: ontology, vocabularies and the packaged reference graph."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from .loaders.rdf import PreparedRdf, parse_file, rdf_format, write_rdf
from .namespaces import DEFAULT_BASE, GRAPH_ONTOLOGY, GRAPH_VOCABULARIES, Minter
from .resources import ontology_dir, reference_dir
from .store.base import Store

if TYPE_CHECKING:
    from .loaders.records import RecordsLoad

#: reference files in load order: each may resolve names against those loaded before it
#: (organisations need States for their headquarters; memberships need both; documents,
#: functions and initiatives need organisations). ``documents-*.csv`` come next, then the
#: files that link documents (citations, endorsements).
REFERENCE_ORDER = ("states", "organisations", "memberships", "org_functions", "initiatives")
#: files about documents, loaded after every ``documents-*.csv`` (their documents must exist).
AFTER_DOCUMENTS = ("citations", "instrument-participation")


def load_ontology(store: Store) -> int:
    """Load the ontology into its graph and every vocabulary file into the vocabularies graph."""
    files = sorted(ontology_dir().rglob("*.ttl"))
    onto = [f for f in files if f.name == "aicoop.ttl"]
    vocab = [f for f in files if f.name != "aicoop.ttl"]
    total = 0
    for graph, group in ((GRAPH_ONTOLOGY, onto), (GRAPH_VOCABULARIES, vocab)):
        triples = []
        for f in group:
            triples.extend(q.triple for q in parse_file(f, rdf_format(f)))
        total += write_rdf(store, PreparedRdf(tuple(group), {graph: triples})).triples
    return total


def mapping_for(csv_path: Path) -> Path | None:
    """The mapping of a reference file: ``<name>.mapping.yaml`` beside it, or the shared
    ``documents.mapping.yaml`` for ``documents-*.csv`` (likewise for ``organisations-*.csv``,
    ``citations-*.csv`` and ``instrument-participation-*.csv``)."""
    own = csv_path.with_name(csv_path.stem + ".mapping.yaml")
    if own.is_file():
        return own
    for prefix in ("documents", "organisations", *AFTER_DOCUMENTS):
        if csv_path.stem.startswith(prefix + "-"):
            shared = csv_path.with_name(prefix + ".mapping.yaml")
            if shared.is_file():
                return shared
    return None


def reference_files(directory: Path | None = None) -> list[tuple[Path, Path]]:
    """(data file, mapping) pairs in load order; files without a mapping (such as the
    membership overrides, which are input to reconciliation) are not data to load."""
    d = directory or reference_dir()
    # further organisation registers (organisations-*.csv) load right after organisations.csv,
    # so that memberships, functions and initiatives may name them too
    orgs = sorted(d.glob("organisations-*.csv"))
    ordered = []
    for name in REFERENCE_ORDER:
        ordered.append(d / f"{name}.csv")
        if name == "organisations":
            ordered.extend(orgs)
    docs = sorted(d.glob("documents-*.csv"))
    # relation files (citations-*.csv beside citations.csv, …) come last: their documents must exist
    last = [p for name in AFTER_DOCUMENTS
            for p in [d / f"{name}.csv", *sorted(d.glob(f"{name}-*.csv"))]]
    rest = sorted(p for p in d.glob("*.csv") if p not in ordered and p not in docs
                  and p not in last)
    out = []
    for p in [*ordered, *rest, *docs, *last]:
        m = mapping_for(p) if p.is_file() else None
        if m is not None:
            out.append((p, m))
    return out


def reference_graph(name: str, base: str = DEFAULT_BASE) -> str:
    """The named graph of one reference file: ``…/graph/reference/<name>``."""
    return Minter(base).graph("reference", name)


def load_reference_data(store: Store, directory: Path | None = None, *, strict: bool = True,
                        base: str | None = None) -> list[RecordsLoad]:
    """Load every reference file through its mapping, each into its own graph, in order.

    ``strict`` (the default) turns any value that does not resolve — an issuer key that is no
    organisation, a notation that is no concept — into an ``InputError`` naming the record:
    in our own data that is a bug, not something to skip."""
    from .loaders.records import load_records

    loads = []
    for data, mapping in reference_files(directory):
        graph = reference_graph(data.stem, base or DEFAULT_BASE)
        loads.append(load_records(store, data, mapping, graph=graph, strict=strict, base=base))
    return loads


def build_reference(store: Store, *, directory: Path | None = None, strict: bool = True) -> str:
    """Load everything the default store holds; returns a one-line summary.

    Everything is built in a scratch in-memory store first and copied graph by graph at the
    end, so a bad reference file leaves ``store`` unchanged."""
    from .derive import derive
    from .store.embedded import EmbeddedStore

    started = time.perf_counter()
    scratch = EmbeddedStore(None)
    try:
        n = load_ontology(scratch)
        loads = load_reference_data(scratch, directory, strict=strict)
        derived = derive(scratch)
        for info in scratch.graphs():
            store.replace_graph(info.iri, [q.triple for q in scratch.quads(info.iri)])
    finally:
        scratch.close()
    seconds = time.perf_counter() - started
    parts = ", ".join(f"{Path(r.source).stem} {r.loaded}" for r in loads)
    triples = sum(r.triples for r in loads)
    unresolved = sum(len(r.unresolved) for r in loads)
    tail = f"; {unresolved} unresolved values" if unresolved else ""
    return (f"loaded the ontology and vocabularies ({n} triples) and {len(loads)} reference "
            f"files ({parts}; {triples} triples{tail}), derived {derived.triples} facts, "
            f"in {seconds:.1f} s")
