"""Options shared by the analysis commands: which evidence counts, and when."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..errors import UsageError


def evidence_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--other-domains``, ``--with-members``, ``--with-text``, ``--since YEAR``,
    ``--as-of YEAR``."""
    f = click.option("--as-of", "as_of", type=click.IntRange(1900, 2100), metavar="YEAR",
                     help="Only evidence dated up to this year, and memberships valid then.")(f)
    f = click.option("--since", type=click.IntRange(1900, 2100), metavar="YEAR",
                     help="Only evidence dated from this year on (undated evidence is left "
                          "out when --since or --as-of is given).")(f)
    f = click.option("--with-text", is_flag=True,
                     help="Add the weakest layer: organisations named in the text of documents "
                          "addressing the domain (kg load text; channel text-mention).")(f)
    f = click.option("--with-members", is_flag=True,
                     help="Add the weaker layer of ties through shared member States "
                          "(channel shared-members).")(f)
    f = click.option("--other-domains", is_flag=True,
                     help="Also count joint work in other domains (channel other-domain, "
                          "half weight, always labelled).")(f)
    return f


def window(since: int | None, as_of: int | None) -> Any:
    """The time window the options ask for; a usage error when it is empty."""
    from ..analysis.projection import Window
    if since is not None and as_of is not None and since > as_of:
        raise UsageError(f"--since {since} is after --as-of {as_of}: no year is left")
    return Window(since, as_of)
