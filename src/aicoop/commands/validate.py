"""``kg validate``: check the store against the SHACL shapes, in plain words."""

from __future__ import annotations

import click

from .context import echo_err, get_context, write_out


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
              show_default=True, help="text: grouped by record and field; json; turtle: the "
              "SHACL validation report graph.")
@click.pass_context
def validate(ctx: click.Context, fmt: str) -> None:
    """Check the whole store against the shapes; exit 1 if anything violates them.

    \b
    Example:
      kg validate --format json > report.json
    """
    from ..validation import format_report, validate_store
    report = validate_store(get_context(ctx).store())
    write_out(format_report(report, fmt=fmt))
    if not report.conforms:
        errors = sum(1 for v in report.violations if v.severity == "Violation")
        echo_err(f"kg: {errors} violation(s), {len(report.violations) - errors} warning(s)")
        ctx.exit(1 if errors else 0)
