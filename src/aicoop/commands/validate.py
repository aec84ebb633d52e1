"""``kg validate``: check the store against the SHACL shapes, in plain words."""

from __future__ import annotations

import click

from ..validation import DEFAULT_BATCH
from .context import echo_err, get_context, write_out


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
              show_default=True, help="text: grouped by record and field; json; turtle: the "
              "SHACL validation report graph.")
@click.option("--batch-size", type=click.IntRange(min=0), default=DEFAULT_BATCH,
              show_default=True, help="Focus nodes validated together; memory grows with it. "
              "0 copies the whole store into memory and validates it at once.")
@click.pass_context
def validate(ctx: click.Context, fmt: str, batch_size: int) -> None:
    """Check the whole store against the shapes; exit 1 if anything violates them.

    \b
    Example:
      kg validate --format json > report.json
    """
    from ..validation import format_report, validate_store
    report = validate_store(get_context(ctx).store(), batch_size=batch_size or None)
    write_out(format_report(report, fmt=fmt))
    if not report.conforms:
        errors = sum(1 for v in report.violations if v.severity == "Violation")
        echo_err(f"kg: {errors} violation(s), {len(report.violations) - errors} warning(s)")
        ctx.exit(1 if errors else 0)
