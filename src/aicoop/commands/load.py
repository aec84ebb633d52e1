"""``kg load …``: put sources into the store, each into its own named graph."""

from __future__ import annotations

import click

from ..cli import LazyGroup
from .context import echo_err, get_context

SUBCOMMANDS = {
    "records": "aicoop.commands.records:load_records_cmd",
    "memberships": "aicoop.commands.records:load_memberships_cmd",
    "text": "aicoop.commands.text:load_text_cmd",
    "rml": "aicoop.commands.rml:load_rml_cmd",
}


@click.group(cls=LazyGroup, lazy=SUBCOMMANDS)
@click.option("--no-derive", is_flag=True,
              help="Do not rebuild the derived graph after loading (run kg derive later).")
@click.pass_context
def load(ctx: click.Context, no_derive: bool) -> None:
    """Load sources into the store (each into its own named graph, replaced on reload).

    After a successful load the derived facts are rebuilt (see kg derive)."""
    ctx.meta["aicoop.no_derive"] = no_derive


@load.result_callback()
@click.pass_context
def _derive_after_load(ctx: click.Context, *_: object, **__: object) -> None:
    derive_unless_asked_not_to(ctx)


def derive_unless_asked_not_to(ctx: click.Context) -> None:
    """Rebuild the derived graph, unless ``kg load --no-derive`` was given. Subcommands that
    end with a non-zero status after loading part of their input call it themselves, since
    the result callback does not run then."""
    if ctx.meta.get("aicoop.no_derive"):
        return
    from ..derive import derive
    res = derive(get_context(ctx).store(write=True))
    echo_err(f"derived {res.triples} facts into <{res.graph}>")


@load.command("rdf")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--graph", metavar="IRI", help="Put everything into this named graph "
              "(default: one graph per file; dataset files keep their graph names).")
@click.option("--format", "fmt", metavar="EXT", help="RDF format if the extension does not "
              "tell it: ttl, trig, nt, nq, jsonld, rdf (RDF/XML), n3, or a media type.")
@click.option("--replace-reference", is_flag=True, help="Allow replacing a shipped graph "
              "(ontology, vocabularies, reference data, derived facts).")
@click.pass_context
def load_rdf_cmd(ctx: click.Context, files: tuple[str, ...], graph: str | None,
                 fmt: str | None, replace_reference: bool) -> None:
    """Load RDF files: Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML.

    Every file is parsed before anything is written: a file with an error changes nothing.

    \b
    Example:
      kg load rdf extra-orgs.ttl --graph https://example.org/graph/extra
    """
    from ..loaders.rdf import load_rdf
    if graph is not None:
        import pyoxigraph as ox
        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise click.BadParameter(f"not an absolute IRI: {exc}", param_hint="--graph")
    store = get_context(ctx).store(write=True)
    for res in load_rdf(store, list(files), graph=graph, fmt=fmt,
                       replace_reference=replace_reference):
        echo_err(f"loaded {res.triples} triples from {res.path} into "
                 + ", ".join(f"<{g}>" for g in res.graphs))
