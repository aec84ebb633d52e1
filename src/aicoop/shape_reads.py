"""What a SHACL shapes graph looks at around each focus node.

SHACL Core constraints are local: whether a focus node conforms to a shape depends only on the
triples met by walking the shape's property paths from it (and, from the value nodes they
reach, the paths of nested shapes: ``sh:node``, ``sh:qualifiedValueShape``, ``sh:and``,
``sh:or``, ``sh:xone``, ``sh:not``, ``sh:property``), the triples of every node met on the way
(its types for ``sh:class``, its other values for ``sh:closed`` and the property-pair
constraints), and what makes it a target. :func:`shape_reads` lists those walks, read from the
shapes graph, so that a store can be validated a batch of focus nodes at a time on a small
extract instead of a copy of all of it.

Shapes whose reads cannot be bounded this way (SHACL-SPARQL constraints or targets, recursive
shapes, implicit class targets, parameters not listed here) raise :class:`NotLocal`; the
caller then validates the whole graph at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import RDF, RDFS, BNode, Graph, Literal, OWL, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

SH = "http://www.w3.org/ns/shacl#"


def _sh(name: str) -> URIRef:
    return URIRef(SH + name)


#: target declarations, by the name :class:`Target` gives them
TARGET_KINDS = {"targetClass": "class", "targetNode": "node",
                "targetObjectsOf": "objectsOf", "targetSubjectsOf": "subjectsOf"}
#: parameters that hold a shape (or a list of shapes) to check on the same value nodes
_NESTED = ("node", "qualifiedValueShape", "not", "property")
_NESTED_LISTS = ("and", "or", "xone")
#: parameters that read nothing beyond the value nodes themselves and the triples of the
#: nodes already visited (sh:class reads the types, sh:closed and the property pairs read the
#: other values of the node whose values they test: every visited node brings all its triples)
_LOCAL = frozenset(_sh(n) for n in (
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
    "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "flags",
    "languageIn", "uniqueLang", "in", "hasValue", "closed", "ignoredProperties", "equals",
    "disjoint", "lessThan", "lessThanOrEquals", "qualifiedMinCount", "qualifiedMaxCount",
    "name", "description", "message", "severity", "deactivated", "order", "group",
    "defaultValue", "path", *TARGET_KINDS))


class NotLocal(Exception):
    """The shapes use something whose reads cannot be bounded by walking their paths."""


@dataclass(frozen=True, order=True)
class Target:
    """One target declaration: ``kind`` is class, node, objectsOf or subjectsOf."""

    kind: str
    term: Node


# A path step: ("out", p) follows p forwards, ("in", p) backwards, ("alt", (path, ...)) any of
# several paths, ("repeat", path, "*" | "+" | "?") a path repeated. A path is a tuple of steps.
Step = tuple
WalkPath = tuple[Step, ...]


@dataclass(frozen=True)
class ShapeReads:
    """Every target declaration of the shapes, and every walk from a focus node whose nodes
    must be in an extract for the shapes to see the same values there as in the whole graph."""

    targets: tuple[Target, ...]
    walks: tuple[WalkPath, ...]


def shape_reads(shapes: Graph) -> ShapeReads:
    """The targets and walks of every targeted, active shape in ``shapes``.

    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
    ... ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:class ex:D ] .''')
    >>> r = shape_reads(g)
    >>> [t.kind for t in r.targets], r.walks
    (['class'], ((('out', rdflib.term.URIRef('http://example.org/p')),),))
    """
    targets: set[Target] = set()
    walks: set[WalkPath] = set()
    for shape in _shapes(shapes):
        if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
            raise NotLocal(f"{shape} is also a class (an implicit class target)")
        declared = [Target(kind, o) for name, kind in TARGET_KINDS.items()
                    for o in shapes.objects(shape, _sh(name))]
        if not declared or _deactivated(shapes, shape):
            continue
        targets.update(declared)
        walks |= _walks(shapes, shape, (), ())
    return ShapeReads(tuple(sorted(targets, key=_target_key)), _longest(walks))


def _longest(walks: set[WalkPath]) -> tuple[WalkPath, ...]:
    """The walks that are no other walk's beginning (a longer walk meets every node that its
    beginning meets), in a fixed order."""
    kept = [w for w in walks if not any(len(o) > len(w) and o[:len(w)] == w for o in walks)]
    return tuple(sorted(kept, key=lambda w: (len(w), repr(w))))


def _shapes(shapes: Graph) -> list[Node]:
    for forbidden in ("sparql", "target", "rule", "js", "select", "ask"):
        if any(True for _ in shapes.subject_objects(_sh(forbidden))):
            raise NotLocal(f"the shapes use sh:{forbidden}")
    found = {s for s in shapes.subjects(RDF.type, _sh("NodeShape"))}
    found |= {s for s in shapes.subjects(RDF.type, _sh("PropertyShape"))}
    for name in TARGET_KINDS:
        found |= set(shapes.subjects(_sh(name), None))
    return sorted(found, key=lambda n: (isinstance(n, BNode), str(n)))


def _target_key(t: Target) -> tuple:
    return (t.kind, type(t.term).__name__, str(t.term))


def _deactivated(shapes: Graph, shape: Node) -> bool:
    return shapes.value(shape, _sh("deactivated")) == Literal(True)


def _walks(shapes: Graph, shape: Node, prefix: WalkPath, stack: tuple[Node, ...]
           ) -> set[WalkPath]:
    """The walks a shape reads when its focus (or value) nodes are those at ``prefix``."""
    if shape in stack:
        raise NotLocal(f"{shape} refers back to itself (a recursive shape)")
    if _deactivated(shapes, shape):
        return set()
    path = shapes.value(shape, _sh("path"))
    here = prefix + (compile_path(shapes, path),) if path is not None else prefix
    found = {here}
    inner = stack + (shape,)
    for p, o in sorted(shapes.predicate_objects(shape)):
        if not str(p).startswith(SH):
            continue
        name = str(p)[len(SH):]
        if name in _NESTED:
            found |= _walks(shapes, o, here, inner)
        elif name in _NESTED_LISTS:
            for member in Collection(shapes, o):
                found |= _walks(shapes, member, here, inner)
        elif name == "qualifiedValueShapesDisjoint":
            if o == Literal(True):
                raise NotLocal(f"{shape} uses sh:qualifiedValueShapesDisjoint")
        elif p not in _LOCAL:
            raise NotLocal(f"{shape} uses sh:{name}, which this reader does not know")
    return found


def compile_path(shapes: Graph, path: Node) -> Step:
    """A SHACL property path as one walk step.

    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
    ... ex:s sh:path [ sh:inversePath ex:p ] .''')
    >>> compile_path(g, g.value(URIRef("http://example.org/s"), URIRef(SH + "path")))
    ('in', rdflib.term.URIRef('http://example.org/p'))
    """
    if isinstance(path, URIRef):
        return ("out", path)
    inverse = shapes.value(path, _sh("inversePath"))
    if inverse is not None:
        return _reverse(compile_path(shapes, inverse))
    alternatives = shapes.value(path, _sh("alternativePath"))
    if alternatives is not None:
        return ("alt", tuple((compile_path(shapes, p),) for p in Collection(shapes, alternatives)))
    for name, kind in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        inner = shapes.value(path, _sh(name))
        if inner is not None:
            return ("repeat", (compile_path(shapes, inner),), kind)
    if shapes.value(path, RDF.first) is not None:
        return ("seq", tuple(compile_path(shapes, p) for p in Collection(shapes, path)))
    raise NotLocal(f"{path} is not a SHACL property path")


def _reverse(step: Step) -> Step:
    """The step walked backwards: ^(a/b) is (^b)/(^a), ^(a|b) is (^a|^b), ^(a*) is (^a)*."""
    kind = step[0]
    if kind in ("out", "in"):
        return ("in" if kind == "out" else "out", step[1])
    if kind == "seq":
        return ("seq", tuple(_reverse(s) for s in reversed(step[1])))
    if kind == "alt":
        return ("alt", tuple(tuple(_reverse(s) for s in reversed(branch)) for branch in step[1]))
    return ("repeat", (_reverse(step[1][0]),), step[2])


Neighbours = Callable[[Node, URIRef], Iterable[Node]]


def walk(start: Iterable[Node], path: WalkPath, out: Neighbours, into: Neighbours) -> set[Node]:
    """Every node met walking ``path`` from the ``start`` nodes (included): ``out(n, p)``
    gives the objects of ``n p ?``, ``into(n, p)`` the subjects of ``? p n``.

    >>> edges = {("a", "p"): ["b"], ("b", "q"): ["c", "d"], ("x", "p"): ["y"]}
    >>> out = lambda n, p: edges.get((n, p), [])
    >>> sorted(walk(["a", "x"], (("out", "p"), ("out", "q")), out, lambda n, p: []))
    ['a', 'b', 'c', 'd', 'x', 'y']
    """
    met = set(start)
    frontier = set(met)
    for step in path:
        frontier = _step(frontier, step, out, into, met)
    return met


def _step(nodes: set, step: Step, out: Neighbours, into: Neighbours, met: set) -> set:
    kind = step[0]
    reached: set = set()
    if kind in ("out", "in"):
        follow = out if kind == "out" else into
        for n in nodes:
            if not isinstance(n, Literal) or kind == "in":
                reached.update(follow(n, step[1]))
    elif kind == "seq":
        reached = set(nodes)
        for inner in step[1]:
            reached = _step(reached, inner, out, into, met)
    elif kind == "alt":
        for branch in step[1]:
            current = set(nodes)
            for inner in branch:
                current = _step(current, inner, out, into, met)
            reached |= current
    elif kind == "repeat":
        (inner,), mode = step[1], step[2]
        once = _step(nodes, inner, out, into, met)
        reached = set(once)
        if mode in ("*", "+"):
            frontier = once
            while frontier:  # a fixpoint: each node is expanded once
                frontier = _step(frontier, inner, out, into, met) - reached
                reached |= frontier
        if mode in ("*", "?"):
            reached |= nodes
    else:  # pragma: no cover - compile_path makes no other kind
        raise ValueError(f"unknown step {kind!r}")
    met |= reached
    return reached


__all__ = ["NotLocal", "ShapeReads", "Target", "TARGET_KINDS", "compile_path", "shape_reads",
           "walk"]
