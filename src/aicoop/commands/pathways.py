"""``kg pathways``: the cooperation pathways a domain's work follows, or a pair's.

Parses options, calls ``aicoop.analysis.pathways``, renders as ``table``, ``markdown``,
``csv`` (one row per organisation or pathway) or ``json`` (everything, nested).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click

from .context import echo_err, get_context, write_out

FORMATS = click.Choice(["table", "csv", "json", "markdown"])


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _cite(item: Any, names: dict[str, str], md: bool) -> str:
    text = item.cite(names)
    if md:
        text = text.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
        return f"[{text}]({item.url})" if item.url else text
    return f"{text} <{item.url}>" if item.url else text


def render_summary(s: Any, fmt: str, *, top: int | None, evidence: int = 3) -> str:
    """A domain's pathways: totals, then one row per organisation, then the evidence."""
    from ..render import delimited, render_json, render_rows
    orgs = s.organisations[:top] if top else s.organisations
    if fmt == "json":
        data = asdict(s)
        data["organisations"] = data["organisations"][:len(orgs)]
        return render_json(data)
    pw = [t.pathway for t in s.pathways]
    names = {o.iri: o.name for o in s.organisations}
    if fmt == "csv":
        cols = ["organisation", "iri", "items", "tagged", *pw,
                *(f"{p} share" for p in pw), "main", "evidence", "evidence_urls"]
        rows = []
        for o in orgs:
            row: dict[str, Any] = {"organisation": o.name, "iri": o.iri, "items": o.items,
                                   "tagged": o.tagged, "main": " + ".join(o.main),
                                   "evidence": " | ".join(i.cite(names) for i in o.evidence),
                                   "evidence_urls": " | ".join(i.url or i.iri for i in o.evidence)}
            for p in pw:
                row[p] = o.counts.get(p, 0)
                row[f"{p} share"] = round(o.shares.get(p, 0.0), 4)
            rows.append(row)
        return delimited(cols, rows, delimiter=",")
    md = fmt == "markdown"
    kind = "markdown" if md else "table"
    out = []
    label = getattr(s.domain, "label", s.domain)
    out.append(f"## Cooperation pathways in {label}\n\n" if md else
               f"Cooperation pathways in {label}: {s.tagged} of {s.items} documents and "
               "initiatives tagged\n")
    if md:
        out.append(f"{s.tagged} of {s.items} documents and initiatives carry a pathway tag.\n\n")
    totals = [{"pathway": t.label, "share": _pct(t.share), "documents": t.documents,
               "initiatives": t.initiatives, "organisations": t.organisations}
              for t in s.pathways]
    out.append(render_rows(["pathway", "share", "documents", "initiatives", "organisations"],
                           totals, kind))
    out.append("\n### By organisation\n\n" if md else
               "\nBy organisation (items following each pathway; an item may follow several):\n")
    rows = []
    for o in orgs:
        row = {"organisation": o.name, "items": o.items, "tagged": o.tagged,
               "main pathway": " + ".join(s.labels.get(p, p) for p in o.main) or "–"}
        for p in pw:
            row[p] = o.counts.get(p, 0) or ""
        rows.append(row)
    out.append(render_rows(["organisation", "items", "tagged", *pw, "main pathway"], rows, kind))
    out.append("\n### Evidence\n\n" if md else "\nEvidence (newest first):\n")
    for o in orgs:
        if not o.evidence:
            continue
        out.append(f"- **{o.name}**\n" if md else f"  {o.name}\n")
        for i in o.evidence[:evidence]:
            out.append(f"  - {_cite(i, names, md)}\n" if md else f"     - {_cite(i, names, False)}\n")
    return "".join(out)


def render_pair(r: Any, fmt: str) -> str:
    """A pair's pathways: one row per pathway with each one's items, the shared items and the
    evidence."""
    from ..render import delimited, render_json, render_rows
    if fmt == "json":
        return render_json(asdict(r))
    names = dict(r.names)
    rows = [{"pathway": p.label, "notation": p.pathway, r.a_name: p.a_items,
             r.b_name: p.b_items, "together": p.joint_items, "status": p.status,
             "evidence": " | ".join(i.cite(names) for i in p.evidence),
             "evidence_urls": " | ".join(i.url or i.iri for i in p.evidence)}
            for p in r.pathways]
    if fmt == "csv":
        return delimited(["notation", "pathway", r.a_name, r.b_name, "together", "status",
                          "evidence", "evidence_urls"], rows, delimiter=",")
    md = fmt == "markdown"
    where = f" in {r.domain.label}" if r.domain else ""
    out = [f"## Cooperation pathways of {r.a_name} and {r.b_name}{where}\n\n" if md else
           f"Cooperation pathways of {r.a_name} ({r.a_items} items) and {r.b_name} "
           f"({r.b_items} items){where}\n"]
    out.append(render_rows(["pathway", r.a_name, r.b_name, "together", "status"], rows,
                           "markdown" if md else "table"))
    out.append("\n### Evidence\n\n" if md else "\nEvidence (shared items first):\n")
    for p in r.pathways:
        if not p.evidence:
            continue
        out.append(f"- **{p.label}** ({p.status})\n" if md else f"  {p.label} ({p.status})\n")
        for i in p.evidence[:5]:
            out.append(f"  - {_cite(i, names, md)}\n" if md else f"     - {_cite(i, names, False)}\n")
    untagged = [i for i in r.joint if not i.pathways]
    if untagged:
        out.append("- **Shared, untagged**\n" if md else "  Shared, untagged\n")
        for i in untagged[:5]:
            out.append(f"  - {_cite(i, names, md)}\n" if md else f"     - {_cite(i, names, False)}\n")
    return "".join(out)


@click.command()
@click.option("--domain", "-d", metavar="DOMAIN",
              help="Domain notation or name (health, education…); with --between, only items "
                   "that address it.")
@click.option("--between", "a", metavar="ORG", help="First organisation of a pair.")
@click.option("--and", "b", metavar="ORG", help="Second organisation of a pair.")
@click.option("--top", "-n", type=click.IntRange(min=0), default=15, show_default=True,
              help="How many organisations to show (0 = all).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def pathways(ctx: click.Context, domain: str | None, a: str | None, b: str | None, top: int,
             fmt: str) -> None:
    """Which cooperation pathways (institutional alignment, strategic benefits, risk
    mitigation) a domain's documents and initiatives follow, by organisation, with the
    documents as evidence; or, for a pair, the pathways they follow together and apart.

    Counting rules: docs/metrics.md ("Cooperation pathways").

    \b
    Examples:
      kg pathways --domain health
      kg pathways --between WHO --and ITU
      kg pathways --between WHO --and ITU --domain health --format markdown
    """
    from ..errors import UsageError
    if (a is None) != (b is None):
        raise click.UsageError("--between and --and go together: name both organisations")
    store = get_context(ctx).store()
    if a is not None and b is not None:
        from ..analysis.pathways import pair_pathways
        result = pair_pathways(store, a, b, domain=domain)
        echo_err(f"kg: {result.a_name} and {result.b_name}: {len(result.joint)} shared "
                 "item(s)" + (f" in {result.domain.notation}" if result.domain else ""))
        for n in result.notes:
            echo_err(f"kg: note: {n}")
        write_out(render_pair(result, fmt))
        return
    if domain is None:
        raise UsageError("kg pathways needs --domain DOMAIN, or --between ORG --and ORG")
    from ..analysis.pathways import pathway_summary
    s = pathway_summary(store, domain)
    echo_err(f"kg: {s.domain.notation}: {s.items} documents and initiatives, {s.tagged} with a "
             f"pathway; {len(s.organisations)} organisations")
    for n in s.notes:
        echo_err(f"kg: note: {n}")
    write_out(render_summary(s, fmt, top=top or None))
