"""The records loader: formats, templates, dates, concept and organisation resolution, the
report of unresolved values, strict mode, atomic failure, idempotent reloads, and the CLI."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import yaml
from click.testing import CliRunner
from rdflib.compare import isomorphic

from aicoop.cli import cli
from aicoop.errors import InputError
from aicoop.loaders.mapping import load_mapping, parse_mapping
from aicoop.loaders.rdf import load_rdf
from aicoop.loaders.records import load_records, parse_date, prepare_records
from aicoop.namespaces import AIC, DCTERMS, FOAF, ORG, RDF, SKOS, TIME, XSD, concept
from aicoop.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "records"
ORGS = "https://w3id.org/aicoop/id/org/"
DOCS = "https://w3id.org/aicoop/id/doc/"
WHEN = datetime(2025, 1, 1, tzinfo=timezone.utc)


@pytest.fixture()
def store() -> EmbeddedStore:
    """An in-memory store with the test vocabulary and a few organisations and States."""
    s = EmbeddedStore(None)
    load_rdf(s, [DATA / "vocab.ttl", DATA / "orgs.ttl"])
    return s


def objects(store, graph: str, subject: str, prop: str) -> set:
    """The objects of one subject and property in one graph, as plain values."""
    out = set()
    for q in store.quads(graph):
        if q.subject.value == subject and q.predicate.value == prop:
            o = q.object
            out.add(o.value if isinstance(o, ox.NamedNode)
                    else (o.value, o.language or o.datatype.value.rsplit("#", 1)[-1]))
    return out


def as_rdflib(triples) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return g


def graph_of(store, graph: str) -> rdflib.Graph:
    return as_rdflib([q.triple for q in store.quads(graph)])


# ---- mapping features --------------------------------------------------------------------

def test_a_csv_register_becomes_typed_documents(store):
    res = load_records(store, DATA / "docs.csv", DATA / "docs.mapping.yaml")
    g = res.graph
    who = DOCS + "who-ethics"
    assert (res.records, res.loaded, res.unresolved) == (3, 3, ())
    assert objects(store, g, who, RDF.type) == {AIC.PolicyDocument}
    assert objects(store, g, who, DCTERMS["title"]) == {
        ("Ethics and governance of AI for health", "en")}
    assert objects(store, g, who, AIC.issuedBy) == {ORGS + "who"}
    assert objects(store, g, who, AIC.binding) == {("false", "boolean")}
    assert objects(store, g, who, FOAF.page) == {
        "https://www.who.int/publications/i/item/9789240029200"}
    assert objects(store, g, who, AIC.instrumentType) == {concept("instruments",
                                                                  "recommendation")}
    # split on "|", spaces around it allowed
    assert objects(store, g, DOCS + "oecd-principles", DCTERMS.source) == {
        "https://oecd.ai/", "https://legalinstruments.oecd.org/"}


@pytest.mark.parametrize("doc, expected", [
    ("who-ethics", ("2021-06-28", "date")),
    ("unesco-rec", ("2021-11", "gYearMonth")),
    ("oecd-principles", ("2019", "gYear")),
], ids=["full-date", "year-month", "year"])
def test_dates_are_typed_by_their_precision(store, doc, expected):
    res = load_records(store, DATA / "docs.csv", DATA / "docs.mapping.yaml")
    assert objects(store, res.graph, DOCS + doc, DCTERMS.issued) == {expected}


@pytest.mark.parametrize("key, expected", [
    ("y", ("2019", "gYear")),
    ("ym", ("2019-05", "gYearMonth")),
    ("ymd", ("2019-05-21", "date")),
    ("dmy", ("2019-05-21", "date")),
], ids=["YYYY", "YYYY-MM", "YYYY-MM-DD", "%d/%m/%Y"])
def test_date_formats(store, key, expected):
    res = load_records(store, DATA / "dates.csv", DATA / "dates.mapping.yaml")
    assert objects(store, res.graph, DOCS + key, DCTERMS.issued) == {expected}


def test_parse_date_rejects_impossible_dates():
    with pytest.raises(ValueError, match="not a date"):
        parse_date("2021-13-45")
    with pytest.raises(ValueError, match="expected YYYY"):
        parse_date("last spring")


@pytest.mark.parametrize("doc, expected", [
    # notation in another case is not needed: "health" plus the French label "santé"
    ("who-ethics", {"health"}),
    # French prefLabel with its accent, and an upper-case hidden label
    ("unesco-rec", {"education", "health"}),
    # an English altLabel
    ("oecd-principles", {"health"}),
], ids=["notation-and-french-label", "accented-pref-and-hidden-label", "alt-label"])
def test_concepts_resolve_by_notation_and_labels_ignoring_case_and_accents(store, doc, expected):
    res = load_records(store, DATA / "docs.csv", DATA / "docs.mapping.yaml")
    got = objects(store, res.graph, DOCS + doc, AIC.addressesDomain)
    assert got == {concept("domains", d) for d in expected}


def test_a_risk_resolves_by_its_alternative_label(store):
    res = load_records(store, DATA / "docs.csv", DATA / "docs.mapping.yaml")
    assert objects(store, res.graph, DOCS + "unesco-rec", AIC.identifiesRisk) == {
        concept("risks", "bias")}  # "discrimination" is an altLabel of bias


def test_organisations_resolve_by_acronym_in_any_language_and_by_name(store):
    res = load_records(store, DATA / "docs.csv", DATA / "docs.mapping.yaml")
    assert objects(store, res.graph, DOCS + "unesco-rec", AIC.issuedBy) == {
        ORGS + "unesco", ORGS + "who"}  # "OMS" is WHO's French acronym
    assert objects(store, res.graph, DOCS + "oecd-principles", AIC.issuedBy) == {ORGS + "oecd"}


@pytest.mark.parametrize("fmt, file, extra", [
    ("json", "docs.json", {}),
    ("json", "docs-wrapped.json", {"records": "data.items"}),
    ("jsonl", "docs.jsonl", {}),
    ("yaml", "docs.yaml", {}),
    ("tsv", "docs.tsv", {}),
], ids=["json-list", "json-path-to-list", "json-lines", "yaml", "tsv"])
def test_every_format_gives_the_same_graph_as_csv(store, fmt, file, extra):
    spec = yaml.safe_load((DATA / "docs.mapping.yaml").read_text(encoding="utf-8"))
    spec.update(format=fmt, **extra)
    mapping = parse_mapping(spec, source=f"docs-{fmt}")
    from_csv = prepare_records(store, DATA / "docs.csv", DATA / "docs.mapping.yaml")
    other = prepare_records(store, DATA / file, mapping)
    assert other.result.unresolved == ()
    assert isomorphic(as_rdflib(other.triples), as_rdflib(from_csv.triples))


def test_flags_values_tables_and_conditions(store):
    res = load_records(store, DATA / "tagged.csv", DATA / "tagged.mapping.yaml")
    g = res.graph
    doc = DOCS + "tagged-"
    assert (res.records, res.loaded, res.skipped) == (4, 3, 1)  # record 4 has no title
    assert objects(store, g, doc + "1", AIC.addressesDomain) == {concept("domains", "education")}
    assert objects(store, g, doc + "1", AIC.identifiesRisk) == {concept("risks", "privacy")}
    assert objects(store, g, doc + "2", AIC.addressesDomain) == set()
    # not annotated: the True cells mean nothing
    assert objects(store, g, doc + "3", AIC.addressesDomain) == set()
    assert objects(store, g, doc + "2", AIC.instrumentType) == {concept("instruments",
                                                                        "principles")}
    # "law: null" ignores the value on purpose, and counts it
    assert objects(store, g, doc + "1", AIC.instrumentType) == set()
    assert res.ignored == 2
    assert objects(store, g, DOCS + "tagged-4", RDF.type) == set()


def test_nested_nodes_build_memberships_with_a_start_year(store):
    res = load_records(store, DATA / "members.csv", DATA / "members.mapping.yaml")
    base = "https://w3id.org/aicoop/id/membership/fra/oecd"
    g = res.graph
    assert objects(store, g, base, ORG.member) == {"https://w3id.org/aicoop/id/state/fra"}
    assert objects(store, g, base, ORG.role) == {"https://w3id.org/aicoop/id/role/member"}
    assert objects(store, g, base, ORG.memberDuring) == {base + "/during"}
    assert objects(store, g, base + "/during", RDF.type) == {TIME.Interval}
    assert objects(store, g, base + "/during", TIME.hasBeginning) == {base + "/start"}
    assert objects(store, g, base + "/start", TIME.inXSDgYear) == {("1961", "gYear")}
    # ISO2 notation for a State, a key for an organisation that is a member
    assert objects(store, g, "https://w3id.org/aicoop/id/membership/ge/eu", ORG.member) == {
        "https://w3id.org/aicoop/id/state/geo"}
    assert objects(store, g, "https://w3id.org/aicoop/id/membership/eu/who", ORG.member) == {
        ORGS + "eu"}
    # no year, no interval
    assert objects(store, g, "https://w3id.org/aicoop/id/membership/eu/who",
                   ORG.memberDuring) == set()
    assert [(u.record, u.field, u.value) for u in res.unresolved] == [(4, "state", "XXX")]


# ---- acronyms, unresolved values and strict mode -----------------------------------------

def test_acronyms_match_only_in_their_own_case(store):
    res = load_records(store, DATA / "issuers.csv", DATA / "issuers.mapping.yaml")
    issued = {k: objects(store, res.graph, DOCS + k, AIC.issuedBy) for k in "abcdef"}
    assert issued["a"] == {ORGS + "who"}            # WHO
    assert issued["b"] == issued["c"] == set()      # who, Who: not the acronym
    assert issued["d"] == set()                     # W.H.O.
    assert issued["e"] == {ORGS + "who"}            # a name, accents and case ignored
    assert issued["f"] == {ORGS + "unesco"}         # name and acronym in brackets agree
    reported = {(u.record, u.line, u.field, u.value) for u in res.unresolved}
    assert reported == {(2, 3, "issuers", "who"), (3, 4, "issuers", "Who"),
                        (4, 5, "issuers", "W.H.O.")}


def test_unresolved_values_say_where_and_what_is_closest(store):
    res = load_records(store, DATA / "issuers.csv", DATA / "issuers.mapping.yaml")
    dots = next(u for u in res.unresolved if u.value == "W.H.O.")
    assert "WHO (World Health Organization)" in dots.closest
    msg = dots.message()
    assert msg.startswith('record 4 (line 5), field "issuers": "W.H.O." matches no organisation')
    assert "closest: WHO (World Health Organization)" in msg


def test_strict_mode_fails_on_any_unresolved_value_and_writes_nothing(store):
    before = len(store)
    with pytest.raises(InputError) as err:
        load_records(store, DATA / "issuers.csv", DATA / "issuers.mapping.yaml", strict=True)
    text = str(err.value)
    assert text.startswith(str(DATA / "issuers.csv"))
    assert "3 value(s) did not resolve" in text and "nothing was written" in text
    assert 'record 2 (line 3), field "issuers": "who"' in text
    assert len(store) == before


def test_unknown_issuers_are_minted_once_and_never_take_another_body_iri(store):
    res = load_records(store, DATA / "minted.csv", DATA / "minted.mapping.yaml")
    g = res.graph
    assert objects(store, g, DOCS + "a", AIC.issuedBy) == {ORGS + "oecd"}
    ministry = ORGS + "ministry-of-examples"
    assert objects(store, g, DOCS + "b", AIC.issuedBy) == {ministry}
    assert objects(store, g, DOCS + "c", AIC.issuedBy) == {ministry}
    assert objects(store, g, ministry, RDF.type) == {ORG.FormalOrganization,
                                                     AIC.NonStateOrganisation}
    assert objects(store, g, ministry, SKOS.prefLabel) == {("Ministry of Examples", "string")}
    who_like = objects(store, g, DOCS + "d", AIC.issuedBy)
    assert len(who_like) == 1 and ORGS + "who" not in who_like
    assert next(iter(who_like)).startswith(ORGS + "who-")
    assert {(m.value, m.records) for m in res.minted} == {("Ministry of Examples", 2),
                                                          ("Who", 1)}
    assert res.unresolved == ()


# ---- bad input changes nothing -----------------------------------------------------------

@pytest.mark.parametrize("file, record, line, message", [
    ("bad-date.csv", 2, 3, 'field "date": not a date'),
    ("bad-row.csv", 2, 3, "expected 10 fields, found 11"),
], ids=["bad-date", "stray-comma"])
def test_a_bad_row_fails_the_whole_file_and_leaves_the_store_unchanged(store, file, record,
                                                                      line, message):
    before = {g.iri: g.triples for g in store.graphs()}
    with pytest.raises(InputError) as err:
        load_records(store, DATA / file, DATA / "docs.mapping.yaml")
    assert err.value.source == str(DATA / file)
    assert err.value.line == line
    assert f"record {record}" in str(err.value)
    assert message in str(err.value)
    assert {g.iri: g.triples for g in store.graphs()} == before


def test_a_bad_reload_keeps_the_previous_graph(store, tmp_path):
    target = tmp_path / "docs.csv"
    target.write_text((DATA / "docs.csv").read_text(encoding="utf-8"), encoding="utf-8")
    first = load_records(store, target, DATA / "docs.mapping.yaml")
    target.write_text((DATA / "bad-date.csv").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError):
        load_records(store, target, DATA / "docs.mapping.yaml")
    assert {g.iri: g.triples for g in store.graphs()}[first.graph] > first.triples


def test_a_column_the_file_lacks_is_named(store, tmp_path):
    spec = yaml.safe_load((DATA / "docs.mapping.yaml").read_text(encoding="utf-8"))
    spec["fields"].append({"column": "colour", "property": "dcterms:description"})
    with pytest.raises(InputError) as err:
        prepare_records(store, DATA / "docs.csv", parse_mapping(spec, source="docs+colour"))
    assert "reads column(s) 'colour', not in the file" in str(err.value)


def test_duplicate_keys_are_an_error_when_the_subject_is_unique(store, tmp_path):
    dup = tmp_path / "dup.csv"
    lines = (DATA / "docs.csv").read_text(encoding="utf-8").splitlines()
    dup.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="record 4.*same IRI as record 1"):
        prepare_records(store, dup, DATA / "docs.mapping.yaml")


def test_a_missing_data_file_is_an_input_error(store, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_records(store, tmp_path / "nope.csv", DATA / "docs.mapping.yaml")


# ---- reloading ---------------------------------------------------------------------------

@pytest.mark.parametrize("file, mapping", [
    ("docs.csv", "docs.mapping.yaml"),
    ("minted.csv", "minted.mapping.yaml"),
    ("members.csv", "members.mapping.yaml"),
], ids=["documents", "minted-organisations", "nested-nodes"])
def test_loading_twice_gives_the_same_graph(store, file, mapping):
    first = load_records(store, DATA / file, DATA / mapping, generated_at=WHEN)
    g1 = graph_of(store, first.graph)
    second = load_records(store, DATA / file, DATA / mapping, generated_at=WHEN)
    g2 = graph_of(store, second.graph)
    assert first.graph == second.graph
    assert first.triples == second.triples and len(g1) == len(g2)
    assert isomorphic(g1, g2)
    assert first.minted == second.minted and first.unresolved == second.unresolved


def test_the_graph_carries_its_provenance(store):
    res = load_records(store, DATA / "docs.csv", DATA / "docs.mapping.yaml", generated_at=WHEN)
    prov = "http://www.w3.org/ns/prov#"
    sources = objects(store, res.graph, res.graph, prov + "wasDerivedFrom")
    assert {Path(s).name for s in sources} == {"docs.csv", "docs.mapping.yaml"}
    assert objects(store, res.graph, res.graph, prov + "generatedAtTime") == {
        ("2025-01-01T00:00:00Z", "dateTime")}
    assert res.written


def test_a_named_graph_can_be_chosen(store):
    res = load_records(store, DATA / "docs.csv", DATA / "docs.mapping.yaml",
                       graph="https://example.org/graph/docs")
    assert res.graph == "https://example.org/graph/docs"
    assert "https://example.org/graph/docs" in {g.iri for g in store.graphs()}


def test_mappings_can_be_loaded_once_and_reused(store):
    m = load_mapping(DATA / "docs.mapping.yaml")
    assert load_records(store, DATA / "docs.csv", m).triples == 33


# ---- the command line --------------------------------------------------------------------

@pytest.fixture()
def cli_store(tmp_path: Path) -> str:
    path = str(tmp_path / "store")
    runner = CliRunner()
    res = runner.invoke(cli, ["--store", path, "init", "--empty"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["--store", path, "load", "rdf", str(DATA / "vocab.ttl"),
                              str(DATA / "orgs.ttl")])
    assert res.exit_code == 0, res.output
    return path


def test_cli_prints_a_summary_and_warns_about_unresolved_values(cli_store):
    res = CliRunner().invoke(cli, ["--store", cli_store, "load", "records",
                                   str(DATA / "issuers.csv"), "--mapping",
                                   str(DATA / "issuers.mapping.yaml")])
    assert res.exit_code == 0, res.output
    assert "issuers.csv" in res.stdout and "unresolved" in res.stdout
    assert "3 unresolved values" in res.stderr
    assert ('warning: issuers.csv: record 4 (line 5), field "issuers": "W.H.O." matches no '
            "organisation") in res.stderr


def test_cli_json_lists_every_unresolved_value(cli_store):
    res = CliRunner().invoke(cli, ["--store", cli_store, "load", "records",
                                   str(DATA / "issuers.csv"), "-m",
                                   str(DATA / "issuers.mapping.yaml"), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert (data["records"], data["loaded"]) == (6, 6)
    assert [(u["record"], u["value"]) for u in data["unresolved"]] == [
        (2, "who"), (3, "Who"), (4, "W.H.O.")]


def test_cli_strict_exits_with_an_input_error(cli_store):
    res = CliRunner().invoke(cli, ["--store", cli_store, "load", "records",
                                   str(DATA / "issuers.csv"), "-m",
                                   str(DATA / "issuers.mapping.yaml"), "--strict"])
    assert res.exit_code == 3
    assert "did not resolve" in res.stderr
    assert "W.H.O." in res.stderr


def test_cli_rejects_a_relative_graph_iri(cli_store):
    res = CliRunner().invoke(cli, ["--store", cli_store, "load", "records",
                                   str(DATA / "docs.csv"), "-m",
                                   str(DATA / "docs.mapping.yaml"), "--graph", "not an iri"])
    assert res.exit_code == 2
    assert "not an absolute IRI" in res.output


def test_xsd_namespace_is_what_typed_literals_use():
    # guards the helper above: datatypes are compared by their local name
    assert XSD.gYear.endswith("#gYear")
