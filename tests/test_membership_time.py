"""Memberships over time (aicoop.membership_time) on hand-made periods, then role semantics,
true member counts and "as of" answers on the default store, built into a temporary store by
``kg init`` and asked through the CLI and the Python functions."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from aicoop.cli import cli
from aicoop.membership_time import (MembershipPeriod, first_day, in_force, members_as_of,
                                    members_of, membership_as_of, membership_periods)
from aicoop.store.embedded import EmbeddedStore

ID = "https://w3id.org/aicoop/id/"


def org(key: str) -> str:
    return f"{ID}org/{key}"


def state(iso3: str) -> str:
    return f"{ID}state/{iso3.lower()}"


# ---- the pure rules ----------------------------------------------------------------------

@pytest.mark.parametrize("recorded, day", [
    ("2023", date(2023, 1, 1)), ("2023-04", date(2023, 4, 1)), ("2023-04-04", date(2023, 4, 4)),
    ("2026-01-22T00:00:00Z", date(2026, 1, 22)), ("", None), (None, None),
], ids=["year", "month", "day", "timestamp", "empty", "none"])
def test_a_recorded_instant_counts_from_its_first_day(recorded, day):
    assert first_day(recorded) == day


def test_a_recorded_instant_that_is_no_date_is_an_error():
    with pytest.raises(ValueError, match="not a date"):
        first_day("January 2026")


@pytest.mark.parametrize("start, end, on, expected", [
    (None, None, date(1900, 1, 1), True),
    (date(2023, 4, 4), None, date(2023, 4, 3), False),     # the day before joining
    (date(2023, 4, 4), None, date(2023, 4, 4), True),      # the day of joining
    (None, date(2026, 1, 22), date(2026, 1, 21), True),    # the last day as a member
    (None, date(2026, 1, 22), date(2026, 1, 22), False),   # the withdrawal took effect
    (date(1996, 2, 28), date(2022, 3, 16), date(2010, 6, 1), True),
    (date(1996, 2, 28), date(2022, 3, 16), date(1990, 6, 1), False),
], ids=["undated", "before-start", "start-day", "day-before-end", "end-day", "inside",
        "before"])
def test_in_force(start, end, on, expected):
    assert in_force(start, end, on) is expected


PERIODS = [
    MembershipPeriod(state("USA"), org("who"), None, date(2026, 1, 22)),
    MembershipPeriod(state("FRA"), org("who")),
    MembershipPeriod(state("RUS"), org("coe"), date(1996, 2, 28), date(2022, 3, 16)),
    MembershipPeriod(state("FRA"), org("coe"), date(1949, 1, 1)),
]


def test_members_as_of_a_day():
    assert members_as_of(PERIODS, org("who"), "2026-01-21") == (state("FRA"), state("USA"))
    assert members_as_of(PERIODS, org("who"), date(2026, 1, 22)) == (state("FRA"),)
    assert members_as_of(PERIODS, org("coe"), "1995-01-01") == (state("FRA"),)
    assert members_as_of(PERIODS, org("nato"), "2026-01-01") == ()


def test_every_organisations_members_as_of_a_day():
    assert membership_as_of(PERIODS, "2022-03-15") == {
        org("coe"): frozenset({state("FRA"), state("RUS")}),
        org("who"): frozenset({state("FRA"), state("USA")})}
    # before the Council of Europe existed in our periods, it is left out
    assert org("coe") not in membership_as_of(PERIODS, "1900-01-01")


def test_a_day_that_is_no_date_is_an_error():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        members_as_of(PERIODS, org("who"), "22/01/2026")


# ---- the default store, built by kg init -------------------------------------------------

@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("default") / "store")
    res = CliRunner().invoke(cli, ["--store", path, "init"])
    assert res.exit_code == 0, res.output
    return path


def kg(store_path: str, *args: str):
    return CliRunner().invoke(cli, ["--store", store_path, *args])


def query_rows(store_path: str, *args: str) -> list[dict[str, str]]:
    res = kg(store_path, "query", *args, "--format", "csv")
    assert res.exit_code == 0, res.output
    return list(csv.DictReader(res.stdout.splitlines()))


# Counts of full member States known from the organisations' own statements: the UN 193, the
# OECD 38 (Costa Rica the 38th, 2021), NATO 32 (Sweden the 32nd, 2024), the Council of Europe
# 46 (47 less the Russian Federation, 2022), the EU 27 (28 less the United Kingdom, 2020),
# ASEAN 11 (Timor-Leste the 11th, 2025), the G7 seven States.
TRUE_COUNTS = [("un", 193), ("oecd", 38), ("nato", 32), ("coe", 46), ("eu", 27),
               ("asean", 11), ("g7", 7),
               # the IMF 191 (Liechtenstein the 191st, 21 October 2024) less Kosovo, which kg
               # does not model; WMO 187 Member States less the Cook Islands and Niue
               ("imf", 190), ("wmo", 185),
               # FAO 194 Member Nations less the Cook Islands and Niue (the EU, its Member
               # Organization, is no State)
               ("fao", 192),
               # the OAS lists 34 Member States, Cuba among them, Nicaragua gone since 2023
               ("oas", 34),
               # ITU 194 Member States (Palau the 194th, 2024): the 193 UN members and the Holy
               # See; ILO 187 (Tonga the 187th, 2016) less the Cook Islands
               ("itu", 194), ("ilo", 186)]

MEMBER_STATES = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX aic: <https://w3id.org/aicoop/ontology#>
SELECT ?s WHERE { ?s a aic:State ; org:memberOf <%s> }"""


@pytest.mark.parametrize("key, n", TRUE_COUNTS, ids=[k for k, _ in TRUE_COUNTS])
def test_true_counts_of_full_member_states(store_path, key, n):
    res = CliRunner().invoke(cli, ["--store", store_path, "query", "-", "--format", "csv"],
                             input=MEMBER_STATES % org(key))
    assert res.exit_code == 0, res.output
    assert len({r["s"] for r in csv.DictReader(res.stdout.splitlines())}) == n


@pytest.mark.parametrize("key, n", TRUE_COUNTS, ids=[k for k, _ in TRUE_COUNTS])
def test_the_as_of_query_gives_the_same_counts_today(store_path, key, n):
    rows = query_rows(store_path, "members-as-of", "-p", f"org={key}", "-p", "date=2026-12-01")
    assert len({r["member"] for r in rows if r["member"].startswith(ID + "state/")}) == n


@pytest.mark.parametrize("key, role", [("coe", "observer"), ("asean", "partner")])
def test_observers_and_partners_keep_their_role_but_are_not_members(store_path, key, role):
    rows = query_rows(store_path, "state-memberships", "-p", f"state={state('USA')}")
    roles = {r["org"]: r["role"] for r in rows}
    assert roles.get(org(key)) == role
    members = query_rows(store_path, "members-as-of", "-p", f"org={key}",
                         "-p", "date=2026-12-01")
    assert state("USA") not in {r["member"] for r in members}


@pytest.mark.parametrize("key, iso3, last_day, first_day_out", [
    ("who", "USA", "2026-01-21", "2026-01-22"),
    ("unesco", "USA", "2026-12-30", "2026-12-31"),
    ("coe", "RUS", "2022-03-15", "2022-03-16"),
    ("eu", "GBR", "2020-01-31", "2020-02-01"),
    ("unesco", "ISR", "2018-12-30", "2018-12-31"),
    ("oas", "NIC", "2023-11-18", "2023-11-19"),
    ("unido", "FRA", "2014-12-31", "2015-01-01"),
], ids=["usa-who", "usa-unesco", "rus-coe", "gbr-eu", "isr-unesco", "nic-oas", "fra-unido"])
def test_withdrawals_take_effect_on_their_day(store_path, key, iso3, last_day,
                                              first_day_out):
    before = query_rows(store_path, "members-as-of", "-p", f"org={key}", "-p",
                        f"date={last_day}")
    after = query_rows(store_path, "members-as-of", "-p", f"org={key}", "-p",
                       f"date={first_day_out}")
    assert state(iso3) in {r["member"] for r in before}
    assert state(iso3) not in {r["member"] for r in after}
    assert len(after) == len(before) - 1


@pytest.mark.parametrize("key, iso3, last_day_out, first_day", [
    ("imf", "LIE", "2024-10-20", "2024-10-21"),
    ("imf", "AND", "2020-10-15", "2020-10-16"),
    ("ilo", "TON", "2016-02-23", "2016-02-24"),
    ("itu", "PLW", "2024-09-18", "2024-09-19"),
    ("world-bank", "NRU", "2016-04-11", "2016-04-12"),
    ("commonwealth", "GMB", "2018-02-07", "2018-02-08"),
], ids=["lie-imf", "and-imf", "ton-ilo", "plw-itu", "nru-wb", "gmb-commonwealth"])
def test_accessions_take_effect_on_their_day(store_path, key, iso3, last_day_out, first_day):
    before = query_rows(store_path, "members-as-of", "-p", f"org={key}", "-p",
                        f"date={last_day_out}")
    after = query_rows(store_path, "members-as-of", "-p", f"org={key}", "-p",
                       f"date={first_day}")
    assert state(iso3) not in {r["member"] for r in before}
    assert state(iso3) in {r["member"] for r in after}


def test_an_ended_membership_keeps_its_node_and_dates(store_path):
    rows = query_rows(store_path, "state-memberships", "-p", f"state={state('RUS')}")
    assert org("coe") in {r["org"] for r in rows}   # history stays queryable
    res = CliRunner().invoke(cli, ["--store", store_path, "query", "-", "--format", "csv"],
                             input=MEMBER_STATES % org("coe"))
    assert state("RUS") not in res.stdout


def test_finland_is_a_nato_member_from_its_recorded_year(store_path):
    # its accession is recorded as a year (2023), which counts from 1 January
    def nato(day: str) -> set[str]:
        return {r["member"] for r in query_rows(store_path, "members-as-of", "-p", "org=nato",
                                                "-p", f"date={day}")}
    assert state("FIN") not in nato("2022-12-31") and state("FIN") in nato("2023-01-01")
    assert len(nato("2022-12-31")) == 30


def test_the_as_of_query_rejects_a_day_that_is_no_date(store_path):
    res = kg(store_path, "query", "members-as-of", "-p", "org=who", "-p", "date=2026-13-01")
    assert res.exit_code == 2
    assert "expected a day YYYY-MM-DD" in res.stderr


def test_the_python_functions_agree_with_the_query(store_path):
    s = EmbeddedStore(Path(store_path), read_only=True)
    try:
        periods = membership_periods(s)
        for day in ("2026-01-21", "2026-01-22", "2020-01-31"):
            for key in ("who", "eu", "un"):
                assert members_as_of(periods, org(key), day) == members_of(s, org(key), day)
        assert len(members_of(s, org("who"), "2026-01-21")) - 1 == len(
            members_of(s, org("who"), "2026-01-22"))
    finally:
        s.close()


def test_validate_passes_on_the_default_store(store_path):
    res = kg(store_path, "validate")
    assert res.exit_code == 0, res.output


def test_stats_show_memberships_by_role(store_path):
    res = kg(store_path, "stats", "--format", "json")
    assert res.exit_code == 0, res.output
    roles = {r["role"]: r for r in json.loads(res.stdout)["memberships"]}
    assert set(roles) == {"member", "observer", "partner"}
    assert roles["member"]["ended"] == 7      # the seven dated withdrawals above
