"""``kg ontology …``: check the shipped ontology, vocabularies and shapes."""

from __future__ import annotations

import click

from .context import write_out


@click.group()
def ontology() -> None:
    """Work with the ontology, vocabularies and shapes shipped with kg."""


@ontology.command("check")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
def check(ctx: click.Context, fmt: str) -> None:
    """Parse every file, list terms missing labels or definitions, and check OWL consistency
    with HermiT (needs Java; says so when Java is absent). Exit 1 on any problem."""
    from ..reasoning import check_ontology, format_check
    result = check_ontology()
    write_out(format_check(result, fmt=fmt))
    if not result.ok:
        ctx.exit(1)
