"""Errors the library raises; the CLI turns them into messages and exit codes.

The library never prints or exits. Each error carries an ``exit_code`` following the
project convention: 1 ran but found problems, 2 usage error, 3 unreadable input.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error ``kg`` reports to a user."""

    exit_code = 1


class UsageError(KgError):
    """The user asked for something that cannot be done as asked."""

    exit_code = 2


class InputError(KgError):
    """An input file or record cannot be read; nothing was changed.

    ``source`` names the file (or record), ``line`` and ``column`` where known.
    """

    exit_code = 3

    def __init__(self, message: str, *, source: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        self.source = source
        self.line = line
        self.column = column
        where = ""
        if source:
            where = source
            if line is not None:
                where += f", line {line}"
                if column is not None:
                    where += f", column {column}"
            where += ": "
        super().__init__(f"{where}{message}")
        self.detail = message


class StoreError(KgError):
    """The store could not be opened, read or written."""

    exit_code = 3


class QueryError(KgError):
    """A SPARQL query is malformed or failed to run."""

    exit_code = 2


class NotFound(UsageError):
    """A name (domain, organisation, query, graph) matches nothing known.

    ``suggestions`` holds the closest valid names, best first.
    """

    def __init__(self, kind: str, name: str, suggestions: list[str] | tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = tuple(suggestions)
        msg = f"unknown {kind} {name!r}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)


class DomainNotFound(NotFound):
    def __init__(self, name: str, suggestions: list[str] | tuple[str, ...] = ()) -> None:
        super().__init__("domain", name, suggestions)


class OrganisationNotFound(NotFound):
    def __init__(self, name: str, suggestions: list[str] | tuple[str, ...] = ()) -> None:
        super().__init__("organisation", name, suggestions)
