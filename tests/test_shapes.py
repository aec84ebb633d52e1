"""The SHACL shapes: a versioned ontology whose every check speaks plainly, accepting the
valid examples and rejecting each invalid one with the message its comment names.

Each invalid fixture carries one or more lines
``# expect: <record IRI> | <Violation|Warning> | <start of the message>``; the report must
contain exactly those results, no more.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import OWL, RDF, Literal, URIRef

from aicoop import resources
from aicoop.validation import validate

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
DATA = Path(__file__).parent / "data" / "shapes"
VALID = sorted((DATA / "valid").glob("*.ttl"))
INVALID = sorted((DATA / "invalid").glob("*.ttl"))


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return resources.read_graph(*resources.shapes_files())


def test_shapes_file_is_a_versioned_ontology(shapes):
    iri = URIRef("https://w3id.org/aicoop/shapes")
    assert (iri, RDF.type, OWL.Ontology) in shapes
    assert shapes.value(iri, OWL.versionIRI) == URIRef("https://w3id.org/aicoop/shapes/0.2.0")
    assert shapes.value(iri, OWL.versionInfo) == Literal("0.2.0")


def test_shapes_are_valid_shacl(shapes):
    """The shapes graph conforms to the SHACL-for-SHACL shapes (pySHACL's meta validation)."""
    conforms, _, text = pyshacl.validate(rdflib.Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def named_property_shapes(shapes: rdflib.Graph) -> list[URIRef]:
    return sorted(s for s in shapes.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef))


def path_properties(shapes: rdflib.Graph, shape: URIRef) -> list[URIRef]:
    """Every property IRI mentioned in the shape's sh:path, however nested."""
    todo, found = [shapes.value(shape, SH.path)], []
    while todo:
        node = todo.pop()
        if isinstance(node, URIRef) and node != RDF.nil:
            found.append(node)
        elif node is not None:
            todo.extend(o for p, o in shapes.predicate_objects(node))
    return found


def test_every_check_has_a_field_name_severity_and_plain_message(shapes):
    checks = named_property_shapes(shapes)
    assert len(checks) > 50
    for shape in checks:
        assert shapes.value(shape, SH.name) is not None, shape
        assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning), shape
        messages = [m for m in shapes.objects(shape, SH.message) if m.language == "en"]
        assert len(messages) == 1, shape
        text = str(messages[0])
        # says which field: names a property of its path (as a CURIE) or the field itself
        curies = [shapes.namespace_manager.curie(p) for p in path_properties(shapes, shape)]
        assert any(c in text for c in curies) or str(shapes.value(shape, SH.name)) in text, \
            (shape, text)
        assert text.endswith("."), (shape, text)
        assert "{" not in text and "$" not in text, (shape, text)


def test_every_property_shape_in_a_node_shape_is_named(shapes):
    """Anonymous checks would report without sh:name or sh:message; only the nested
    interval/instant shapes (reported through their named parent) may use them."""
    nested = {URIRef("https://w3id.org/aicoop/shapes#IntervalShape"),
              URIRef("https://w3id.org/aicoop/shapes#InstantShape")}
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        if node_shape in nested:
            continue
        for prop in shapes.objects(node_shape, SH.property):
            assert isinstance(prop, URIRef), f"{node_shape} has an anonymous property shape"


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_examples_conform_without_warnings(path):
    report = validate(rdflib.Graph().parse(path))
    assert report.conforms
    assert report.violations == (), [(v.focus, v.message) for v in report.violations]


def expectations(path: Path) -> list[tuple[str, str, str]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            focus, severity, message = (part.strip() for part in line[len("# expect:"):].split("|"))
            found.append((focus, severity, message))
    return found


def test_every_invalid_example_says_what_it_expects():
    assert len(INVALID) >= 20
    for path in INVALID:
        assert expectations(path), f"{path.name} has no '# expect:' line"


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_examples_fail_with_the_expected_message(path):
    report = validate(rdflib.Graph().parse(path))
    expected = expectations(path)
    actual = [(v.focus, v.severity, v.message) for v in report.violations]
    assert len(actual) == len(expected), actual
    for focus, severity, message in expected:
        assert any(f == focus and s == severity and m.startswith(message)
                   for f, s, m in actual), (focus, severity, message, actual)
    assert report.conforms == all(severity != "Violation" for _, severity, _ in expected)
