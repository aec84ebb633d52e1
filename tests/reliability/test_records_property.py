"""Property: whatever records and mapping the records loader is given, it either loads a
whole graph with its provenance or raises a ``KgError`` and leaves the store exactly as it
was. Never a traceback, never a partial graph."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aicoop.errors import KgError
from aicoop.loaders.records import load_records
from aicoop.store.embedded import EmbeddedStore

pytestmark = pytest.mark.reliability

COLUMNS = ["key", "title", "issuers", "date", "binding", "url"]
EXISTING = "http://example.org/graph/existing"
TARGET = "http://example.org/graph/target"
PROV_GENERATED = "http://www.w3.org/ns/prov#wasGeneratedBy"

cell = st.one_of(st.text(max_size=12), st.sampled_from(["", "x", "2021-06-28", "2021-13-45",
                                                         "true", "maybe", "http://e/x",
                                                         "not an iri", '"', "a,b", "a\nb",
                                                         "WHO | OECD", "\x00"]))
header = st.lists(st.sampled_from(COLUMNS + ["extra", ""]), min_size=0, max_size=7)


@st.composite
def csv_text(draw) -> str:
    cols = draw(header)
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(cols) + 2), max_size=6))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for r in rows:
        writer.writerow(r)
    text = buf.getvalue()
    if draw(st.booleans()):  # and sometimes a raw break: a stray quote, a cut-off line
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(['"', ",", "\n", "\r", "\ufeff", ""])) + \
            text[cut:]
    return text


FIELD_SPECS = [
    "  - column: title\n    property: dcterms:title\n",
    "  - column: date\n    property: dcterms:issued\n    datatype: date\n",
    "  - column: binding\n    property: aic:binding\n    datatype: boolean\n",
    "  - column: url\n    property: foaf:page\n    datatype: iri\n",
    "  - column: issuers\n    split: \"|\"\n    property: aic:issuedBy\n    map: organisation\n",
    "  - column: nowhere\n    property: dcterms:title\n",
    "  - column: title\n    property: not a property\n",
    "  - column: title\n",
]


@st.composite
def mapping_text(draw) -> str:
    if draw(st.integers(0, 9)) == 0:  # now and then, any text at all
        return draw(st.text(max_size=60))
    key = draw(st.sampled_from(["key", "title", "nokey"]))
    required = draw(st.sampled_from(["", "  required: [key]\n", "  required: [nothing]\n"]))
    unique = draw(st.sampled_from(["", "  unique: true\n"]))
    fields = draw(st.lists(st.sampled_from(FIELD_SPECS), max_size=4))
    return (f"format: csv\nsubject:\n  iri: \"doc/{{{key}}}\"\n  class: aic:PolicyDocument\n"
            f"{required}{unique}fields:\n" + "".join(fields or ["  []\n"]))


def fingerprint(store: EmbeddedStore) -> list[str]:
    return sorted(str(q) for q in store.raw.quads_for_pattern(None, None, None, None))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=csv_text(), mapping=mapping_text(), strict=st.booleans())
def test_the_records_loader_loads_a_whole_graph_or_changes_nothing(
        tmp_path: Path, data: str, mapping: str, strict: bool) -> None:
    (tmp_path / "in.csv").write_text(data, encoding="utf-8")
    (tmp_path / "in.mapping.yaml").write_text(mapping, encoding="utf-8")
    store = EmbeddedStore(None)
    store.replace_graph(EXISTING, [ox.Triple(ox.NamedNode("http://example.org/a"),
                                             ox.NamedNode("http://example.org/p"),
                                             ox.Literal("kept"))])
    before = fingerprint(store)
    try:
        res = load_records(store, tmp_path / "in.csv", tmp_path / "in.mapping.yaml",
                           graph=TARGET, strict=strict)
    except KgError:
        assert fingerprint(store) == before
        return
    graph = {q.triple for q in store.quads(TARGET)}
    # the whole graph: every mapped triple and its provenance, next to the untouched graph
    assert res.triples <= len(graph)
    assert ox.Triple(ox.NamedNode(TARGET), ox.NamedNode(PROV_GENERATED),
                     ox.NamedNode(TARGET + "#activity")) in graph
    assert [q for q in fingerprint(store) if EXISTING in q] == \
        [q for q in before if EXISTING in q]
