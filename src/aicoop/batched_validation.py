"""Validating a store a batch of focus nodes at a time, without copying it into rdflib.

The focus nodes of every shape are listed from the store with pattern lookups; each batch
gets an rdflib graph holding only what the shapes read around its focus nodes (see
:mod:`shape_reads`): every triple of every node met on the shapes' paths, the incoming
triples that make a node a ``sh:targetObjectsOf`` target, and the class hierarchy. pySHACL
validates that graph as it would the whole one, and only the results for the batch's own focus
nodes are kept (a value node, an issuer say, may be a target there too, but without its own
values). Peak memory follows the batch size, not the store size.

The packaged ontology and vocabularies are read beside the store, as the whole-graph path adds
them to its copy. Each focus node belongs to one batch: the first target declaration (in a
fixed order) that selects it lists it, once, from the first graph that holds the triple.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import rdflib
from rdflib import RDF, RDFS, BNode, Literal, URIRef

from .shape_reads import TARGET_KINDS, ShapeReads, Target, walk

if TYPE_CHECKING:
    from .validation import ValidationReport

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
#: blank nodes from the store are renamed so that they never meet the ontology's
_OX_BNODE = "ox"
_BASE_GRAPH = ""  # sorts before every graph IRI: a triple in the ontology counts from there
#: the subject of the triples that mark the focus nodes of a batch (removed before reporting)
_MARKS = URIRef("urn:x-aicoop:validation:batch")


def _marker(k: int) -> URIRef:
    return URIRef(f"urn:x-aicoop:validation:target-{k}")


def marked_shapes(shapes: rdflib.Graph, reads: ShapeReads) -> rdflib.Graph:
    """``shapes`` with every target declaration k replaced by ``sh:targetObjectsOf`` marker k:
    in a batch, only the nodes marked as its own focus nodes are targets."""
    index = {t: k for k, t in enumerate(reads.targets)}
    out = rdflib.Graph()
    for prefix, ns in shapes.namespace_manager.namespaces():
        out.bind(prefix, ns)
    for s, p, o in shapes:
        name = str(p)[len(str(_SH)):] if str(p).startswith(str(_SH)) else None
        if name in TARGET_KINDS:
            out.add((s, _SH.targetObjectsOf, _marker(index[Target(TARGET_KINDS[name], o)])))
        else:
            out.add((s, p, o))
    return out

Match = Callable[[Any, Any, Any], Iterator[ox.Quad]]
Triple = tuple[Any, Any, Any]


# ---- terms ---------------------------------------------------------------------------------

@lru_cache(maxsize=1 << 16)
def _from_ox(term: Any) -> Any:
    """A pyoxigraph term as rdflib writes it after parsing N-Triples (plain strings have no
    datatype), which is what the whole-graph path validates."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(_OX_BNODE + term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))


_ABSENT = object()  # a term the store cannot hold (a blank node of the ontology graph)


def _to_ox(term: Any) -> Any:
    if term is None:
        return None
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            s = str(term)
            return ox.BlankNode(s[len(_OX_BNODE):]) if s.startswith(_OX_BNODE) else _ABSENT
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError:
        return _ABSENT
    return _ABSENT


def _key(term: Any) -> tuple[str, str]:
    return (type(term).__name__, str(term))


# ---- the store and the ontology, read as one ----------------------------------------------

class _Source:
    """The store's visible graphs and the ontology graph, a pattern at a time, in rdflib
    terms; each triple comes with the graph it was found in."""

    def __init__(self, match: Match, base: rdflib.Graph) -> None:
        self._match = match
        self._base = base

    def quads(self, s: Any, p: Any, o: Any) -> Iterator[tuple[Triple, str]]:
        xs, xp, xo = _to_ox(s), _to_ox(p), _to_ox(o)
        if not (xs is _ABSENT or xp is _ABSENT or xo is _ABSENT
                or isinstance(s, Literal) or (p is not None and not isinstance(p, URIRef))):
            for q in self._match(xs, xp, xo):
                yield ((_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object)),
                       q.graph_name.value)
        for t in self._base.triples((s, p, o)):
            yield t, _BASE_GRAPH

    def outgoing(self, node: Any) -> list[Triple]:
        """Every triple of ``node`` (the hot path of an extract, hence not :meth:`quads`)."""
        found = [t for t in self._base.triples((node, None, None))]
        xs = _to_ox(node)
        if xs is not _ABSENT:
            f = _from_ox
            found.extend((node, f(q.predicate), f(q.object)) for q in self._match(xs, None, None))
        return found

    def first(self, triple: Triple, graph: str) -> bool:
        """Whether ``graph`` is the first graph holding ``triple`` (so it is counted once)."""
        return graph == min(g for _, g in self.quads(*triple))

    def types(self, node: Any) -> set:
        return {o for (_, _, o), _ in self.quads(node, RDF.type, None)}


# ---- focus nodes ---------------------------------------------------------------------------

def _subclasses(source: _Source) -> tuple[list[Triple], dict]:
    """Every rdfs:subClassOf triple, and each class's subclasses (itself included)."""
    schema = sorted({t for t, _ in source.quads(None, RDFS.subClassOf, None)}, key=repr)
    below: dict = defaultdict(set)
    for sub, _, sup in schema:
        below[sup].add(sub)
    closure: dict = {}

    def descendants(cls: Any) -> set:
        if cls not in closure:
            found, todo = {cls}, [cls]
            while todo:
                for sub in below.get(todo.pop(), ()):
                    if sub not in found:
                        found.add(sub)
                        todo.append(sub)
            closure[cls] = found
        return closure[cls]
    return schema, descendants  # type: ignore[return-value]


def focus_nodes(source: _Source, targets: Iterable[Target],
                descendants: Callable[[Any], set]) -> Iterator[Any]:
    """Every focus node of ``targets``, each once, in a fixed order, holding nothing but the
    current node in memory."""
    done: list[Target] = []
    for target in targets:
        for node in _candidates(source, target, descendants):
            types = None
            earlier = False
            for prior in done:
                if prior.kind == "class" and types is None:
                    types = source.types(node)
                if _selects(source, prior, node, types, descendants):
                    earlier = True
                    break
            if not earlier:
                yield node
        done.append(target)


def _candidates(source: _Source, target: Target, descendants: Callable[[Any], set]
                ) -> Iterator[Any]:
    term = target.term
    if target.kind == "node":
        yield term
    elif target.kind == "class":
        classes = sorted(descendants(term), key=_key)
        for cls in classes:
            for t, g in source.quads(None, RDF.type, cls):
                node = t[0]
                if not source.first(t, g):
                    continue
                # listed under the first of its classes that falls under the target
                if min((c for c in source.types(node) if c in descendants(term)), key=_key) == cls:
                    yield node
    elif target.kind == "objectsOf":
        for t, g in source.quads(None, term, None):
            if source.first(t, g) and \
                    min((x for (x, _, _), _ in source.quads(None, term, t[2])), key=_key) == t[0]:
                yield t[2]
    elif target.kind == "subjectsOf":
        for t, g in source.quads(None, term, None):
            if source.first(t, g) and \
                    min((x for (_, _, x), _ in source.quads(t[0], term, None)), key=_key) == t[2]:
                yield t[0]


def _selects(source: _Source, target: Target, node: Any, types: set | None,
             descendants: Callable[[Any], set]) -> bool:
    if target.kind == "class":
        return bool((types or set()) & descendants(target.term))
    if target.kind == "node":
        return node == target.term
    if target.kind == "subjectsOf":
        return any(True for _ in source.quads(node, target.term, None))
    return any(True for _ in source.quads(None, target.term, node))


# ---- one batch's graph ---------------------------------------------------------------------

class _Extract:
    """One batch's data graph, filled a node at a time from the source."""

    def __init__(self, source: _Source, schema: list[Triple]) -> None:
        self.source = source
        self.graph = rdflib.Graph()
        for t in schema:
            self.graph.add(t)
        self._out: dict[Any, dict[Any, list]] = {}

    def visit(self, node: Any) -> None:
        """Bring every triple of ``node``."""
        if node in self._out or isinstance(node, Literal):
            return
        by_p: dict[Any, list] = defaultdict(list)
        add = self.graph.add
        for s, p, o in self.source.outgoing(node):
            add((s, p, o))
            by_p[p].append(o)
        self._out[node] = by_p

    def out(self, node: Any, p: Any) -> list:
        if isinstance(node, Literal):
            return []
        self.visit(node)
        return self._out[node].get(p, [])

    def into(self, node: Any, p: Any) -> list:
        found = []
        for t, _ in self.source.quads(None, p, node):
            self.graph.add(t)
            found.append(t[0])
        return found

    def add_batch(self, nodes: list, reads: ShapeReads) -> None:
        """Bring what the shapes read around ``nodes``, and mark each with the target
        declarations that select it (in the whole graph: every triple that could make a node
        a target, its types, its own values and the incoming ``sh:targetObjectsOf`` triples,
        is here), so that no other node of the extract is validated."""
        for node in nodes:
            self.visit(node)
            for target in reads.targets:
                if target.kind == "objectsOf":
                    self.into(node, target.term)
        for path in reads.walks:
            for met in walk(nodes, path, self.out, self.into):
                self.visit(met)

    def mark_targets(self, nodes: list, reads: ShapeReads) -> None:
        g = self.graph
        for node in nodes:
            types = set(g.objects(node, RDF.type))  # materialised: superclasses included
            for k, target in enumerate(reads.targets):
                if target.kind == "class":
                    selected = target.term in types
                elif target.kind == "node":
                    selected = node == target.term
                elif target.kind == "subjectsOf":
                    selected = (node, target.term, None) in g
                else:
                    selected = (None, target.term, node) in g
                if selected:
                    g.add((_MARKS, _marker(k), node))

    def unmark(self) -> None:
        self.graph.remove((_MARKS, None, None))

    def add_report_context(self, results: rdflib.Graph, kept: list) -> None:
        """What the report reads beyond the validation: the record that owns a blank focus
        node, its label, blank values described two levels deep, the labels of path IRIs."""
        from .validation import _OWNER_DEPTH  # the report walks as far as this brings
        for result in kept:
            focus = results.value(result, _SH.focusNode)
            frontier, depth = [focus], 0
            while isinstance(focus, BNode) and frontier and depth < _OWNER_DEPTH:
                nxt = []
                for n in frontier:
                    for s in self.into(n, None):
                        self.visit(s)
                        if isinstance(s, BNode):
                            nxt.append(s)
                frontier, depth = nxt, depth + 1
            value = results.value(result, _SH.value)
            if isinstance(value, BNode):
                self.visit(value)
                for o in list(self.graph.objects(value, None)):
                    self.visit(o)
            path = results.value(result, _SH.resultPath)
            if isinstance(path, URIRef):
                self.visit(path)


def validate_in_batches(match: Match, reads: ShapeReads, *, shapes: rdflib.Graph,
                        ontology: rdflib.Graph, batch_size: int
                        ) -> ValidationReport:
    """Validate the store that ``match`` reads (see ``EmbeddedStore.pattern_reader``) with
    ``shapes`` (flattened, as the whole-graph path uses them), whose reads are ``reads``."""
    import pyshacl

    from .errors import KgError
    from .validation import (
        ValidationReport, _bind_prefixes, _materialise_types, _read_results, _sort_key)

    source = _Source(match, ontology)
    schema, descendants = _subclasses(source)
    merged = rdflib.Graph()
    for prefix, ns in shapes.namespace_manager.namespaces():
        merged.bind(prefix, ns)
    report_node = BNode()
    merged.add((report_node, RDF.type, _SH.ValidationReport))
    violations = []
    marked = marked_shapes(shapes, reads)
    for batch in batches(focus_nodes(source, reads.targets, descendants), batch_size):
        extract = _Extract(source, schema)
        extract.add_batch(batch, reads)
        _materialise_types(extract.graph)
        _bind_prefixes(extract.graph)
        extract.mark_targets(batch, reads)
        try:
            _, results, _ = pyshacl.validate(
                extract.graph, shacl_graph=marked, inference="none", advanced=False,
                allow_warnings=True, allow_infos=True, abort_on_first=False, meta_shacl=False)
        except Exception as exc:  # pySHACL reports broken shapes with its own runtime errors
            raise KgError(f"SHACL validation could not run: {exc}") from exc
        own = set(batch)
        kept = [r for r in results.objects(None, _SH.result)
                if results.value(r, _SH.focusNode) in own]
        if not kept:
            continue
        extract.unmark()
        extract.add_report_context(results, kept)
        violations.extend(_read_results(results, extract.graph, shapes, only=kept))
        for r in kept:
            merged.add((report_node, _SH.result, r))
            for t in results.cbd(r):
                merged.add(t)
    violations.sort(key=_sort_key)
    conforms = not any(v.severity == "Violation" for v in violations)
    merged.add((report_node, _SH.conforms, Literal(conforms)))
    return ValidationReport(conforms, tuple(violations), merged)


def batches(nodes: Iterable[Any], size: int) -> Iterator[list]:
    it = iter(nodes)
    while chunk := list(islice(it, size)):
        yield chunk


__all__ = ["batches", "focus_nodes", "validate_in_batches"]
