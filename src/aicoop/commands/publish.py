"""``kg publish OUT``: write the static linked-data site."""

from __future__ import annotations

from pathlib import Path

import click

from .context import echo_err, get_context


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--base", default=None, metavar="IRI",
              help="Base IRI of the resources (default https://w3id.org/aicoop/).")
@click.option("--site-url", default=None, metavar="URL",
              help="Where the site will be hosted (the w3id.org redirects point there).")
@click.option("--sparql-endpoint", default=None, metavar="URL",
              help="A public SPARQL endpoint to name in the dataset description.")
@click.option("--no-docs", is_flag=True, help="Skip the pyLODE documentation.")
@click.pass_context
def publish(ctx: click.Context, out: Path, base: str | None, site_url: str | None,
            sparql_endpoint: str | None, no_docs: bool) -> None:
    """Write a static linked-data site to OUT: dumps, VoID/DCAT, one page per resource with
    its Turtle, JSON-LD and N-Triples, content-negotiation rules and ontology docs.

    \b
    Examples:
      kg publish site/
      kg publish site/ --site-url https://example.org/aicoop/
    """
    from ..errors import UsageError
    from ..namespaces import DEFAULT_BASE
    from ..publish.site import publish_site
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out}: the output folder is not empty; give a new or empty folder")
    store = get_context(ctx).store()
    summary = publish_site(store, out, base=base or DEFAULT_BASE, site_url=site_url,
                           sparql_endpoint=sparql_endpoint, docs=not no_docs,
                           progress=lambda m: echo_err(f"kg: {m}"))
    echo_err(f"kg: {summary}")
