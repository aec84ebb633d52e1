"""A load shows a progress bar on a terminal, counts every byte of the file, and loads the
same triples as without one; nothing is drawn when stderr is not a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox

from aicoop import progress
from aicoop.loaders.rdf import load_rdf
from aicoop.store.embedded import EmbeddedStore


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "f.nt"
    path.write_text("<http://e/a> <http://e/p> \"1\" .\n")
    with progress.reading(path, "f.nt") as source:  # pytest's stderr is no terminal
        assert source is None


def test_a_load_with_a_bar_counts_the_whole_file_and_loads_the_same(tmp_path: Path,
                                                                     monkeypatch) -> None:
    path = tmp_path / "f.nt"
    lines = [f'<http://e/s{i}> <http://e/p> "{i}" .\n' for i in range(3000)]
    path.write_text("".join(lines))
    screen = io.StringIO()
    counted = []

    class Spy(progress._Counting):
        def __init__(self, fh, bar) -> None:
            super().__init__(fh, bar)
            counted.append(bar)

    monkeypatch.setattr(progress, "_Counting", Spy)
    monkeypatch.setattr(progress, "showing", lambda: True)
    monkeypatch.setattr(progress.sys, "stderr", screen)
    with EmbeddedStore(tmp_path / "s") as store:
        [res] = load_rdf(store, [path], graph="http://e/g")
        assert res.triples == 3000
        objects = {q.object.value for q in store.quads("http://e/g")
                   if q.predicate == ox.NamedNode("http://e/p")}
        assert objects == {str(i) for i in range(3000)}
    assert "f.nt" in screen.getvalue()  # the bar was drawn, named after the file
    [bar] = counted
    assert bar.n == path.stat().st_size  # every byte went through it


def test_quiet_turns_the_bar_off(monkeypatch) -> None:
    monkeypatch.setattr(progress.sys, "stderr", type("Tty", (), {"isatty": lambda self: True})())
    monkeypatch.setattr(progress, "QUIET", False)
    assert progress.showing()
    monkeypatch.setattr(progress, "QUIET", True)
    assert not progress.showing()
