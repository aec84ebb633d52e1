"""What a records load found wrong, as data: each problem with its file, line, record and
field, and the two errors a load ends with when it writes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError, KgError

#: problems listed in an error message before "… and N more"
SHOWN = 20


@dataclass(frozen=True)
class Problem:
    """One bad record, field or value. ``severity`` is error (the record is not loaded) or
    warning (the value is left out, as the mapping asks, and the record loads)."""

    source: str
    message: str
    line: int | None = None
    record: int | None = None
    field: str | None = None
    severity: str = "error"

    def text(self) -> str:
        where = self.source + (f", line {self.line}" if self.line is not None else "")
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {"source": self.source, "line": self.line, "record": self.record,
                "field": self.field, "severity": self.severity, "message": self.message}


def problem_from(exc: InputError, *, severity: str = "error") -> Problem:
    """A ``Problem`` from an ``InputError`` raised for one record or field."""
    return Problem(exc.source or "", exc.detail, exc.line, getattr(exc, "record", None),
                   getattr(exc, "field", None), severity)


def listing(problems: tuple[Problem, ...] | list[Problem], total: int | None = None) -> str:
    shown = "\n  ".join(p.text() for p in problems[:SHOWN])
    n = len(problems) if total is None else total
    more = f"\n  … and {n - SHOWN} more" if n > SHOWN else ""
    return f"\n  {shown}{more}"


class RecordsRejected(InputError):
    """Records of a file could not be mapped; nothing was written. ``problems`` holds them
    all (up to the limit), each with its line, record and field."""

    def __init__(self, source: str, problems: tuple[Problem, ...], *, records: int,
                 stopped: bool) -> None:
        self.problems = problems
        self.stopped = stopped
        bad = len({p.record for p in problems})
        head = (f"{len(problems)} error(s) in {bad} of {records} record(s)"
                + (" (stopped at the limit; there may be more)" if stopped else "")
                + "; nothing was loaded and the store is unchanged (--skip-bad-records "
                  "loads the good records and lists the others):")
        # the problems carry the file name themselves; ``source`` and ``line`` (the first
        # problem's) are set for callers, not repeated in the message
        super().__init__(head + listing(problems))
        self.source = source
        self.line = problems[0].line if problems else None


class NothingSelected(KgError):
    """A mapping selected no record of a file; the file's graph was left as it was."""

    exit_code = 1
