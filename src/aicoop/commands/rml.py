"""``kg load rml``: RML and YARRRML mappings, run by morph-kgc."""

from __future__ import annotations

import click

from .context import echo_err, get_context


@click.command("rml")
@click.argument("mapping", type=click.Path(dir_okay=False))
@click.option("--graph", metavar="IRI", help="Named graph to replace (default: the graph "
              "`kg load records` gives the mapping's first data file).")
@click.pass_context
def load_rml_cmd(ctx: click.Context, mapping: str, graph: str | None) -> None:
    """Load with an RML (Turtle) or YARRRML mapping, through the morph-kgc engine.

    The result goes into one named graph, replaced as a unit, with the same provenance as
    kg load records. Relative source paths in the mapping are read from the mapping's
    folder. morph-kgc runs in its own Python environment (it pins versions of pyoxigraph
    and rdflib that kg cannot use): set KG_MORPH_KGC_PYTHON to that environment's python.

    \b
    Example:
      python3 -m venv ~/.morph-kgc && ~/.morph-kgc/bin/pip install morph-kgc
      KG_MORPH_KGC_PYTHON=~/.morph-kgc/bin/python \\
        kg load rml examples/mappings/org-functions.rml.ttl
    """
    from ..loaders.rml import load_rml
    if graph is not None:
        import pyoxigraph as ox
        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise click.BadParameter(f"not an absolute IRI: {exc}", param_hint="--graph")
    res = load_rml(get_context(ctx).store(write=True), mapping, graph=graph)
    echo_err(f"kg: {res.summary()}")
