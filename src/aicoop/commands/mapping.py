"""``kg mapping …``: check a mapping file against the language, and print its reference."""

from __future__ import annotations

import click

from .context import echo_err, write_out


@click.group()
def mapping() -> None:
    """Check mapping files and print the mapping language's reference (docs/mappings.md)."""


@mapping.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one line per problem; json: a list per file.")
def check(files: tuple[str, ...], fmt: str) -> None:
    """Check mappings against the language's JSON Schema and the ontology, without loading
    anything. Every problem is listed with its YAML line; exit 1 if any file has one, 3 if a
    file cannot be read.

    \b
    Example:
      kg mapping check examples/mappings/agora.yaml
    """
    from ..errors import InputError
    from ..loaders.mapping import load_mapping
    from ..loaders.mapping_schema import MappingInvalid
    from ..render import render_json

    report = []
    worst = 0
    for f in files:
        try:
            m = load_mapping(f)
        except MappingInvalid as exc:
            worst = max(worst, 1)
            report.append({"file": f, "ok": False, "problems": [
                {"line": p.line, "column": p.column, "path": p.path, "message": p.message}
                for p in exc.problems]})
            if fmt == "text":
                for p in exc.problems:
                    echo_err(f"kg: {p.text(f)}")
            continue
        except InputError as exc:
            # the schema holds, but the meaning does not (an unknown term, a bad template)
            code = 3 if "no such mapping file" in exc.detail or "not valid YAML" in \
                exc.detail else 1
            worst = max(worst, code)
            report.append({"file": f, "ok": False, "problems": [
                {"line": exc.line, "column": exc.column, "path": None, "message": exc.detail}]})
            if fmt == "text":
                echo_err(f"kg: {exc}")
            continue
        report.append({"file": f, "ok": True, "problems": [], "format": m.format,
                       "fields": len(m.fields), "columns": sorted(m.columns())})
        if fmt == "text":
            echo_err(f"kg: {f}: ok ({m.format}, {len(m.fields)} fields, reads "
                     f"{len(m.columns())} columns)")
    if fmt == "json":
        write_out(render_json(report))
    if worst:
        raise click.exceptions.Exit(worst)


@mapping.command("docs")
def docs() -> None:
    """Print the reference of the mapping language (Markdown), generated from its schema.

    \b
    Example:
      kg mapping docs > docs/mappings.md
    """
    from ..loaders.mapping_docs import mapping_docs
    write_out(mapping_docs())
