"""What a shapes graph reads around a focus node: target declarations, the walks compiled from
property paths and nested shapes, the walk itself, and the shapes it refuses to bound."""

from __future__ import annotations

import doctest

import pytest
import rdflib
from rdflib import URIRef

from aicoop import shape_reads
from aicoop.shape_reads import NotLocal, Target, compile_path, shape_reads as reads_of, walk

EX = "http://example.org/"
PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def ex(name: str) -> URIRef:
    return URIRef(EX + name)


def shapes(turtle: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + turtle, format="turtle")


def out(p: str) -> tuple:
    return ("out", ex(p))


def test_docstring_examples():
    assert doctest.testmod(shape_reads).failed == 0


def test_targets_are_listed_once_in_a_fixed_order():
    g = shapes("""
ex:A sh:targetSubjectsOf ex:s ; sh:targetClass ex:C ; sh:property ex:A-p .
ex:A-p sh:path ex:p ; sh:targetClass ex:C ; sh:targetObjectsOf ex:o .
ex:B sh:targetNode ex:n , ex:C ; sh:path ex:q .
""")
    assert reads_of(g).targets == (
        Target("class", ex("C")), Target("node", ex("C")), Target("node", ex("n")),
        Target("objectsOf", ex("o")), Target("subjectsOf", ex("s")))


def test_nested_shapes_extend_the_walk_from_the_value_nodes():
    g = shapes("""
ex:Doc sh:targetClass ex:Doc ;
    sh:property [ sh:path ex:period ; sh:node ex:Interval ] ,
                [ sh:path ex:issuer ; sh:class ex:Org ] ,
                [ sh:path ex:label ; sh:qualifiedValueShape [ sh:path ex:lang ] ;
                  sh:qualifiedMinCount 1 ] .
ex:Interval sh:or ( [ sh:path ex:start ; sh:minCount 1 ] [ sh:path ex:end ] ) ;
    sh:property [ a sh:PropertyShape ; sh:path ex:begin ;
                  sh:node [ sh:xone ( [ sh:path ex:year ] ) ] ] .
ex:Unused a sh:PropertyShape ; sh:path ex:nothing .
ex:Org a rdfs:Class .
""")
    assert reads_of(g).walks == (
        (out("issuer"),),
        (out("label"), out("lang")),
        (out("period"), out("end")),
        (out("period"), out("start")),
        (out("period"), out("begin"), out("year")),
    )


def test_a_longer_walk_replaces_the_walks_it_begins_with():
    g = shapes("""
ex:S sh:targetNode ex:x ; sh:property [ sh:path ex:a ] , [ sh:path ( ex:a ex:b ) ] ,
    [ sh:path ex:a ; sh:node [ sh:property [ sh:path ex:c ] ] ] .
""")
    assert reads_of(g).walks == (
        (("seq", (out("a"), out("b"))),),
        (out("a"), out("c")),
    )


def test_no_walk_at_all_but_the_focus_node_itself():
    g = shapes("ex:S sh:targetClass ex:C ; sh:class ex:D .")
    assert reads_of(g).walks == ((),)


def test_deactivated_shapes_read_nothing():
    g = shapes("""
ex:S sh:targetClass ex:C ; sh:deactivated true ; sh:path ex:p .
ex:T sh:targetClass ex:C ; sh:path ex:q ; sh:node [ sh:deactivated true ; sh:path ex:r ] .
""")
    r = reads_of(g)
    assert r.targets == (Target("class", ex("C")),)
    assert r.walks == ((out("q"),),)


@pytest.mark.parametrize("path, expected", [
    ("ex:p", ("out", ex("p"))),
    ("[ sh:inversePath ex:p ]", ("in", ex("p"))),
    ("( ex:a ex:b )", ("seq", (("out", ex("a")), ("out", ex("b"))))),
    ("[ sh:alternativePath ( ex:a ex:b ) ]", ("alt", ((("out", ex("a")),), (("out", ex("b")),)))),
    ("[ sh:zeroOrMorePath ex:a ]", ("repeat", (("out", ex("a")),), "*")),
    ("[ sh:oneOrMorePath ex:a ]", ("repeat", (("out", ex("a")),), "+")),
    ("[ sh:zeroOrOnePath ex:a ]", ("repeat", (("out", ex("a")),), "?")),
    # ^(a/^b) is b/^a
    ("[ sh:inversePath ( ex:a [ sh:inversePath ex:b ] ) ]",
     ("seq", (("out", ex("b")), ("in", ex("a"))))),
    ("[ sh:inversePath [ sh:alternativePath ( ex:a ( ex:b ex:c ) ) ] ]",
     ("alt", ((("in", ex("a")),), (("seq", (("in", ex("c")), ("in", ex("b")))),)))),
    ("[ sh:inversePath [ sh:zeroOrMorePath ex:a ] ]", ("repeat", (("in", ex("a")),), "*")),
    ("[ sh:oneOrMorePath [ sh:inversePath ex:a ] ]", ("repeat", (("in", ex("a")),), "+")),
], ids=["iri", "inverse", "sequence", "alternative", "star", "plus", "optional",
        "inverse-sequence", "inverse-alternative", "inverse-star", "plus-inverse"])
def test_paths_compile_to_steps(path, expected):
    g = shapes(f"ex:S sh:path {path} .")
    assert compile_path(g, g.value(ex("S"), URIRef("http://www.w3.org/ns/shacl#path"))) == expected


EDGES = {("a", "p"): ["b"], ("b", "p"): ["c"], ("c", "p"): ["a"], ("b", "q"): ["lit"],
         ("x", "p"): ["b"], ("y", "p"): ["x"], ("y", "q"): ["w"]}


def fwd(n, p):
    return EDGES.get((n, p), [])


def back(n, p):
    return [s for (s, q), objs in EDGES.items() if q == p and n in objs]


@pytest.mark.parametrize("path, start, expected", [
    ((("out", "p"),), "a", {"a", "b"}),
    ((("out", "p"), ("out", "q")), "a", {"a", "b", "lit"}),
    ((("in", "p"),), "b", {"b", "a", "x"}),
    ((("alt", ((("out", "q"),), (("in", "p"),))),), "b", {"b", "lit", "a", "x"}),
    ((("seq", (("out", "p"), ("out", "p"))),), "a", {"a", "b", "c"}),
    ((("repeat", (("out", "p"),), "*"),), "a", {"a", "b", "c"}),   # a cycle ends the walk
    ((("repeat", (("out", "p"),), "+"),), "x", {"x", "b", "c", "a"}),
    ((("repeat", (("out", "p"),), "?"),), "x", {"x", "b"}),
    ((("out", "p"), ("out", "nothing"), ("out", "p")), "a", {"a", "b"}),
    # what a step reaches is where the next one starts
    ((("alt", ((("out", "p"),), (("out", "nothing"),))), ("out", "p")), "a", {"a", "b", "c"}),
    ((("repeat", (("out", "p"),), "?"), ("out", "q")), "a", {"a", "b", "lit"}),
    ((("repeat", (("out", "p"),), "?"), ("out", "p")), "x", {"x", "b", "c"}),
    ((("repeat", (("out", "p"),), "+"), ("out", "q")), "c", {"c", "a", "b", "lit"}),
    ((("repeat", (("out", "p"),), "*"), ("out", "q")), "x", {"x", "b", "c", "a", "lit"}),
    # zero steps of p? and p* keep the start node for the next step
    ((("repeat", (("out", "p"),), "?"), ("out", "q")), "b", {"b", "c", "lit"}),
    ((("repeat", (("out", "p"),), "*"), ("out", "q")), "y", {"y", "x", "b", "c", "a", "w", "lit"}),
    ((("seq", (("in", "p"), ("in", "p"))),), "b", {"b", "a", "x", "c", "y"}),
    ((("repeat", (("in", "p"),), "*"),), "y", {"y"}),
    ((("repeat", (("in", "p"),), "+"),), "c", {"c", "b", "a", "x", "y"}),
], ids=["out", "two-steps", "in", "alt", "seq", "star-cycle", "plus", "optional", "dead-end",
        "alt-then", "optional-then", "optional-then-p", "plus-then", "star-then",
        "optional-keeps-start", "star-keeps-start", "seq-in",
        "star-in-none", "plus-in"])
def test_walk_meets_every_node_on_the_way(path, start, expected):
    assert walk([start], path, fwd, back) == expected


def test_walk_does_not_follow_literals_forwards():
    calls = []

    def spy(n, p):
        calls.append(n)
        return fwd(n, p)
    lit = rdflib.Literal("text")
    assert walk([lit], (("out", "p"),), spy, back) == {lit}
    assert calls == []


def test_walk_follows_literals_backwards():
    lit = rdflib.Literal("x")
    assert walk([lit], (("in", "p"),), fwd, lambda n, p: ["s"] if n == lit else []) == {lit, "s"}


def test_walk_from_several_nodes_at_once():
    assert walk(["a", "x"], (("out", "p"), ("out", "p")), fwd, back) == {"a", "b", "c", "x"}


@pytest.mark.parametrize("turtle, reason", [
    ("ex:S sh:targetClass ex:C ; sh:sparql [ sh:select 'SELECT $this {}' ] .", "sh:sparql"),
    ("ex:S sh:targetClass ex:C ; sh:node ex:T . ex:T sh:property [ sh:path ex:p ; "
     "sh:node ex:T ] .", "recursive"),
    ("ex:S sh:targetClass ex:C ; sh:path ex:p ; sh:fancy true .", "sh:fancy"),
    ("ex:S a sh:NodeShape , rdfs:Class ; sh:property [ sh:path ex:p ] .", "implicit class"),
    ("ex:S a sh:PropertyShape , <http://www.w3.org/2002/07/owl#Class> ; sh:path ex:p .",
     "implicit class"),
    ("ex:S sh:targetClass ex:C ; sh:target [ a ex:SomeTargetType ] .", "sh:target"),
    ("ex:S sh:targetClass ex:C ; sh:rule [ a sh:TripleRule ] .", "sh:rule"),
    ("ex:S sh:targetClass ex:C ; sh:js [ sh:jsFunctionName 'f' ] .", "sh:js"),
    ("ex:V sh:select 'SELECT $this {}' .", "sh:select"),
    ("ex:V sh:ask 'ASK {}' .", "sh:ask"),
    ("ex:S sh:targetClass ex:C ; sh:path ex:p ; sh:qualifiedValueShape [ sh:path ex:q ] ; "
     "sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true .", "Disjoint"),
    ("ex:S sh:targetClass ex:C ; sh:path [ ex:weird ex:p ] .", "not a SHACL property path"),
], ids=["sparql", "recursive", "unknown-parameter", "implicit-class", "implicit-owl-class",
        "target", "rule", "js", "select", "ask", "disjoint", "bad-path"])
def test_shapes_whose_reads_cannot_be_bounded_are_refused(turtle, reason):
    with pytest.raises(NotLocal, match=reason):
        reads_of(shapes(turtle))


def test_disjointness_switched_off_is_fine():
    g = shapes("ex:S sh:targetClass ex:C ; sh:path ex:p ; sh:qualifiedValueShape "
               "[ sh:path ex:q ] ; sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint false .")
    assert reads_of(g).walks == ((out("p"), out("q")),)


def test_the_packaged_shapes_can_be_read():
    from aicoop.validation import _flat_packaged_shapes
    r = reads_of(_flat_packaged_shapes())
    assert Target("class", URIRef("https://w3id.org/aicoop/ontology#PolicyDocument")) in r.targets
    assert Target("objectsOf", URIRef("https://w3id.org/aicoop/ontology#evidence")) in r.targets
    oa = "http://www.w3.org/ns/oa#"
    assert (("seq", (("out", URIRef(oa + "hasTarget")), ("out", URIRef(oa + "hasSelector")),
                     ("out", URIRef(oa + "exact")))),) in r.walks
