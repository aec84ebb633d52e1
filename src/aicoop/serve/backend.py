"""What ``kg serve`` serves from: a private snapshot of the store.

At start the store is opened read-only, its publishable graph (``aicoop.publish.graph``)
written into a new folder, and the store closed again. From then on the server holds no
handle on the store: a ``kg load`` that runs meanwhile goes ahead as usual and cannot see or
disturb the server, and the server keeps answering from the snapshot, whole and consistent
(restart ``kg serve`` to publish the new data). Oxigraph documents that opening a database
read-only while another process writes it is undefined behaviour; the snapshot is how this
server never does that for longer than the copy.

SPARQL queries run in killable worker processes over the snapshot folder (``workers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..publish.graph import PublishableGraph, memory_store, publishable_graph
from ..store.base import Store


@dataclass
class Snapshot:
    folder: Path
    graph: PublishableGraph
    pages: Store  # in memory: the publishable graph, for resource pages
    analysis: Store  # in memory: the store's own quads, for the analyses (same as the CLI)


def take_snapshot(store: Store, folder: Path, *, base: str) -> Snapshot:
    """Copy ``store`` (made publishable) into ``folder`` for the SPARQL workers, and into
    memory for pages and analyses."""
    import pyoxigraph as ox

    from ..store.embedded import EmbeddedStore
    graph = publishable_graph(store, base=base)
    disk = ox.Store(str(folder))
    disk.bulk_extend(graph.quads)
    disk.flush()
    del disk
    # the analyses read the store's own statements (as the CLI does), paths made portable
    from ..publish.graph import source_roots
    from ..publish.portable import portable_quads
    analysis = EmbeddedStore(None)
    analysis.add_quads(portable_quads(store.quads(), source_roots(), base))
    return Snapshot(folder, graph, memory_store(graph), analysis)
