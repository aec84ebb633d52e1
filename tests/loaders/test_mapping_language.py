"""The mapping language: its JSON Schema and generated reference page, conditions, several
split separators, checked values, every error of a load at once with its location, and the
store unchanged when a load fails or selects nothing (tests/data/messy)."""

from __future__ import annotations

import doctest
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from click.testing import CliRunner

from aicoop.cli import cli
from aicoop.errors import InputError
from aicoop.loaders import conditions, record_input, values
from aicoop.loaders.conditions import holds, parse_condition
from aicoop.loaders.load_problems import NothingSelected, RecordsRejected
from aicoop.loaders.mapping import load_mapping, parse_mapping
from aicoop.loaders.mapping_docs import mapping_docs
from aicoop.loaders.mapping_schema import MappingInvalid, mapping_schema, schema_problems
from aicoop.loaders.rdf import load_rdf
from aicoop.loaders.records import load_records
from aicoop.lookup import fold
from aicoop.namespaces import AIC, DCTERMS, FOAF, XSD, concept
from aicoop.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[2]
MESSY = REPO / "tests" / "data" / "messy"
RECORDS = REPO / "tests" / "data" / "records"
DOCS = "https://w3id.org/aicoop/id/doc/"
ORGS = "https://w3id.org/aicoop/id/org/"


@pytest.fixture()
def store() -> EmbeddedStore:
    s = EmbeddedStore(None)
    load_rdf(s, [RECORDS / "vocab.ttl", RECORDS / "orgs.ttl"])
    return s


def snapshot(store: EmbeddedStore) -> bytes:
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    return b"\n".join(sorted(out.getvalue().splitlines()))


def objects(store, subject: str, prop: str) -> set[str]:
    return {q.object.value for q in store.quads()
            if q.subject.value == subject and q.predicate.value == prop}


@pytest.mark.parametrize("module", [conditions, values, record_input],
                         ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0


# ---- the messy corpus ----------------------------------------------------------------------

# worked out by hand from tests/data/messy/messy.csv (the header is line 1)
MESSY_ERRORS = [
    (2, 3, "Link", "has a space at character 27"),
    (3, 4, "Published", "ambiguous date: '03/04/2020'"),
    (4, 5, "Language", "not a BCP 47 language tag: 'English'"),
    (4, 5, "Domains", '"astrology" matches no concept of domains'),
    (4, 5, "Pages", "not an integer: 'x12'"),
]


def test_every_error_of_a_file_is_reported_at_once_and_nothing_is_written(store):
    before = snapshot(store)
    with pytest.raises(RecordsRejected) as err:
        load_records(store, MESSY / "messy.csv", MESSY / "messy.mapping.yaml")
    found = [(p.record, p.line, p.field, p.message) for p in err.value.problems]
    assert [(r, ln, f) for r, ln, f, _ in found] == [(r, ln, f) for r, ln, f, _ in
                                                     MESSY_ERRORS]
    for (_, _, _, message), (_, _, _, expected) in zip(found, MESSY_ERRORS):
        assert expected in message
    assert all(p.source == str(MESSY / "messy.csv") for p in err.value.problems)
    assert "5 error(s) in 3 of 5 record(s)" in str(err.value)
    assert err.value.exit_code == 3
    assert snapshot(store) == before


def test_skip_bad_records_loads_the_good_ones_and_lists_the_others(store):
    res = load_records(store, MESSY / "messy.csv", MESSY / "messy.mapping.yaml", skip_bad=True)
    assert (res.records, res.loaded) == (5, 2)
    assert sorted({p.record for p in res.rejected}) == [2, 3, 4]
    subjects = {q.subject.value for q in store.quads(res.graph)
                if q.subject.value.startswith(DOCS)}
    assert subjects == {DOCS + "messy-m1", DOCS + "messy-m5"}
    # "OECD | UNESCO; WHO": both separators split
    assert objects(store, DOCS + "messy-m1", AIC.issuedBy) == {ORGS + "oecd", ORGS + "unesco",
                                                               ORGS + "who"}
    assert objects(store, DOCS + "messy-m1", AIC.addressesDomain) == {
        concept("domains", "health"), concept("domains", "education")}
    # 25/12/2021 fits %d/%m/%Y only; "1,024" is an integer with a thousands separator
    assert objects(store, DOCS + "messy-m5", DCTERMS.issued) == {"2021-12-25"}
    assert objects(store, DOCS + "messy-m5", DCTERMS.extent) == {"1024"}
    lang = next(q.object for q in store.quads(res.graph)
                if q.predicate.value == DCTERMS.language and q.subject.value.endswith("m5"))
    assert (lang.value, lang.datatype.value) == ("pt-BR", XSD.language)


def test_a_mapping_that_selects_nothing_leaves_the_previous_graph_alone(store):
    first = load_records(store, MESSY / "messy.csv", MESSY / "messy.mapping.yaml",
                         skip_bad=True)
    before = snapshot(store)
    with pytest.raises(NothingSelected) as err:
        load_records(store, MESSY / "messy.csv", MESSY / "nothing.mapping.yaml",
                     graph=first.graph)
    assert "selects no record" in str(err.value) and "Status == Repealed" in str(err.value)
    assert f"<{first.graph}> was left as it was" in str(err.value)
    assert err.value.exit_code == 1
    assert snapshot(store) == before


def test_blank_and_duplicate_header_names_are_named_by_position(store):
    before = snapshot(store)
    with pytest.raises(InputError) as err:
        load_records(store, MESSY / "bad-header.csv", MESSY / "bad-header.mapping.yaml")
    text = str(err.value)
    assert err.value.line == 1
    assert 'columns 2 and 3 are both named "Title"' in text
    assert "column 4 has no name in the header but holds a value (first in record 1)" in text
    assert snapshot(store) == before


def test_empty_nameless_columns_at_the_end_of_a_header_are_ignored(store):
    # messy.csv ends every line with three empty, nameless columns
    res = load_records(store, MESSY / "messy.csv", MESSY / "messy.mapping.yaml", skip_bad=True)
    assert res.loaded == 2


def test_invalid_warn_reports_a_value_and_loads_the_record(store, tmp_path):
    spec = yaml.safe_load((MESSY / "messy.mapping.yaml").read_text(encoding="utf-8"))
    for f in spec["fields"]:
        f["invalid"] = "warn"
        if f.get("map") == "domains":
            f["unresolved"] = "warn"
    res = load_records(store, MESSY / "messy.csv", parse_mapping(spec, source="warn"))
    assert res.loaded == 5 and res.rejected == ()
    assert sorted((w.record, w.field) for w in res.warnings) == [
        (2, "Link"), (3, "Published"), (4, "Language"), (4, "Pages")]
    assert [(u.record, u.value) for u in res.unresolved] == [(4, "astrology")]
    # the record with a bad link keeps its other statements, and no link
    assert objects(store, DOCS + "messy-m2", FOAF.page) == set()
    assert objects(store, DOCS + "messy-m2", AIC.issuedBy) == {ORGS + "oecd"}


def test_the_cli_lists_every_error_with_its_line_and_exits_non_zero(tmp_path):
    path = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", path, "init", "--empty"]).exit_code == 0
    assert runner.invoke(cli, ["--store", path, "load", "rdf", str(RECORDS / "vocab.ttl"),
                               str(RECORDS / "orgs.ttl")]).exit_code == 0
    res = runner.invoke(cli, ["--store", path, "load", "records", str(MESSY / "messy.csv"),
                              "-m", str(MESSY / "messy.mapping.yaml")])
    assert res.exit_code == 3
    for record, line, fld, _ in MESSY_ERRORS:
        assert f'messy.csv, line {line}: record {record}, field "{fld}"' in res.stderr
    res = runner.invoke(cli, ["--store", path, "load", "records", str(MESSY / "messy.csv"),
                              "-m", str(MESSY / "messy.mapping.yaml"), "--skip-bad-records",
                              "--format", "json"])
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert data["loaded"] == 2 and len(data["rejected"]) == 5
    assert data["rejected"][0] == {
        "source": str(MESSY / "messy.csv"), "line": 3, "record": 2, "field": "Link",
        "severity": "error", "message": data["rejected"][0]["message"]}
    res = runner.invoke(cli, ["--store", path, "load", "records", str(MESSY / "messy.csv"),
                              "-m", str(MESSY / "nothing.mapping.yaml")])
    assert res.exit_code == 1 and "selects no record" in res.stderr


def test_max_errors_stops_reading(store):
    with pytest.raises(RecordsRejected) as err:
        load_records(store, MESSY / "messy.csv", MESSY / "messy.mapping.yaml", max_errors=2)
    assert err.value.stopped and len(err.value.problems) == 2
    assert "stopped at the limit" in str(err.value)


# ---- the schema, its checker and its page -------------------------------------------------

def test_kg_mapping_check_lists_every_schema_problem_with_its_line():
    res = CliRunner().invoke(cli, ["mapping", "check", str(MESSY / "bad.mapping.yaml")])
    assert res.exit_code == 1
    lines = [ln for ln in res.stderr.splitlines() if "bad.mapping.yaml" in ln]
    # lines of tests/data/messy/bad.mapping.yaml, counted by hand
    assert [ln.split("line ")[1].split(":")[0] for ln in lines] == ["2", "5", "9", "11", "14"]
    assert "format: 'xlsx' is not allowed" in lines[0]
    assert "unknown key(s) clas;" in lines[1]
    assert "fields[1].datatype: 'text' is not allowed" in lines[2]
    assert "fields[2].split: expected string" in lines[3]
    assert "fields[2].unresolved: 'ignore' is not allowed" in lines[4]


def test_loading_with_a_mapping_that_breaks_the_schema_changes_nothing(store):
    before = snapshot(store)
    with pytest.raises(MappingInvalid) as err:
        load_records(store, MESSY / "messy.csv", MESSY / "bad.mapping.yaml")
    assert err.value.line == 2 and len(err.value.problems) == 5
    assert str(err.value).startswith(f"{MESSY / 'bad.mapping.yaml'}, line 2: 5 problems")
    assert snapshot(store) == before


SHIPPED = sorted((REPO / "examples" / "mappings").glob("*.yaml")) + sorted(
    (REPO / "src" / "aicoop" / "data" / "reference").glob("*.mapping.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_mapping_passes_kg_mapping_check(path):
    res = CliRunner().invoke(cli, ["mapping", "check", str(path)])
    assert res.exit_code == 0, res.stderr


def test_docs_mappings_md_is_generated_from_the_schema():
    page = (REPO / "docs" / "mappings.md").read_text(encoding="utf-8")
    assert page == mapping_docs(), "run: kg mapping docs > docs/mappings.md"


def test_every_key_of_the_language_is_documented_with_an_example():
    schema = mapping_schema()
    for spec in (schema, schema["$defs"]["subject"], schema["$defs"]["field"]):
        for key, prop in spec["properties"].items():
            if key == "format" and spec is schema["$defs"]["field"]:
                continue  # another name for formats
            ref = prop.get("$ref", "").rsplit("/", 1)[-1]
            assert prop.get("description") or schema["$defs"].get(ref, {}).get("description"), key
            assert prop.get("x-example") or schema["$defs"].get(ref, {}).get("x-example"), key


def _examples():
    schema = mapping_schema()
    out = []
    for spec in (schema, schema["$defs"]["subject"], schema["$defs"]["field"],
                 schema["$defs"]["condition"]):
        for key, prop in spec.get("properties", {"condition": spec}).items():
            if prop.get("x-example"):
                out.append(pytest.param(prop["x-example"], id=key))
    return out


@pytest.mark.parametrize("example", _examples())
def test_every_example_of_the_page_is_a_valid_mapping(example):
    snippet = yaml.safe_load(example)
    data: dict = {"format": "csv", "subject": {"iri": "doc/{id}"}}
    if isinstance(snippet, list):
        data["fields"] = snippet
    else:
        data.update(snippet)
        if "subject" in snippet:
            data["subject"] = snippet["subject"]
    assert schema_problems(data) == ()
    parse_mapping(data, source="example")


def test_schema_errors_in_a_dict_have_paths_but_no_lines():
    problems = schema_problems({"format": "csv", "subject": {"iri": "x"},
                                "fields": [{"column": "a", "split": ""}]})
    assert [(p.path, p.line) for p in problems] == [("fields[1].split", None)]


# ---- conditions ---------------------------------------------------------------------------

RECORD = {"Status": "Enacted", "Title": "Draft rules on AI", "Year": "2021", "Empty": "",
          "Risks: safety and security": "yes"}


@pytest.mark.parametrize("text, expected", [
    ("Status == enacted", True),
    ("Status != Enacted", False),
    ("Status in [Proposed, Enacted]", True),
    ("Status not in [Proposed, Enacted]", False),
    ("Title matches /^Draft/", True),
    ("Title matches /^draft/", False),
    ("Title matches '(?i)^draft'", True),
    ("Empty is empty", True),
    ("Year is not empty and Empty is not empty", False),
    ("Year is not empty and Empty is not empty or Status == Enacted", True),
    ("Year is not empty and (Empty is not empty or Status == Enacted)", True),
    ("not Status == Enacted", False),
    ("not (Status == Proposed or Year == 2020)", True),
    ('"Risks: safety and security" == true', True),
    ("Year in ['2020', '2021']", True),
], ids=lambda v: str(v))
def test_conditions(text, expected):
    expr = parse_condition(text, source="m.yaml", where="when")
    assert holds(expr, lambda c: [v for v in [RECORD.get(c, "")] if v], fold,
                 lambda v: fold(v) in {"true", "yes", "y", "1", "t", "x"}) is expected


@pytest.mark.parametrize("raw, expected", [
    ({"any": ["Status == Proposed", "Year == 2021"]}, True),
    ({"all": ["Status == Proposed", "Year == 2021"]}, False),
    ({"not": "Status == Proposed"}, True),
    (["Status == Enacted", "Year matches /^20/"], True),
])
def test_structured_conditions(raw, expected):
    expr = parse_condition(raw, source="m.yaml", where="when")
    assert holds(expr, lambda c: [v for v in [RECORD.get(c, "")] if v], fold,
                 lambda v: False) is expected


@pytest.mark.parametrize("text, message", [
    ("Status ==", "ends too early"),
    ("Status in Enacted", "no test after column"),
    ("Title matches /(/", "bad regular expression"),
    ("(Status == Enacted", "ends too early"),
    ({"either": ["a == b"]}, "one key, all, any or not"),
])
def test_unreadable_conditions_say_what_to_write(text, message):
    with pytest.raises(InputError) as err:
        parse_condition(text, source="m.yaml", where="fields[2].when")
    assert message in str(err.value) and "m.yaml" in str(err.value)
    assert "fields[2].when" in str(err.value)


# ---- a user's own concept scheme ------------------------------------------------------------

SCHEME = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/vocab/> .
ex:sectors a skos:ConceptScheme .
ex:farming a skos:Concept ; skos:inScheme ex:sectors ; skos:notation "farming" ;
    skos:prefLabel "Farming"@en ; skos:altLabel "Agriculture"@en .
ex:schools a skos:Concept ; skos:inScheme ex:sectors ; skos:notation "schools" ;
    skos:prefLabel "Schools"@en .
"""


def test_values_map_to_the_concepts_of_a_users_own_scheme(store, tmp_path):
    (tmp_path / "sectors.ttl").write_text(SCHEME, encoding="utf-8")
    (tmp_path / "d.csv").write_text("id,sector\nx1,agriculture; Schools\nx2,mining\n",
                                    encoding="utf-8")
    spec = {"format": "csv", "prefixes": {"ex": "https://example.org/vocab/"},
            "subject": {"iri": "doc/{id}"},
            "fields": [{"column": "sector", "split": [";", "|"], "property": "dcterms:subject",
                        "map": "ex:sectors", "values": {"agriculture": "farming",
                                                        "schools": "schools",
                                                        "mining": None}}]}
    before = snapshot(store)
    # without the scheme in the store, the value is an error that says how to load it
    with pytest.raises(RecordsRejected) as err:
        load_records(store, tmp_path / "d.csv", parse_mapping(spec, source="own"))
    assert "kg load rdf" in str(err.value)
    assert snapshot(store) == before
    load_rdf(store, [tmp_path / "sectors.ttl"])
    res = load_records(store, tmp_path / "d.csv", parse_mapping(spec, source="own"))
    assert objects(store, DOCS + "x1", DCTERMS.subject) == {"https://example.org/vocab/farming",
                                                            "https://example.org/vocab/schools"}
    assert res.ignored == 1  # "mining" dropped on purpose by the values table


# ---- value checks -------------------------------------------------------------------------

@pytest.mark.parametrize("text, problem", [
    ("https://example.org/a b", "has a space at character 22"),
    ("https://example.org/a\tb", "has a tab at character 22"),
    ("https://example.org/a|b", "has '|' at character 22"),
    ("https://example.org/a%2", "'%' not followed by two hex digits at character 22"),
    ("www.example.org/a", "has no scheme"),
    ("https:/example.org/a", "expected https://host"),
    ("https://exampleorg/a", "has no valid host name"),
    ("http:///a", "has no valid host name"),
], ids=["space", "tab", "pipe", "bad-percent", "no-scheme", "one-slash", "no-dot", "no-host"])
def test_malformed_urls_are_errors_that_say_where(text, problem):
    with pytest.raises(ValueError) as err:
        values.check_iri(text)
    assert problem in str(err.value)


@pytest.mark.parametrize("text", ["https://example.org/c%C3%B3pia", "http://localhost:8080/x",
                                  "urn:isbn:0451450523", "https://[::1]/a",
                                  "https://user@example.org:443/a?b=c#d"])
def test_well_formed_iris_pass_unchanged(text):
    assert values.check_iri(f"  {text} ") == text


@pytest.mark.parametrize("tag, ok", [("en", True), ("pt-BR", True), ("zh-Hans-CN", True),
                                     ("es-419", True), ("eng", True), ("English", False),
                                     ("en_US", False), ("e", False), ("en-", False)])
def test_language_tags(tag, ok):
    if ok:
        assert values.check_language(tag) == tag
    else:
        with pytest.raises(ValueError, match="not a BCP 47 language tag"):
            values.check_language(tag)


@pytest.mark.parametrize("text, formats, expected", [
    ("25/12/2021", ("%d/%m/%Y", "%m/%d/%Y"), ("2021-12-25", "date")),
    ("12/25/2021", ("%d/%m/%Y", "%m/%d/%Y"), ("2021-12-25", "date")),
    ("12/12/2021", ("%d/%m/%Y", "%m/%d/%Y"), ("2021-12-12", "date")),  # both read it alike
    ("2021-03", ("%d/%m/%Y", "%m/%d/%Y"), ("2021-03", "gYearMonth")),
])
def test_dates_that_one_reading_fits(text, formats, expected):
    assert record_input.parse_date(text, formats) == expected


def test_a_date_two_formats_read_differently_is_an_error():
    with pytest.raises(ValueError, match="ambiguous date") as err:
        record_input.parse_date("03/04/2020", ("%d/%m/%Y", "%m/%d/%Y"))
    assert "2020-04-03" in str(err.value) and "2020-03-04" in str(err.value)


@pytest.mark.parametrize("header, expected", [
    (["a", "b", "c"], []),
    (["a", "b", "a"], ['columns 1 and 3 are both named "a"']),
    (["a", "a", "a"], ['columns 1, 2 and 3 are all named "a"']),
    (["a", "", "", "b"], []),  # blank names are judged by their cells, not here
])
def test_header_problems_name_positions(header, expected):
    assert record_input.header_problems(header) == expected


@pytest.mark.parametrize("datatype, text, expected", [
    ("int", "1,024", "1024"),
    ("int", "12.0", "12"),
    ("int", "12.5", None),
    ("int", "Infinity", None),
    ("int", "NaN", None),
    ("decimal", "1E+3", "1000"),
    ("decimal", "0.25", "0.25"),
    ("decimal", "NaN", None),
    ("decimal", "1,5", None),
], ids=lambda v: str(v))
def test_numbers_are_checked(store, tmp_path, datatype, text, expected):
    (tmp_path / "n.csv").write_text(f'id,n\nx,"{text}"\n', encoding="utf-8")
    m = parse_mapping({"format": "csv", "subject": {"iri": "doc/{id}"},
                       "fields": [{"column": "n", "property": "dcterms:extent",
                                   "datatype": datatype}]}, source="n")
    if expected is None:
        with pytest.raises(RecordsRejected, match="not an integer|not a number"):
            load_records(store, tmp_path / "n.csv", m)
    else:
        load_records(store, tmp_path / "n.csv", m)
        assert objects(store, DOCS + "x", DCTERMS.extent) == {expected}
