"""Standard statements a DCTERMS-, ORG-, SKOS- or FOAF-only client can use.

The project's own properties and classes are declared as specialisations of standard ones
(``aic:issuedBy rdfs:subPropertyOf dcterms:publisher``, ``aic:PolicyDocument rdfs:subClassOf
foaf:Document``…). A client that does no RDFS reasoning would miss those facts, so what is
published and served also states them: the ``rdfs:subPropertyOf`` / ``rdfs:subClassOf`` closure
from the axioms found in the data (the ontology graph) plus a few W3C-standard axioms, declared
``owl:inverseOf`` pairs, ORG memberships as ``org:memberOf``/``org:hasMember``, and
``skos:broaderTransitive`` / ``skos:narrowerTransitive`` chains. Only the rules are here; the
result goes into its own named graph so a reader can tell stated facts from entailed ones.

Pure: triples of hashable terms in, new triples out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"

SUB_PROPERTY = RDFS + "subPropertyOf"
SUB_CLASS = RDFS + "subClassOf"
INVERSE = OWL + "inverseOf"

#: axioms of the W3C vocabularies themselves (SKOS reference, sections 5, 8; ORG)
STANDARD_SUB_PROPERTIES: tuple[tuple[str, str], ...] = (
    (SKOS + "prefLabel", RDFS + "label"),
    (SKOS + "altLabel", RDFS + "label"),
    (SKOS + "broader", SKOS + "broaderTransitive"),
    (SKOS + "narrower", SKOS + "narrowerTransitive"),
)
STANDARD_INVERSES: tuple[tuple[str, str], ...] = (
    (SKOS + "broader", SKOS + "narrower"),
    (SKOS + "broaderTransitive", SKOS + "narrowerTransitive"),
    (ORG + "memberOf", ORG + "hasMember"),
)
TRANSITIVE = (SKOS + "broaderTransitive", SKOS + "narrowerTransitive")

Triple = tuple[Hashable, Hashable, Hashable]


def _iri(term: Hashable) -> str:
    """The IRI text of a term (pyoxigraph ``NamedNode``, rdflib ``URIRef`` or ``str``)."""
    return getattr(term, "value", term) if not isinstance(term, str) else term  # type: ignore[return-value]


def _closure(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Reflexive-free transitive closure of a sub-relation: x -> every strict ancestor.

    >>> sorted(_closure([("a", "b"), ("b", "c")])["a"])
    ['b', 'c']
    """
    up: dict[str, set[str]] = defaultdict(set)
    for sub, sup in pairs:
        if sub != sup:
            up[sub].add(sup)
    out: dict[str, set[str]] = {}
    for start in list(up):
        seen: set[str] = set()
        stack = list(up[start])
        while stack:
            x = stack.pop()
            if x in seen or x == start:
                continue
            seen.add(x)
            stack.extend(up.get(x, ()))
        out[start] = seen
    return out


def standard_entailments(triples: Iterable[Triple], make_iri=str) -> set[Triple]:
    """Triples entailed by the rules of the module docstring and not already in ``triples``.

    ``make_iri`` turns an IRI string into the caller's term type (``pyoxigraph.NamedNode``…).
    """
    data = list(triples)
    have = set(data)
    sub_props = list(STANDARD_SUB_PROPERTIES)
    sub_classes: list[tuple[str, str]] = []
    inverses = list(STANDARD_INVERSES)
    for s, p, o in data:
        pi = _iri(p)
        if not (_is_named(s) and _is_named(o)):
            continue
        if pi == SUB_PROPERTY:
            sub_props.append((_iri(s), _iri(o)))
        elif pi == SUB_CLASS:
            sub_classes.append((_iri(s), _iri(o)))
        elif pi == INVERSE:
            inverses.append((_iri(s), _iri(o)))
    prop_up = _closure(sub_props)
    class_up = _closure(sub_classes)
    inverse_of: dict[str, set[str]] = defaultdict(set)
    for a, b in inverses:
        inverse_of[a].add(b)
        inverse_of[b].add(a)
    terms: dict[str, Hashable] = {}

    def term(iri: str) -> Hashable:
        if iri not in terms:
            terms[iri] = make_iri(iri)
        return terms[iri]

    rdf_type = term(RDF_TYPE)
    new: set[Triple] = set()
    memberships: dict[Hashable, dict[str, Hashable]] = defaultdict(dict)
    for s, p, o in data:
        pi = _iri(p)
        if pi == RDF_TYPE:
            for sup in class_up.get(_iri(o), ()):
                new.add((s, rdf_type, term(sup)))
            continue
        if pi in (ORG + "member", ORG + "organization"):
            memberships[s][pi] = o
        for sup in prop_up.get(pi, ()):
            new.add((s, term(sup), o))
    for m in memberships.values():
        if ORG + "member" in m and ORG + "organization" in m:
            new.add((m[ORG + "member"], term(ORG + "memberOf"), m[ORG + "organization"]))
    # inverses and transitive chains feed each other: repeat until nothing new
    while True:
        size = len(new)
        for s, p, o in list(have | new):
            pi = _iri(p)
            if pi in inverse_of and _is_resource(o):
                for inv in inverse_of[pi]:
                    new.add((o, term(inv), s))
        for t in TRANSITIVE:
            new |= _transitive(have | new, term(t), t)
        if len(new) == size:
            return new - have


def _is_named(term: Hashable) -> bool:
    """An IRI (axioms on blank nodes, e.g. inside property chains, are not followed)."""
    return isinstance(term, str) or type(term).__name__ in ("NamedNode", "URIRef")


def _is_resource(term: Hashable) -> bool:
    """Only IRIs and blank nodes can be subjects (not literals)."""
    cls = type(term).__name__
    return cls not in ("Literal",)


def _transitive(triples: set[Triple], pred: Hashable, pred_iri: str) -> set[Triple]:
    succ: dict[Hashable, set[Hashable]] = defaultdict(set)
    for s, p, o in triples:
        if _iri(p) == pred_iri:
            succ[s].add(o)
    out: set[Triple] = set()
    for start in list(succ):
        seen: set[Hashable] = set()
        stack = list(succ[start])
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            stack.extend(succ.get(x, ()))
        out.update((start, pred, x) for x in seen if x != start)
    return out
