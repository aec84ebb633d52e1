"""``kg derive``: materialise the derived facts from the documented rules."""

from __future__ import annotations

import click

from .context import get_context, write_out


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown"]),
              default="table", show_default=True)
@click.pass_context
def derive(ctx: click.Context, fmt: str) -> None:
    """Rebuild the derived graph by running every construct-*.rq rule.

    Rules: class hierarchy, partners through joint initiatives, activity in a domain,
    functions performed, memberships. Loads run this automatically.
    """
    from ..derive import derive as run
    from ..render import render_rows
    res = run(get_context(ctx).store(write=True))
    rows = [{"rule": r.rule, "triples": r.triples} for r in res.rules]
    rows.append({"rule": "total (distinct)", "triples": res.triples})
    write_out(render_rows(["rule", "triples"], rows, fmt))
