"""``kg graphs``, ``kg stats``, ``kg export``, ``kg init``: look at and manage the store."""

from __future__ import annotations

import click

from .context import echo_err, get_context, write_out

ROWS = click.Choice(["table", "csv", "tsv", "json", "markdown"])


@click.command()
@click.option("--drop", metavar="IRI", multiple=True, help="Remove this named graph.")
@click.option("--format", "fmt", type=ROWS, default="table", show_default=True)
@click.pass_context
def graphs(ctx: click.Context, drop: tuple[str, ...], fmt: str) -> None:
    """List the named graphs with their size and provenance, or drop some.

    \b
    Examples:
      kg graphs
      kg graphs --drop https://w3id.org/aicoop/graph/file/extra-ttl-1a2b3c4d
    """
    from ..errors import NotFound
    from ..render import render_rows
    from ..stats import graph_rows
    store = get_context(ctx).store(write=bool(drop))
    if drop:
        known = {g.iri for g in store.graphs()}
        for iri in drop:
            if iri not in known:
                import difflib
                raise NotFound("graph", iri, difflib.get_close_matches(iri, sorted(known), n=3))
        for iri in drop:
            store.drop_graph(iri)
            echo_err(f"dropped <{iri}>")
        return
    rows = graph_rows(store)
    write_out(render_rows(["graph", "triples", "label", "source", "generated"], rows, fmt))


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]),
              default="table", show_default=True)
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Counts by class, domain, organisation kind, issuer kind, relation channel, membership
    role and source, and source graph."""
    from ..render import render_json, render_rows
    from ..stats import store_stats
    st = store_stats(get_context(ctx).store())
    if fmt == "json":
        write_out(render_json(st))
        return
    out = [f"triples: {st['triples']}   graphs: {len(st['graphs'])}\n"]
    for title, key, cols in [("By class", "classes", ["class", "count"]),
                             ("Documents by domain", "domains", ["domain", "documents"]),
                             ("Organisations by kind", "organisation_kinds", ["kind", "count"]),
                             ("Documents by issuer kind", "documents_by_issuer_kind",
                              ["kind", "documents"]),
                             ("Relations by channel", "relations", ["channel", "count"]),
                             ("Memberships by role", "memberships",
                              ["role", "memberships", "ended", "organisations"]),
                             ("Memberships by source site", "membership_sources",
                              ["host", "memberships"]),
                             ("Triples by source graph", "graphs", ["graph", "triples"])]:
        out.append(f"\n{title}\n")
        out.append(render_rows(cols, st[key], "markdown" if fmt == "markdown" else "table"))
    write_out("".join(out))


EXPORT_FORMATS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "nq": "N_QUADS", "trig": "TRIG",
                  "jsonld": "JSON_LD", "xml": "RDF_XML"}


@click.command()
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="nq",
              show_default=True, help="nq and trig keep named graphs; the others merge them.")
@click.option("--graph", metavar="IRI", help="Export only this named graph.")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of standard output.")
@click.pass_context
def export(ctx: click.Context, fmt: str, graph: str | None, out: str | None) -> None:
    """Dump the store (or one graph) as RDF.

    \b
    Example:
      kg export --format trig --out aicoop.trig
    """
    import sys

    import pyoxigraph as ox
    from pathlib import Path

    from ..errors import UsageError
    store = get_context(ctx).store()
    rdf_fmt = getattr(ox.RdfFormat, EXPORT_FORMATS[fmt])
    if out:
        target = Path(out)
        if not target.parent.is_dir():
            raise UsageError(f"cannot write {out}: the folder {target.parent} does not exist")
        # written beside the target and renamed, so a failed export leaves no half file
        tmp = target.with_name(f".{target.name}.part")
        try:
            with open(tmp, "wb") as fh:
                store.dump(fh, rdf_fmt, graph=graph)
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        echo_err(f"wrote {out}")
    else:
        store.dump(sys.stdout.buffer, rdf_fmt, graph=graph)
        sys.stdout.buffer.flush()


@click.command()
@click.option("--empty", is_flag=True, help="Create an empty store with only the ontology "
              "and vocabularies, without the reference data.")
@click.option("--force", is_flag=True, help="Rebuild even if the store already has data.")
@click.pass_context
def init(ctx: click.Context, empty: bool, force: bool) -> None:
    """Build the store: ontology, vocabularies and (unless --empty) the reference graph."""
    from ..errors import UsageError
    from ..reference import build_reference, load_ontology
    from ..store.marker import begin_build, finish_build
    context = get_context(ctx)
    store = context.store(build_default=False, write=True)
    if not store.is_empty() and not force:
        raise UsageError(f"the store at {store.location} already has data; use --force "
                         "to rebuild it")
    embedded = hasattr(store, "raw")
    if embedded:
        from pathlib import Path
        begin_build(Path(store.location))
    if empty:
        n = load_ontology(store)
        echo_err(f"loaded the ontology and vocabularies ({n} triples)")
    else:
        echo_err(build_reference(store))
    if embedded:
        finish_build(Path(store.location), store)
