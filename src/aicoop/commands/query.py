"""``kg query``: run a SPARQL query from a file, standard input or the shipped set."""

from __future__ import annotations

import click

from .context import get_context, write_out

FORMATS = ["table", "csv", "tsv", "json", "markdown", "turtle", "jsonld", "nt"]


@click.command()
@click.argument("query_spec", metavar="QUERY", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (repeatable). Values are bound as RDF terms.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="SELECT: table, csv, tsv, json (SPARQL results JSON), markdown. "
                   "CONSTRUCT/DESCRIBE: turtle, jsonld, nt. ASK: exit 0 if true, 1 if false.")
@click.option("--list", "list_", is_flag=True, help="List the shipped queries and exit.")
@click.option("--timeout", type=click.FloatRange(min=0), default=120, show_default=True,
              metavar="SECONDS", help="Stop the query after this long (0: no limit).")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE clauses query other endpoints over the network (off by "
                   "default).")
@click.pass_context
def query(ctx: click.Context, query_spec: str | None, params: tuple[str, ...], fmt: str,
          list_: bool, timeout: float, allow_service: bool) -> None:
    """Run QUERY: a .rq file, - for standard input, or the name of a shipped query.

    The default graph is the union of all named graphs; GRAPH reaches one source.
    Queries only: updates are refused, and so is SERVICE unless --allow-service.

    \b
    Examples:
      kg query --list
      kg query documents-by-domain --param domain=health --format csv
      echo 'SELECT * WHERE { ?s ?p ?o } LIMIT 5' | kg query -
    """
    from ..queries import load_query, named_queries
    from ..render import render_rows
    if list_:
        rows = [{"name": q.name, "parameters": ", ".join(f"{p.name} ({p.type})" for p in q.params),
                 "answers": q.summary} for q in named_queries().values()]
        write_out(render_rows(["name", "parameters", "answers"], rows,
                              fmt if fmt in ("table", "csv", "tsv", "json", "markdown") else "table"))
        return
    if not query_spec:
        raise click.UsageError("give a QUERY (file, - or a shipped name), or --list")
    import sys
    stdin_text = sys.stdin.read() if query_spec == "-" else None
    nq = load_query(query_spec, stdin_text)
    from ..params import bind_params, parse_assignments
    from ..query_guard import check_query
    from ..render import render_select, render_triples
    from ..store.base import SelectResult
    from ..errors import QueryError
    try:
        check_query(nq.text, allow_service=allow_service)
        store = get_context(ctx).store()
        terms = bind_params(nq, parse_assignments(params), store)
        if hasattr(store, "raw") and store.location != ":memory:":
            from ..store.query_worker import run_query
            result = run_query(store.location, nq.text, params=terms, timeout=timeout or None)
        else:
            if timeout and hasattr(store, "timeout"):
                store.timeout = min(store.timeout, timeout)
            result = store.query(nq.text, params=terms)
    except QueryError as exc:  # say which query, as a file error names its file
        raise QueryError(f"{query_spec if query_spec != '-' else '<stdin>'}: {exc}") from None
    if isinstance(result, SelectResult):
        write_out(render_select(result, fmt))
    elif isinstance(result, bool):
        write_out("true\n" if result else "false\n")
        ctx.exit(0 if result else 1)
    else:
        write_out(render_triples(result, "turtle" if fmt == "table" else fmt))
