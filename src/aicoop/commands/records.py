"""``kg load records`` and ``kg load memberships``: registers and memberships into the store."""

from __future__ import annotations

from pathlib import Path

import click

from .context import echo_err, get_context, write_out

_MAX_LISTED = 50


def _check_graph(graph: str | None) -> None:
    if graph is None:
        return
    import pyoxigraph as ox
    try:
        ox.NamedNode(graph)
    except ValueError as exc:
        raise click.BadParameter(f"not an absolute IRI: {exc}", param_hint="--graph")


@click.command("records")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--mapping", "-m", "mapping", required=True, type=click.Path(dir_okay=False),
              help="The mapping file (YAML) that says how records become triples.")
@click.option("--strict", is_flag=True, help="Fail (exit 3, nothing written) if any value "
              "does not resolve to a concept or organisation.")
@click.option("--skip-bad-records", "skip_bad", is_flag=True, help="Load the records that map "
              "without error and list the others (exit 1); without it, any bad record means "
              "nothing is loaded.")
@click.option("--max-errors", type=click.IntRange(1), default=100, show_default=True,
              help="Stop reading after this many errors.")
@click.option("--graph", metavar="IRI", help="Named graph to replace (default: one graph per "
              "file, …/graph/file/<name>-<hash>).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="How to print the result on standard output.")
@click.option("--replace-reference", is_flag=True, help="Allow --graph to name a shipped "
              "graph (ontology, vocabularies, reference data, derived facts).")
@click.pass_context
def load_records_cmd(ctx: click.Context, file: str, mapping: str, strict: bool,
                     skip_bad: bool, max_errors: int, graph: str | None, fmt: str,
                     replace_reference: bool) -> None:
    """Load a CSV, TSV, JSON, JSON Lines or YAML register through a declarative mapping.

    The mapping is checked first (kg mapping check; docs/mappings.md). Every bad record is
    then listed with its line and field (up to --max-errors) and nothing is written, unless
    --skip-bad-records. Names that match no organisation are listed as warnings (an error
    with --strict); values that are no concept of a vocabulary are errors unless the mapping
    says `unresolved: warn`. A mapping that selects no record leaves the graph as it was and
    exits 1. Loading the same file again replaces its graph, so it never duplicates.

    \b
    Examples:
      kg load records documents.csv --mapping documents.mapping.yaml
      kg load records data_processed.json -m examples/mappings/worldwide-ai-ethics.yaml --format json
    """
    from ..loaders.records import load_records
    from ..render import render_json, render_rows
    _check_graph(graph)
    if graph is not None:
        from ..loaders.protected import check_replaceable
        check_replaceable([graph], source=file, replace_reference=replace_reference)
    store = get_context(ctx).store(write=True)
    res = load_records(store, file, mapping, graph=graph, strict=strict, skip_bad=skip_bad,
                       max_errors=max_errors)
    if fmt == "json":
        write_out(render_json({
            "source": res.source, "mapping": res.mapping, "graph": res.graph,
            "records": res.records, "loaded": res.loaded, "skipped": res.skipped,
            "triples": res.triples, "ignored_values": res.ignored,
            "seconds": round(res.seconds, 3),
            "minted": [{"value": m.value, "iri": m.iri, "records": m.records}
                       for m in res.minted],
            "unresolved": [{"record": u.record, "line": u.line, "field": u.field,
                            "value": u.value, "reason": u.reason, "closest": list(u.closest)}
                           for u in res.unresolved],
            "rejected": [p.to_json() for p in res.rejected],
            "warnings": [p.to_json() for p in res.warnings],
        }))
    else:
        row = {"file": Path(res.source).name, "records": res.records, "loaded": res.loaded,
               "skipped": res.skipped, "triples": res.triples, "minted": len(res.minted),
               "unresolved": len(res.unresolved), "graph": res.graph}
        write_out(render_rows(list(row), [row], "table"))
    echo_err(f"kg: {res.summary()}")
    for u in res.unresolved[:_MAX_LISTED]:
        echo_err(f"kg: warning: {Path(res.source).name}: {u.message()}")
    if len(res.unresolved) > _MAX_LISTED:
        echo_err(f"kg: warning: … and {len(res.unresolved) - _MAX_LISTED} more unresolved "
                 "values (use --format json for all)")
    for w in res.warnings[:_MAX_LISTED]:
        echo_err(f"kg: warning: {w.text()}")
    for r in res.rejected[:_MAX_LISTED]:
        echo_err(f"kg: rejected: {r.text()}")
    if len(res.rejected) > _MAX_LISTED:
        echo_err(f"kg: … and {len(res.rejected) - _MAX_LISTED} more (use --format json)")
    if res.minted:
        echo_err(f"kg: {len(res.minted)} organisations that match no known one were minted "
                 "(see --format json)")
    if res.rejected:
        from .load import derive_unless_asked_not_to
        derive_unless_asked_not_to(ctx)
        raise click.exceptions.Exit(1)


@click.command("memberships")
@click.argument("factbook", type=click.Path(exists=True, dir_okay=False))
@click.argument("converter", type=click.Path(exists=True, dir_okay=False))
@click.option("--overrides", type=click.Path(exists=True, dir_okay=False),
              help="Reviewed overrides (default: the packaged membership-overrides.csv).")
@click.option("--report", "report", type=click.Path(dir_okay=False, writable=True),
              help="Write the conflict report here (Markdown if the name ends in .md, "
                   "else CSV).")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True),
              help="Write the reconciled memberships (state, org, role, since, start_date, "
                   "end_date, source).")
@click.option("--states-out", type=click.Path(dir_okay=False, writable=True),
              help="Write the States table (iso3, iso2, names, wikidata, source), keeping "
                   "the curated columns of the packaged states.csv.")
@click.option("--no-load", is_flag=True, help="Only reconcile and write files; leave the "
              "store alone.")
@click.pass_context
def load_memberships_cmd(ctx: click.Context, factbook: str, converter: str,
                         overrides: str | None, report: str | None, out: str | None,
                         states_out: str | None, no_load: bool) -> None:
    """Reconcile state memberships from the CIA World Factbook participation list and the
    country_converter data file, report where they disagree, and load the result.

    Neither source is trusted alone: where they disagree, a reviewed override (with its
    source URL) decides, or the membership is left out and reported. Each organisation's
    own member list (the packaged membership-lists.csv) leads the sources of its full
    members, and its count of members is checked.

    \b
    Example:
      kg load memberships factbook_org_participation.csv country_converter_country_data.tsv \\
         --report conflicts.md --out memberships.csv
    """
    from ..loaders.memberships import (conflict_report, load_memberships, memberships_csv,
                                       read_curated_states, reconcile_files, states_csv)
    from ..resources import reference_dir
    if no_load:
        ctx.meta["aicoop.no_derive"] = True  # --no-load writes nothing
        rec = reconcile_files(factbook, converter, overrides)
    else:
        store = get_context(ctx).store(write=True)
        rec = load_memberships(store, factbook, converter, overrides=overrides).reconciliation
    if out:
        Path(out).write_text(memberships_csv(rec), encoding="utf-8")
        echo_err(f"kg: wrote {len(rec.memberships)} memberships to {out}")
    if states_out:
        curated = read_curated_states(reference_dir() / "states.csv")
        Path(states_out).write_text(states_csv(rec, curated), encoding="utf-8")
        echo_err(f"kg: wrote {len(rec.states)} States to {states_out}")
    if report:
        fmt = "markdown" if report.endswith(".md") else "csv"
        Path(report).write_text(conflict_report(rec, fmt), encoding="utf-8")
        echo_err(f"kg: wrote the conflict report ({len(rec.conflicts)} rows) to {report}")
    from datetime import date

    from ..loaders.memberships import ORGANISATIONS
    today = date.today().isoformat()
    counts = ", ".join(f"{k} {rec.count(k, on=today)}" for k in ORGANISATIONS)
    single = ", ".join(rec.single_source())
    if single:
        echo_err(f"kg: single-source memberships (CIA World Factbook only, not cross-checked "
                 f"unless an override decides): {single}")
    disagree = [ch.org for ch in rec.list_checks if not ch.agrees]
    if rec.list_checks:
        echo_err(f"kg: official member lists checked for {len(rec.list_checks)} organisations"
                 + (f"; counts disagree for {', '.join(disagree)}" if disagree else
                    ", all counts agree"))
    echo_err(f"kg: {len(rec.memberships)} memberships of {len(rec.states)} States "
             f"(members on {today}: {counts}); {len(rec.conflicts)} conflicts reported"
             + ("" if no_load else "; loaded into the store"))
