"""``kg states``: States ranked as honest brokers, by how they span blocs and instruments.

Parses options, calls ``aicoop.analysis.state_brokers``, renders as ``table``, ``markdown``,
``csv`` (one row per State) or ``json`` (everything, nested).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click

from .context import echo_err, get_context, write_out

FORMATS = click.Choice(["table", "csv", "json", "markdown"])


def _links(r: Any, n: int = 3) -> str:
    return ", ".join(f"{lk.a}–{lk.b} ({lk.shared})" for lk in r.links[:n])


def render_states(result: Any, fmt: str) -> str:
    from ..render import delimited, render_json, render_rows
    if fmt == "json":
        return render_json(asdict(result))
    if fmt == "csv":
        cols = ["rank", "state", "code", "iri", "score", "groups", "blocs", "instruments",
                "sole_links", "group_names", "rarest_links", "sources"]
        rows = [{"rank": r.rank, "state": r.name, "code": r.code, "iri": r.iri,
                 "score": round(r.score, 6), "groups": len(r.groups), "blocs": r.blocs,
                 "instruments": r.instruments, "sole_links": r.sole_links,
                 "group_names": "; ".join(r.groups), "rarest_links": _links(r, 5),
                 "sources": " | ".join(f"{g}: {' '.join(src)}" for g, src in r.evidence if src)}
                for r in result.rows]
        return delimited(cols, rows, delimiter=",")
    md = fmt == "markdown"
    kind = "markdown" if md else "table"
    rows = [{"rank": r.rank, "state": r.name, "score": f"{r.score:.3g}", "groups": len(r.groups),
             "sole links": r.sole_links or "", "member of": ", ".join(r.groups),
             "rarest links (States shared)": _links(r)} for r in result.rows]
    where = f" in {result.domain.label}" if result.domain else ""
    when = f" as of {result.as_of}" if result.as_of else ""
    out = [f"## States spanning blocs{where}{when}\n\n" if md else ""]
    out.append(render_rows(["rank", "state", "score", "groups", "sole links", "member of",
                            "rarest links (States shared)"], rows, kind))
    groups = ", ".join(f"{g} ({n})" for g, n in result.groups.items())
    out.append(f"\n**Groups** (member States): {groups}\n" if md else
               f"\nGroups (member States): {groups}\n")
    if result.left_out:
        share = f"{100 * result.max_share:.0f}%"
        out.append(f"Left out as near-universal (more than {share} of {result.states} States): "
                   f"{', '.join(result.left_out)}\n")
    out.append("\n### Evidence\n\n" if md else "\nEvidence (membership sources):\n")
    for r in result.rows:
        cited = [(g, src) for g, src in r.evidence if src]
        if not cited:
            continue
        out.append(f"- **{r.name}**\n" if md else f"  {r.rank}. {r.name}\n")
        for g, src in cited:
            out.append(f"  - {g}: {' '.join(src)}\n" if md else f"     - {g}: {' '.join(src)}\n")
    return "".join(out)


@click.command()
@click.option("--domain", "-d", metavar="DOMAIN",
              help="Only blocs active in this domain and instruments addressing it.")
@click.option("--as-of", "as_of", type=int, metavar="YEAR",
              help="Memberships in force in this year (default: those not ended).")
@click.option("--max-share", type=click.FloatRange(0.0, 1.0, min_open=True), default=0.5,
              show_default=True,
              help="A bloc has at most this share of all States as members; bigger groups "
                   "(UN, WHO…) are near-universal and left out.")
@click.option("--top", "-n", type=click.IntRange(min=0), default=20, show_default=True,
              help="How many States to show (0 = all).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def states(ctx: click.Context, domain: str | None, as_of: int | None, max_share: float,
           top: int, fmt: str) -> None:
    """States ranked as honest brokers: by how they span blocs (G7, G20, BRICS, OECD, NATO,
    AU, ASEAN, EU, OAS, CoE…) and AI instruments that otherwise share few members.

    Each pair of a State's groups adds 1 / (the number of States the two groups share):
    a State that is the only common member of two groups carries their whole link.
    Definitions: docs/metrics.md ("States as honest brokers").

    \b
    Examples:
      kg states
      kg states --as-of 2020 --top 10
      kg states --domain health --format markdown
    """
    from ..analysis.state_brokers import state_brokers
    store = get_context(ctx).store()
    result = state_brokers(store, domain=domain, as_of=as_of, max_share=max_share,
                           top=top or None)
    echo_err(f"kg: {len(result.groups)} groups of States; showing {len(result.rows)} States"
             + (f" in {result.domain.notation}" if result.domain else "")
             + (f" as of {result.as_of}" if result.as_of else ""))
    for n in result.notes:
        echo_err(f"kg: note: {n}")
    write_out(render_states(result, fmt))
