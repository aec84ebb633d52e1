"""``kg network``: a domain's network with its metrics, as GraphML or GEXF for Gephi."""

from __future__ import annotations

import click

from .context import echo_err, get_context, write_out


def write_file(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (a temporary file renamed into place)."""
    import os
    import tempfile
    from pathlib import Path

    from ..errors import InputError
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    except OSError as exc:
        raise InputError(f"cannot write there: {exc.strerror}", source=str(target)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.command()
@click.option("--domain", "-d", required=True, metavar="DOMAIN",
              help="Domain notation or name: health, education, agriculture…")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf"]), default="graphml",
              show_default=True)
@click.option("--out", "-o", "out", metavar="FILE", help="Write to FILE (default: stdout).")
@click.option("--communities", "method", type=click.Choice(["louvain", "kind"]),
              default="louvain", show_default=True,
              help="Groups the metrics are computed against (as for kg bridges).")
@click.option("--seed", type=int, default=42, show_default=True, help="Louvain seed.")
@click.option("--with-members", is_flag=True,
              help="Add the weaker layer of ties through shared member States.")
@click.pass_context
def network(ctx: click.Context, domain: str, fmt: str, out: str | None, method: str, seed: int,
            with_members: bool) -> None:
    """A domain's network of organisations as GraphML or GEXF, for Gephi and friends.

    Nodes are the organisations kg bridges ranks, with its metrics as attributes (rank,
    score, betweenness, participation, constraint, effective size, community…); edges are
    their ties, with the weight, each channel's weight and item count, and the evidence
    (count and IRIs).

    \b
    Examples:
      kg network --domain health --out health.graphml
      kg network --domain agriculture --format gexf --out agriculture.gexf
    """
    from ..analysis.network_export import domain_network, write_network
    store = get_context(ctx).store()
    net = domain_network(store, domain, method=method, seed=seed, with_members=with_members)
    data = write_network(net.graph, fmt)
    for n in net.notes:
        echo_err(f"kg: note: {n}")
    where = out or "stdout"
    echo_err(f"kg: {net.domain.notation}: {net.graph.number_of_nodes()} organisations, "
             f"{net.graph.number_of_edges()} ties written as {fmt} to {where}")
    if out:
        write_file(out, data)
    else:
        write_out(data)
