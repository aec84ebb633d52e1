"""Reconcile state memberships of international organisations from two public sources — the
CIA World Factbook's "International organization participation" (flattened one organisation a
row) and the country_converter data file — plus a small file of reviewed overrides.

Neither source is trusted alone. The rules, applied to every (member, organisation) pair:

1. An override (``membership-overrides.csv``, each row with its source URL) decides. It may
   date the membership (``since``: YYYY or YYYY-MM-DD) and end it (``until``: the day a
   withdrawal or exclusion took effect): an ended membership stays, with its period, so that
   questions "as of" a date see it.
2. For an organisation both sources cover (UN, OECD, EU, G7, G20, Council of Europe, APEC),
   a membership is asserted when both say so (the accession year, where there is one, comes
   from country_converter). Where they disagree, nothing is asserted and the pair is reported
   as a conflict to be settled by an override. Two documented exceptions: country_converter's
   G20 column lists every EU member state (they take part through the EU, which is the
   member), so its claim for an EU member that the Factbook does not list is set aside; and
   non-members of country_converter's table (the EU itself) are single-source.
3. For an organisation only the Factbook covers (NATO, WTO, AU, ASEAN; BRICS beyond the four
   BRIC states that country_converter confirms; the UN specialised agencies and related bodies
   WHO, UNESCO, FAO, ITU, ILO, WIPO, WMO, UPU, UNIDO, IFAD, IAEA, IMF, the World Bank (IBRD);
   INTERPOL, OSCE, OAS, the Commonwealth and the OIF), the Factbook's entry is taken, as a
   single-source fact named so in the report (a section lists every single-source
   organisation with its counts). Those rows carry the Factbook URL alone as their source.
   For the UN-system and related bodies (``UN_SYSTEM_AND_RELATED``) two sanity checks add
   report rows: a member that is not a UN member or observer State is reported, not loaded
   (as for every organisation), and, where the Factbook lists nearly every UN member state
   (``NEAR_UNIVERSAL_SHARE``), each UN member state it leaves out is reported, since the
   absence is as uncross-checked as the presence.
4. A Factbook qualifier gives the role: observer; partner (incl. "dialogue partner"); associate;
   "suspended" members stay members. Qualifiers that are not a role ("enhanced engagement",
   "candidate country", "accession candidate") import nothing and are reported.

5. Each organisation's own official member list (``membership-lists.csv``: one page on the
   organisation's own domain, with the number of full members it gave when checked) is the
   primary source: its URL leads the ``source`` of every full-member row of that organisation,
   and the number of current full members found is checked against it; a difference is a
   conflict in the report. The Factbook and country_converter are the cross-checks.
   Organisations without a checked official list stay single-source (listed in
   ``UNVERIFIED-memberships.md`` with the reason).

The result is the reviewed table shipped as ``data/reference/memberships.csv`` and
``states.csv``; the third-party files themselves are never copied into the package.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .record_input import read_table, read_table_lines

FACTBOOK_URL = "https://www.cia.gov/the-world-factbook/"
CONVERTER_URL = "https://github.com/IndEcol/country_converter"
ROLES = ("member", "observer", "associate", "partner")

#: our organisation key -> (Factbook abbreviation, country_converter column or None)
ORGANISATIONS: dict[str, tuple[str, str | None]] = {
    "un": ("UN", "UN"),
    "oecd": ("OECD", "OECD"),
    "nato": ("NATO", None),
    "wto": ("WTO", None),
    "eu": ("EU", "EU"),
    "au": ("AU", None),
    "asean": ("ASEAN", None),
    "g7": ("G-7", "G7"),
    "g20": ("G-20", "G20"),
    "coe": ("CE", "CoE"),
    "brics": ("BRICS", "BRIC"),
    "apec": ("APEC", "APEC"),
    # UN specialised agencies and related bodies, and other bodies only the Factbook covers
    "who": ("WHO", None),
    "unesco": ("UNESCO", None),
    "fao": ("FAO", None),
    "itu": ("ITU", None),
    "ilo": ("ILO", None),
    "wipo": ("WIPO", None),
    "wmo": ("WMO", None),
    "upu": ("UPU", None),
    "unido": ("UNIDO", None),
    "ifad": ("IFAD", None),
    "iaea": ("IAEA", None),
    "imf": ("IMF", None),
    "world-bank": ("IBRD", None),
    "interpol": ("Interpol", None),
    "osce": ("OSCE", None),
    "oas": ("OAS", None),
    "commonwealth": ("C", None),
    "francophonie": ("OIF", None),
}
#: other spellings of an organisation in the Factbook (Equatorial Guinea: "Francophonie")
FACTBOOK_ALIASES = {"Francophonie": "francophonie"}
#: organisations added from the Factbook alone, with the extra sanity checks of rule 3
UN_SYSTEM_AND_RELATED = frozenset({
    "who", "unesco", "fao", "itu", "ilo", "wipo", "wmo", "upu", "unido", "ifad", "iaea", "imf",
    "world-bank", "interpol", "osce", "oas", "commonwealth", "francophonie"})
#: organisations only one source covers (the Factbook); BRICS is partly cross-checked
SINGLE_SOURCE = tuple(k for k, (_, col) in ORGANISATIONS.items() if col is None)
#: share of the UN member states the Factbook must list for an organisation to count as
#: near-universal, so that a UN member state it leaves out is worth reporting
NEAR_UNIVERSAL_SHARE = 0.9
#: country_converter columns that hold the accession year instead of a flag
YEAR_COLUMNS = frozenset({"UN", "OECD"})
#: columns that only list part of today's membership (the original BRIC four)
PARTIAL_COLUMNS = frozenset({"BRIC"})
#: Factbook "countries" that are organisations members of other organisations
FACTBOOK_ORGS = {"European Union": "eu"}
#: UN observer States, modelled as States beside the UN member states (ISO3)
OBSERVER_STATES = frozenset({"VAT", "PSE"})
#: names of organisations that are members of other organisations, for the report
MEMBER_ORG_NAMES = {"eu": "European Union", "au": "African Union"}
#: qualifiers whose reading as a role needs no comment in the report
PLAIN_QUALIFIERS = frozenset({"observer", "partner", "partners", "dialogue partner",
                              "associate", "associate member"})

_ROLE_OF_QUALIFIER = {
    "": "member", "observer": "observer", "partner": "partner", "partners": "partner",
    "dialogue partner": "partner", "sectoral dialogue partner": "partner",
    "dialogue member": "partner", "associate": "associate", "associate member": "associate",
    "associated member": "associate", "suspended": "member", "temporarily suspended": "member",
    "chinese taipei": "member",
}


@dataclass(frozen=True)
class State:
    iso3: str
    iso2: str
    name_en: str


@dataclass(frozen=True)
class Claim:
    """What one source says about one (member, organisation) pair."""

    role: str | None          # member/observer/... or None for "not a member"
    since: str = ""
    note: str = ""            # the raw qualifier, when it matters


@dataclass(frozen=True)
class Override:
    state: str
    org: str
    role: str                 # a role, or "none" (not a member)
    since: str                # YYYY or YYYY-MM-DD
    reason: str
    source: str
    line: int
    until: str = ""           # YYYY-MM-DD: the day the membership ceased to have effect


@dataclass(frozen=True)
class OfficialList:
    """An organisation's own list of its members, checked by hand on ``checked``."""

    org: str
    url: str
    title: str
    members: int              # full members the list gave when checked
    checked: str              # YYYY-MM-DD
    note: str = ""
    line: int = 0
    not_states: int = 0       # listed members kg does not model (customs territories)


@dataclass(frozen=True)
class ListCheck:
    """The current full members found for an organisation against its official list."""

    org: str
    url: str
    official: int
    found: int

    @property
    def agrees(self) -> bool:
        return self.official == self.found


@dataclass(frozen=True)
class MembershipRow:
    state: str                # ISO 3166-1 alpha-3, or an organisation key (eu, au)
    org: str
    role: str
    since: str                # accession year (YYYY), where known
    source: str
    start_date: str = ""      # YYYY-MM-DD, where the day is known
    end_date: str = ""        # YYYY-MM-DD: the day the membership ceased to have effect

    def current(self, on: str) -> bool:
        """Whether the membership is in force on ``on`` (YYYY-MM-DD): begun, not yet ended."""
        begun = not self.start_date or self.start_date <= on
        return begun and (not self.end_date or on < self.end_date)


@dataclass(frozen=True)
class Conflict:
    state: str
    name: str
    org: str
    factbook: str
    country_converter: str
    override: str
    resolution: str
    reason: str


@dataclass(frozen=True)
class Reconciliation:
    states: tuple[State, ...]
    memberships: tuple[MembershipRow, ...]
    conflicts: tuple[Conflict, ...]
    unmatched: tuple[str, ...] = ()       # Factbook countries with no ISO code (and our orgs)
    list_checks: tuple[ListCheck, ...] = ()

    def count(self, org: str, role: str = "member", on: str | None = None) -> int:
        """Rows of ``org`` with ``role``; with ``on`` (YYYY-MM-DD), only those in force then."""
        return sum(1 for m in self.memberships if m.org == org and m.role == role
                   and (on is None or m.current(on)))

    def single_source(self) -> list[str]:
        """Organisations with memberships that rest on the Factbook alone: no second source
        and no checked official list."""
        listed = {ch.org for ch in self.list_checks}
        return [k for k in SINGLE_SOURCE if k not in listed
                and any(m.org == k for m in self.memberships)]


# ---- reading the sources -----------------------------------------------------------------

def read_converter(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The country_converter data file (TSV, no quoting)."""
    need = {"ISO2", "ISO3", "name_short", "ccTLD"} | {c for _, c in ORGANISATIONS.values() if c}
    return read_table(path, what="country_converter data file", need=need, delimiter="\t",
                      quoting=csv.QUOTE_NONE)


def read_factbook(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The flattened Factbook participation CSV, with HTML entities decoded."""
    rows = read_table(path, what="Factbook participation file",
                      need={"fips", "country", "cctld", "org", "qualifier"})
    for r in rows:
        for k in ("country", "org", "qualifier", "raw"):
            if r.get(k):
                r[k] = " ".join(html.unescape(r[k]).replace("\xa0", " ").split())
    return rows


def read_overrides(path: str | os.PathLike[str]) -> list[Override]:
    """Reviewed overrides: ``state, org, role, since, reason, source`` (``role`` may be
    ``none``); every row needs a source URL."""
    p = Path(path)
    rows = read_table_lines(p, what="membership overrides file", need={"state", "org", "role"})
    out = []
    for line, r in rows:
        state, org = (r.get("state") or "").strip(), (r.get("org") or "").strip()
        role = (r.get("role") or "").strip()
        source = (r.get("source") or "").strip()
        if org not in ORGANISATIONS:
            raise InputError(f"unknown organisation {org!r}; expected one of "
                             f"{', '.join(ORGANISATIONS)}", source=str(p), line=line)
        if role not in ROLES + ("none",):
            raise InputError(f"role must be one of {', '.join(ROLES)} or none, found {role!r}",
                             source=str(p), line=line)
        if not source.startswith(("http://", "https://")):
            raise InputError("every override needs a source URL", source=str(p), line=line)
        since = (r.get("since") or "").strip()
        if since and not (re.fullmatch(r"\d{4}", since) or _is_day(since)):
            raise InputError(f"since must be a year (YYYY) or a day (YYYY-MM-DD), found "
                             f"{since!r}", source=str(p), line=line)
        until = (r.get("until") or "").strip()
        if until and not _is_day(until):
            raise InputError(f"until must be a day (YYYY-MM-DD), found {until!r}",
                             source=str(p), line=line)
        if until and role != "member":
            raise InputError(f"until ends a membership: the role must be member, found "
                             f"{role!r}", source=str(p), line=line)
        if until and since and until <= since:
            raise InputError(f"until ({until}) must come after since ({since})",
                             source=str(p), line=line)
        out.append(Override(state, org, role, since, (r.get("reason") or "").strip(), source,
                            line, until))
    return out


def _is_day(text: str) -> bool:
    """Whether ``text`` is a real calendar day written YYYY-MM-DD."""
    from datetime import date
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)) and bool(date.fromisoformat(text))
    except ValueError:
        return False


def read_official_lists(path: str | os.PathLike[str]) -> list[OfficialList]:
    """The official member lists: ``org, url, title, members, not_states, checked, note``;
    one row per organisation, its URL on a domain of that organisation (see
    ``source_policy``). ``not_states`` counts the listed members kg does not model (the WTO's
    separate customs territories)."""
    rows = read_table(path, what="official member lists",
                      need={"org", "url", "title", "members", "checked"})
    out: list[OfficialList] = []
    seen: set[str] = set()
    for i, r in enumerate(rows, start=2):
        org, url = (r.get("org") or "").strip(), (r.get("url") or "").strip()
        members, checked = (r.get("members") or "").strip(), (r.get("checked") or "").strip()
        if org not in ORGANISATIONS:
            raise InputError(f"unknown organisation {org!r}; expected one of "
                             f"{', '.join(ORGANISATIONS)}", source=str(path), line=i)
        if org in seen:
            raise InputError(f"a second official list for {org!r}: give one per organisation",
                             source=str(path), line=i)
        if not url.startswith("https://"):
            raise InputError(f"url must be an https URL, found {url!r}", source=str(path),
                             line=i)
        if not members.isdigit():
            raise InputError(f"members must be a whole number, found {members!r}",
                             source=str(path), line=i)
        if not _is_day(checked):
            raise InputError(f"checked must be a day (YYYY-MM-DD), found {checked!r}",
                             source=str(path), line=i)
        not_states = (r.get("not_states") or "0").strip()
        if not not_states.isdigit() or int(not_states) > int(members):
            raise InputError(f"not_states must be a whole number no larger than members, found "
                             f"{not_states!r}", source=str(path), line=i)
        seen.add(org)
        out.append(OfficialList(org, url, (r.get("title") or "").strip(), int(members), checked,
                                (r.get("note") or "").strip(), i, int(not_states)))
    return out


def _iso2(text: str) -> str:
    """country_converter writes some ISO2 cells as patterns (``^GB$|^UK$``): take the first
    code, which is the ISO 3166 one."""
    codes = re.findall(r"[A-Z]{2}", text)
    return codes[0] if codes else text.strip()


def _tld(text: str) -> str | None:
    m = re.search(r"\.([a-z]{2})\b", text.lower())
    return m.group(1) if m else None


# ---- reconciling -------------------------------------------------------------------------

def _describe(c: Claim | None, covered: bool) -> str:
    if not covered:
        return "(not covered)"
    if c is not None and c.role is None and c.note:
        return f"listed as {c.note!r}"
    if c is None or c.role is None:
        return "not listed"
    text = c.role
    if c.since:
        text += f" since {c.since}"
    if c.note:
        text += f" ({c.note})"
    return text


def reconcile(factbook: Iterable[dict[str, str]], converter: list[dict[str, str]],
              overrides: Iterable[Override] = (),
              official: Iterable[OfficialList] = ()) -> Reconciliation:
    """Apply the rules of this module's docstring; pure (no files)."""
    by_iso3 = {r["ISO3"]: r for r in converter if r.get("ISO3")}
    by_tld = {r["ccTLD"].strip().lower(): r["ISO3"] for r in converter if r.get("ccTLD")}
    names = {iso3: r["name_short"] for iso3, r in by_iso3.items()}
    names.update(MEMBER_ORG_NAMES)
    fb_org = {abbr: key for key, (abbr, _) in ORGANISATIONS.items()}
    fb_org.update(FACTBOOK_ALIASES)

    # what the Factbook says, per (member, org)
    fb: dict[tuple[str, str], Claim] = {}
    unmatched: set[str] = set()
    for r in factbook:
        key = fb_org.get(r["org"])
        if key is None:
            continue
        country = r["country"]
        member = FACTBOOK_ORGS.get(country) or by_tld.get(_tld(r.get("cctld", "")) or "")
        if member is None:
            unmatched.add(f"{country} ({r['org']})")
            continue
        q = r.get("qualifier", "").strip()
        role = _ROLE_OF_QUALIFIER.get(q.lower())
        note = q
        if role is None and re.fullmatch(r"\d{4}", q):
            # a bare year in brackets; not an accession year we can rely on
            role = "member"
        fb[(member, key)] = Claim(role, "", note if q else "")

    # what country_converter says
    cc: dict[tuple[str, str], Claim] = {}
    for iso3, r in by_iso3.items():
        for key, (_, col) in ORGANISATIONS.items():
            if col and (r.get(col) or "").strip():
                since = r[col].strip() if col in YEAR_COLUMNS else ""
                cc[(iso3, key)] = Claim("member", since)

    eu_members = {iso3 for (iso3, key) in cc if key == "eu"}
    ovr = {(o.state, o.org): o for o in overrides}
    pairs = sorted(set(fb) | set(cc) | set(ovr))
    rows: list[MembershipRow] = []
    conflicts: list[Conflict] = []
    both = f"{FACTBOOK_URL} | {CONVERTER_URL}"

    def conflict(member: str, key: str, f: Claim | None, c: Claim | None, covered: bool,
                 o: Override | None, resolution: str, reason: str) -> None:
        conflicts.append(Conflict(member, names.get(member, member), key,
                                  _describe(f, True), _describe(c, covered),
                                  f"{o.role}{' since ' + o.since if o.since else ''}" if o else "",
                                  resolution, reason))

    un_members = {iso3 for iso3, r in by_iso3.items() if (r.get("UN") or "").strip()}
    sovereign = un_members | OBSERVER_STATES
    for member, key in pairs:
        col = ORGANISATIONS[key][1]
        if member in by_iso3 and member not in sovereign:
            # member economies and territories (Hong Kong, Macau, Chinese Taipei, Western
            # Sahara): aic:State means a sovereign State, so they are reported, not modelled
            f, c = fb.get((member, key)), cc.get((member, key))
            if (f and f.role) or c:
                conflict(member, key, f, c, col is not None, None, "not imported",
                         "not a UN member or observer State; kg models States only")
            continue
        # country_converter lists countries only: for a member that is an organisation (the
        # EU, the AU) its silence says nothing
        covered = col is not None and member in by_iso3
        f, c, o = fb.get((member, key)), cc.get((member, key)), ovr.get((member, key))
        if o is not None:
            since = o.since or (c.since if c else "")
            if o.role != "none":
                used = [FACTBOOK_URL] if f is not None and f.role == o.role else []
                used += [CONVERTER_URL] if c is not None and c.role == o.role else []
                rows.append(MembershipRow(member, key, o.role, since[:4],
                                          " | ".join([o.source, *used]),
                                          since if len(since) == 10 else "", o.until))
            agrees = ((f.role if f else None) == (None if o.role == "none" else o.role)
                      and (not covered or (c.role if c else None)
                           == (None if o.role == "none" else o.role)))
            if not agrees or o.since or o.until:
                conflict(member, key, f, c, covered, o,
                         "not a member" if o.role == "none" else
                         f"{o.role}{' since ' + since if since else ''}"
                         f"{' until ' + o.until if o.until else ''}",
                         f"override: {o.reason}" if o.reason else "override")
            continue
        if f is not None and f.role is None:
            conflict(member, key, f, c, covered, None, "not imported",
                     f"Factbook qualifier {f.note!r} is not a role")
            if c is None:
                continue
            f = None
        if not covered or (col in PARTIAL_COLUMNS and c is None):
            if f is None:
                continue
            rows.append(MembershipRow(member, key, f.role, "", FACTBOOK_URL))
            if re.fullmatch(r"\d{4}", f.note):
                conflict(member, key, f, c, covered, None, f.role,
                         f"single source (Factbook); the qualifier {f.note!r} is a bare year, "
                         "not a role or a reliable accession year: read as member, year unused")
            elif f.note and f.note.lower() not in PLAIN_QUALIFIERS:
                conflict(member, key, f, c, covered, None, f.role,
                         f"single source (Factbook); qualifier {f.note!r} read as {f.role}")
            continue
        if f is not None and f.role != "member":
            # country_converter lists members only; roles below membership are Factbook's
            if c is None:
                rows.append(MembershipRow(member, key, f.role, "", FACTBOOK_URL))
                continue
            conflict(member, key, f, c, covered, None, "left out",
                     "the sources disagree on the role; needs an override")
            continue
        if f is not None and c is not None:
            rows.append(MembershipRow(member, key, "member", c.since, both))
            if f.note:
                conflict(member, key, f, c, covered, None, "member",
                         f"both sources list it; Factbook qualifier {f.note!r}")
            continue
        if key == "g20" and f is None and member in eu_members:
            conflict(member, key, f, c, covered, None, "not a member",
                     "country_converter lists every EU member state under G20; they take "
                     "part through the EU, which is the member")
            continue
        conflict(member, key, f, c, covered, None, "left out",
                 "only one source lists it; needs an override to be asserted")

    # sanity check for the single-source UN-system and related bodies: where the Factbook
    # lists nearly every UN member state, the ones it leaves out are reported (not asserted)
    for key in sorted(UN_SYSTEM_AND_RELATED):
        listed = {m for (m, k), f in fb.items() if k == key and f.role is not None}
        if not un_members or len(listed & un_members) < NEAR_UNIVERSAL_SHARE * len(un_members):
            continue
        for member in sorted(un_members - listed):
            if (member, key) in ovr or (member, key) in fb:
                continue
            conflict(member, key, None, None, False, None, "not a member",
                     "single source (Factbook), not cross-checked: a UN member state it does "
                     "not list for a near-universal organisation")

    rows, checks = apply_official_lists(rows, official)
    for ch in checks:
        if not ch.agrees:
            conflicts.append(Conflict("*", "(all members)", ch.org, "", "",
                                      f"official list: {ch.official}", f"{ch.found} found",
                                      f"the official list ({ch.url}) gives {ch.official} full "
                                      f"members; the sources give {ch.found}"))
    used = {m.state for m in rows} | un_members
    states = tuple(State(iso3, _iso2(by_iso3[iso3]["ISO2"]), names[iso3])
                   for iso3 in sorted(used) if iso3 in by_iso3)
    rows.sort(key=lambda m: (m.org, m.state, m.role))
    conflicts.sort(key=lambda c: (c.org, c.state))
    return Reconciliation(states, tuple(rows), tuple(conflicts), tuple(sorted(unmatched)),
                          checks)


def apply_official_lists(rows: list[MembershipRow], official: Iterable[OfficialList]
                         ) -> tuple[list[MembershipRow], tuple[ListCheck, ...]]:
    """Put each organisation's official list first in the sources of its full members, and
    count its full members in force on the day the list was checked against the list."""
    from dataclasses import replace

    lists = {o.org: o for o in official}
    out = []
    for m in rows:
        o = lists.get(m.org)
        if o is not None and m.role == "member" and o.url not in m.source:
            m = replace(m, source=f"{o.url} | {m.source}")
        out.append(m)
    checks = tuple(ListCheck(o.org, o.url, o.members - o.not_states,
                             sum(1 for m in out if m.org == o.org and m.role == "member"
                                 and m.current(o.checked)))
                   for o in sorted(lists.values(), key=lambda o: o.org))
    return out, checks


# ---- writing -----------------------------------------------------------------------------

MEMBERSHIP_COLUMNS = ["state", "org", "role", "since", "start_date", "end_date", "source"]
CONFLICT_COLUMNS = ["state", "name", "org", "factbook", "country_converter", "override",
                    "resolution", "reason"]


def memberships_csv(rec: Reconciliation) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(MEMBERSHIP_COLUMNS)
    for m in rec.memberships:
        w.writerow([m.state, m.org, m.role, m.since, m.start_date, m.end_date, m.source])
    return buf.getvalue()


def states_csv(rec: Reconciliation, curated: dict[str, dict[str, str]] | None = None) -> str:
    """``iso3, iso2, name_en, name_fr, name_es, wikidata, source``; curated columns (names in
    French and Spanish, checked Wikidata IDs, sources) are carried over from ``curated``."""
    curated = curated or {}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["iso3", "iso2", "name_en", "name_fr", "name_es", "wikidata", "source"])
    for s in rec.states:
        c = curated.get(s.iso3, {})
        w.writerow([s.iso3, s.iso2, s.name_en, c.get("name_fr", ""), c.get("name_es", ""),
                    c.get("wikidata", ""), c.get("source") or CONVERTER_URL])
    return buf.getvalue()


def conflict_report(rec: Reconciliation, fmt: str = "markdown") -> str:
    """The conflicts as Markdown (for people) or CSV (for tools)."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(CONFLICT_COLUMNS)
        for c in rec.conflicts:
            w.writerow([getattr(c, k) for k in CONFLICT_COLUMNS])
        return buf.getvalue()
    lines = ["# Membership conflicts between the sources", "",
             f"Sources: CIA World Factbook ({FACTBOOK_URL}), country_converter "
             f"({CONVERTER_URL}), and reviewed overrides. Rules: see "
             "`aicoop.loaders.memberships`.", ""]
    counts = {key: rec.count(key) for key in ORGANISATIONS}
    lines.append("Members per organisation: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    lines.append("")
    lines.append("| " + " | ".join(CONFLICT_COLUMNS) + " |")
    lines.append("|" + "---|" * len(CONFLICT_COLUMNS))
    for c in rec.conflicts:
        cells = [str(getattr(c, k)).replace("|", "\\|") for k in CONFLICT_COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    if rec.list_checks:
        lines += ["", "## Official member lists", "",
                  "Each organisation's own list of its members (membership-lists.csv) against "
                  "the full members in force on the day it was checked.", "",
                  "| org | official list | official count | found | agrees |",
                  "|---|---|---|---|---|"]
        for ch in rec.list_checks:
            lines.append(f"| {ch.org} | {ch.url} | {ch.official} | {ch.found} | "
                         f"{'yes' if ch.agrees else 'NO'} |")
    single = rec.single_source()
    if single:
        lines += ["", "## Single-source memberships", "",
                  "These organisations are covered by one source only, the CIA World Factbook "
                  f"({FACTBOOK_URL}); their memberships are not cross-checked against a second "
                  "source (rows with only the Factbook URL as `source`), except where a "
                  "reviewed override (whose URL is added to the row's `source`) decides. "
                  "UN-system and related bodies are marked *.", "",
                  "| org | " + " | ".join(ROLES) + " | of which Factbook only |",
                  "|---|" + "---|" * (len(ROLES) + 1)]
        for k in single:
            n = [str(rec.count(k, role)) for role in ROLES]
            only = sum(1 for m in rec.memberships if m.org == k and m.source == FACTBOOK_URL)
            mark = "*" if k in UN_SYSTEM_AND_RELATED else ""
            lines.append(f"| {k}{mark} | " + " | ".join(n) + f" | {only} |")
    if rec.unmatched:
        lines += ["", "Factbook entries with no ISO 3166 code (not imported): "
                  + "; ".join(rec.unmatched)]
    return "\n".join(lines) + "\n"


def reconcile_files(factbook: str | os.PathLike[str], converter: str | os.PathLike[str],
                    overrides: str | os.PathLike[str] | None = None,
                    official: str | os.PathLike[str] | None = None) -> Reconciliation:
    """Read the two sources (and the overrides and official lists, by default the packaged
    ones) and reconcile."""
    ovr_path = Path(overrides) if overrides is not None else default_overrides_path()
    ovr = read_overrides(ovr_path) if ovr_path.is_file() else []
    off_path = Path(official) if official is not None else default_official_lists_path()
    off = read_official_lists(off_path) if off_path.is_file() else []
    return reconcile(read_factbook(factbook), read_converter(converter), ovr, off)


def default_overrides_path() -> Path:
    from ..resources import reference_dir
    return reference_dir() / "membership-overrides.csv"


def default_official_lists_path() -> Path:
    from ..resources import reference_dir
    return reference_dir() / "membership-lists.csv"


def read_curated_states(path: str | os.PathLike[str]) -> dict[str, dict[str, str]]:
    """The curated columns of an existing ``states.csv``, by ISO3."""
    p = Path(path)
    if not p.is_file():
        return {}
    return {r["iso3"]: r for r in read_table(p, what="States file", need={"iso3"})
            if r.get("iso3")}


@dataclass(frozen=True)
class MembershipsLoad:
    reconciliation: Reconciliation
    loads: tuple = field(default_factory=tuple)


def load_memberships(store, factbook: str | os.PathLike[str],
                     converter: str | os.PathLike[str], *,
                     overrides: str | os.PathLike[str] | None = None,
                     graph_prefix: str | None = None) -> MembershipsLoad:
    """Reconcile the sources and load States and memberships into the store through the
    packaged mappings (graphs ``…/graph/memberships/states`` and ``…/memberships/members``)."""
    import tempfile
    from dataclasses import replace

    from ..namespaces import MINT
    from ..provenance import source_iri
    from ..resources import reference_dir
    from .records import load_records, prepare_records, write_records

    rec = reconcile_files(factbook, converter, overrides)
    ref = reference_dir()
    curated = read_curated_states(ref / "states.csv")
    prefix = graph_prefix or MINT.graph("memberships")
    with tempfile.TemporaryDirectory() as tmp:
        states = Path(tmp) / "states.csv"
        members = Path(tmp) / "memberships.csv"
        states.write_text(states_csv(rec, curated), encoding="utf-8")
        members.write_text(memberships_csv(rec), encoding="utf-8")
        s = load_records(store, states, ref / "states.mapping.yaml", graph=f"{prefix}/states",
                         strict=True)
        prepared = prepare_records(store, members, ref / "memberships.mapping.yaml",
                                   graph=f"{prefix}/members", strict=True)
        # the table was written to a temporary file: the provenance names the real sources
        ovr = Path(overrides) if overrides is not None else default_overrides_path()
        off = default_official_lists_path()
        used = [factbook, converter] + [p for p in (ovr, off) if p.is_file()]
        prepared = replace(prepared, sources=tuple(source_iri(p) for p in used)
                           + prepared.sources[1:])
        m = write_records(store, prepared)
    return MembershipsLoad(rec, (s, m))
