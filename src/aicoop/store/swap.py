"""Atomic graph replacement on the embedded store: new content is written beside the old and
swapped in with one small transaction.

Oxigraph has no graph rename and its transactions hold every change in memory (a ``MOVE`` of
300k triples takes a minute), so the swap is a pointer in a control graph rather than a copy:

1. ``<S> stagingFor <g>`` is written (one small transaction). ``S`` is a fresh staging graph
   or, for a graph that does not exist yet, ``g`` itself. Readers hide ``S``.
2. The new content goes into ``S`` with the bulk loader (fast, not transactional, invisible).
3. **Commit**: one transaction turns the marker into ``<S> replaces <g>`` (for a new graph it
   simply removes the marker). From here on readers see ``S`` wherever they saw ``g``.
4. Apply: ``g`` (hidden meanwhile) is made equal to ``S`` by writing only the difference,
   then ``S`` is removed in small batches and the marker deleted.

A process killed before step 3 leaves a staging graph that the next writer removes; killed
after it, the next writer finishes step 4. Either way no reader sees a partial graph, and the
old content stays whole until the commit. The control graph exists only while a swap is
pending, so an idle store is queried with the plain union default graph.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

_NS = "https://w3id.org/aicoop/store#"
CONTROL = ox.NamedNode("https://w3id.org/aicoop/graph/store-control")
STAGING_FOR = ox.NamedNode(_NS + "stagingFor")
REPLACES = ox.NamedNode(_NS + "replaces")
GARBAGE = ox.NamedNode(_NS + "garbage")
STAGING_PREFIX = "https://w3id.org/aicoop/graph/staging/"
#: below this many quads a plain transaction beats the bulk loader (which writes files)
_SMALL = 50_000


@dataclass(frozen=True)
class View:
    """What readers see while swaps are pending: the physical graphs to query, and which
    physical graph stands for which logical one."""

    graphs: tuple[ox.NamedNode, ...]
    stands_for: dict[ox.NamedNode, ox.NamedNode]   # physical -> logical (only where they differ)


def pending(store: ox.Store) -> list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode]]:
    """The control markers ``(subject, kind, object)``; empty on an idle store."""
    if not store.contains_named_graph(CONTROL):
        return []
    return [(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, CONTROL)]


def view(store: ox.Store) -> View | None:
    """The graphs readers should see, or ``None`` when no swap is pending (use the union)."""
    marks = pending(store)
    if not store.contains_named_graph(CONTROL):
        return None
    hidden = {CONTROL}
    stands_for = {}
    for s, kind, o in marks:
        if kind == STAGING_FOR or kind == GARBAGE:
            hidden.add(s)
        elif kind == REPLACES:
            hidden.add(o)
            stands_for[s] = o
    graphs = tuple(g for g in store.named_graphs()
                   if isinstance(g, ox.NamedNode) and g not in hidden)
    return View(graphs, stands_for)


def _in(graph: ox.NamedNode, items: Iterable[ox.Triple | ox.Quad]) -> Iterator[ox.Quad]:
    for t in items:
        yield ox.Quad(t.subject, t.predicate, t.object, graph)


class Swap:
    """Replace any number of graphs; nothing is visible until ``commit`` (one transaction)."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._targets: dict[ox.NamedNode, tuple[ox.NamedNode, bool]] = {}
        self._done = False

    def target(self, graph: str | ox.NamedNode) -> ox.NamedNode:
        """The hidden graph that receives ``graph``'s new content (created on first use)."""
        g = graph if isinstance(graph, ox.NamedNode) else ox.NamedNode(graph)
        if g in self._targets:
            return self._targets[g][0]
        existed = self._store.contains_named_graph(g)
        s = ox.NamedNode(STAGING_PREFIX + uuid.uuid4().hex) if existed else g
        # the marker goes in before any content, so a kill at any later point is recoverable
        self._store.extend([ox.Quad(s, STAGING_FOR, g, CONTROL)])
        self._store.add_graph(s)
        self._targets[g] = (s, existed)
        return s

    def extend(self, graph: str | ox.NamedNode, items: Iterable[ox.Triple | ox.Quad]) -> None:
        target = self.target(graph)
        batch = items if isinstance(items, list) else list(items)
        if len(batch) < _SMALL:
            self._store.extend(_in(target, batch))
        else:
            self._store.bulk_extend(_in(target, batch))

    def bulk_load(self, graph: str | ox.NamedNode, path: str, fmt: ox.RdfFormat,
                  base_iri: str | None = None, *, source=None) -> None:
        """Bulk-load a file (or an open binary ``source`` reading it) into the hidden graph."""
        if source is not None:
            self._store.bulk_load(source, fmt, base_iri=base_iri, to_graph=self.target(graph))
        else:
            self._store.bulk_load(path=path, format=fmt, base_iri=base_iri,
                                  to_graph=self.target(graph))

    def count(self, graph: str | ox.NamedNode) -> int:
        target = self.target(graph)
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {target} {{ ?s ?p ?o }} }}"
        return int(next(iter(self._store.query(q)))["n"].value)

    def commit(self) -> None:
        """Make every new graph visible at once, then tidy up."""
        if self._done:
            return
        self._done = True
        if not self._targets:
            return
        ops = []
        for g, (s, existed) in self._targets.items():
            ops.append(f"DELETE DATA {{ GRAPH {CONTROL} {{ {s} {STAGING_FOR} {g} }} }}")
            if existed:
                ops.append(f"INSERT DATA {{ GRAPH {CONTROL} {{ {s} {REPLACES} {g} }} }}")
        self._store.update(" ;\n".join(ops))   # the commit point: one transaction
        for g, (s, existed) in self._targets.items():
            if existed:
                apply(self._store, s, g)
        tidy(self._store)

    def abort(self) -> None:
        """Forget the new content; the old graphs were never touched."""
        if self._done:
            return
        self._done = True
        for g, (s, _) in self._targets.items():
            drop_in_batches(self._store, s)
            self._store.remove(ox.Quad(s, STAGING_FOR, g, CONTROL))
        tidy(self._store)

    def __enter__(self) -> "Swap":
        return self

    def __exit__(self, exc_type, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def apply(store: ox.Store, staged: ox.NamedNode, graph: ox.NamedNode) -> None:
    """Finish a committed swap: make ``graph`` equal to ``staged`` and drop ``staged``.
    Both are hidden from readers meanwhile, so this needs no transaction of its own; only the
    difference is written (a reload of a barely changed file deletes and adds little), and
    deletions go in small batches. Idempotent, so a writer can redo it after a crash."""
    store.add_graph(graph)
    gone = f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} " \
        f"FILTER NOT EXISTS {{ GRAPH {staged} {{ ?s ?p ?o }} }} }}"
    new = f"SELECT ?s ?p ?o WHERE {{ GRAPH {staged} {{ ?s ?p ?o }} " \
        f"FILTER NOT EXISTS {{ GRAPH {graph} {{ ?s ?p ?o }} }} }}"
    remove_quads(store, [ox.Quad(r[0], r[1], r[2], graph) for r in store.query(gone)])
    store.bulk_extend([ox.Quad(r[0], r[1], r[2], graph) for r in store.query(new)])
    store.update(f"DELETE DATA {{ GRAPH {CONTROL} {{ {staged} {REPLACES} {graph} }} }} ;\n"
                 f"INSERT DATA {{ GRAPH {CONTROL} {{ {staged} {GARBAGE} {staged} }} }}")
    drop_in_batches(store, staged)
    store.remove(ox.Quad(staged, GARBAGE, staged, CONTROL))


_BATCH = 5_000


def remove_quads(store: ox.Store, quads: list[ox.Quad]) -> None:
    """Delete quads in small transactions: one big one holds every change in memory."""
    for i in range(0, len(quads), _BATCH):
        batch = quads[i:i + _BATCH]
        plain = [q for q in batch if not any(isinstance(t, ox.BlankNode)
                                              for t in (q.subject, q.object))]
        for q in batch:
            if len(plain) != len(batch) and q not in plain:
                store.remove(q)  # DELETE DATA cannot name blank nodes
        by_graph: dict = {}
        for q in plain:
            by_graph.setdefault(q.graph_name, []).append(q.triple)
        if by_graph:
            parts = [f"GRAPH {g} {{ " + ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES).decode()
                     + " }" for g, ts in by_graph.items()]
            store.update("DELETE DATA { " + " ".join(parts) + " }")


#: quads one ``drop_in_batches`` transaction deletes: big enough that Oxigraph's own
#: per-statement cost dominates, small enough that the transaction stays a few MB
_DROP_BATCH = 50_000


def drop_in_batches(store: ox.Store, graph: ox.NamedNode) -> None:
    """Remove a hidden graph a batch at a time, then the (now empty) graph itself. Each batch
    is one SPARQL ``DELETE … WHERE { SELECT … LIMIT n }``, so the quads never pass through
    Python (about a quarter faster than deleting listed quads, blank nodes included)."""
    from ..progress import showing, steps
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
    total = int(next(iter(store.query(count)))["n"].value) if showing() else 0
    delete = (f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} WHERE {{ SELECT ?s ?p ?o WHERE "
              f"{{ GRAPH {graph} {{ ?s ?p ?o }} }} LIMIT {_DROP_BATCH} }}")
    with steps(total, "removing the replaced content") as done:
        left = total
        while store.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"):
            store.update(delete)
            done(min(_DROP_BATCH, left))  # the last batch is a partial one
            left = max(0, left - _DROP_BATCH)
    store.remove_graph(graph)


def tidy(store: ox.Store) -> None:
    """Drop the control graph once nothing is pending, so readers get the fast path."""
    if store.contains_named_graph(CONTROL) and not pending(store):
        store.remove_graph(CONTROL)


def recover(store: ox.Store) -> int:
    """Bring a store left by a killed writer back to a clean state: uncommitted staging
    graphs are removed, committed swaps are finished. Returns how many were pending."""
    marks = pending(store)
    for s, kind, o in marks:
        if kind == STAGING_FOR:
            drop_in_batches(store, s)
            store.remove(ox.Quad(s, kind, o, CONTROL))
        elif kind == REPLACES:
            apply(store, s, o)
        elif kind == GARBAGE:
            drop_in_batches(store, s)
            store.remove(ox.Quad(s, kind, o, CONTROL))
    tidy(store)
    return len(marks)
