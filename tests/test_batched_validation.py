"""Validating a store in batches reports exactly what pySHACL reports over the whole store.

The reference is the whole-store path (``batch_size=None``: the store copied into one rdflib
graph, validated by pySHACL at once). Results are compared as the report shows them (record,
field, message, value, shape) and as the SHACL results graph states them (focus node, path,
constraint component, severity), at batch sizes that cut the focus nodes in many places.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib import RDF, BNode, URIRef

from aicoop import batched_validation
from aicoop.cli import cli
from aicoop.reference import build_reference
from aicoop.store.embedded import EmbeddedStore
from aicoop.validation import _render_path, format_report, validate_store

HERE = Path(__file__).parent
SHAPES = HERE / "data" / "shapes"
EDGE = HERE / "data" / "validation" / "batch-edge-cases.ttl"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
G = "http://example.org/graph/"

#: every constraint component that the packaged shapes put directly on a targeted shape, so
#: a top-level result can come from it (sh:not and sh:xone only sit inside sh:or and sh:node)
COMPONENTS = {SH[c + "ConstraintComponent"] for c in (
    "MinCount", "MaxCount", "NodeKind", "Class", "Datatype", "Or", "Pattern",
    "QualifiedMinCount", "UniqueLang", "In", "Node", "MinInclusive", "LessThanOrEquals")}


def load(store: EmbeddedStore, graph: str, path: Path) -> None:
    store.replace_graph(graph, ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def graph_results(report) -> Counter:
    """(focus node, path, constraint component, severity) of every result; a blank focus node
    counts as ``[]``, since its generated name differs from one copy of the data to another."""
    g = report.graph
    found: Counter = Counter()
    for rep in g.subjects(RDF.type, SH.ValidationReport):
        for r in g.objects(rep, SH.result):
            focus = g.value(r, SH.focusNode)
            path = g.value(r, SH.resultPath)
            found[("[]" if isinstance(focus, BNode) else str(focus),
                   _render_path(g, path, g) if path is not None else None,
                   str(g.value(r, SH.sourceConstraintComponent)),
                   str(g.value(r, SH.resultSeverity)))] += 1
    return found


def assert_same(store: EmbeddedStore, batch_size: int):
    whole = validate_store(store, batch_size=None)
    batched = validate_store(store, batch_size=batch_size)
    assert batched.violations == whole.violations
    assert graph_results(batched) == graph_results(whole)
    assert batched.conforms == whole.conforms
    return batched


@pytest.fixture(scope="module")
def broken_store() -> EmbeddedStore:
    """Every shapes example (valid and invalid) in a graph of its own, and the edge cases
    twice (so that some triples are in two graphs)."""
    store = EmbeddedStore(None)
    for path in sorted(SHAPES.glob("*/*.ttl")):
        load(store, f"{G}{path.parent.name}/{path.stem}", path)
    load(store, G + "edge", EDGE)
    load(store, G + "edge-again", EDGE)
    return store


@pytest.mark.parametrize("batch_size", [2, 5000])
def test_broken_records_give_the_same_results_in_batches(broken_store, batch_size):
    report = assert_same(broken_store, batch_size)
    components = {c for _, _, c, _ in graph_results(report)}
    assert {str(c) for c in COMPONENTS} <= components


def test_the_fixture_covers_every_component_the_shapes_use():
    """If the shapes gain a kind of check, the broken records above must gain a case."""
    from aicoop.validation import _flat_packaged_shapes
    from aicoop.shape_reads import TARGET_KINDS
    shapes = _flat_packaged_shapes()
    used = set()
    for shape in shapes.subjects(RDF.type, SH.PropertyShape):
        if not any(shapes.value(shape, SH[t]) is not None for t in TARGET_KINDS):
            continue
        for p in shapes.predicates(shape, None):
            name = str(p)[len(str(SH)):]
            if name in ("minCount", "maxCount", "nodeKind", "class", "datatype", "or",
                        "pattern", "qualifiedMinCount", "uniqueLang", "in", "node",
                        "minInclusive", "lessThanOrEquals"):
                used.add(SH[name[0].upper() + name[1:] + "ConstraintComponent"])
            else:
                assert name in ("path", "name", "message", "severity", "qualifiedValueShape",
                                *TARGET_KINDS) or not str(p).startswith(str(SH)), name
    assert used == COMPONENTS


def test_edge_cases_are_reported_as_expected(broken_store):
    """Worked out by hand from the comments of the edge-case file."""
    report = validate_store(broken_store)
    found = {(v.focus, v.shape.rsplit("#", 1)[-1]) for v in report.violations
             if v.focus.startswith("http://example.org/batch/")}
    ex = "http://example.org/batch/"
    assert found == {
        (ex + "both", "State-name"), (ex + "both", "Organisation-name"),
        (ex + "both", "wikidata-sameAs"),
        (ex + "child", "Organisation-parent"), (ex + "child", "FunctionRole-function"),
        (ex + "det1", "ConceptDetection-evidence"),
        (ex + "det2", "TextPosition-order"), (ex + "det2", "TextEvidence-quote"),
        (ex + "m1", "Membership-period"),
        # loaded twice, the blank-node period is two periods: one too many
        (ex + "m3", "Membership-period"),
        (ex + "m2", "Membership-member"),
        (ex + "doc2", "PolicyDocument-title-single"), (ex + "doc2", "PolicyDocument-binding"),
        (ex + "doc2", "PolicyDocument-date-missing"),
        (ex + "doc2", "PolicyDocument-instrument-missing"),
        (ex + "doc2", "PolicyDocument-domain-missing"),
        (ex + "doc2", "PolicyDocument-url-missing"),
    }
    literal = [v for v in report.violations if v.focus == "just some text"]
    assert {v.shape.rsplit("#", 1)[-1] for v in literal} == {
        "TextEvidence-target", "TextEvidence-source", "TextEvidence-start",
        "TextEvidence-end", "TextEvidence-quote"}


def test_a_record_found_in_two_graphs_is_reported_once(broken_store):
    report = validate_store(broken_store, batch_size=2)
    both = [v for v in report.violations if v.focus == "http://example.org/batch/both"]
    assert len(both) == 3


def test_vocabularies_outside_the_store_are_validated_as_by_the_whole_graph_path():
    """An empty store: the packaged vocabularies (read beside the store) are still checked."""
    store = EmbeddedStore(None)
    assert_same(store, 50)


@pytest.fixture(scope="module")
def built_store() -> EmbeddedStore:
    store = EmbeddedStore(None)
    build_reference(store)
    return store


def test_the_built_default_store_conforms_both_ways(built_store):
    report = assert_same(built_store, batched_validation_default())
    assert report.violations == ()


def test_injected_violations_in_the_built_store_are_found_both_ways(built_store):
    load(built_store, G + "injected", EDGE)
    try:
        report = assert_same(built_store, 500)
    finally:
        built_store.drop_graph(G + "injected")
    assert any(v.focus == "http://example.org/batch/doc2" for v in report.violations)
    assert not report.conforms


def batched_validation_default() -> int:
    from aicoop.validation import DEFAULT_BATCH
    return DEFAULT_BATCH


def test_extracts_grow_with_the_batch_not_with_the_store(monkeypatch):
    """The largest rdflib graph built for a batch is the same for 20 and for 200 documents."""
    def synthetic(n: int) -> EmbeddedStore:
        lines = ['<http://example.org/o> a <https://w3id.org/aicoop/ontology#ForumOrClub> ; '
                 '<http://www.w3.org/2004/02/skos/core#prefLabel> "O"@en .']
        for i in range(n):
            lines.append(
                f'<http://example.org/d{i}> a <https://w3id.org/aicoop/ontology#PolicyDocument> ;'
                f' <http://purl.org/dc/terms/title> "D{i}"@en ;'
                ' <https://w3id.org/aicoop/ontology#issuedBy> <http://example.org/o> .')
        store = EmbeddedStore(None)
        store.replace_graph(G + "syn", ox.parse("\n".join(lines).encode(),
                                                ox.RdfFormat.TURTLE))
        return store

    sizes: list[int] = []
    real = batched_validation._Extract.mark_targets

    def spy(self, nodes, reads):
        sizes.append(len(self.graph))
        return real(self, nodes, reads)
    monkeypatch.setattr(batched_validation._Extract, "mark_targets", spy)
    peaks = []
    for n in (20, 200):
        sizes.clear()
        validate_store(synthetic(n), batch_size=10)
        peaks.append(max(sizes))
    assert peaks[0] == peaks[1]
    assert len(sizes) > 20  # 200 documents and the vocabularies' concepts, 10 at a time


def test_shapes_that_cannot_be_batched_fall_back_to_the_whole_store(tmp_path):
    shapes = tmp_path / "sparql.ttl"
    shapes.write_text("""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix aic: <https://w3id.org/aicoop/ontology#> .
<urn:x:NoSelfIssue> a sh:NodeShape ; sh:targetClass aic:PolicyDocument ;
    sh:sparql [ sh:message "issued by itself" ;
                sh:select "SELECT $this WHERE { $this aic:issuedBy $this }" ;
                sh:prefixes [ sh:declare [ sh:prefix "aic" ;
                    sh:namespace "https://w3id.org/aicoop/ontology#"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] ] ] .
""", encoding="utf-8")
    store = EmbeddedStore(None)
    store.replace_graph(G + "d", ox.parse(
        b"<http://example.org/d> a <https://w3id.org/aicoop/ontology#PolicyDocument> ; "
        b"<https://w3id.org/aicoop/ontology#issuedBy> <http://example.org/d> .",
        ox.RdfFormat.TURTLE))
    report = validate_store(store, shapes=shapes, batch_size=10)
    assert [(v.focus, v.message) for v in report.violations] == [
        ("http://example.org/d", "issued by itself")]


@pytest.fixture()
def cli_store(tmp_path) -> str:
    path = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", path, "init", "--empty"]).exit_code == 0
    assert runner.invoke(cli, ["--store", path, "load", "rdf", str(EDGE)]).exit_code == 0
    return path


def test_cli_output_and_exit_code_are_the_same_with_or_without_batches(cli_store):
    runner = CliRunner()
    for fmt in ("text", "json"):
        whole = runner.invoke(cli, ["--store", cli_store, "validate", "--format", fmt,
                                    "--batch-size", "0"])
        batched = runner.invoke(cli, ["--store", cli_store, "validate", "--format", fmt,
                                      "--batch-size", "3"])
        assert whole.exit_code == batched.exit_code == 1
        assert whole.stdout == batched.stdout
        assert whole.stderr == batched.stderr
        assert "http://example.org/batch/doc2" in batched.stdout


def test_cli_refuses_a_negative_batch_size(cli_store):
    result = CliRunner().invoke(cli, ["--store", cli_store, "validate", "--batch-size", "-1"])
    assert result.exit_code == 2
    assert "--batch-size" in result.stderr


def test_report_text_is_deterministic_across_batch_sizes(broken_store):
    texts = {format_report(validate_store(broken_store, batch_size=b)) for b in (3, 5000)}
    assert len(texts) == 1


def test_results_graph_has_one_report(broken_store):
    g = validate_store(broken_store, batch_size=5).graph
    (report,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(report, SH.conforms) == rdflib.Literal(False)
    assert isinstance(g.value(report, SH.result), (BNode, URIRef))
