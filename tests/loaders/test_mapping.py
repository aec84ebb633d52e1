"""Parsing and checking mapping files: templates, conditions, and errors that name the file
and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from aicoop.errors import InputError
from aicoop.loaders.mapping import (Placeholder, load_mapping, parse_condition, parse_mapping,
                                    parse_template)
from aicoop.namespaces import AIC, DCTERMS, ORG, SCHEMES
from aicoop.resources import reference_dir

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "records"


def minimal(**fields) -> dict:
    base = {"format": "csv", "subject": {"iri": "doc/{key}"},
            "fields": [{"column": "title", "property": "dcterms:title"}]}
    base.update(fields)
    return base


# ---- templates and conditions ------------------------------------------------------------

@pytest.mark.parametrize("text, parts", [
    ("{base}id/doc/{key}", [(None, ("base",)), "id/doc/", (None, ("key",))]),
    ("doc/{slug(title)}", ["doc/", ("slug", ("title",))]),
    ("doc/{hash(title, year)}", ["doc/", ("hash", ("title", "year"))]),
    ("doc/agora-{AGORA ID}", ["doc/agora-", (None, ("AGORA ID",))]),
], ids=["base-and-column", "slug", "hash-of-two", "column-with-space"])
def test_templates_split_into_text_and_placeholders(text, parts):
    got = [p if isinstance(p, str) else (p.func, p.args) for p in parse_template(text).parts]
    assert got == parts


@pytest.mark.parametrize("text, message", [
    ("doc/{nope(title)}", "unknown function 'nope'"),
    ("doc/{}", "empty placeholder"),
    ("doc/{key", "unbalanced braces"),
    ("doc/{slug()}", "needs at least one column"),
], ids=["unknown-function", "empty", "unbalanced", "no-argument"])
def test_bad_templates_are_explained(text, message):
    with pytest.raises(InputError, match=message):
        parse_template(text, source="m.yaml", where="subject.iri")


@pytest.mark.parametrize("text, column, op, value", [
    ("Annotated? == True", "Annotated?", "==", "True"),
    ("kind != 'law'", "kind", "!=", "law"),
    ("url is not empty", "url", "not-empty", None),
    ("url is empty", "url", "empty", None),
], ids=["equals", "not-equals-quoted", "not-empty", "empty"])
def test_conditions(text, column, op, value):
    c = parse_condition(text, source="m.yaml", where="when")
    assert (c.column, c.op, c.value) == (column, op, value)


# ---- whole mappings ----------------------------------------------------------------------

def test_a_mapping_expands_prefixes_and_schemes():
    m = parse_mapping(yaml.safe_load((DATA / "docs.mapping.yaml").read_text()), source="docs")
    assert m.format == "csv"
    assert m.subject.classes == (AIC.PolicyDocument,)
    assert m.subject.required == ("key", "title") and m.subject.unique
    by_col = {f.column: f for f in m.fields}
    assert by_col["title"].property == DCTERMS["title"] and by_col["title"].lang == "en"
    assert by_col["issuers"].split == ("|",) and by_col["issuers"].map == "organisation"
    assert by_col["domains"].map == SCHEMES["domains"][0]
    assert by_col["url"].datatype == "iri"
    assert m.columns() >= {"key", "title", "issuers", "domains", "source"}


def test_nested_nodes_and_conditions_parse():
    m = load_mapping(DATA / "members.mapping.yaml")
    since = next(f for f in m.fields if f.column == "since")
    assert since.node is not None and since.node.classes[0].endswith("time#Interval")
    inner = since.node.fields[0].node
    assert inner is not None and inner.fields[0].datatype == "gYear"
    assert isinstance(since.node.iri.parts[0], Placeholder)
    tagged = load_mapping(DATA / "tagged.mapping.yaml")
    assert tagged.when[0].op == "not-empty"
    flags = next(f for f in tagged.fields if f.flags)
    assert dict(flags.flags)["Applications: Education"] == ("education",)
    assert flags.when[0].column == "Annotated?"


@pytest.mark.parametrize("change, where, message", [
    # the first few break the language's schema (mapping.schema.json); the others its meaning
    ({"format": "xlsx"}, "format", "use one of csv, tsv"),
    ({"fields": [{"column": "title", "property": "aic:tittle"}]}, "fields[1] (title).property",
     "aic:tittle is not a term of the ontology"),
    ({"fields": [{"column": "title", "property": "nope:title"}]}, "fields[1] (title).property",
     "not an IRI or a known prefix:name"),
    ({"fields": [{"column": "title"}]}, "fields[1] (title)", "needs a property"),
    ({"fields": [{"property": "dcterms:title"}]}, "fields[1] (dcterms:title)", "needs a source"),
    ({"fields": [{"column": "d", "property": "dcterms:issued", "datatype": "datetime"}]},
     "fields[1].datatype", "'datetime' is not allowed"),
    ({"fields": [{"column": "d", "property": "dcterms:title", "lang": "english please"}]},
     "fields[1].lang", "not a BCP 47 language tag"),
    ({"fields": [{"column": "d", "property": "aic:issuedBy", "map": "planets"}]},
     "fields[1] (d).map", "unknown target 'planets'"),
    ({"fields": [{"column": "d", "property": "aic:issuedBy", "map": "domains",
                  "unresolved": "mint"}]}, "fields[1] (d).unresolved", "mint applies to"),
    ({"fields": [{"column": "d", "property": "dcterms:title", "colour": "red"}]},
     "fields[1]", "unknown key(s) colour"),
    ({"subject": {"class": "aic:PolicyDocument"}}, "subject", "needs the key 'iri'"),
    ({"records": "data.items"}, "records", "applies to json and yaml only"),
], ids=["format", "misspelt-aic-term", "unknown-prefix", "no-property", "no-source",
        "datatype", "lang", "map-target", "mint-on-concepts", "unknown-key", "subject-iri",
        "records-on-csv"])
def test_mapping_errors_name_the_file_and_the_field(change, where, message):
    with pytest.raises(InputError) as err:
        parse_mapping(minimal(**change), source="corpus.mapping.yaml")
    text = str(err.value)
    assert text.startswith("corpus.mapping.yaml: ")
    assert where in text
    assert message in text


def test_yaml_syntax_errors_give_the_line(tmp_path):
    bad = tmp_path / "bad.mapping.yaml"
    bad.write_text("format: csv\nsubject:\n  iri: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_mapping(bad)
    assert err.value.source == str(bad)
    assert err.value.line is not None
    assert "not valid YAML" in str(err.value)


def test_a_missing_mapping_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such mapping file"):
        load_mapping(tmp_path / "nope.yaml")


@pytest.mark.parametrize("path", sorted(reference_dir().glob("*.mapping.yaml"))
                         + sorted((REPO / "examples" / "mappings").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_every_shipped_mapping_parses(path):
    m = load_mapping(path)
    assert m.fields
    assert m.subject.iri is not None


def test_reference_mappings_type_what_the_docs_say():
    orgs = load_mapping(reference_dir() / "organisations.mapping.yaml")
    assert ORG.FormalOrganization in orgs.subject.classes
    kind = next(f for f in orgs.fields if f.column == "kind")
    assert kind.map == "class"
    members = load_mapping(reference_dir() / "memberships.mapping.yaml")
    assert members.subject.classes == (ORG.Membership,)
    assert {f.property for f in members.fields} >= {ORG.member, ORG.organization, ORG.role,
                                                   ORG.memberDuring}
