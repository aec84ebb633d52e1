"""Atomic graph replacement on the embedded store: new content is written beside the old and
swapped in with one small transaction.

Oxigraph has no graph rename and its transactions hold every change in memory (a ``MOVE`` of
300k triples takes a minute), so the swap is a pointer in a control graph rather than a copy:

1. ``<S> stagingFor <g>`` is written (one small transaction). ``S`` is a fresh staging graph
   or, for a graph that does not exist yet, ``g`` itself. Readers hide ``S``.
2. The new content goes into ``S`` with the bulk loader (fast, not transactional, invisible).
3. **Commit**: one transaction turns the marker into ``<S> replaces <g>`` (for a new graph it
   simply removes the marker). From here on readers see ``S`` wherever they saw ``g``.
4. Apply: ``g`` is cleared and refilled from ``S`` (hidden meanwhile), then ``S`` is removed
   and the marker deleted.

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
                  base_iri: str | None = None) -> None:
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
            self._store.remove_graph(s)
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
    """Finish a committed swap: refill ``graph`` from ``staged`` and drop ``staged``.
    Idempotent, so a writer can redo it after a crash."""
    store.clear_graph(graph)
    store.add_graph(graph)
    store.bulk_extend(_in(graph, store.quads_for_pattern(None, None, None, staged)))
    store.update(f"DELETE DATA {{ GRAPH {CONTROL} {{ {staged} {REPLACES} {graph} }} }} ;\n"
                 f"INSERT DATA {{ GRAPH {CONTROL} {{ {staged} {GARBAGE} {staged} }} }}")
    store.remove_graph(staged)
    store.remove(ox.Quad(staged, GARBAGE, staged, CONTROL))


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
            store.remove_graph(s)
            store.remove(ox.Quad(s, kind, o, CONTROL))
        elif kind == REPLACES:
            apply(store, s, o)
        elif kind == GARBAGE:
            store.remove_graph(s)
            store.remove(ox.Quad(s, kind, o, CONTROL))
    tidy(store)
    return len(marks)
