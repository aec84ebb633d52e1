"""``kg report``: a readable report on one domain, as HTML or Markdown."""

from __future__ import annotations

from pathlib import Path

import click

from .context import echo_err, get_context


@click.command()
@click.option("--domain", "-d", required=True, metavar="DOMAIN",
              help="Domain notation or name: health, education, agriculture…")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The report file: .html (one self-contained page) or .md (figures are "
                   "written next to it as PNG files).")
@click.option("--format", "fmt", type=click.Choice(["html", "markdown"]),
              help="Default: from the extension of --out.")
@click.option("--top", "-n", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many bridges and complementary pairs to list.")
@click.pass_context
def report(ctx: click.Context, domain: str, out: Path, fmt: str | None, top: int) -> None:
    """Write a report on one domain for readers who do not use a terminal.

    Bridging organisations, complementary pairs and gaps, with their evidence, a picture of
    the domain network (bridges highlighted) and the coverage matrix as a heat map.

    \b
    Examples:
      kg report --domain health --out health.html
      kg report --domain agriculture --out agriculture.md
    """
    from ..errors import UsageError
    if fmt is None:
        ext = out.suffix.lower()
        if ext in (".html", ".htm"):
            fmt = "html"
        elif ext in (".md", ".markdown"):
            fmt = "markdown"
        else:
            raise UsageError(f"--out {out}: cannot tell the format from {ext or 'no extension'!r}; "
                             "use a .html or .md file, or --format html|markdown")
    from ..analysis.report import build_report, render_html, render_markdown
    store = get_context(ctx).store()
    data = build_report(store, domain, top=top)
    rendered = render_html(data) if fmt == "html" else render_markdown(data, out.stem)
    if out.parent and not out.parent.exists():
        raise UsageError(f"--out {out}: the folder {out.parent} does not exist")
    out.write_text(rendered.text, encoding="utf-8")
    for name, png in rendered.images.items():
        (out.parent / name).write_bytes(png)
    written = [str(out)] + [str(out.parent / n) for n in rendered.images]
    echo_err("kg: wrote " + ", ".join(written))
