"""``kg annotate`` and ``kg load text``: read documents and find the domains, risks, benefits
and organisations they address, with passages as evidence."""

from __future__ import annotations

import time

import click

from ..progress import steps
from .context import echo_err, get_context, write_out

_PATHS = click.argument("paths", nargs=-1, required=True, type=click.Path())


def _report(result, counts: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    """Errors and warnings of one file on stderr, named by file."""
    for w in result.warnings:
        echo_err(f"kg: warning: {result.source}: {w}")
    if result.error:
        counts["failed"] += 1
        echo_err(f"kg: error: {result.source}: {result.error}")
    else:
        counts["ok"] += 1


def _survey(paths: tuple[str, ...]) -> int:
    """Say which files in folders are of other types; the number of inputs to read."""
    from ..loaders.text.extract import FORMATS, collect_files
    found = collect_files(paths)
    skipped = found.skipped
    if skipped:
        shown = ", ".join(str(p) for p in skipped[:5]) + (" …" if len(skipped) > 5 else "")
        echo_err(f"kg: skipped {len(skipped)} file(s) of other types in folders "
                 f"(not {', '.join(sorted(FORMATS))}): {shown}")
    return len(found.files) + len(found.missing)


def _json_line(data: object) -> str:
    """One JSON Lines record; line separators that some readers split on are escaped."""
    import json
    text = json.dumps(data, ensure_ascii=False)
    for ch in ("\u2028", "\u2029", "\x85"):
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text + "\n"


def _addressed(dets) -> str:  # type: ignore[no-untyped-def]
    return ", ".join(f"{d.concept.notation} ({d.salience.score:.1f})"
                     for d in dets if d.salience.addresses)


@click.command()
@_PATHS
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl",
              show_default=True, help="jsonl: one JSON object per document, in input order; "
              "table: what each document addresses.")
@click.option("--vocabulary", "vocabularies", multiple=True, metavar="FILE",
              type=click.Path(exists=True, dir_okay=False),
              help="An extra SKOS file whose labels are looked for too (repeatable). "
              "Concepts of your own scheme count for the domains, risks and benefits they "
              "match (skos:exactMatch, closeMatch, broadMatch); the others are listed.")
@click.option("--organisations", metavar="CSV", type=click.Path(exists=True, dir_okay=False),
              help="Organisation register to use instead of the packaged one.")
@click.option("--evidence", "max_evidence", type=click.IntRange(0, 50), default=3,
              show_default=True, help="Passages quoted per concept.")
def annotate(paths: tuple[str, ...], fmt: str, vocabularies: tuple[str, ...],
             organisations: str | None, max_evidence: int) -> None:
    """Find the domains, risks, benefits and organisations that documents address.

    PATHS are PDF, HTML, Markdown or text files, or folders (searched recursively). Labels
    come from the packaged SKOS vocabularies and organisation register. Each concept found
    gets a salience score; "addresses" is true when the score passes the rule in
    docs/text-detection.md: only mentions in a sentence that also names an AI or digital
    technology count, unless the title names the concept. A file that cannot be read is
    reported on stderr by name and the others go on; the exit status is 1 if any failed.

    \b
    Examples:
      kg annotate report.pdf
      kg annotate corpus/ --format table
    """
    from ..loaders.text.annotate import default_annotator
    from ..render import render_rows

    annotator = default_annotator(extra_vocabularies=vocabularies, organisations=organisations,
                                  max_evidence=max_evidence)
    for note in annotator.vocabulary.notes:
        echo_err(f"kg: note: {note}")
    total_inputs = _survey(paths)
    counts = {"ok": 0, "failed": 0}
    rows = []
    started = time.perf_counter()
    size = 0
    with steps(total_inputs, "annotating", unit="files") as advance:
        for result in annotator.annotate_paths(paths):
            advance(1)
            _report(result, counts)
            ann = result.annotation
            if ann is None:
                continue
            size += ann.size
            if fmt == "jsonl":
                write_out(_json_line(ann.to_json()))
            else:
                rows.append({"source": ann.source, "title": ann.title, "language": ann.language,
                             "domains": _addressed(ann.detections["domains"]),
                             "risks": _addressed(ann.detections["risks"]),
                             "benefits": _addressed(ann.detections["benefits"]),
                             "organisations": _addressed(ann.detections["organisations"])})
    if fmt == "table" and rows:
        write_out(render_rows(["source", "title", "language", "domains", "risks", "benefits",
                               "organisations"], rows, "table"))
    seconds = time.perf_counter() - started
    total = counts["ok"] + counts["failed"]
    echo_err(f"kg: annotated {counts['ok']} of {total} file(s)"
             + (f", {counts['failed']} failed" if counts["failed"] else "")
             + f" in {seconds:.2f} s ({counts['ok'] / max(seconds, 1e-9):.1f} docs/s, "
             f"{size / 1e6 / max(seconds, 1e-9):.2f} MB/s)")
    if counts["failed"] or total == 0:
        raise click.exceptions.Exit(1)


@click.command("text")
@_PATHS
@click.option("--register", metavar="FILE", type=click.Path(exists=True, dir_okay=False),
              help="A register of documents (CSV, JSON, YAML…); a file it names (by file name "
              "or URL) is linked to the register's record instead of a new document.")
@click.option("--mapping", metavar="FILE", type=click.Path(exists=True, dir_okay=False),
              help="The mapping of the register (as for `kg load records`), which gives the "
              "records' IRIs.")
@click.option("--evidence", "max_evidence", type=click.IntRange(0, 50), default=3,
              show_default=True, help="Passages stored per concept.")
@click.pass_context
def load_text_cmd(ctx: click.Context, paths: tuple[str, ...], register: str | None,
                  mapping: str | None, max_evidence: int) -> None:
    """Load what documents address into the store, with passages as evidence.

    Each file goes into its own named graph (replaced when the file is loaded again): the
    document, one detection per concept (score, mentions, addresses), the statements
    addresses-domain / identifies-risk / promises-benefit the rule supports, and each passage
    as a Web Annotation with text position and quote selectors. Labels come from the
    vocabularies and organisations in the store.

    \b
    Examples:
      kg load text reports/
      kg load text who-guidance.pdf --register docs.csv --mapping docs.mapping.yaml
    """
    from ..errors import UsageError
    from ..loaders.text.annotate import Annotator
    from ..loaders.text.rdf import register_index, write_text_graph
    from ..loaders.text.vocabulary import (CONTEXT_SCHEMES, Vocabulary, organisations_from_csv,
                                           organisations_from_store, vocabulary_from_files,
                                           vocabulary_from_store)
    from ..resources import reference_dir, vocabulary_files

    if (register is None) != (mapping is None):
        raise UsageError("--register and --mapping go together: the mapping says how the "
                         "register's records become documents")
    store = get_context(ctx).store(write=True)
    vocab = vocabulary_from_store(store)
    if not vocab.concepts:
        raise UsageError(f"the store at {store.location} has no vocabularies to detect; "
                         "run `kg init` first")
    if not any(label.scheme in CONTEXT_SCHEMES for label in vocab.labels):
        packaged = vocabulary_from_files(vocabulary_files())
        vocab = vocab.merged(Vocabulary(
            {k: c for k, c in packaged.concepts.items() if c.scheme in CONTEXT_SCHEMES},
            tuple(lab for lab in packaged.labels if lab.scheme in CONTEXT_SCHEMES),
            packaged.sources))
        echo_err("kg: no technology vocabulary in the store; using the packaged one "
                 "(`kg init --force` rebuilds the store with it)")
    orgs = organisations_from_store(store)
    register_file = reference_dir() / "organisations.csv"
    if not orgs.concepts and register_file.is_file():
        orgs = organisations_from_csv(register_file)
        echo_err("kg: no organisations in the store; using the packaged register's names")
    index = register_index(register, mapping) if register and mapping else None
    annotator = Annotator(vocab.merged(orgs), max_evidence=max_evidence)
    total_inputs = _survey(paths)
    counts = {"ok": 0, "failed": 0}
    with steps(total_inputs, "loading texts", unit="files") as advance:
        for result in annotator.annotate_paths(paths):
            advance(1)
            _report(result, counts)
            if result.annotation is None:
                continue
            res = write_text_graph(store, result.annotation, register=index)
            link = "register record" if res.linked else "document"
            echo_err(f"loaded {res.source}: {res.triples} triples into <{res.graph}> ({link} "
                     f"<{res.document}>; addresses: {', '.join(res.addressed) or 'nothing'})")
    total = counts["ok"] + counts["failed"]
    echo_err(f"kg: loaded {counts['ok']} of {total} file(s)"
             + (f", {counts['failed']} failed" if counts["failed"] else ""))
    if counts["failed"] or total == 0:
        if counts["ok"]:  # what did load must not leave the derived graph stale
            from .load import derive_unless_asked_not_to
            derive_unless_asked_not_to(ctx)
        ctx.exit(1)
