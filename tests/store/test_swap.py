"""Atomic graph replacement on the embedded store: a writer that stops at any step of a swap
leaves readers the old graph whole or the new graph whole, never a mix, and the next writer
cleans up. A stop is simulated by dropping the store without committing or aborting."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from aicoop.errors import StoreError
from aicoop.store import swap
from aicoop.store.embedded import EmbeddedStore

G = "http://example.org/graph/g"
OTHER = "http://example.org/graph/other"


def triples(tag: str, n: int) -> list[ox.Triple]:
    return [ox.Triple(ox.NamedNode(f"http://example.org/{tag}/{i}"),
                      ox.NamedNode("http://example.org/p"), ox.Literal(f"{tag} {i}"))
            for i in range(n)]


def content(store: EmbeddedStore, graph: str = G) -> set[ox.Triple]:
    return {q.triple for q in store.quads(graph)}


def union(store: EmbeddedStore) -> set[str]:
    rows = store.select("SELECT ?o WHERE { ?s <http://example.org/p> ?o }")
    return {r[0].value for r in rows}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        store.replace_graph(G, triples("old", 5))
        store.replace_graph(OTHER, triples("other", 2))
    return path


def crash(store: EmbeddedStore) -> None:
    """Leave without commit or abort, as a killed process would."""
    store.close()


def test_a_replace_shows_only_the_new_content_and_leaves_no_control_graph(folder: Path) -> None:
    with EmbeddedStore(folder) as store:
        store.replace_graph(G, triples("new", 3))
        assert content(store) == set(triples("new", 3))
        assert {g.value for g in store.raw.named_graphs()} == {G, OTHER}


def test_stopped_before_commit_keeps_the_old_graph_for_readers_and_writers(folder: Path) -> None:
    store = EmbeddedStore(folder)
    sw = store.swap()
    sw.extend(G, triples("new", 4))
    store.raw.flush()
    # a reader beside the unfinished writer sees the old graph, whole, and nothing staged
    reader = EmbeddedStore(folder, read_only=True)
    assert content(reader) == set(triples("old", 5))
    assert union(reader) == {f"old {i}" for i in range(5)} | {"other 0", "other 1"}
    assert [g.iri for g in reader.graphs()] == [G, OTHER]
    reader.close()
    del sw
    crash(store)
    with EmbeddedStore(folder) as again:  # the next writer removes the staging graph
        assert content(again) == set(triples("old", 5))
        assert {g.value for g in again.raw.named_graphs()} == {G, OTHER}


def test_a_new_graph_stopped_before_commit_never_appears(folder: Path) -> None:
    new = "http://example.org/graph/new"
    store = EmbeddedStore(folder)
    store.swap().extend(new, triples("n", 3))
    store.raw.flush()
    reader = EmbeddedStore(folder, read_only=True)
    assert new not in {g.iri for g in reader.graphs()}
    assert not any(q.graph_name.value == new for q in reader.quads())
    reader.close()
    crash(store)
    with EmbeddedStore(folder) as again:
        assert new not in {g.iri for g in again.graphs()}
        assert not again.raw.contains_named_graph(ox.NamedNode(new))


def test_stopped_after_commit_shows_the_new_graph_and_the_next_writer_finishes(
        folder: Path) -> None:
    store = EmbeddedStore(folder)
    sw = store.swap()
    sw.extend(G, triples("new", 4))
    staged = sw.target(G)
    # the commit point alone, without the apply step that follows it
    store.raw.update(f"DELETE DATA {{ GRAPH {swap.CONTROL} {{ {staged} {swap.STAGING_FOR} "
                     f"<{G}> }} }} ; INSERT DATA {{ GRAPH {swap.CONTROL} {{ {staged} "
                     f"{swap.REPLACES} <{G}> }} }}")
    store.raw.flush()
    reader = EmbeddedStore(folder, read_only=True)
    assert content(reader) == set(triples("new", 4))
    assert {g.iri: g.triples for g in reader.graphs()} == {G: 4, OTHER: 2}
    assert union(reader) == {f"new {i}" for i in range(4)} | {"other 0", "other 1"}
    reader.close()
    del sw
    crash(store)
    with EmbeddedStore(folder) as again:
        assert content(again) == set(triples("new", 4))
        assert {g.value for g in again.raw.named_graphs()} == {G, OTHER}


def test_an_error_inside_the_swap_changes_nothing(folder: Path) -> None:
    with EmbeddedStore(folder) as store:
        with pytest.raises(RuntimeError):
            with store.swap() as sw:
                sw.extend(G, triples("new", 4))
                raise RuntimeError("parse failed half-way")
        assert content(store) == set(triples("old", 5))
        assert {g.value for g in store.raw.named_graphs()} == {G, OTHER}


def test_several_graphs_become_visible_together(folder: Path) -> None:
    with EmbeddedStore(folder) as store:
        with store.swap() as sw:
            sw.extend(G, triples("a", 2))
            sw.extend(OTHER, triples("b", 3))
            assert content(store) == set(triples("old", 5))  # not yet
        assert content(store) == set(triples("a", 2))
        assert content(store, OTHER) == set(triples("b", 3))


def test_the_derived_graph_is_kept_whole_while_it_is_rebuilt(tmp_path: Path) -> None:
    from aicoop.derive import derive
    from aicoop.namespaces import GRAPH_DERIVED
    with EmbeddedStore(tmp_path / "s") as store:
        store.replace_graph(G, [ox.Triple(ox.NamedNode("http://example.org/x"),
                                          ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                                          ox.Literal("x"))])
        first = derive(store)
        before = content(store, GRAPH_DERIVED)
        assert before  # provenance at least
        second = derive(store)  # no drop first: the rules run without the old derived graph
        assert second.triples == first.triples
        assert len(content(store, GRAPH_DERIVED)) == len(before)


def test_a_read_only_store_refuses_writes(folder: Path) -> None:
    reader = EmbeddedStore(folder, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        reader.replace_graph(G, [])
    reader.close()


def test_a_second_writer_is_told_another_kg_process_is_writing(folder: Path) -> None:
    with EmbeddedStore(folder):
        with pytest.raises(StoreError, match="another kg process is writing"):
            EmbeddedStore(folder)
        with pytest.raises(StoreError, match=r"waited 0\.3 s"):
            EmbeddedStore(folder, wait=0.3)


def test_dropping_a_graph_in_batches_removes_it_all_and_nothing_else(monkeypatch) -> None:
    raw = ox.Store()
    g, other = ox.NamedNode(G), ox.NamedNode(OTHER)
    blank = ox.BlankNode()
    quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples("x", 23)]
    quads += [ox.Quad(blank, ox.NamedNode("http://example.org/p"), ox.Literal("b"), g),
              ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/q"),
                      blank, g)]
    keep = [ox.Quad(t.subject, t.predicate, t.object, other) for t in triples("x", 3)]
    raw.extend(quads + keep)
    updates = []
    real_update = raw.update
    monkeypatch.setattr(swap, "_DROP_BATCH", 10)
    # 25 quads in batches of 10: three deletions, then the graph itself is gone
    wrapped = type("Spy", (), {"__getattr__": lambda self, n: getattr(raw, n),
                               "update": lambda self, q: (updates.append(q), real_update(q))})()
    swap.drop_in_batches(wrapped, g)
    assert len(updates) == 3
    assert list(raw.quads_for_pattern(None, None, None, g)) == []
    assert g not in set(raw.named_graphs())
    assert set(raw.quads_for_pattern(None, None, None, other)) == set(keep)


class _Compacted:
    """A pyoxigraph store whose next ``fail`` calls of ``method`` meet a file a writer
    compacted away."""

    def __init__(self, real: ox.Store, fail: int, method: str = "query") -> None:
        self._real, self.fail, self.method = real, fail, method

    def _failing(self, name: str):
        real = getattr(self._real, name)

        def call(*args, **kwargs):
            if self.fail:
                self.fail -= 1
                raise FileNotFoundError("IO error: No such file or directory: While open a "
                                        "file for random read: 000123.sst")
            return real(*args, **kwargs)
        return call

    def query(self, *args, **kwargs):
        return self._failing("query")(*args, **kwargs) if self.method == "query" \
            else self._real.query(*args, **kwargs)

    def __len__(self) -> int:
        return len(self._real)

    def __getattr__(self, name: str):
        if name == self.method:
            return self._failing(name)
        return getattr(self._real, name)


def test_a_reader_whose_files_were_compacted_away_reopens_and_reads_again(
        folder: Path, monkeypatch) -> None:
    from aicoop.store import embedded
    reader = EmbeddedStore(folder, read_only=True)
    opened = []
    still_failing = [0]              # how many fresh opens meet a compacted file in turn
    real_open = embedded._open_reader

    def reopen(path: str, patience: float = 10.0):
        opened.append(path)
        failing = still_failing[0] > 0
        still_failing[0] -= 1
        return _Compacted(real_open(path, patience), fail=1 if failing else 0)

    monkeypatch.setattr(embedded, "_open_reader", reopen)
    reader._store = _Compacted(reader._store, fail=1)
    assert union(reader) == {f"old {i}" for i in range(5)} | {f"other {i}" for i in range(2)}
    assert opened == [str(folder)]                        # one fresh open, then the answer
    opened.clear()
    still_failing[0] = 1                                  # the fresh store fails once too
    reader._store = _Compacted(reader._store, fail=1)
    assert [g.iri for g in reader.graphs()] == sorted([G, OTHER])
    assert len(opened) == 2
    opened.clear()
    still_failing[0] = 99                                 # it gives up in the end
    reader._store = _Compacted(reader._store, fail=1)
    with pytest.raises(Exception, match="No such file"):
        reader.graphs()
    assert len(opened) == embedded._READ_RETRIES
    reader.close()


@pytest.mark.parametrize("method", ["named_graphs", "contains_named_graph"])
def test_listing_graphs_in_a_reader_survives_a_compaction(folder: Path, monkeypatch,
                                                          method: str) -> None:
    """Listing graphs and looking for the swap marks read files too, not only queries (CI
    once met the race in ``kg graphs`` there)."""
    from aicoop.store import embedded
    reader = EmbeddedStore(folder, read_only=True)
    opened = []
    real_open = embedded._open_reader

    def reopen(path: str, patience: float = 10.0):
        opened.append(path)
        return real_open(path, patience)

    monkeypatch.setattr(embedded, "_open_reader", reopen)
    reader._store = _Compacted(reader._store, fail=1, method=method)
    assert [g.iri for g in reader.graphs()] == sorted([G, OTHER])
    assert opened == [str(folder)]
    reader._store = _Compacted(reader._store, fail=1, method="contains_named_graph")
    assert len(reader) == 7
    reader._store = _Compacted(reader._store, fail=1, method="contains_named_graph")
    assert union(reader) == {f"old {i}" for i in range(5)} | {f"other {i}" for i in range(2)}
    assert len(opened) == 3
    reader.close()


def test_a_writer_does_not_hide_other_errors_by_reopening(folder: Path) -> None:
    writer = EmbeddedStore(folder)
    writer._store = _Compacted(writer._store, fail=1)   # only read-only stores reopen
    with pytest.raises(Exception, match="No such file"):
        writer.graphs()
    writer._store = writer._store._real
    writer.close()
