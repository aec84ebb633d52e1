"""A domain report for readers who never use a terminal (``kg report``): bridges,
complementary pairs, gaps, a picture of the network and the coverage heat map.

``build_report`` gathers the numbers; ``render_html`` gives one self-contained page (figures
embedded as base64 PNG); ``render_markdown`` gives Markdown plus the PNG files to write next
to it. Figures use matplotlib (imported here only, Agg backend, so no display is needed).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError
from ..store.base import Store
from . import metrics
from .bridges import BridgesResult, Ranking, bridges, rank_bridges
from .complementarity import ComplementarityResult, complementarity
from .fetch import domain_projection, known_domains, organisations_from_list, resolve_domain, rows
from .gaps import CoverageMatrix, RiskCoverage, coverage_matrix, domain_bridging
from .leads import LeadRow, rank_leads
from .pathways import PathwaySummary, pathway_summary
from .projection import Projection

#: how many bridging organisations get a label and a highlight in the network picture
HIGHLIGHT = 3


@dataclass(frozen=True)
class ReportData:
    bridges: BridgesResult
    ranking: Ranking
    projection: Projection
    complementarity: ComplementarityResult
    risks: tuple[RiskCoverage, ...]
    coverage: CoverageMatrix
    status: str
    domain_labels: Mapping[str, str] = field(default_factory=dict)
    leads: tuple[LeadRow, ...] = ()
    pathways: PathwaySummary | None = None


@dataclass(frozen=True)
class RenderedReport:
    text: str
    #: file name -> PNG bytes (Markdown only; HTML embeds them)
    images: Mapping[str, bytes]


def build_report(store: Store, domain: str, *, top: int = 10) -> ReportData:
    dom = resolve_domain(store, domain)
    result = bridges(store, dom.notation, top=top)
    projection = domain_projection(store, dom.notation)
    ranking = rank_bridges(projection, seed=result.seed)
    comp = complementarity(store, dom.notation, top=top)
    risks = tuple(RiskCoverage(r["domain"], r["risk"], int(r["identifying"]), int(r["mitigating"]))
                  for r in rows(store, "risk-coverage") if r["domain"] == dom.notation)
    known = known_domains(store)
    names = {o.iri: o.name for o in organisations_from_list(store).values()}
    active = set(projection.organisations)
    cov_rows = [r for r in rows(store, "org-domain-coverage") if r["org"] in active]
    used = sorted({r["domain"] for r in cov_rows} - {dom.notation})
    matrix = coverage_matrix(cov_rows, [dom.notation] + used, names)
    status = domain_bridging(dom.notation, projection, ranking).status
    return ReportData(result, ranking, projection, comp, risks, matrix, status,
                      {n: d.label for n, d in known.items()}, tuple(rank_leads(projection)[:top]),
                      pathway_summary(store, dom.notation))


def caveats(data: ReportData) -> list[str]:
    """What a reader must keep in mind: coverage of the evidence and fragile ranks."""
    b = data.bridges
    g = data.projection.graph
    alone = sum(1 for v in g if g.degree(v) == 0)
    out = [f"Only evidence that addresses {b.domain.label} counts ({b.window}): "
           f"{b.organisations} organisations, {b.ties} ties; {alone} organisation(s) have no "
           "tie in this domain, so the network says nothing about how they cooperate."]
    fragile = [r.name for r in b.rows if r.stability and r.stability.verdict == "fragile"]
    if fragile:
        out.append("Fragile ranks (a bridge no more when one item or organisation is left "
                   "out): " + ", ".join(fragile) + ".")
    if b.fragility:
        out.append(b.fragility)
    if b.not_bridges:
        out.append(f"{len(b.not_bridges)} active organisation(s) bridge nothing here; being "
                   "active (a lead actor) is not the same as connecting groups.")
    return out


METHOD = [
    "Ties between organisations come from co-issued documents, joint initiatives, "
    "endorsements and citations that address the domain; an item with k partners gives each "
    "pair 1/(k-1), so broad compendia do not outweigh bilateral work.",
    "Bridges lie on shortest paths between others (weighted betweenness) and have ties into "
    "two or more communities (Louvain, fixed seed); they are ranked by the mean percentile of "
    "betweenness, participation, Burt's constraint and effective size.",
    "Each top bridge is ranked again without each item it rests on and without each "
    "organisation it depends on: stable, shifts (drops more than two places) or fragile.",
    "Lead actors are ranked by the volume of their domain evidence, then tie strength.",
    "Complementary pairs bring different functions; realised pairs have joint work in the "
    "domain, potential pairs only shared members or joint work elsewhere.",
]


# ---- figures ------------------------------------------------------------------------------

def _pyplot():
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise UsageError("kg report needs matplotlib for its figures: pip install matplotlib") from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _layout(g: Any) -> dict[str, Any]:
    """Tied organisations spread in the middle (unweighted spring layout, so strong ties do
    not stack nodes on one another), organisations without ties on an outer ring."""
    import math

    import networkx as nx
    tied = sorted(v for v in g if g.degree(v) > 0)
    alone = sorted(v for v in g if g.degree(v) == 0)
    pos: dict[str, Any] = {}
    if tied:
        sub = g.subgraph(tied)
        spread = 2.0 / math.sqrt(len(tied))
        inner = nx.spring_layout(sub, seed=metrics.LOUVAIN_SEED, weight=None, k=spread)
        pos.update({v: (x * 0.75, y * 0.75) for v, (x, y) in inner.items()})
    for i, v in enumerate(alone):
        angle = 2 * math.pi * i / max(1, len(alone))
        pos[v] = (1.25 * math.cos(angle), 1.25 * math.sin(angle))
    return pos


def network_png(data: ReportData) -> bytes:
    """The domain network: organisations coloured by community, ties as lines (thicker =
    stronger), the best bridges enlarged, outlined and labelled in bold."""
    import networkx as nx
    plt = _pyplot()
    g = data.projection.graph
    fig, ax = plt.subplots(figsize=(9, 6.5), dpi=110)
    ax.set_axis_off()
    if g.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "No organisation is active in this domain.", ha="center")
    else:
        pos = _layout(g)
        member_of = data.ranking.member_of
        cmap = plt.get_cmap("tab10")
        rank = {r.iri: r.rank for r in data.ranking.rows}
        top = {r.iri for r in data.ranking.rows[:HIGHLIGHT] if r.score > 0}
        widths = [0.6 + 2.4 * min(1.0, d["weight"] / 2.0) for _, _, d in g.edges(data=True)]
        colours = ["#555555" if member_of[u] != member_of[v] else "#bbbbbb"
                   for u, v in g.edges()]
        nx.draw_networkx_edges(g, pos, ax=ax, width=widths, edge_color=colours, alpha=0.8)
        nodes = sorted(g)
        nx.draw_networkx_nodes(
            g, pos, nodelist=nodes, ax=ax,
            node_color=[cmap(member_of[v] % 10) for v in nodes],
            node_size=[900 if v in top else 250 for v in nodes],
            edgecolors=["#c00000" if v in top else "white" for v in nodes],
            linewidths=[3.0 if v in top else 1.0 for v in nodes])
        labels = {v: data.projection.organisations[v].name for v in nodes}
        nx.draw_networkx_labels(g, pos, ax=ax, labels={v: labels[v] for v in nodes if v not in top},
                                font_size=8)
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=10, font_weight="bold",
                                labels={v: f"{labels[v]} (#{rank[v]})" for v in top},
                                bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "#c00000",
                                      "boxstyle": "round,pad=0.2"})
        from matplotlib.lines import Line2D
        handles = [Line2D([], [], marker="o", linestyle="", markersize=9, color=cmap(i % 10),
                          label=f"{c.name}: {c.label}")
                   for i, c in enumerate(data.ranking.communities[:10]) if len(c.members) > 1]
        if handles:
            ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=False)
        ax.set_title(f"Organisations active in {data.bridges.domain.label}: colours are "
                     "communities, red rings the best bridges", fontsize=10)
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def coverage_png(data: ReportData, *, max_orgs: int = 25) -> bytes:
    """Heat map of the coverage matrix: organisations of the domain (most active first) x
    the domains they work in, with the count in each cell."""
    plt = _pyplot()
    cov = data.coverage
    orgs = list(cov.organisations)
    focus = data.bridges.domain.notation
    orgs.sort(key=lambda o: (-cov.value(o, focus), cov.names[o]))
    orgs = orgs[:max_orgs]
    doms = list(cov.domains)
    fig, ax = plt.subplots(figsize=(max(5.0, 0.7 * len(doms) + 2.5), max(2.5, 0.32 * len(orgs) + 1.5)),
                           dpi=110)
    if not orgs:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No activity recorded.", ha="center")
    else:
        values = [[cov.value(o, d) for d in doms] for o in orgs]
        im = ax.imshow(values, cmap="Blues", aspect="auto")
        ax.set_xticks(range(len(doms)), labels=doms, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(len(orgs)), labels=[cov.names[o] for o in orgs], fontsize=8)
        top = max(max(r) for r in values) or 1
        for i, r in enumerate(values):
            for j, v in enumerate(r):
                if v:
                    ax.text(j, i, str(v), ha="center", va="center", fontsize=7,
                            color="white" if v > top / 2 else "black")
        fig.colorbar(im, ax=ax, label="documents + joint initiatives")
        ax.set_title("Where the organisations of this domain are active", fontsize=10)
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


# ---- text ---------------------------------------------------------------------------------

def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.3g}"


def _findings(data: ReportData) -> list[str]:
    b = data.bridges
    tied = sum(1 for c in b.communities if len(c.members) > 1)
    out = [f"{b.organisations} organisations are active in {b.domain.label}, linked by "
           f"{b.ties} ties from evidence addressing it (co-issued documents, joint "
           f"initiatives, endorsements, citations), in {tied} group(s) of tied organisations"
           f" and {len(b.communities) - tied} without ties."]
    bridging = [r for r in data.ranking.rows if r.bridge]
    if data.leads:
        out.append("The most active organisations (lead actors) are "
                   + ", ".join(f"{r.name} ({r.volume} items)" for r in data.leads[:HIGHLIGHT]
                               if r.volume) + ".")
    if bridging:
        names = ", ".join(r.name for r in bridging[:HIGHLIGHT])
        out.append(f"The strongest bridges between groups are {names}.")
    else:
        out.append("No organisation bridges separate groups here: no organisation lies on "
                   "shortest paths between others while tied into two groups.")
    if data.complementarity.pairs:
        p = data.complementarity.pairs[0]
        out.append(f"The most complementary tied pair is {p.a_name} ({', '.join(p.a_brings) or '–'}) "
                   f"with {p.b_name} ({', '.join(p.b_brings) or '–'}).")
    gaps = [r.risk for r in data.risks if r.gap]
    if gaps:
        out.append("Risks named in this domain that no document of it mitigates: "
                   + ", ".join(gaps) + ".")
    return out


GLOSSARY = [
    ("Tie", "Two organisations are tied when they co-issued a document, run a joint initiative, "
            "endorse or cite each other's documents, or are declared partners. The more of "
            "these, the stronger the tie."),
    ("Community", "A group of organisations more tied to each other than to the rest "
                  "(found with the Louvain method, always with the same seed)."),
    ("Betweenness", "How often an organisation lies on the shortest route between two others "
                    "(0 to 1)."),
    ("Participation", "How evenly its ties spread over the communities (0 = all in one)."),
    ("Constraint", "How much its partners are tied to each other; low means it links "
                   "partners who are not otherwise linked."),
    ("Effective size", "How many of its partners are not redundant with each other."),
    ("Cut point", "Removing it would split the network."),
    ("Score", "The average of its percentile ranks on the four measures above (0 to 1)."),
    ("Complementarity", "Two tied organisations bringing different functions (setting norms, "
                        "financing, standards…): difference of functions x feasibility."),
]


def _bridge_rows(data: ReportData) -> list[dict[str, Any]]:
    return [{"#": r.rank, "Organisation": r.name, "Full name": r.label, "Kind": r.kind,
             "Score": _f(r.score), "Betweenness": _f(r.betweenness),
             "Participation": _f(r.participation), "Constraint": _f(r.constraint),
             "Effective size": _f(r.effective_size), "Cut point": "yes" if r.articulation else "",
             "Connects": ", ".join(r.connects),
             "Channels": ", ".join(f"{n} {w:.2g}" for n, w in r.channels),
             "Stability": r.stability.verdict if r.stability else ""}
            for r in data.bridges.rows]


def _potential_note(data: ReportData) -> str:
    c = data.complementarity
    if not c.potential:
        return "No potential pair: every complementary pair is realised or unconnected."
    top = ", ".join(f"{p.a_name} + {p.b_name}" for p in c.potential[:3])
    return (f"{c.total_potential} potential pair(s) have complementary functions but no joint "
            f"work in the domain yet (shared members or joint work elsewhere could connect "
            f"them), led by {top}; see kg complementarity.")


def _pathway_rows(data: ReportData) -> list[dict[str, Any]]:
    s = data.pathways
    if s is None:
        return []
    return [{"Pathway": t.label, "Share of tagged items": f"{100 * t.share:.0f} %",
             "Documents": t.documents, "Initiatives": t.initiatives,
             "Organisations": t.organisations} for t in s.pathways]


def _pathway_note(data: ReportData) -> str:
    s = data.pathways
    if s is None:
        return ""
    leaders = [f"{o.name} ({' + '.join(o.main)})" for o in s.organisations[:5] if o.main]
    return (f"{s.tagged} of {s.items} documents and initiatives of the domain carry a pathway "
            "tag (institutional alignment, strategic benefits, risk mitigation)."
            + (" Main pathway of the most active organisations: " + ", ".join(leaders) + "."
               if leaders else ""))


def _lead_rows(data: ReportData) -> list[dict[str, Any]]:
    return [{"#": r.rank, "Organisation": r.name, "Documents": r.documents,
             "Initiatives": r.initiatives, "Endorsements": r.endorsements,
             "Partners": r.partners} for r in data.leads]


def _pair_rows(data: ReportData) -> list[dict[str, Any]]:
    return [{"#": p.rank, "Pair": f"{p.a_name} + {p.b_name}", "Score": _f(p.score),
             "First brings": ", ".join(p.a_brings) or "–",
             "Second brings": ", ".join(p.b_brings) or "–",
             "Shared members": p.shared_members or "", "Security": "yes" if p.security else ""}
            for p in data.complementarity.pairs]


def _esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _html_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p><em>None.</em></p>"
    cols = list(rows[0])
    head = "".join(f"<th>{_esc(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{_esc(r[c])}</td>" for c in cols) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_link(item: Any) -> str:
    text = _esc(item.cite())
    if item.url.startswith(("http://", "https://")):
        return f'<a href="{_esc(item.url)}">{text}</a>'
    return text


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:70rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.45}h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:
1px solid #ddd}table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}th,td{border:1px solid
#ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f5f8}img{max-width:100%}
.note{color:#555;font-size:.9rem}.caveats{background:#fff8e5;border:1px solid #e8c96a;
padding:.2rem 1rem;margin:1rem 0}dt{font-weight:600}dd{margin:0 0 .5rem 1rem}
"""


def render_html(data: ReportData) -> RenderedReport:
    b = data.bridges
    title = f"AI policy cooperation in {b.domain.label}"
    net = base64.b64encode(network_png(data)).decode("ascii")
    cov = base64.b64encode(coverage_png(data)).decode("ascii")
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{_esc(title)}</h1>",
             "<p class=\"note\">Which international organisations link the others, which ones "
             "complement each other, and what is missing. Every number comes from the "
             "documents and initiatives listed as evidence.</p>",
             "<h2>Key findings</h2><ul>"
             + "".join(f"<li>{_esc(s)}</li>" for s in _findings(data)) + "</ul>",
             "<div class=\"caveats\"><h2>Caveats</h2><ul>"
             + "".join(f"<li>{_esc(s)}</li>" for s in caveats(data)) + "</ul></div>",
             "<h2>The network</h2>",
             f'<img alt="Network of the organisations active in {_esc(b.domain.label)}" '
             f'src="data:image/png;base64,{net}">',
             "<h2>Bridging organisations</h2>",
             "<p>Ranked by how much they link groups that would otherwise be apart.</p>",
             _html_table(_bridge_rows(data)),
             "<h3>Groups (communities)</h3><ul>"
             + "".join(f"<li><strong>{_esc(c.name)}</strong>: {_esc(c.label)}</li>"
                       for c in b.communities) + "</ul>",
             "<h3>Evidence</h3><ol>" if any(r.evidence for r in b.rows) else "<ol>"]
    for r in b.rows:
        if r.evidence:
            parts.append(f"<li><strong>{_esc(r.name)}</strong><ul>"
                         + "".join(f"<li>{_html_link(e)}</li>" for e in r.evidence)
                         + "</ul></li>")
    parts.append("</ol>")
    parts += ["<h2>Lead actors</h2>", "<p>Who does the most in the domain (not the same as "
              "who connects groups).</p>", _html_table(_lead_rows(data))]
    parts += ["<h2>Cooperation pathways</h2>", f"<p>{_esc(_pathway_note(data))}</p>",
              _html_table(_pathway_rows(data))]
    parts += ["<h2>Complementary organisations</h2>",
              "<p>Pairs that bring different functions and already have joint work in the "
              "domain (realised).</p>", _html_table(_pair_rows(data)),
              f"<p class=\"note\">{_esc(_potential_note(data))}</p>"]
    if data.complementarity.without_functions:
        parts.append("<p class=\"note\">Left out for lack of recorded functions: "
                     + _esc(", ".join(data.complementarity.without_functions)) + ".</p>")
    parts += ["<h2>Gaps</h2>", "<h3>Risks named but not mitigated</h3>",
              _html_table([{"Risk": r.risk, "Documents naming it": r.identifying,
                            "Documents mitigating it": r.mitigating}
                           for r in data.risks if r.gap]),
              f"<p>Bridging in this domain: <strong>{_esc(data.status)}</strong>.</p>",
              "<h3>Coverage</h3>",
              f'<img alt="Coverage heat map" src="data:image/png;base64,{cov}">',
              "<h2>Method</h2><ul>" + "".join(f"<li>{_esc(m)}</li>" for m in METHOD)
              + "</ul>",
              "<h2>How to read this report</h2><dl>"
              + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in GLOSSARY)
              + "</dl><p class=\"note\">Full definitions: docs/metrics.md in the kg "
                "documentation.</p></body></html>"]
    return RenderedReport("\n".join(parts) + "\n", {})


def _md_table(rows: list[dict[str, Any]]) -> str:
    from ..render import markdown
    if not rows:
        return "_None._\n"
    return markdown(list(rows[0]), rows)


def render_markdown(data: ReportData, stem: str) -> RenderedReport:
    """Markdown text; figures are ``<stem>-network.png`` and ``<stem>-coverage.png``."""
    b = data.bridges
    net, cov = f"{stem}-network.png", f"{stem}-coverage.png"
    out = [f"# AI policy cooperation in {b.domain.label}\n",
           "Which international organisations link the others, which ones complement each "
           "other, and what is missing. Every number comes from the documents and initiatives "
           "listed as evidence.\n",
           "## Key findings\n", "".join(f"- {s}\n" for s in _findings(data)),
           "\n> **Caveats**\n>\n" + "".join(f"> - {s}\n" for s in caveats(data)),
           "## The network\n", f"![Network of the organisations active in {b.domain.label}]({net})\n",
           "## Bridging organisations\n", _md_table(_bridge_rows(data)),
           "\n### Groups (communities)\n",
           "".join(f"- **{c.name}**: {c.label}\n" for c in b.communities),
           "\n### Evidence\n" if any(r.evidence for r in b.rows) else ""]
    for r in b.rows:
        if r.evidence:
            out.append(f"{r.rank}. **{r.name}**\n")
            for e in r.evidence:
                text = e.cite().replace("[", "\\[").replace("]", "\\]")
                out.append(f"   - [{text}]({e.url})\n" if e.url else f"   - {text}\n")
    out += ["\n## Lead actors\n", _md_table(_lead_rows(data))]
    out += ["\n## Cooperation pathways\n", _pathway_note(data) + "\n\n",
            _md_table(_pathway_rows(data))]
    out += ["\n## Complementary organisations\n",
            "Pairs that bring different functions and already have joint work in the domain "
            "(realised).\n\n", _md_table(_pair_rows(data)), "\n" + _potential_note(data) + "\n",
            "\n## Gaps\n", "### Risks named but not mitigated\n",
            _md_table([{"Risk": r.risk, "Documents naming it": r.identifying,
                        "Documents mitigating it": r.mitigating} for r in data.risks if r.gap]),
            f"\nBridging in this domain: **{data.status}**.\n",
            "\n### Coverage\n", f"![Coverage heat map]({cov})\n",
            "\n## Method\n", "".join(f"- {m}\n" for m in METHOD),
            "\n## How to read this report\n",
            "".join(f"- **{k}**: {v}\n" for k, v in GLOSSARY),
            "\nFull definitions: docs/metrics.md in the kg documentation.\n"]
    return RenderedReport("\n".join(out), {net: network_png(data), cov: coverage_png(data)})
