"""Every shipped mapping gives the same bytes on every load, whatever was loaded before, and
the example mappings give graphs with no SHACL violation on their corpora (skipped when
../shared/data is absent)."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest

from aicoop.derive import derive
from aicoop.loaders.records import load_records
from aicoop.namespaces import AIC, RDF
from aicoop.reference import build_reference, reference_files, reference_graph
from aicoop.store.embedded import EmbeddedStore
from aicoop.validation import validate_store

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
EXAMPLES = REPO / "examples" / "mappings"
WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)
CORPORA = {
    "agora": (SHARED / "agora" / "documents.csv", EXAMPLES / "agora.yaml", 738),
    "worldwide-ai-ethics": (SHARED / "worldwide-ai-ethics" / "data_processed.json",
                            EXAMPLES / "worldwide-ai-ethics.yaml", 200),
}


def graph_bytes(store: EmbeddedStore, graph: str) -> bytes:
    """The graph as sorted N-Triples: equal bytes mean equal graphs, IRIs included."""
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_TRIPLES, graph=graph)
    return b"\n".join(sorted(out.getvalue().splitlines()))


@pytest.fixture(scope="module")
def built() -> EmbeddedStore:
    s = EmbeddedStore(None)
    build_reference(s)
    return s


def corpus(name: str) -> tuple[Path, Path, int]:
    data, mapping, n = CORPORA[name]
    if not data.is_file():
        pytest.skip(f"the shared third-party data is not at {data}")
    return data, mapping, n


@pytest.mark.parametrize("data, mapping", reference_files(),
                         ids=[d.name for d, _ in reference_files()])
def test_every_packaged_mapping_reloads_byte_identically(built, data, mapping):
    graph = reference_graph(data.stem)
    before = graph_bytes(built, graph)
    load_records(built, data, mapping, graph=graph, strict=True, generated_at=WHEN)
    first = graph_bytes(built, graph)
    load_records(built, data, mapping, graph=graph, strict=True, generated_at=WHEN)
    assert graph_bytes(built, graph) == first
    # the build wrote the same statements (its provenance has another time)
    assert {ln for ln in before.splitlines() if b"generatedAtTime" not in ln
            and b"endedAtTime" not in ln} == \
        {ln for ln in first.splitlines() if b"generatedAtTime" not in ln
         and b"endedAtTime" not in ln}


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_example_mappings_give_the_same_bytes_whatever_was_loaded_before(built, name):
    data, mapping, _ = corpus(name)
    alone = EmbeddedStore(None)
    build_reference(alone)
    res = load_records(alone, data, mapping, generated_at=WHEN)
    expected = graph_bytes(alone, res.graph)
    # the other corpus and the derived graph loaded first, then this one twice
    other = next(n for n in CORPORA if n != name)
    o_data, o_mapping, _ = CORPORA[other]
    load_records(built, o_data, o_mapping, generated_at=WHEN)
    load_records(built, data, mapping, generated_at=WHEN)
    derive(built)
    for _ in range(2):
        again = load_records(built, data, mapping, generated_at=WHEN)
        assert graph_bytes(built, again.graph) == expected
    # minted organisations stay in their corpus namespace, never take a hash suffix when
    # their slug is unique in the file
    minted = {m.iri for m in res.minted}
    assert minted and all("/org/agora/" in i or "/org/waie/" in i for i in minted)


def test_the_example_corpora_validate_with_no_violation():
    loaded = 0
    store = EmbeddedStore(None)
    build_reference(store)
    for name in sorted(CORPORA):
        data, mapping, n = CORPORA[name]
        if not data.is_file():
            continue
        res = load_records(store, data, mapping)
        assert (res.records, res.loaded) == (n, n)
        loaded += 1
    if not loaded:
        pytest.skip(f"the shared third-party data is not at {SHARED}")
    report = validate_store(store)
    violations = [v for v in report.violations if v.severity == "Violation"]
    assert violations == []


def test_agora_issuers_get_their_kind_and_groups_are_described_not_minted(built):
    data, mapping, _ = corpus("agora")
    store = EmbeddedStore(None)
    build_reference(store)
    res = load_records(store, data, mapping)
    g = res.graph
    types: dict[str, set[str]] = {}
    described = set()
    for q in store.quads(g):
        if q.predicate.value == RDF.type:
            types.setdefault(q.subject.value, set()).add(q.object.value)
        if q.predicate.value == AIC.issuerDescription:
            described.add(q.object.value)
    congress = "https://w3id.org/aicoop/id/org/agora/united-states-congress"
    fda = "https://w3id.org/aicoop/id/org/agora/food-and-drug-administration"
    assert AIC.Parliament in types[congress] and AIC.GovernmentBody not in types[congress]
    assert AIC.Regulator in types[fda]
    assert AIC.GovernmentBody in types["https://w3id.org/aicoop/id/org/agora/california"]
    # the buckets are descriptions of who issued, never organisations
    assert {"Private-sector companies", "State governments"} <= described
    assert not any(i.endswith("/private-sector-companies") for i in types)
    # the one link with a note after the URL is reported and left out, never encoded
    assert [w.record for w in res.warnings] and all(
        "has a space" in w.message for w in res.warnings)
