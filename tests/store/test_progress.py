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


def _bars(monkeypatch) -> list[tuple[str, float, float]]:
    """Show bars, and record each bar's (description, count, total) when it closes."""
    import tqdm

    closed: list[tuple[str, float, float]] = []

    class Spy(tqdm.tqdm):
        def close(self) -> None:
            if not self.disable and self.total is not None:
                closed.append((self.desc, self.n, self.total))
            super().close()

    monkeypatch.setattr(tqdm, "tqdm", Spy)
    monkeypatch.setattr(progress, "showing", lambda: True)
    monkeypatch.setattr(progress.sys, "stderr", io.StringIO())
    return closed


def test_records_load_counts_every_record_on_its_bar(tmp_path: Path, monkeypatch) -> None:
    from aicoop.loaders.records import load_records
    data = tmp_path / "people.csv"
    data.write_text("key,name\n" + "".join(f"p{i},Person {i}\n" for i in range(7)))
    mapping = tmp_path / "people.yaml"
    mapping.write_text('format: csv\nsubject:\n  iri: "http://e/{key}"\nfields:\n'
                       '  - column: name\n    property: http://e/name\n')
    bars = _bars(monkeypatch)
    with EmbeddedStore(None) as store:
        res = load_records(store, data, mapping, graph="http://e/g")
    assert res.loaded == 7
    assert ("mapping people.csv", 7, 7) in bars  # the bar reached the number of records


def test_annotate_counts_files_on_its_bar_and_not_when_piped(tmp_path: Path,
                                                               monkeypatch) -> None:
    from click.testing import CliRunner

    from aicoop.cli import cli
    for i in range(3):
        (tmp_path / f"d{i}.txt").write_text("Hospitals use AI to triage patients.\n")
    (tmp_path / "skip.docx").write_bytes(b"PK")
    piped = CliRunner().invoke(cli, ["annotate", str(tmp_path)])
    assert piped.exit_code == 0 and "annotating" not in piped.stderr
    bars = _bars(monkeypatch)
    shown = CliRunner().invoke(cli, ["annotate", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    assert bars == [("annotating", 3, 3)]   # three texts; the .docx is not counted


def test_publish_counts_every_resource_page(tmp_path: Path, monkeypatch) -> None:
    from aicoop.publish.site import publish_site
    base = "https://w3id.org/aicoop/"
    with EmbeddedStore(None) as store:
        store.replace_graph(base + "graph/test/t", [
            ox.Triple(ox.NamedNode(f"{base}id/org/o{i}"),
                      ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal(f"Org {i}")) for i in range(4)])
        bars = _bars(monkeypatch)
        summary = publish_site(store, tmp_path / "site", docs=False)
    assert summary.pages >= 4                # the four organisations, at least
    assert ("resource pages", summary.pages, summary.pages) in bars
