"""Memberships over time: who was a full member of an organisation on a given day.

A membership's period (``org:memberDuring``) may carry a start and an end, each recorded as a
day, a month or a year. The rules, shared with ``queries/members-as-of.rq``:

- a start or end recorded as a year or a month counts from the first day of that period;
- a membership with no recorded start counts as begun; one with no end has not ended;
- the end is the day the withdrawal or exclusion took effect, so the member counts up to the
  day before (the USA left WHO on 22 January 2026: a member on the 21st, not on the 22nd).

The pure functions take plain data; ``membership_periods`` and ``members_of`` read the store
through the shipped queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store.base import Store

_INSTANT = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@dataclass(frozen=True)
class MembershipPeriod:
    """One full membership: ``member`` (IRI) in ``org`` (IRI), from ``start`` until ``end``
    (first days of the recorded periods; None where nothing is recorded)."""

    member: str
    org: str
    start: date | None = None
    end: date | None = None

    def in_force(self, on: date) -> bool:
        """Whether the membership had begun and not yet ended on ``on``."""
        return in_force(self.start, self.end, on)


def first_day(recorded: str | None) -> date | None:
    """The first day of a recorded instant: ``2023`` -> 2023-01-01, ``2023-04`` ->
    2023-04-01, ``2023-04-04`` (or a timestamp) -> 2023-04-04; None for nothing.

    >>> first_day("2023"), first_day("2023-04"), first_day("2026-01-22T00:00:00Z")
    (datetime.date(2023, 1, 1), datetime.date(2023, 4, 1), datetime.date(2026, 1, 22))
    """
    if not recorded:
        return None
    m = _INSTANT.match(recorded.strip())
    if m is None:
        raise ValueError(f"not a date, month or year: {recorded!r}")
    year, month, day = m.group(1), m.group(2) or "01", m.group(3) or "01"
    return date(int(year), int(month), int(day))


def in_force(start: date | None, end: date | None, on: date) -> bool:
    """Begun on or before ``on`` and not ended on or before it.

    >>> in_force(None, date(2026, 1, 22), date(2026, 1, 21))
    True
    >>> in_force(None, date(2026, 1, 22), date(2026, 1, 22))
    False
    """
    return (start is None or start <= on) and (end is None or on < end)


def members_as_of(periods: Iterable[MembershipPeriod], org: str, on: date | str
                  ) -> tuple[str, ...]:
    """The members (IRIs, sorted) of ``org`` on ``on`` (a date or ``YYYY-MM-DD``)."""
    day = _day(on)
    return tuple(sorted({p.member for p in periods if p.org == org and p.in_force(day)}))


def membership_as_of(periods: Iterable[MembershipPeriod], on: date | str
                     ) -> dict[str, frozenset[str]]:
    """Every organisation's members on ``on``: organisation IRI -> member IRIs (organisations
    with no member then are left out). For shared-membership ties as of a day."""
    day = _day(on)
    out: dict[str, set[str]] = {}
    for p in periods:
        if p.in_force(day):
            out.setdefault(p.org, set()).add(p.member)
    return {org: frozenset(members) for org, members in sorted(out.items())}


def _day(on: date | str) -> date:
    if isinstance(on, date):
        return on
    try:
        return date.fromisoformat(on.strip())
    except ValueError:
        raise ValueError(f"expected a day YYYY-MM-DD, found {on!r}") from None


# ---- reading the store -------------------------------------------------------------------

def membership_periods(store: Store) -> tuple[MembershipPeriod, ...]:
    """Every full membership with its period, from ``queries/membership-periods.rq``."""
    from .queries import get_query

    rows = store.select(get_query("membership-periods").text).values()
    return tuple(MembershipPeriod(str(r["member"]), str(r["org"]),
                                  first_day(_text(r.get("start"))), first_day(_text(r.get("end"))))
                 for r in rows)


def members_of(store: Store, org: str, on: date | str) -> tuple[str, ...]:
    """The members (IRIs, sorted) of the organisation ``org`` (IRI) on ``on``, answered by
    ``queries/members-as-of.rq`` inside the store."""
    import pyoxigraph as ox

    from .namespaces import XSD
    from .queries import get_query

    day = _day(on)
    rows = store.select(get_query("members-as-of").text,
                        params={"org": ox.NamedNode(org),
                                "date": ox.Literal(day.isoformat(),
                                                   datatype=ox.NamedNode(XSD.date))}).values()
    return tuple(sorted({str(r["member"]) for r in rows}))


def _text(value: object) -> str | None:
    return None if value is None else str(value)
