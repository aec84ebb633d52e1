"""``kg serve``: SPARQL endpoint, resource pages, analyses and networks over HTTP."""

from __future__ import annotations

import click

from .context import echo_err, get_context


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--timeout", "timeout_s", default=10.0, show_default=True,
              type=click.FloatRange(1, 3600), help="SPARQL query time limit in seconds "
              "(the worker running a query past it is killed).")
@click.option("--max-result-bytes", default=10_000_000, show_default=True,
              type=click.IntRange(1000), help="Largest SPARQL result returned; larger ones "
              "get 413.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="SPARQL worker processes (queries that run at the same time).")
@click.option("--public-url", default="", metavar="URL",
              help="The address clients reach this server at, behind a proxy (the dataset "
                   "description names its endpoint from it; default: as each client asks).")
@click.option("--base", default=None, metavar="IRI",
              help="Base IRI of the resources (default https://w3id.org/aicoop/).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, timeout_s: float, max_result_bytes: int,
          workers: int, public_url: str, base: str | None) -> None:
    """Serve the graph read-only: SPARQL 1.1 endpoint with a query editor at /sparql,
    resource pages with content negotiation, analyses as JSON (/api/bridges?domain=health)
    and an interactive network per domain (/network/health).

    The server answers from a snapshot taken at start and never writes; a `kg load` while it
    runs changes the store, not what is served (restart to serve the new data).

    \b
    Examples:
      kg serve
      kg serve --port 8080 --timeout 30
    """
    from ..namespaces import DEFAULT_BASE
    from ..serve import prepared_app, serve_forever
    from ..store import open_store
    context = get_context(ctx)
    context.store()  # builds the default store on first use
    context.close()
    import os
    from ..store import default_store_path
    loc = context.store_location or os.environ.get("KG_STORE") or str(default_store_path())
    store = open_store(loc, read_only=True)
    try:
        cm = prepared_app(store, base=base or DEFAULT_BASE, timeout_s=timeout_s,
                          max_result_bytes=max_result_bytes, workers=workers,
                          public_url=public_url,
                          progress=lambda m: echo_err(f"kg: {m}"))
        app, _ = cm.__enter__()
    finally:
        store.close()
    try:
        serve_forever(app, host, port, on_ready=lambda url: echo_err(
            f"kg: serving on {url} (SPARQL at {url}/sparql); Ctrl-C stops"))
    finally:
        cm.__exit__(None, None, None)
