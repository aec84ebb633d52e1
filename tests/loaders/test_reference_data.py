"""The packaged reference data: its mappings on small fixtures of our own, the acceptance
checks on the curated files (sources, keys, issuers, counts), the default build, and the two
third-party corpora through their example mappings (skipped when ../shared/data is absent)."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from aicoop.errors import InputError
from aicoop.loaders.mapping import parse_mapping
from aicoop.loaders.records import load_records
from aicoop.namespaces import AIC, DCTERMS, FOAF, ORG, OWL, RDF, TIME, concept
from aicoop.reference import (build_reference, load_ontology, load_reference_data,
                              reference_files, reference_graph)
from aicoop.resources import reference_dir
from aicoop.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "data" / "records"
SHARED = REPO.parent / "shared" / "data"
REF = reference_dir()
ID = "https://w3id.org/aicoop/id/"
ELEVEN = ("un", "oecd", "nato", "wto", "eu", "au", "asean", "g7", "g20", "coe", "brics")


def rows(name: str) -> list[dict[str, str]]:
    path = REF / name
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def objects(store, subject: str, prop: str) -> set[str]:
    return {q.object.value for q in store.quads()
            if q.subject.value == subject and q.predicate.value == prop}


@pytest.fixture(scope="module")
def built() -> EmbeddedStore:
    """The default store, built from the packaged files (strictly)."""
    s = EmbeddedStore(None)
    build_reference(s)
    return s


# ---- the mappings, on fixtures of our own ------------------------------------------------

@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory) -> EmbeddedStore:
    """Ontology and vocabularies, then the fixture reference files through the packaged
    mappings (copied beside them, as they sit in the package)."""
    d = tmp_path_factory.mktemp("reference")
    for f in (FIXTURES / "reference").glob("*.csv"):
        shutil.copy(f, d / f.name)
    for m in REF.glob("*.mapping.yaml"):
        shutil.copy(m, d / m.name)
    s = EmbeddedStore(None)
    load_ontology(s)
    loads = load_reference_data(s, d)
    assert [Path(r.source).name for r in loads] == [
        "states.csv", "organisations.csv", "memberships.csv", "org_functions.csv",
        "initiatives.csv", "documents-test.csv"]
    assert all(r.unresolved == () for r in loads)
    return s


def test_organisations_get_their_kind_names_and_links(fixture_store):
    s, who = fixture_store, ID + "org/who"
    assert objects(s, who, RDF.type) == {ORG.FormalOrganization, AIC.Organisation,
                                         AIC.UNSystemEntity}
    assert objects(s, who, AIC.acronym) == {"WHO", "OMS"}
    assert "Organisation mondiale de la Santé" in objects(s, who, "http://www.w3.org/2004/02/"
                                                         "skos/core#prefLabel")
    assert objects(s, who, AIC.headquarters) == {ID + "state/che"}
    assert objects(s, who, OWL.sameAs) == {"http://www.wikidata.org/entity/Q7817"}
    assert objects(s, who, AIC.wikidataId) == {"Q7817"}
    assert objects(s, who, ORG.subOrganizationOf) == {ID + "org/un"}
    assert objects(s, who, AIC.foundingYear) == {"1948"}
    assert objects(s, who, DCTERMS.source) == {"https://www.who.int",
                                               "https://www.wikidata.org/wiki/Q7817"}
    assert objects(s, ID + "org/nato", RDF.type) >= {AIC.SecurityAlliance}


def test_states_and_memberships(fixture_store):
    s = fixture_store
    fin = ID + "state/fin"
    assert objects(s, fin, RDF.type) == {AIC.State, ORG.FormalOrganization}
    assert objects(s, fin, "http://www.w3.org/2004/02/skos/core#notation") == {"FIN", "FI"}
    assert objects(s, fin, ORG.memberOf) == {ID + "org/nato", ID + "org/un"}
    m = ID + "membership/fin/nato/member"
    assert objects(s, m, ORG.member) == {fin}
    assert objects(s, m, ORG.organization) == {ID + "org/nato"}
    assert objects(s, m, ORG.role) == {ID + "role/member"}
    assert objects(s, m + "/start", TIME.inXSDgYear) == {"2023"}
    # a partner is not org:memberOf
    assert ID + "org/nato" not in objects(s, ID + "state/che", ORG.memberOf)
    assert objects(s, ID + "membership/che/nato/partner", ORG.role) == {ID + "role/partner"}


def test_function_roles_and_initiatives(fixture_store):
    s, who = fixture_store, ID + "org/who"
    role = ID + "org/who/function/norm-setting/health"
    assert objects(s, role, RDF.type) == {AIC.FunctionRole}
    assert objects(s, role, AIC.function) == {concept("functions", "norm-setting")}
    assert objects(s, role, AIC.inDomain) == {concept("domains", "health")}
    assert role in objects(s, who, AIC.hasFunctionRole)
    assert objects(s, who, AIC.performsFunction) == {concept("functions", "norm-setting"),
                                                     concept("functions", "monitoring")}
    ini = ID + "initiative/test-focus-group"
    assert objects(s, ini, AIC.partner) == {who, ID + "org/un"}
    assert objects(s, ini, AIC.initiativeType) == {"focus-group"}
    assert objects(s, ini, AIC.foundingYear) == {"2018"}
    assert objects(s, ini, AIC.partnerOf) == set()  # derived by rule, not loaded


def test_documents(fixture_store):
    s, doc = fixture_store, ID + "doc/test-doc"
    assert objects(s, doc, AIC.issuedBy) == {ID + "org/who", ID + "org/un"}
    issued = [q.object for q in s.quads() if q.subject.value == doc
              and q.predicate.value == DCTERMS.issued]
    assert [(o.value, o.datatype.value.rsplit("#")[-1]) for o in issued] == [("2021-06",
                                                                            "gYearMonth")]
    assert objects(s, doc, AIC.mitigatesRisk) == {concept("risks", "privacy")}
    assert objects(s, doc, AIC.promisesBenefit) == {concept("benefits", "health-outcomes")}
    assert objects(s, doc, AIC.pathway) == {concept("pathways", "risk-mitigation")}
    assert objects(s, doc, FOAF.page) == {"https://example.org/doc"}
    assert objects(s, doc, DCTERMS.language) == {"en"}


def test_each_reference_file_has_its_own_graph(fixture_store):
    graphs = {g.iri for g in fixture_store.graphs()}
    assert {reference_graph(n) for n in ("states", "organisations", "memberships",
                                         "documents-test")} <= graphs


def test_an_unknown_issuer_in_our_own_data_fails_the_build_with_the_record(tmp_path):
    for f in (FIXTURES / "reference-bad").glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    for m in REF.glob("*.mapping.yaml"):
        shutil.copy(m, tmp_path / m.name)
    target = EmbeddedStore(None)
    with pytest.raises(InputError) as err:
        build_reference(target, directory=tmp_path)
    assert err.value.source.endswith("documents-bad.csv")
    assert 'record 2 (line 3), field "issuers": "w.h.o"' in str(err.value)
    assert target.is_empty()  # built in a scratch store: nothing reached the target


# ---- the curated files: acceptance criteria ----------------------------------------------

CURATED = ["organisations.csv", "org_functions.csv", "initiatives.csv", "states.csv",
           "memberships.csv"] + sorted(p.name for p in REF.glob("documents-*.csv"))


@pytest.mark.parametrize("name", CURATED)
def test_every_row_has_a_source_url(name):
    data = rows(name)
    if not data:
        pytest.skip(f"{name} is not there yet")
    missing = [i + 2 for i, r in enumerate(data) if not split(r.get("source"))]
    assert not missing, f"{name}: rows without a source on lines {missing}"
    bad = [(i + 2, u) for i, r in enumerate(data) for u in split(r.get("source"))
           if not u.startswith(("https://", "http://"))]
    assert not bad, f"{name}: sources that are not URLs: {bad}"


def test_organisation_keys_are_unique_slugs():
    keys = [r["key"] for r in rows("organisations.csv")]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", k) for k in keys)


@pytest.mark.parametrize("name, column", [("organisations.csv", "wikidata"),
                                          ("states.csv", "wikidata")])
def test_wikidata_ids_look_like_item_ids(name, column):
    bad = [r[column] for r in rows(name) if r.get(column) and not re.fullmatch(r"Q[1-9]\d*",
                                                                              r[column])]
    assert not bad


def test_documents_issuers_resolve_and_the_default_build_is_strict(built):
    # the build loads organisations.csv and every organisations-*.csv beside it
    keys = {r["key"] for p in REF.glob("organisations*.csv") for r in rows(p.name)}
    # a documents file with its own mapping that maps issuers to actors (documents-intl.csv,
    # and any slice that copied it) may also name States (ISO3) as issuers
    states = {r["iso3"] for r in rows("states.csv")}
    for name in sorted(p.name for p in REF.glob("documents-*.csv")):
        own = REF / name.replace(".csv", ".mapping.yaml")
        by_actor = own.exists() and "map: actor" in own.read_text(encoding="utf-8")
        allowed = keys | states if by_actor else keys
        unknown = {i for r in rows(name) for i in split(r["issuers"])} - allowed
        assert not unknown, f"{name}: issuers that are no organisation key: {sorted(unknown)}"
    assert any(g.iri == reference_graph("organisations") for g in built.graphs())


def test_at_least_45_organisations_have_wikidata_ids():
    assert sum(1 for r in rows("organisations.csv") if r.get("wikidata")) >= 45


def test_at_least_150_documents_are_complete():
    docs = [r for p in sorted(REF.glob("documents-*.csv")) for r in rows(p.name)]
    complete = [r for r in docs if r["title"] and split(r["issuers"]) and r["date"]
                and r["url"] and split(r["domains"])]
    assert len(complete) >= 150


def test_at_least_15_initiatives():
    assert len(rows("initiatives.csv")) >= 15


@pytest.mark.parametrize("org", ELEVEN)
def test_memberships_for_the_eleven_organisations(built, org):
    n = built.select("SELECT ?o (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s org:memberOf ?o } "
                     "GROUP BY ?o", params={"o": ox.NamedNode(ID + "org/" + org)}).values()
    assert n and n[0]["n"] > 0


def test_every_packaged_file_loads_through_a_mapping():
    loaded = {p.name for p, _ in reference_files()}
    # the overrides and the official member lists are input to `kg load memberships`
    data = {p.name for p in REF.glob("*.csv")} - {"membership-overrides.csv",
                                                   "membership-lists.csv"}
    assert loaded == data


def test_the_build_summary_is_one_line():
    s = EmbeddedStore(None)
    summary = build_reference(s)
    assert "\n" not in summary and "reference files" in summary


# ---- third-party corpora through their example mappings ----------------------------------

CORPORA = [
    ("worldwide-ai-ethics/data_processed.json", "worldwide-ai-ethics.yaml", 200),
    ("agora/documents.csv", "agora.yaml", 738),
]


@pytest.fixture(scope="module")
def corpus_store(built) -> EmbeddedStore:
    if not SHARED.is_dir():
        pytest.skip(f"the shared third-party data is not at {SHARED}")
    return built


@pytest.mark.parametrize("data, mapping, n", CORPORA, ids=["worldwide-ai-ethics", "agora"])
def test_third_party_corpora_load_and_reload_without_change(corpus_store, data, mapping, n):
    path = SHARED / data
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    m = REPO / "examples" / "mappings" / mapping
    first = load_records(corpus_store, path, m)
    assert (first.records, first.loaded) == (n, n)
    assert first.minted  # issuers outside the reference data become organisations
    second = load_records(corpus_store, path, m)
    assert second.triples == first.triples
    assert len(second.unresolved) == len(first.unresolved)
    assert {g.iri: g.triples for g in corpus_store.graphs()}[first.graph] == (
        {g.iri: g.triples for g in corpus_store.graphs()}[second.graph])


def test_reference_issuers_in_third_party_corpora_link_to_the_reference(corpus_store):
    path = SHARED / "worldwide-ai-ethics" / "data_processed.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    res = load_records(corpus_store, path, REPO / "examples/mappings/worldwide-ai-ethics.yaml")
    issuers = {q.object.value for q in corpus_store.quads(res.graph)
               if q.predicate.value == AIC.issuedBy}
    assert ID + "org/unesco" in issuers
    assert all(i.startswith(ID + "org/") for i in issuers)


def test_agora_tags_count_only_for_annotated_rows(corpus_store):
    path = SHARED / "agora" / "documents.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    res = load_records(corpus_store, path, REPO / "examples/mappings/agora.yaml")
    with path.open(encoding="utf-8", newline="") as fh:
        plain = {r["AGORA ID"] for r in csv.DictReader(fh) if r["Annotated?"] != "True"}
    tagged = {q.subject.value.rsplit("-", 1)[-1] for q in corpus_store.quads(res.graph)
              if q.predicate.value in (AIC.addressesDomain, AIC.identifiesRisk)}
    assert tagged and not tagged & plain


def test_unresolved_issuers_are_reported_with_record_numbers_when_not_minted(corpus_store,
                                                                            tmp_path):
    path = SHARED / "agora" / "documents.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    spec = yaml.safe_load((REPO / "examples/mappings/agora.yaml").read_text(encoding="utf-8"))
    authority = next(f for f in spec["fields"] if f.get("column") == "Authority")
    authority["unresolved"] = "report"
    del authority["mint"]
    # a store without the corpora loaded by the other tests, whose minted organisations
    # would resolve these names
    fresh = EmbeddedStore(None)
    build_reference(fresh)
    res = load_records(fresh, path, parse_mapping(spec, source="agora, report"),
                       graph="https://example.org/graph/agora")
    assert res.minted == () and len(res.unresolved) > 100
    first = res.unresolved[0]
    # a CSV record may span lines (quoted summaries): its line is at least its number + 1
    assert first.field == "Authority" and first.line >= first.record + 1
    assert "United States Congress" in {u.value for u in res.unresolved}


def test_no_shipped_data_file_holds_a_merge_conflict():
    """Parallel data branches meet in the same append-only tables; a conflict left in a
    Markdown or YAML file would not trip a CSV reader."""
    from aicoop.resources import package_dir
    found = [f"{p.name}:{n}" for p in sorted((package_dir() / "data").rglob("*"))
             if p.is_file() and p.suffix in {".csv", ".md", ".yaml", ".ttl", ".json"}
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line == "======="]
    assert not found
