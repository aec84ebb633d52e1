"""The source policy: its rules on hand-made URLs and rows, its tables, and every shipped
document, membership and reference row held to it."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from aicoop.errors import InputError
from aicoop.loaders.memberships import read_official_lists, read_overrides
from aicoop.resources import reference_dir
from aicoop.source_policy import (Exception_, OfficialDomain, Policy, check_row, check_url,
                                  duplicate_key, duplicates, load_policy, normalise_title, policy_dir,
                                  split_cell, staging_reason, tracking_params)

REF = reference_dir()


@pytest.fixture(scope="module")
def policy() -> Policy:
    """The shipped policy, read inside the tests (so a broken reader fails them)."""
    return load_policy()


def rows(name: str) -> list[dict[str, str]]:
    with (REF / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def document_files() -> list[str]:
    return sorted(p.name for p in REF.glob("documents-*.csv"))


#: every organisation register the build loads: organisations.csv and organisations-*.csv
ORGS = {r["key"]: r for name in sorted(p.name for p in REF.glob("organisations*.csv"))
        for r in rows(name)}
#: States issue some declarations (summit texts); their government sites are their own
STATES = {r["iso3"] for r in rows("states.csv")}


def with_parents(keys: list[str]) -> list[str]:
    """The organisations and the bodies they belong to (a WHO page is a UN-system page)."""
    out: list[str] = []
    for k in keys:
        while k and k not in out:
            out.append(k)
            k = ORGS.get(k, {}).get("parent", "")
    return out


# ---- the rules, on hand-made inputs ------------------------------------------------------

SMALL = Policy(
    domains=(OfficialDomain("who.int", "who", "site"),
             OfficialDomain("undocs.org", "un", "document-system"),
             OfficialDomain("doi.org/10.1787/", "oecd", "identifier"),
             OfficialDomain("g20.org", "g20", "presidency")),
    blocked={"docslib.org": "a content farm"},
    exceptions=(Exception_("m.csv", "*/wmo/member", "official-source", "single source"),))


@pytest.mark.parametrize("url, orgs, expected", [
    ("https://www.who.int/publications/x", ["who"], True),        # a subdomain counts
    ("https://iris.who.int/handle/1", ["who"], True),
    ("https://who.int.example.com/x", ["who"], False),            # not a suffix match
    ("https://www.who.int/x", ["oecd"], False),                   # another issuer's site
    ("https://www.who.int/x", None, True),                        # any organisation
    ("https://undocs.org/A/RES/78/265", ["who"], True),           # document systems serve all
    ("https://doi.org/10.1787/abc-en", ["who"], True),            # an OECD DOI
    ("https://doi.org/10.4060/cb7943en", None, False),            # another DOI prefix
    ("https://www.g20.org/en/x", ["g20"], True),
    ("https://www.g20.org/en/x", ["g7"], False),                  # a presidency site is its own
], ids=["site", "subdomain", "lookalike", "other-issuer", "any-org", "document-system",
        "doi-prefix", "other-doi", "presidency", "other-presidency"])
def test_which_addresses_are_official(url, orgs, expected):
    assert SMALL.official(url, orgs) is expected


@pytest.mark.parametrize("url, flagged", [
    ("https://web.dev.ohchr.un-icc.cloud/en/business-and-human-rights/b-tech-project", True),
    ("https://devdiscourse-testslot.azurewebsites.net/article/x", True),
    ("https://staging.example.org/x", True),
    ("https://my-app.herokuapp.com/x", True),
    ("https://www.ohchr.org/en/x", False),
    ("https://developer.mozilla.org/x", False),
    ("https://www.latestnews.org/x", False),
], ids=["dev-label", "testslot", "staging", "heroku", "ohchr", "developer", "latest"])
def test_staging_hosts(url, flagged):
    assert (staging_reason(url) is not None) is flagged


def test_tracking_parameters():
    assert tracking_params("https://www.who.int/x?utm_source=a&utm_medium=b&id=3") == [
        "utm_source", "utm_medium"]
    assert tracking_params("https://x.org/p?fbclid=1&gclid=2") == ["fbclid", "gclid"]
    assert tracking_params("https://x.org/p?page=2&lang=en") == []


def test_check_url_names_each_breach():
    rules = [r for r, _ in check_url(SMALL, "https://docslib.org/doc/1?utm_campaign=x")]
    assert rules == ["blocked-host", "tracking"]
    assert [r for r, _ in check_url(SMALL, "ftp://who.int/x")] == ["url"]
    assert check_url(SMALL, "https://www.who.int/x") == []


def test_a_row_needs_an_official_source_and_an_issuer_url():
    ok = check_row(SMALL, "d.csv", "k", ["https://www.who.int/a"], ["who"],
                   url="https://www.who.int/a")
    assert ok == []
    bad = check_row(SMALL, "d.csv", "k", ["https://blog.example.org/a"], ["who"],
                    url="https://blog.example.org/a")
    assert [f.rule for f in bad] == ["official-source", "issuer-url"]
    assert "source-exceptions.csv" in bad[0].message
    empty = check_row(SMALL, "d.csv", "k", ["https://www.who.int/a"], ["who"], url="")
    assert [(f.rule, f.message) for f in empty] == [("issuer-url", "the document has no url")]


def test_an_exception_waives_its_rule_for_matching_keys_only():
    assert check_row(SMALL, "m.csv", "FRA/wmo/member", ["https://x.org"], ["wmo"]) == []
    still = check_row(SMALL, "m.csv", "FRA/wmo/observer", ["https://x.org"], ["wmo"])
    assert [f.rule for f in still] == ["official-source"]
    other_file = check_row(SMALL, "n.csv", "FRA/wmo/member", ["https://x.org"], ["wmo"])
    assert [f.rule for f in other_file] == ["official-source"]


def test_titles_normalise_and_duplicates_are_found():
    assert normalise_title("The Rome Call: for AI Ethics!") == "rome call for ai ethics"
    assert normalise_title("A Global Digital Compact") == "global digital compact"
    assert normalise_title("An Agenda for Peace") == "agenda for peace"
    assert normalise_title("Agenda for Peace") == "agenda for peace"      # not an article
    assert duplicate_key("T", ["b", "a", "a"], "") == ("t", ("a", "b"), "")
    assert duplicate_key("T", ["a"], "2023-06-01")[2] == "2023"
    assert normalise_title("Évaluation de l’IA") == normalise_title("evaluation de l IA")
    found = duplicates([
        ("a", "Toolkit for Responsible AI Innovation in Law Enforcement", ["unicri", "interpol"],
         "2023"),
        ("b", "toolkit for responsible AI innovation in law enforcement.", ["interpol", "unicri"],
         "2023-06"),
        ("c", "Toolkit for Responsible AI Innovation in Law Enforcement", ["unicri"], "2023"),
        ("d", "Toolkit for Responsible AI Innovation in Law Enforcement", ["unicri", "interpol"],
         "2024")])
    assert list(found.values()) == [["a", "b"]]


@pytest.mark.parametrize("table, text, message", [
    ("official-domains.csv", "domain,org,kind,note\nwho.int,who,website,\n", "kind must be"),
    ("official-domains.csv", "domain,org,kind,note\nhttps://who.int,who,site,\n", "host name"),
    ("source-exceptions.csv", "file,key,rule,reason\nd.csv,k,issuer-url,\n", "needs a reason"),
    ("blocked-hosts.csv", "host\nx.org\n", "missing column(s) reason"),
    ("official-domains.csv", "domain,org,kind,note\n<<<<<<< HEAD\nwho.int,who,site,\n",
     "expected 4 fields as in the header, found 1"),
    ("source-exceptions.csv", 'file,key,rule,reason\nd.csv,k,issuer-url,"no page\n',
     "cannot read the source-policy table: unexpected end of data (a quote opened here is "
     "never closed)"),
])
def test_a_bad_policy_table_is_an_error_naming_file_and_line(tmp_path, table, text, message):
    for name in ("official-domains.csv", "blocked-hosts.csv", "source-exceptions.csv"):
        (tmp_path / name).write_text((policy_dir() / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (tmp_path / table).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_policy(tmp_path)
    assert message in str(err.value) and err.value.source == str(tmp_path / table)
    assert err.value.line == (1 if "missing" in message else 2)


# ---- the tables themselves ---------------------------------------------------------------

def test_every_official_domain_names_a_known_organisation(policy):
    unknown = {d.org for d in policy.domains} - set(ORGS) - STATES
    assert not unknown
    pairs = [(d.domain, d.org) for d in policy.domains]
    assert len(pairs) == len(set(pairs))


def test_the_document_systems_of_the_issue_are_in_the_table(policy):
    domains = {d.domain for d in policy.domains}
    assert {"undocs.org", "digitallibrary.un.org", "documents.un.org", "eur-lex.europa.eu",
            "legalinstruments.oecd.org"} <= domains


def test_every_official_member_list_is_on_its_organisations_domain(policy):
    for lst in read_official_lists(REF / "membership-lists.csv"):
        assert policy.official(lst.url, [lst.org]), lst


# ---- every shipped row held to the policy ------------------------------------------------

def document_findings(policy):
    found = []
    for name in document_files():
        for r in rows(name):
            orgs = with_parents(split_cell(r["issuers"]))
            found += check_row(policy, name, r["key"], split_cell(r["source"]), orgs,
                               url=r["url"])
    return found


def membership_findings(policy):
    found = []
    for r in rows("memberships.csv"):
        found += check_row(policy, "memberships.csv", f"{r['state']}/{r['org']}/{r['role']}",
                           split_cell(r["source"]), [r["org"]])
    for o in read_overrides(REF / "membership-overrides.csv"):
        found += check_row(policy, "membership-overrides.csv", f"{o.state}/{o.org}/{o.role}",
                           [o.source], [o.org])
    return found


def initiative_findings(policy):
    """Joint initiatives: at least one source on an official domain of any organisation
    (issue 10: their third-party sources replaced where an official page was found)."""
    return [f for r in rows("initiatives.csv")
            for f in check_row(policy, "initiatives.csv", r["key"], split_cell(r["source"]),
                               with_parents(split_cell(r["partners"])))]


def test_every_initiative_has_an_official_source(policy):
    found = initiative_findings(policy)
    assert not found, "\n".join(f"{f.file} {f.key} [{f.rule}] {f.message}" for f in found)


def test_initiatives_no_longer_cite_the_audited_third_party_hosts():
    hosts = ("digitalpolicyalert.org", "cepis.org", "ieu-monitoring.com", "miragenews.com",
             "maravipost.com", "biometricupdate.com", "wikipedia.org")
    bad = [(r["key"], u) for r in rows("initiatives.csv") for u in split_cell(r["source"])
           if any(h in u for h in hosts)]
    assert not bad


def test_every_document_meets_the_source_policy(policy):
    found = document_findings(policy)
    assert not found, "\n".join(f"{f.file} {f.key} [{f.rule}] {f.message}" for f in found)


def test_every_membership_meets_the_source_policy(policy):
    found = membership_findings(policy)
    assert not found, "\n".join(f"{f.file} {f.key} [{f.rule}] {f.message}" for f in found)


@pytest.mark.parametrize("name", ["organisations.csv", "org_functions.csv", "initiatives.csv",
                                  "states.csv", "membership-lists.csv"])
def test_no_reference_row_cites_a_content_farm_staging_host_or_tracking_link(name, policy):
    bad = [(r.get("key") or r.get("iso3") or r.get("org"), u, rule)
           for r in rows(name) for col in ("source", "url", "homepage", "note")
           for u in split_cell(r.get(col)) if u.startswith("http")
           for rule, _ in check_url(policy, u)]
    assert not bad


def test_every_exception_is_needed(policy):
    """An exception whose row now meets the rule, or that matches no row, is stale."""
    bare = Policy(policy.domains, policy.blocked, ())
    assert len(policy.domains) > 50 and policy.exceptions and policy.blocked
    needed = set()
    for name in document_files():
        for r in rows(name):
            orgs = with_parents(split_cell(r["issuers"]))
            for f in check_row(bare, name, r["key"], split_cell(r["source"]), orgs,
                               url=r["url"]):
                needed |= {e for e in policy.exceptions
                           if policy.excepted(f.file, f.key, f.rule) == e}
    for r in rows("memberships.csv"):
        key = f"{r['state']}/{r['org']}/{r['role']}"
        for f in check_row(bare, "memberships.csv", key, split_cell(r["source"]), [r["org"]]):
            needed.add(policy.excepted(f.file, f.key, f.rule))
    for o in read_overrides(REF / "membership-overrides.csv"):
        key = f"{o.state}/{o.org}/{o.role}"
        for f in check_row(bare, "membership-overrides.csv", key, [o.source], [o.org]):
            needed.add(policy.excepted(f.file, f.key, f.rule))
    for f in initiative_findings(bare):
        needed.add(policy.excepted(f.file, f.key, f.rule))
    stale = [e for e in policy.exceptions if e not in needed]
    assert not stale, stale


def test_no_document_appears_twice():
    all_rows = [(r["key"], r["title"], split_cell(r["issuers"]), r["date"])
                for name in document_files() for r in rows(name)]
    assert not duplicates(all_rows)
    keys = [k for k, *_ in all_rows]
    assert len(keys) == len(set(keys))


def test_every_document_has_a_title_issuer_date_instrument_and_url():
    """Issue 10 asks each shipped document for these; a row without a confirmed date or URL
    waits in an UNVERIFIED file (unless an exception gives the URL's reason)."""
    policy = load_policy()
    for name in document_files():
        for i, r in enumerate(rows(name), start=2):
            where = f"{name} line {i} ({r['key']})"
            assert r["title"].strip() and split_cell(r["issuers"]), where
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", r["date"].strip()), where
            assert r["instrument"].strip(), where
            assert r["url"].strip() or policy.excepted(name, r["key"], "issuer-url"), where


def test_the_audit_findings_are_fixed():
    docs = {r["key"]: r for name in document_files() for r in rows(name)}
    # A/75/982 cited a page about another brief
    assert split_cell(docs["a-75-982"]["source"]) == ["https://undocs.org/A/75/982"]
    # the UNICRI-INTERPOL toolkit under two keys: one is left
    toolkits = [k for k, r in docs.items()
                if normalise_title(r["title"]).startswith("toolkit for responsible ai")]
    assert toolkits == ["unicri-interpol-ai-toolkit-law-enforcement-2023"]
    # Timor-Leste's WTO override cited an article about Comoros
    tls = next(o for o in read_overrides(REF / "membership-overrides.csv")
               if (o.state, o.org) == ("TLS", "wto"))
    assert tls.source.startswith("https://www.wto.org/")
    # the staging host of OHCHR is gone everywhere
    text = "".join((REF / n).read_text(encoding="utf-8") for n in document_files())
    assert "web.dev.ohchr" not in text


def test_the_unverified_lists_name_every_removed_document():
    listed = "".join(p.read_text(encoding="utf-8") for p in REF.glob("UNVERIFIED-*.md"))
    docs = {r["key"] for name in document_files() for r in rows(name)}
    for key in ("sg-policy-brief-5-gdc-2023", "isoiec-tr-27563-2023",
                "interpol-unicri-ai-toolkit-law-enforcement-2023"):
        assert key not in docs and f"`{key}`" in listed


def test_the_policy_tables_ship_inside_the_package():
    assert Path(policy_dir()).is_dir()
    assert {p.name for p in policy_dir().glob("*.csv")} == {
        "official-domains.csv", "blocked-hosts.csv", "source-exceptions.csv"}


def test_every_finding_names_file_key_rule_and_address():
    found = check_row(SMALL, "d.csv", "k1",
                      ["https://www.docslib.org/x", "https://blog.example.org/y"], ["who"],
                      url="https://staging.example.org/z?utm_source=")
    assert [(f.file, f.key, f.rule, f.url) for f in found] == [
        ("d.csv", "k1", "blocked-host", "https://www.docslib.org/x"),
        ("d.csv", "k1", "staging-host", "https://staging.example.org/z?utm_source="),
        ("d.csv", "k1", "tracking", "https://staging.example.org/z?utm_source="),
        ("d.csv", "k1", "official-source",
         "https://www.docslib.org/x | https://blog.example.org/y"),
        ("d.csv", "k1", "issuer-url", "https://staging.example.org/z?utm_source=")]
    messages = [f.message for f in found]
    assert messages[0] == "www.docslib.org is not an acceptable source: a content farm"
    assert messages[1] == ("staging.example.org looks like a staging host: host label "
                           "'staging' marks a development deployment")
    assert messages[2] == ("tracking parameter(s) utm_source in "
                           "https://staging.example.org/z?utm_source=")
    assert messages[3].startswith("no source on an official domain (data/policy/official-"
                                  "domains.csv); add one")
    assert messages[4] == ("the url is not on a site of its issuers (who) or an official "
                           "document system")
    nourl = check_row(SMALL, "d.csv", "k2", ["https://www.who.int/a"], ["who", "un"], url="")
    assert [(f.rule, f.url) for f in nourl] == [("issuer-url", "")]


def test_staging_platform_and_empty_cells():
    assert staging_reason("https://x.azurewebsites.net/a") == (
        "hosted on azurewebsites.net, a platform for previews and test sites")
    assert tracking_params("https://x.org/?utm_medium=&page=") == ["utm_medium"]
    assert split_cell(None) == [] and split_cell(" a | | b ") == ["a", "b"]
    assert check_url(SMALL, "https://") == [("url", "not a web address: 'https://'")]


def test_the_policy_tables_read_into_typed_rows(tmp_path):
    (tmp_path / "official-domains.csv").write_text(
        "domain,org,kind,note\n WHO.int ,who,site, its site \ndoi.org/10.1787/,oecd,identifier,\n",
        encoding="utf-8")
    (tmp_path / "blocked-hosts.csv").write_text("host,reason\n DocsLib.org ,a farm\n",
                                                encoding="utf-8")
    (tmp_path / "source-exceptions.csv").write_text(
        "file,key,rule,reason\nd.csv, k ,issuer-url, no page \n", encoding="utf-8")
    p = load_policy(tmp_path)
    assert p.domains == (OfficialDomain("who.int", "who", "site", "its site"),
                         OfficialDomain("doi.org/10.1787/", "oecd", "identifier", ""))
    assert (p.domains[1].host, p.domains[1].path) == ("doi.org", "/10.1787/")
    assert p.blocked == {"docslib.org": "a farm"}
    assert p.exceptions == (Exception_("d.csv", "k", "issuer-url", "no page"),)
    assert p.excepted("d.csv", "k", "issuer-url") == p.exceptions[0]
    assert p.official("https://WWW.WHO.INT/x", ["who"])
