"""Official member lists, dated overrides and ended memberships: reconciliation rules on small
inputs, the mapping on a fixture, and provenance that names packaged files, not paths."""

from __future__ import annotations

import doctest
import shutil
from pathlib import Path

import pytest

from aicoop import membership_time, provenance, source_policy
from aicoop.errors import InputError
from aicoop.loaders.memberships import (FACTBOOK_URL, MembershipRow, OfficialList, Override,
                                        apply_official_lists, conflict_report,
                                        read_official_lists, read_overrides, reconcile)
from aicoop.namespaces import ORG, SKOS, TIME
from aicoop.provenance import SOFTWARE_AGENT, source_iri
from aicoop.reference import load_ontology, load_reference_data
from aicoop.resources import ontology_dir, reference_dir
from aicoop.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "data" / "records"
ID = "https://w3id.org/aicoop/id/"


@pytest.mark.parametrize("module", [membership_time, source_policy, provenance],
                         ids=lambda m: m.__name__)
def test_the_docstring_examples_hold(module):
    assert doctest.testmod(module).failed == 0


# ---- overrides with dates ----------------------------------------------------------------

def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


HEAD = "state,org,role,since,until,reason,source\n"


def test_an_override_can_end_a_membership_on_a_day(tmp_path):
    p = write(tmp_path, "o.csv", HEAD + "USA,who,member,,2026-01-22,withdrew,https://x.org/a\n"
              "RUS,coe,member,1996-02-28,2022-03-16,excluded,https://x.org/b\n")
    usa, rus = read_overrides(p)
    assert (usa.since, usa.until) == ("", "2026-01-22")
    assert (rus.since, rus.until) == ("1996-02-28", "2022-03-16")


@pytest.mark.parametrize("line, message", [
    ("USA,who,member,,22/01/2026,x,https://x.org", "until must be a day (YYYY-MM-DD)"),
    ("USA,who,member,,2026-02-30,x,https://x.org", "until must be a day (YYYY-MM-DD)"),
    ("USA,who,observer,,2026-01-22,x,https://x.org", "the role must be member"),
    ("USA,who,member,2026-03-01,2026-01-22,x,https://x.org", "must come after since"),
    ("USA,who,member,1948-6,,x,https://x.org", "since must be a year (YYYY) or a day"),
], ids=["format", "no-such-day", "not-member", "before-start", "since-month"])
def test_a_bad_dated_override_is_an_error_with_its_line(tmp_path, line, message):
    p = write(tmp_path, "o.csv", HEAD + line + "\n")
    with pytest.raises(InputError) as err:
        read_overrides(p)
    assert message in str(err.value) and err.value.line == 2


def converter(iso3: str, iso2: str, name: str, tld: str, **cols: str) -> dict[str, str]:
    row = {"ISO3": iso3, "ISO2": iso2, "name_short": name, "ccTLD": tld}
    for col in ("UN", "OECD", "EU", "G7", "G20", "CoE", "BRIC", "APEC"):
        row[col] = cols.get(col, "")
    return row


def factbook(country: str, tld: str, org: str) -> dict[str, str]:
    return {"fips": "xx", "country": country, "cctld": tld, "org": org, "qualifier": "",
            "raw": org}


CC = [converter("AAA", "AA", "Aland", "aa", UN="1945"),
      converter("BBB", "BB", "Bland", "bb", UN="1960")]
FB = [factbook("Aland", ".aa", "WHO"), factbook("Bland", ".bb", "WHO")]


def test_a_withdrawal_keeps_the_row_with_its_end_and_is_reported():
    rec = reconcile(FB, CC, [Override("BBB", "who", "member", "", "withdrew",
                                      "https://x.org/w", 2, "2026-01-22")])
    bbb = next(m for m in rec.memberships if m.state == "BBB")
    assert (bbb.role, bbb.end_date) == ("member", "2026-01-22")
    assert bbb.source == f"https://x.org/w | {FACTBOOK_URL}"
    assert rec.count("who") == 2 and rec.count("who", on="2026-01-22") == 1
    assert rec.count("who", on="2026-01-21") == 2
    reported = {(c.state, c.org): c for c in rec.conflicts}
    assert reported[("BBB", "who")].resolution == "member until 2026-01-22"


def test_an_override_with_a_day_fills_start_date_and_the_year():
    rec = reconcile(FB, CC, [Override("AAA", "who", "member", "1948-06-21", "joined",
                                      "https://x.org/j", 2)])
    aaa = next(m for m in rec.memberships if m.state == "AAA")
    assert (aaa.since, aaa.start_date, aaa.end_date) == ("1948", "1948-06-21", "")


# ---- official member lists ---------------------------------------------------------------

LIST_HEAD = "org,url,title,members,not_states,checked,note\n"


def test_the_official_list_leads_the_sources_and_its_count_is_checked():
    who = OfficialList("who", "https://www.who.int/members", "Member States", 2, "2026-01-21")
    rec = reconcile(FB, CC, [Override("BBB", "who", "member", "", "withdrew",
                                      "https://x.org/w", 2, "2026-01-22")], [who])
    aaa = next(m for m in rec.memberships if m.state == "AAA")
    assert aaa.source == f"https://www.who.int/members | {FACTBOOK_URL}"
    # checked the day before the withdrawal: both members were in force
    assert [(c.org, c.official, c.found, c.agrees) for c in rec.list_checks] == [
        ("who", 2, 2, True)]
    assert "## Official member lists" in conflict_report(rec)
    assert "who" not in rec.single_source()


def test_a_count_that_disagrees_with_the_official_list_is_a_conflict():
    who = OfficialList("who", "https://www.who.int/members", "Member States", 3, "2026-12-01")
    rec = reconcile(FB, CC, [], [who])
    check = rec.list_checks[0]
    assert (check.official, check.found, check.agrees) == (3, 2, False)
    row = next(c for c in rec.conflicts if c.state == "*")
    assert row.org == "who" and "gives 3 full members; the sources give 2" in row.reason
    assert "| who | https://www.who.int/members | 3 | 2 | NO |" in conflict_report(rec)


def test_members_not_modelled_are_taken_off_the_official_count():
    rows = [MembershipRow("AAA", "wto", "member", "", FACTBOOK_URL)]
    lst = OfficialList("wto", "https://www.wto.org/m", "Members", 4, "2026-12-01",
                       not_states=3)
    _, checks = apply_official_lists(rows, [lst])
    assert (checks[0].official, checks[0].found) == (1, 1)


def test_observers_do_not_get_the_official_list_as_source():
    rows = [MembershipRow("AAA", "coe", "observer", "", FACTBOOK_URL)]
    lst = OfficialList("coe", "https://www.coe.int/m", "Members", 0, "2026-12-01")
    out, _ = apply_official_lists(rows, [lst])
    assert out[0].source == FACTBOOK_URL


@pytest.mark.parametrize("line, message", [
    ("xyz,https://x.org,t,3,0,2026-12-01,", "unknown organisation 'xyz'"),
    ("who,http://x.org,t,3,0,2026-12-01,", "url must be an https URL"),
    ("who,https://x.org,t,many,0,2026-12-01,", "members must be a whole number"),
    ("who,https://x.org,t,3,0,December 2026,", "checked must be a day"),
    ("who,https://x.org,t,3,4,2026-12-01,", "not_states must be a whole number no larger"),
], ids=["org", "url", "members", "checked", "not-states"])
def test_a_bad_official_list_is_an_error_with_its_line(tmp_path, line, message):
    p = write(tmp_path, "l.csv", LIST_HEAD + line + "\n")
    with pytest.raises(InputError) as err:
        read_official_lists(p)
    assert message in str(err.value) and err.value.line == 2


def test_one_official_list_per_organisation(tmp_path):
    p = write(tmp_path, "l.csv", LIST_HEAD + "who,https://a.org,t,3,0,2026-12-01,\n"
              "who,https://b.org,t,3,0,2026-12-01,\n")
    with pytest.raises(InputError, match="a second official list for 'who'"):
        read_official_lists(p)


def test_the_shipped_official_lists_read():
    lists = {o.org: o for o in read_official_lists(reference_dir() / "membership-lists.csv")}
    assert {k: o.members - o.not_states for k, o in lists.items()} == {
        "un": 193, "oecd": 38, "nato": 32, "coe": 46, "eu": 27, "asean": 11, "wto": 163,
        # WMO: 193 Members = 187 Member States + 6 Territories; of the States, the Cook Islands
        # and Niue are not UN members -> 193 - 6 - 2 = 185. IMF: 191 members, Kosovo not
        # modelled -> 190.
        # FAO: 194 Member Nations + the EU (a Member Organization) - Cook Islands - Niue -> 193.
        # OAS: the page lists 34 Member States (Nicaragua gone since 19 November 2023).
        # ITU: 194 Member States since Palau (19 September 2024) = the 193 UN members and the
        # Holy See, all modelled. ILO: 187 = 186 UN members + the Cook Islands (not modelled)
        # -> 186. WIPO: 193, of which Niue is not modelled -> 192.
        "wmo": 185, "imf": 190, "fao": 193, "oas": 34, "itu": 194, "ilo": 186, "wipo": 192}


# ---- the mapping on a fixture: an ended membership ---------------------------------------

@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory) -> EmbeddedStore:
    d = tmp_path_factory.mktemp("reference")
    for f in (FIXTURES / "reference").glob("*.csv"):
        shutil.copy(f, d / f.name)
    for m in reference_dir().glob("*.mapping.yaml"):
        shutil.copy(m, d / m.name)
    s = EmbeddedStore(None)
    load_ontology(s)
    load_reference_data(s, d)
    return s


def objects(store, subject: str, prop: str) -> set[str]:
    return {q.object.value for q in store.quads()
            if q.subject.value == subject and q.predicate.value == prop}


def test_an_ended_membership_has_an_end_and_no_member_of_link(fixture_store):
    s, m = fixture_store, ID + "membership/usa/who/member"
    assert objects(s, m, ORG.role) == {ID + "role/member"}
    assert objects(s, ID + "role/member", SKOS.notation) == {"member"}
    assert objects(s, m + "/during", TIME.hasEnd) == {m + "/end"}
    assert objects(s, m + "/end", TIME.inXSDDate) == {"2026-01-22"}
    assert objects(s, m + "/during", TIME.hasBeginning) == set()
    assert ID + "org/who" not in objects(s, ID + "state/usa", ORG.memberOf)
    # a membership in force keeps its short link
    assert ID + "org/nato" in objects(s, ID + "state/fin", ORG.memberOf)


# ---- provenance names packaged files by version and name, never by path ------------------

def test_a_packaged_file_is_named_by_the_package_version_and_its_name_inside():
    assert source_iri(reference_dir() / "states.csv") == (
        f"{SOFTWARE_AGENT}/data/reference/states.csv")
    assert source_iri(ontology_dir() / "aicoop.ttl") == f"{SOFTWARE_AGENT}/ontology/aicoop.ttl"
    assert source_iri("https://example.org/x.csv") == "https://example.org/x.csv"


def test_a_user_file_keeps_its_file_uri(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("a\n", encoding="utf-8")
    assert source_iri(f) == f.resolve().as_uri()


def test_the_default_build_records_no_local_path():
    from aicoop.reference import build_reference
    s = EmbeddedStore(None)
    build_reference(s)
    iris = {t.value for q in s.quads() for t in (q.subject, q.object)
            if hasattr(t, "value")}
    assert not [i for i in iris if i.startswith("file:")]
    assert f"{SOFTWARE_AGENT}/data/reference/memberships.csv" in iris


# ---- the derivation rule: roles, plain memberships, ends ---------------------------------

RULE_DATA = """@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
ex:full a org:Membership ; org:member ex:a ; org:organization ex:o ; org:role ex:memberRole .
ex:memberRole skos:notation "member" .
ex:obs a org:Membership ; org:member ex:b ; org:organization ex:o ; org:role ex:observerRole .
ex:observerRole skos:notation "observer" .
ex:unnamed a org:Membership ; org:member ex:c ; org:organization ex:o ; org:role ex:someRole .
ex:plain a org:Membership ; org:member ex:d ; org:organization ex:o .
ex:ended a org:Membership ; org:member ex:e ; org:organization ex:o ; org:role ex:memberRole ;
    org:memberDuring [ time:hasEnd [ time:inXSDDate "2020-02-01"^^xsd:date ] ] .
ex:ending a org:Membership ; org:member ex:f ; org:organization ex:o ; org:role ex:memberRole ;
    org:memberDuring [ time:hasEnd [ time:inXSDgYear "2999"^^xsd:gYear ] ] .
"""


def test_the_rule_links_full_and_plain_members_in_force_only(tmp_path):
    from aicoop.derive import derive
    from aicoop.loaders.rdf import load_rdf
    data = tmp_path / "m.ttl"
    data.write_text(RULE_DATA, encoding="utf-8")
    s = EmbeddedStore(None)
    load_rdf(s, [str(data)])
    derive(s)
    members = {q.subject.value.rsplit("/", 1)[-1] for q in s.quads()
               if q.predicate.value == ORG.memberOf}
    # a: full member; d: a membership with no role; f: leaves in 2999. Not b (observer),
    # c (a role that is not membership), e (left in 2020).
    assert members == {"a", "d", "f"}
    has = {q.object.value.rsplit("/", 1)[-1] for q in s.quads()
           if q.predicate.value == ORG.hasMember}
    assert has == members
