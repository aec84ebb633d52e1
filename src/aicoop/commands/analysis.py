"""``kg bridges``, ``kg paths``, ``kg complementarity``, ``kg gaps``: the analyses.

Each command parses its options, calls ``aicoop.analysis``, and renders: ``table`` (for
reading in a terminal), ``markdown``, ``csv`` (one row per item, for spreadsheets) or
``json`` (everything, nested). Summaries and notes go to standard error.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click

from .context import echo_err, get_context, write_out
from .options import evidence_options, window

FORMATS = click.Choice(["table", "csv", "json", "markdown"])


def _fmt(x: float | None, digits: int = 3) -> str:
    if x is None:
        return "–"
    return f"{x:.{digits}g}" if abs(x) < 1000 else f"{x:.0f}"


def _notes(notes: tuple[str, ...] | list[str]) -> None:
    for n in notes:
        echo_err(f"kg: note: {n}")


def _link(item: Any, markdown: bool) -> str:
    text = item.cite()
    if markdown:
        text = text.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
        return f"[{text}]({item.url})" if item.url else text
    return f"{text} <{item.url}>" if item.url else text


# ---- bridges ------------------------------------------------------------------------------

BRIDGE_COLUMNS = ["rank", "organisation", "kind", "score", "betweenness", "participation",
                  "constraint", "effective size", "cut point", "connects", "channels",
                  "stability"]


def _channels(split: Any) -> str:
    return ", ".join(f"{name} {_fmt(w, 2)}" for name, w in split)


def _bridge_cells(r: Any) -> dict[str, Any]:
    return {"rank": r.rank, "organisation": r.name, "kind": r.kind, "score": _fmt(r.score),
            "betweenness": _fmt(r.betweenness), "participation": _fmt(r.participation),
            "constraint": _fmt(r.constraint), "effective size": _fmt(r.effective_size),
            "cut point": "yes" if r.articulation else "", "connects": ", ".join(r.connects),
            "channels": _channels(r.channels),
            "stability": r.stability.verdict if r.stability else ""}


def _stability_line(r: Any, result: Any) -> str:
    st = r.stability
    titles = {e: i.title for e, i in result.items.items()}
    return st.describe(titles) if st else ""


def render_bridges(result: Any, fmt: str) -> str:
    from ..render import render_json, render_rows
    if fmt == "json":
        return render_json(asdict(result))
    if fmt == "csv":
        cols = ["rank", "organisation", "name", "iri", "kind", "score", "betweenness",
                "participation", "constraint", "effective_size", "articulation", "community",
                "connects", "ties", "strength", "channels", "roles", "stability", "rests_on",
                "evidence", "evidence_urls"]
        rows = [{"rank": r.rank, "organisation": r.name, "name": r.label, "iri": r.iri,
                 "kind": r.kind, "score": r.score, "betweenness": r.betweenness,
                 "participation": r.participation, "constraint": r.constraint,
                 "effective_size": r.effective_size, "articulation": r.articulation,
                 "community": r.community, "connects": " ".join(r.connects), "ties": r.ties,
                 "strength": r.strength,
                 "channels": " ".join(f"{n}={w:.6g}" for n, w in r.channels),
                 "roles": " ".join(f"{n}={c}" for n, c in r.roles if c),
                 "stability": _stability_line(r, result),
                 "rests_on": " | ".join(r.stability.rests_on_titles) if r.stability else "",
                 "evidence": " | ".join(e.cite() for e in r.evidence),
                 "evidence_urls": " | ".join(e.url or e.iri for e in r.evidence)}
                for r in result.rows]
        return _csv(cols, rows)
    md = fmt == "markdown"
    out = []
    if md:
        out.append(f"## Bridging organisations in {result.domain.label}\n\n")
    if result.rows:
        out.append(render_rows(BRIDGE_COLUMNS, [_bridge_cells(r) for r in result.rows],
                               "markdown" if md else "table"))
    else:
        tied = [c for c in result.communities if len(c.members) > 1]
        groups = "; ".join(", ".join(c.member_names) for c in tied)
        alone = sum(1 for c in result.communities if len(c.members) == 1)
        out.append(f"No organisation bridges {result.domain.notation} ({result.window}) on the "
                   "evidence counted"
                   + (f": the tied organisations form {len(tied)} separate group(s) "
                      f"({groups})" if tied else ": no two organisations are tied")
                   + (f" and {alone} organisation(s) have no tie here" if alone else "")
                   + ".\n")
        if not (result.other_domains and result.with_members):
            out.append("Wider views: --other-domains (joint work in other domains), "
                       "--with-members (shared member States); who does the most: "
                       f"kg leads --domain {result.domain.notation}.\n")
    if result.fragility:
        out.append(f"\n**Fragile:** {result.fragility}\n" if md
                   else f"\nFragile: {result.fragility}\n")
    if result.not_bridges:
        line = (f"Active in {result.domain.notation} but bridging nothing "
                f"({len(result.not_bridges)}): {', '.join(result.not_bridges)}")
        out.append(f"\n{line}\n" if md else f"\n{line}\n")
    how = "Louvain, seed %d" % result.seed if result.method == "louvain" else "organisation kinds"
    out.append(("\n### Communities (%s)\n\n" if md else "\nCommunities (%s):\n") % how)
    for c in result.communities:
        out.append(f"- **{c.name}**: {c.label}\n" if md else f"  {c.name:<6} {c.label}\n")
    if any(r.stability for r in result.rows):
        out.append("\n### Stability (leave one item or organisation out)\n\n" if md else
                   "\nStability (each row ranked again without each item it rests on and "
                   "each organisation it depends on):\n")
        for r in result.rows:
            if not r.stability:
                continue
            head = f"{r.rank}. {r.name}: {_stability_line(r, result)}"
            out.append(f"- **{head}**\n" if md else f"  {head}\n")
            for t in r.stability.rests_on_titles:
                out.append(f"  - rests on {t}\n" if md else f"      rests on {t}\n")
    if any(r.evidence for r in result.rows):
        out.append("\n### Evidence\n\n" if md else "\nEvidence (documents and initiatives "
                   "behind each organisation's ties, ties to other communities first):\n")
    for r in result.rows:
        if not r.evidence:
            continue
        full = f" ({r.label})" if r.label and r.label != r.name else ""
        out.append(f"{r.rank}. **{r.name}**{full}\n" if md else f"  {r.rank}. {r.name}{full}\n")
        for e in r.evidence:
            out.append(f"   - {_link(e, md)}\n" if md else f"     - {_link(e, False)}\n")
    return "".join(out)


def _csv(cols: list[str], rows: list[dict[str, Any]]) -> str:
    from ..render import delimited
    return delimited(cols, rows, delimiter=",")


def render_explanation(ex: Any, fmt: str) -> str:
    from ..render import render_json, render_rows
    if fmt == "json":
        return render_json(asdict(ex))
    r = ex.row
    if fmt == "csv":
        cols = ["neighbour", "community", "other_community", "weight", "share", "channels",
                "sensitive", "evidence", "evidence_url"]
        rows = []
        for t in ex.ties:
            for e in t.evidence or (None,):
                rows.append({"neighbour": t.neighbour_name, "community": t.community,
                             "other_community": t.crosses, "weight": t.weight, "share": t.share,
                             "channels": "; ".join(t.channels), "sensitive": t.sensitive,
                             "evidence": e.cite() if e else "",
                             "evidence_url": (e.url or e.iri) if e else ""})
        return _csv(cols, rows)
    md = fmt == "markdown"
    out = []
    full = f" ({r.label})" if r.label and r.label != r.name else ""
    head = (f"{r.name}{full}, {r.kind}: rank {r.rank} of {ex.of} in "
            f"{ex.domain.notation}")
    out.append(f"## {head}\n\n" if md else head + "\n")
    comm = next((c for c in ex.communities if c.name == r.community), None)
    out.append(f"Community {r.community} ({comm.label if comm else ''}); ties into "
               f"{', '.join(r.connects) or 'no community'}. "
               + ("A bridge" if r.bridge else "Not a bridge (it brokers nothing between "
                  "groups)") + "; channels: " + (_channels(r.channels) or "none") + ".\n")
    roles = ", ".join(f"{n} {c}" for n, c in r.roles if c)
    out.append(f"Brokerage roles over organisation kinds (open triads through it): "
               f"{roles or 'none'}.\n\n")
    p = ex.percentiles
    metric_rows = [
        {"metric": "betweenness", "value": _fmt(r.betweenness), "percentile": _fmt(p["betweenness"], 2),
         "meaning": "share of shortest paths between others that run through it"},
        {"metric": "participation", "value": _fmt(r.participation), "percentile": _fmt(p["participation"], 2),
         "meaning": "how evenly its ties spread over communities (0 = one community)"},
        {"metric": "constraint", "value": _fmt(r.constraint), "percentile": _fmt(p["constraint"], 2),
         "meaning": "how much its contacts are tied to each other (low = brokers)"},
        {"metric": "effective size", "value": _fmt(r.effective_size), "percentile": _fmt(p["effective_size"], 2),
         "meaning": "number of non-redundant contacts"},
        {"metric": "composite score", "value": _fmt(r.score), "percentile": "",
         "meaning": "mean of the four percentiles"},
        {"metric": "cut point", "value": "yes" if r.articulation else "no", "percentile": "",
         "meaning": "removing it splits its part of the network"},
    ]
    out.append(render_rows(["metric", "value", "percentile", "meaning"], metric_rows,
                           "markdown" if md else "table"))
    out.append("\n### Ties, strongest first\n\n" if md else
               f"\nTies, strongest first (share = part of {r.name}'s tie weight):\n")
    for t in ex.ties:
        where = "other community" if t.crosses else "same community"
        sec = ", security-sensitive" if t.sensitive else ""
        line = (f"{t.neighbour_name} ({t.community}, {where}{sec}): weight {_fmt(t.weight)}, "
                f"share {_fmt(t.share, 2)}")
        out.append(f"- **{line}**\n" if md else f"  {line}\n")
        for c in t.channels:
            out.append(f"  - {c}\n" if md else f"      {c}\n")
        for e in t.evidence:
            out.append(f"    - {_link(e, md)}\n" if md else f"        - {_link(e, False)}\n")
    if ex.pairs:
        out.append("\n### Pairs whose shortest paths run through it\n\n" if md else
                   f"\nPairs whose shortest paths run through {r.name} (share of those paths):\n")
        prow = [{"from": f"{q.a} ({q.a_community})", "to": f"{q.b} ({q.b_community})",
                 "share": _fmt(q.share, 2)} for q in ex.pairs]
        out.append(render_rows(["from", "to", "share"], prow, "markdown" if md else "table"))
    else:
        out.append(f"\nNo shortest path between two other organisations runs through {r.name}.\n")
    return "".join(out)


@click.command()
@click.option("--domain", "-d", required=True, metavar="DOMAIN",
              help="Domain notation or name: health, education, agriculture, cybersecurity, "
                   "environment…")
@click.option("--top", "-n", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many organisations to show (0 = all).")
@click.option("--explain", "explain_org", metavar="ORG",
              help="Explain one organisation's rank, tie by tie, with the evidence.")
@click.option("--communities", "method", type=click.Choice(["louvain", "kind"]),
              default="louvain", show_default=True,
              help="Groups to bridge: Louvain communities (fixed seed) or organisation kinds.")
@click.option("--seed", type=int, default=42, show_default=True, help="Louvain seed.")
@evidence_options
@click.option("--stability/--no-stability", default=None,
              help="Run (or skip) the leave-one-out stability checks; by default they run "
                   "when the domain has at most 150 organisations.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def bridges(ctx: click.Context, domain: str, top: int, explain_org: str | None, method: str,
            seed: int, with_members: bool, with_text: bool, other_domains: bool,
            since: int | None,
            as_of: int | None, stability: bool | None, fmt: str) -> None:
    """Organisations that bridge otherwise separate groups in a domain, best first.

    A bridge lies on shortest paths between others and has ties into two or more
    communities; organisations that broker nothing are listed apart (kg leads ranks who does
    the most). Ties count only evidence addressing the domain unless --other-domains or
    --with-members. Each row shows weighted betweenness, participation, Burt's constraint
    and effective size, a composite score, how its strength splits across channels, and
    whether its rank survives leaving out the items and organisations it rests on.
    Definitions: docs/metrics.md.

    \b
    Examples:
      kg bridges --domain health
      kg bridges --domain agriculture --top 5 --format markdown
      kg bridges --domain health --explain WHO
      kg bridges --domain education --as-of 2021
    """
    from ..analysis import bridges as analysis
    store = get_context(ctx).store()
    win = window(since, as_of)
    if explain_org:
        ex = analysis.explain(store, domain, explain_org, method=method, seed=seed,
                              with_members=with_members, other_domains=other_domains,
                              with_text=with_text, window=win)
        write_out(render_explanation(ex, fmt))
        return
    result = analysis.bridges(store, domain, top=top or None, method=method, seed=seed,
                              with_members=with_members, other_domains=other_domains,
                              with_text=with_text, window=win, stability=stability)
    tied = sum(1 for c in result.communities if len(c.members) > 1)
    alone = len(result.communities) - tied
    echo_err(f"kg: {result.domain.notation} ({result.window}): {result.organisations} "
             f"organisations, {result.ties} ties, {tied} communit{'y' if tied == 1 else 'ies'}"
             f" of tied organisations" + (f" and {alone} without ties" if alone else "")
             + f"; {len(result.rows)} bridge(s) shown")
    _notes(result.notes)
    write_out(render_bridges(result, fmt))


# ---- leads and trend ----------------------------------------------------------------------

def render_leads(result: Any, fmt: str) -> str:
    from ..render import render_json, render_rows
    if fmt == "json":
        return render_json(asdict(result))
    rows = [{"rank": r.rank, "organisation": r.name, "iri": r.iri, "kind": r.kind,
             "volume": r.volume, "documents": r.documents, "initiatives": r.initiatives,
             "endorsements": r.endorsements, "partners": r.partners,
             "strength": r.strength if fmt == "csv" else _fmt(r.strength),
             "channels": (" ".join(f"{n}={w:.6g}" for n, w in r.channels) if fmt == "csv"
                          else _channels(r.channels))} for r in result.rows]
    if fmt == "csv":
        return _csv(list(rows[0]) if rows else ["rank"], rows)
    md = fmt == "markdown"
    cols = ["rank", "organisation", "kind", "volume", "documents", "initiatives",
            "endorsements", "partners", "strength", "channels"]
    head = f"## Lead actors in {result.domain.label}\n\n" if md else ""
    return head + render_rows(cols, rows, "markdown" if md else "table")


@click.command()
@click.option("--domain", "-d", required=True, metavar="DOMAIN",
              help="Domain notation or name: health, education, agriculture…")
@click.option("--top", "-n", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many organisations to show (0 = all).")
@evidence_options
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def leads(ctx: click.Context, domain: str, top: int, with_members: bool, with_text: bool,
          other_domains: bool, since: int | None, as_of: int | None, fmt: str) -> None:
    """Lead actors: the organisations that do the most in a domain.

    Ranked by volume of domain evidence (documents issued, joint initiatives joined,
    documents endorsed), then by tie strength; with partners and the channel split. Not the
    same question as kg bridges (who connects separate groups). Definitions: docs/metrics.md.

    \b
    Examples:
      kg leads --domain health
      kg leads --domain agriculture --since 2020 --format markdown
    """
    from ..analysis.leads import leads as run
    store = get_context(ctx).store()
    result = run(store, domain, top=top or None, with_members=with_members,
                 with_text=with_text, other_domains=other_domains, window=window(since, as_of))
    echo_err(f"kg: {result.domain.notation} ({result.window}): {len(result.rows)} lead "
             "actor(s) shown")
    _notes(result.notes)
    write_out(render_leads(result, fmt))


def _years(text: str) -> list[int]:
    from ..errors import UsageError
    try:
        years = [int(y) for y in text.replace(" ", "").split(",") if y]
    except ValueError:
        raise UsageError(f"--years: expected years separated by commas (2019,2021,2023), "
                         f"found {text!r}") from None
    if not years or any(y < 1900 or y > 2100 for y in years):
        raise UsageError(f"--years: expected years between 1900 and 2100, found {text!r}")
    return years


@click.command()
@click.option("--domain", "-d", required=True, metavar="DOMAIN",
              help="Domain notation or name.")
@click.option("--years", default="2019,2021,2023,2025", show_default=True,
              help="Years to look at, comma-separated (each: evidence up to that year).")
@click.option("--top", "-n", type=click.IntRange(min=1), default=3, show_default=True)
@click.option("--other-domains", is_flag=True, help="Also count joint work in other domains.")
@click.option("--with-members", is_flag=True, help="Add the shared-members layer.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def trend(ctx: click.Context, domain: str, years: str, top: int, other_domains: bool,
          with_members: bool, fmt: str) -> None:
    """How a domain's top bridges and lead actors change over time.

    For each year, the analyses as of that year: only evidence dated up to it, memberships
    valid then.

    \b
    Examples:
      kg trend --domain health
      kg trend --domain education --years 2018,2020,2022,2024 --other-domains
    """
    from ..analysis.trend import trend as run
    from ..render import render_json, render_rows
    store = get_context(ctx).store()
    result = run(store, domain, _years(years), top=top, other_domains=other_domains,
                 with_members=with_members)
    if fmt == "json":
        write_out(render_json(asdict(result)))
        return
    rows = [{"as of": p.year, "organisations": p.organisations, "ties": p.ties,
             "bridges": ", ".join(p.bridges) or "none", "leads": ", ".join(p.leads) or "none"}
            for p in result.periods]
    kind = {"csv": "csv", "markdown": "markdown"}.get(fmt, "table")
    write_out(render_rows(["as of", "organisations", "ties", "bridges", "leads"], rows, kind))


# ---- paths --------------------------------------------------------------------------------

def render_paths(result: Any, fmt: str) -> str:
    from ..render import render_json
    if fmt == "json":
        return render_json(asdict(result))
    if fmt == "csv":
        cols = ["path", "path_cost", "membership_only", "hop", "from", "to", "hop_cost",
                "weight", "sensitive", "channels", "ties", "notes", "evidence", "evidence_urls"]
        rows = [{"path": p.rank, "path_cost": p.cost, "membership_only": p.membership_only,
                 "hop": i, "from": h.source_name, "channels": " ".join(h.channel_names),
                 "to": h.target_name, "hop_cost": h.cost, "weight": h.weight,
                 "sensitive": h.sensitive, "ties": "; ".join(h.channels),
                 "notes": "; ".join(h.notes),
                 "evidence": " | ".join(e.cite() for e in h.evidence),
                 "evidence_urls": " | ".join(e.url or e.iri for e in h.evidence)}
                for p in result.paths for i, h in enumerate(p.hops, start=1)]
        return _csv(cols, rows)
    md = fmt == "markdown"
    arrow = " → "
    out = []
    if md:
        where = f" in {result.domain.label}" if result.domain else ""
        out.append(f"## Cooperation paths from {result.source.name} to "
                   f"{result.target.name}{where}\n\n")
    for p in result.paths:
        hops = len(p.hops)
        flag = ", through security-sensitive ties" if p.sensitive else ""
        if p.membership_only:
            flag += ", memberships only: no joint work on this path"
        head = (f"{p.rank}. {arrow.join(p.names)}  (cost {_fmt(p.cost)}, {hops} "
                f"hop{'s' if hops != 1 else ''}{flag})")
        out.append(f"### {head}\n\n" if md else head + "\n")
        for h in p.hops:
            sec = " [security-sensitive]" if h.sensitive else ""
            line = (f"{h.source_name}{arrow}{h.target_name}: cost {_fmt(h.cost)}{sec} "
                    f"[{', '.join(h.channel_names)}]")
            out.append(f"- **{line}**\n" if md else f"   {line}\n")
            for c in h.channels:
                out.append(f"  - {c}\n" if md else f"      {c}\n")
            for e in h.evidence:
                out.append(f"    - {_link(e, md)}\n" if md else f"        - {_link(e, False)}\n")
        out.append("\n")
    return "".join(out)


@click.command()
@click.option("--from", "source", required=True, metavar="ACTOR",
              help="Organisation or State (name, acronym, key or IRI).")
@click.option("--to", "target", required=True, metavar="ACTOR",
              help="Organisation or State (name, acronym, key or IRI).")
@click.option("--domain", "-d", metavar="DOMAIN",
              help="Only ties in this domain (default: every domain).")
@click.option("--k", "k", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many paths.")
@click.option("--avoid-security", is_flag=True,
              help="Leave out security-sensitive ties: security actors (alliances, and "
                   "organisations whose roles are mostly security, defence or justice) outside "
                   "cybersecurity, security-defence and justice (unless they are an end), and "
                   "evidence addressing security and defence.")
@click.option("--security-penalty", type=click.FloatRange(min=1.0), default=4.0,
              show_default=True, help="How many times more a security-sensitive tie costs.")
@click.option("--since", type=click.IntRange(1900, 2100), metavar="YEAR",
              help="Only evidence dated from this year on.")
@click.option("--as-of", "as_of", type=click.IntRange(1900, 2100), metavar="YEAR",
              help="Only evidence dated up to this year, and memberships valid then.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def paths(ctx: click.Context, source: str, target: str, domain: str | None, k: int,
          avoid_security: bool, security_penalty: float, since: int | None,
          as_of: int | None, fmt: str) -> None:
    """The k best cooperation paths between two organisations or States.

    Each hop is a tie (co-issued documents, joint initiatives, endorsements, citations,
    partnerships, shared member States; a State reaches the organisations it belongs to),
    costs 1 / weight, and shows its evidence. Security-sensitive ties cost more.
    Definitions: docs/metrics.md.

    \b
    Examples:
      kg paths --from NATO --to WHO
      kg paths --from NATO --to WHO --avoid-security --k 5
      kg paths --from KEN --to ITU --domain health
    """
    from ..analysis.paths import cooperation_paths
    store = get_context(ctx).store()
    result = cooperation_paths(store, source, target, domain=domain, k=k,
                               avoid_security=avoid_security, penalty=security_penalty,
                               window=window(since, as_of))
    echo_err(f"kg: {len(result.paths)} path(s) from {result.source.name} to "
             f"{result.target.name}" + (f" in {result.domain.notation}" if result.domain else ""))
    _notes(result.notes)
    write_out(render_paths(result, fmt))


# ---- complementarity ----------------------------------------------------------------------

def _pair_cells(p: Any) -> dict[str, Any]:
    return {"rank": p.rank, "status": p.status, "pair": f"{p.a_name} + {p.b_name}",
            "a": p.a_name, "b": p.b_name, "a_iri": p.a, "b_iri": p.b, "score": p.score,
            "difference": p.difference, "feasibility": p.feasibility,
            "tie weight": p.tie_weight, "shared members": p.shared_members,
            "member overlap": p.member_overlap, "functions": p.combination or "–",
            "a brings": ", ".join(p.a_brings) or "–", "b brings": ", ".join(p.b_brings) or "–",
            "both": ", ".join(p.shared_functions), "security": p.security,
            "could connect them": "; ".join(p.connectors),
            "evidence": " | ".join(e.cite() for e in p.evidence)}


def render_complementarity(result: Any, fmt: str) -> str:
    from ..render import render_json, render_rows
    if fmt == "json":
        return render_json(asdict(result))
    rows = [_pair_cells(p) for p in result.pairs]
    maybe = [_pair_cells(p) for p in result.potential]
    if fmt == "csv":
        return _csv(["status", "rank", "a", "b", "a_iri", "b_iri", "score", "difference",
                     "feasibility", "tie weight", "shared members", "member overlap",
                     "a brings", "b brings", "both", "security", "could connect them",
                     "evidence"], rows + maybe)
    md = fmt == "markdown"
    kind = "markdown" if md else "table"
    for r in rows + maybe:
        for c in ("score", "difference", "feasibility", "tie weight"):
            r[c] = _fmt(r[c])
        r["security"] = "yes" if r["security"] else ""
    out = [f"## Complementary organisations in {result.domain.label}\n\n" if md else "",
           "Realised (joint work in the domain):\n" if not md else
           "### Realised (joint work in the domain)\n\n"]
    out.append(render_rows(["rank", "pair", "score", "functions", "tie weight",
                            "shared members", "security"], rows, kind) if rows
               else "  (none)\n")
    if any(p.evidence for p in result.pairs):
        out.append("\n#### Evidence\n\n" if md else "\nEvidence:\n")
        for p in result.pairs:
            if p.evidence:
                out.append(f"{p.rank}. **{p.a_name} + {p.b_name}**\n" if md
                           else f"  {p.rank}. {p.a_name} + {p.b_name}\n")
                for e in p.evidence:
                    out.append(f"   - {_link(e, md)}\n" if md else f"     - {_link(e, False)}\n")
    out.append("\n### Potential (no joint work in the domain yet)\n\n" if md else
               f"\nPotential (no joint work in the domain yet; {result.total_potential} "
               "pair(s)):\n")
    out.append(render_rows(["rank", "pair", "score", "functions", "could connect them",
                            "security"], maybe, kind) if maybe else "  (none)\n")
    return "".join(out)


@click.command()
@click.option("--domain", "-d", required=True, metavar="DOMAIN",
              help="Domain notation or name: health, education, agriculture…")
@click.option("--top", "-n", type=click.IntRange(min=0), default=20, show_default=True,
              help="How many pairs to show in each list (0 = all).")
@click.option("--since", type=click.IntRange(1900, 2100), metavar="YEAR",
              help="Only evidence dated from this year on.")
@click.option("--as-of", "as_of", type=click.IntRange(1900, 2100), metavar="YEAR",
              help="Only evidence dated up to this year, and memberships valid then.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def complementarity(ctx: click.Context, domain: str, top: int, since: int | None,
                    as_of: int | None, fmt: str) -> None:
    """Pairs of organisations that complement each other in a domain.

    Active in the same domain with different functions (norm-setting, standard-setting,
    financing, capacity building, monitoring…). Realised pairs already have joint work in
    the domain (score = function difference x feasibility of that work); potential pairs
    are listed apart with what could connect them (shared member States, joint work in
    other domains, common partners). Security actors are flagged outside cybersecurity,
    security-defence and justice. Definitions: docs/metrics.md.

    \b
    Examples:
      kg complementarity --domain agriculture
      kg complementarity --domain health --top 0 --format csv
    """
    from ..analysis.complementarity import complementarity as run
    store = get_context(ctx).store()
    result = run(store, domain, top=top or None, window=window(since, as_of))
    echo_err(f"kg: {result.domain.notation}: {result.total_pairs} realised and "
             f"{result.total_potential} potential complementary pair(s)")
    _notes(result.notes)
    write_out(render_complementarity(result, fmt))


# ---- gaps ---------------------------------------------------------------------------------

GAP_SECTIONS = ("coverage", "risks", "bridges")


def _coverage_rows(cov: Any, blank: str) -> tuple[list[str], list[dict[str, Any]]]:
    cols = ["organisation"] + list(cov.domains)
    rows = []
    for o in cov.organisations:
        row: dict[str, Any] = {"organisation": cov.names[o]}
        for d in cov.domains:
            v = cov.value(o, d)
            row[d] = v if v or not blank else blank
        rows.append(row)
    return cols, rows


def render_gaps(result: Any, fmt: str, only: str | None) -> str:
    from ..errors import UsageError
    from ..render import render_json, render_rows
    sections = [only] if only else list(GAP_SECTIONS)
    if fmt == "json":
        cov = result.coverage
        data = {
            "coverage": {"domains": list(cov.domains),
                         "organisations": [{"iri": o, "name": cov.names[o],
                                            "counts": {d: cov.value(o, d) for d in cov.domains}}
                                           for o in cov.organisations]},
            "risks": [dict(asdict(r), gap=r.gap) for r in result.risks],
            "bridges": [asdict(d) for d in result.domains],
        }
        return render_json({k: data[k] for k in sections})
    if fmt == "csv" and len(sections) > 1:
        raise UsageError("--format csv writes one table; choose it with --only "
                         + "|".join(GAP_SECTIONS))
    md = fmt == "markdown"
    kind = "csv" if fmt == "csv" else ("markdown" if md else "table")
    out = []
    for s in sections:
        if s == "coverage":
            if fmt != "csv":
                out.append("## Coverage\n\n" if md else
                           "Coverage: documents issued plus joint initiatives, per domain\n")
            cols, rows = _coverage_rows(result.coverage, "" if fmt == "csv" else "·")
            out.append(render_rows(cols, rows, kind))
        elif s == "risks":
            if fmt != "csv":
                out.append("\n## Risks identified but not mitigated\n\n" if md else
                           "\nRisks named in a domain that no document of the domain mitigates:\n")
            rows = [{"domain": r.domain, "risk": r.risk, "identified by": r.identifying,
                     "mitigated by": r.mitigating}
                    for r in (result.risks if fmt == "csv" else result.unmitigated)]
            if rows or fmt == "csv":
                out.append(render_rows(["domain", "risk", "identified by", "mitigated by"],
                                       rows, kind))
            else:
                out.append("  (none)\n")
        else:
            if fmt != "csv":
                out.append("\n## Bridging by domain\n\n" if md else
                           "\nBridging by domain (a bridge lies on shortest paths between "
                           "others and has ties into two or more communities, by evidence "
                           "addressing the domain):\n")
            rows = [{"domain": d.domain, "status": d.status, "organisations": d.organisations,
                     "ties": d.ties, "communities": d.communities, "bridges": d.bridges,
                     "best bridge": d.best or ""} for d in result.domains]
            out.append(render_rows(["domain", "status", "organisations", "ties", "communities",
                                    "bridges", "best bridge"], rows, kind))
    return "".join(out)


@click.command()
@click.option("--domain", "-d", metavar="DOMAIN", help="Only this domain (default: all).")
@click.option("--only", type=click.Choice(GAP_SECTIONS),
              help="One section: the coverage matrix, unmitigated risks, or bridging by domain.")
@evidence_options
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def gaps(ctx: click.Context, domain: str | None, only: str | None, with_members: bool,
         with_text: bool, other_domains: bool, since: int | None, as_of: int | None,
         fmt: str) -> None:
    """Where cooperation is missing: coverage, unmitigated risks, unbridged domains.

    The domain x organisation coverage matrix (documents plus joint initiatives), risks named
    in a domain that no document of that domain mitigates, and domains where no organisation
    bridges separate groups. Definitions: docs/metrics.md.

    \b
    Examples:
      kg gaps
      kg gaps --domain health --only risks
      kg gaps --only coverage --format csv > coverage.csv
    """
    from ..analysis.gaps import gaps as run
    store = get_context(ctx).store()
    result = run(store, domain=domain, with_members=with_members, with_text=with_text,
                 other_domains=other_domains, window=window(since, as_of))
    echo_err(f"kg: {len(result.unmitigated)} unmitigated risk(s); "
             f"{len(result.unbridged)} of {len(result.domains)} domain(s) without a bridge")
    write_out(render_gaps(result, fmt, only))
