"""What the CLI promises about the store: queries that cannot write or reach the network,
a time limit that stops work, readers beside a writer, a plain message for a second writer,
folders that are not stores, shipped graphs replaced only on purpose, clean export errors."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from aicoop.cli import cli
from aicoop.query_guard import check_query, first_keyword, strip_opaque, uses_service
from aicoop.errors import QueryError
from aicoop.store.embedded import EmbeddedStore
from aicoop.store.marker import INCOMPLETE, StoreState, begin_build, store_state

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture()
def store(tmp_path: Path) -> str:
    path = str(tmp_path / "store")
    result = CliRunner().invoke(cli, ["--store", path, "init", "--empty"])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(cli, ["--store", path, "load", "--no-derive", "rdf",
                                    str(DATA / "rdf" / "good.ttl")]).exit_code == 0
    return path


def run(store: str, *args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["--store", store, *args], input=input)


def fingerprint(location: str) -> str:
    s = EmbeddedStore(location, read_only=True)
    try:
        return hashlib.sha256("\n".join(sorted(str(q) for q in s.raw)).encode()).hexdigest()
    finally:
        s.close()


# ---- the query guard, pure -----------------------------------------------------------------

@pytest.mark.parametrize("text, keyword", [
    ("SELECT * { ?s ?p ?o }", "SELECT"),
    ("PREFIX ex: <http://e/>\nBASE <http://b/>\n# INSERT here is a comment\nask { ?s ?p ?o }",
     "ASK"),
    ("  with <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("# nothing but a comment", ""),
])
def test_first_keyword_skips_prologue_and_comments(text: str, keyword: str) -> None:
    assert first_keyword(text) == keyword


@pytest.mark.parametrize("text, expected", [
    ("SELECT * { SERVICE <http://e/sparql> { ?s ?p ?o } }", True),
    ("select * { Service Silent <http://e/> { ?s ?p ?o } }", True),
    ("SELECT ?service { ?s ?p ?service }", False),            # a variable
    ("SELECT * { ?s ex:SERVICE ?o . ?s ex:service-x ?o }", False),  # prefixed names
    ('SELECT * { ?s ?p "SERVICE <http://e/> { }" }', False),  # inside a string
    ("SELECT * { ?s <http://e/SERVICE> ?o } # SERVICE", False),
    ("SELECT * { ?s ?p '''a\nSERVICE'''}", False),
])
def test_service_is_found_only_where_it_is_a_keyword(text: str, expected: bool) -> None:
    assert uses_service(text) is expected


def test_strip_opaque_keeps_structure() -> None:
    assert strip_opaque('ASK { <http://e/a> ?p "x" } # c') == 'ASK { <> ?p "" } '


def test_check_query_refuses_updates_even_with_service_allowed() -> None:
    with pytest.raises(QueryError, match="updates .* are not allowed"):
        check_query("CLEAR ALL", allow_service=True)
    check_query("SELECT * { SERVICE <http://e/> { ?s ?p ?o } }", allow_service=True)


# ---- kg query --------------------------------------------------------------------------------

def test_kg_query_says_updates_are_not_allowed_and_changes_nothing(store: str) -> None:
    before = fingerprint(store)
    res = run(store, "query", "-", input="PREFIX ex: <http://e/>\nINSERT DATA { ex:a ex:b ex:c }")
    assert res.exit_code == 2
    assert "updates (INSERT …) are not allowed" in res.stderr
    assert "expected" not in res.stderr
    assert fingerprint(store) == before


def test_kg_query_refuses_service_unless_allowed(store: str) -> None:
    sparql = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    res = run(store, "query", "-", input=sparql)
    assert res.exit_code == 2 and "--allow-service" in res.stderr
    # allowed: it gets past the guard and fails on the closed port, as a query error
    res = run(store, "query", "--allow-service", "--timeout", "20", "-", input=sparql)
    assert res.exit_code == 2
    assert "--allow-service" not in res.stderr and "Traceback" not in res.output


def test_the_time_limit_stops_a_runaway_query(store: str) -> None:
    cartesian = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
                 "?j ?k ?l . ?m ?n2 ?o }")
    started = time.monotonic()
    res = run(store, "query", "--timeout", "1", "-", input=cartesian)
    assert res.exit_code == 2
    assert "time limit of 1 s" in res.stderr
    assert time.monotonic() - started < 15


def test_a_query_still_answers_through_the_worker(store: str) -> None:
    res = run(store, "query", "--format", "csv", "-",
              input="SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }")
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0] == "n"


# ---- readers and writers ---------------------------------------------------------------------

def test_readers_run_beside_a_writer_and_a_second_writer_is_told_why(store: str,
                                                                      tmp_path: Path) -> None:
    writer = EmbeddedStore(store)  # holds the lock, as a running load does
    try:
        res = run(store, "graphs", "--format", "json")
        assert res.exit_code == 0, res.output
        assert "good.ttl" in res.stdout
        res = run(store, "load", "rdf", str(DATA / "rdf" / "good.ttl"))
        assert res.exit_code == 3
        assert "another kg process is writing" in res.stderr
        assert "--wait" in res.stderr
    finally:
        writer.close()
    assert run(store, "--wait", "5", "load", "rdf", str(DATA / "rdf" / "good.ttl")).exit_code == 0


# ---- store folders ---------------------------------------------------------------------------

def test_a_non_empty_folder_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.pdf").write_bytes(b"%PDF-1.4")
    res = CliRunner().invoke(cli, ["--store", str(folder), "graphs"])
    assert res.exit_code == 2
    assert "is not a kg store" in res.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.pdf"]


def test_store_states(tmp_path: Path) -> None:
    assert store_state(tmp_path / "new") is StoreState.ABSENT
    (tmp_path / "empty").mkdir()
    assert store_state(tmp_path / "empty") is StoreState.ABSENT
    begin_build(tmp_path / "half")
    EmbeddedStore(tmp_path / "half").close()
    assert (tmp_path / "half" / INCOMPLETE).exists()
    assert store_state(tmp_path / "half") is StoreState.INCOMPLETE
    EmbeddedStore(tmp_path / "plain").close()  # made by the library: usable as it is
    assert store_state(tmp_path / "plain") is StoreState.READY
    (tmp_path / "file").write_text("x")
    assert store_state(tmp_path / "file") is StoreState.FOREIGN


# ---- shipped graphs, export, --no-load -----------------------------------------------------

@pytest.mark.parametrize("graph", ["https://w3id.org/aicoop/graph/ontology",
                                   "https://w3id.org/aicoop/graph/reference/organisations"])
def test_replacing_a_shipped_graph_needs_the_flag(store: str, graph: str) -> None:
    before = fingerprint(store)
    ttl = str(DATA / "rdf" / "good.ttl")
    res = run(store, "load", "rdf", ttl, "--graph", graph)
    assert res.exit_code == 2 and "--replace-reference" in res.stderr
    res = run(store, "load", "records", str(DATA / "records" / "docs.csv"), "-m",
              str(DATA / "records" / "docs.mapping.yaml"), "--graph", graph)
    assert res.exit_code == 2 and "--replace-reference" in res.stderr
    assert fingerprint(store) == before
    res = run(store, "load", "--no-derive", "rdf", ttl, "--graph", graph, "--replace-reference")
    assert res.exit_code == 0, res.output


def test_export_to_a_missing_folder_is_a_clean_error(store: str, tmp_path: Path) -> None:
    res = run(store, "export", "--out", "/nonexistent/x.nt", "--format", "nt")
    assert res.exit_code == 2
    assert "/nonexistent" in res.stderr and "does not exist" in res.stderr
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_memberships_no_load_writes_nothing(store: str, tmp_path: Path) -> None:
    bad = DATA / "bad"
    before = fingerprint(store)
    out = tmp_path / "m.csv"
    res = run(store, "load", "memberships", str(bad / "factbook-ok.csv"),
              str(bad / "converter-ok.tsv"), "--no-load", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert out.exists()
    assert "derived" not in res.stderr
    assert fingerprint(store) == before
