"""``docs/mappings.md``, generated from the mapping language's JSON Schema: the schema is the
one description of the language, and this page is its reader's view (a test fails when the
page in the repository is not what this module writes)."""

from __future__ import annotations

from typing import Any

from .mapping_schema import mapping_schema

_DEF_NAMES = {"strings": "string or list of strings", "template": "template",
              "condition": "condition", "node": "node", "subject": "subject",
              "field": "field"}


def _type(spec: dict[str, Any]) -> str:
    """The type of a schema piece, in words."""
    if "$ref" in spec:
        return _DEF_NAMES.get(spec["$ref"].rsplit("/", 1)[-1], spec["$ref"])
    if "enum" in spec:
        return "one of " + ", ".join(f"`{v}`" for v in spec["enum"])
    if "anyOf" in spec:
        return " or ".join(dict.fromkeys(_type(s) for s in spec["anyOf"]))
    t = spec.get("type")
    if t == "array":
        return "list of " + _type(spec.get("items", {}))
    if t == "object":
        return "mapping"
    if isinstance(t, list):
        return " or ".join(x for x in t if x != "null") + (" or null" if "null" in t else "")
    return str(t or "any")


def _order(spec: dict[str, Any]) -> list[str]:
    props = spec.get("properties", {})
    order = [k for k in spec.get("x-order", []) if k in props]
    return order + sorted(k for k in props if k not in order)


def _section(out: list[str], title: str, intro: str, spec: dict[str, Any],
             defs: dict[str, Any]) -> None:
    out += [f"## {title}", "", intro, ""]
    anchor = title.lower().replace(" ", "-")
    props = spec.get("properties", {})
    required = set(spec.get("required", []))
    out += ["| key | type | default |", "|---|---|---|"]
    for key in _order(spec):
        p = props[key]
        default = ("required" if key in required else
                   p["x-default"] if "x-default" in p else
                   f"`{str(p['default']).lower()}`" if "default" in p and isinstance(
                       p["default"], bool) else
                   f"`{p['default']}`" if "default" in p else "")
        out.append(f"| [`{key}`](#{anchor}-{key.replace('_', '-')}) | {_type(p)} | "
                   f"{default} |")
    out.append("")
    for key in _order(spec):
        p = props[key]
        ref = p.get("$ref", "").rsplit("/", 1)[-1]
        description = p.get("description") or defs.get(ref, {}).get("description", "")
        out += [f'<a id="{anchor}-{key.replace("_", "-")}"></a>',
                f"### `{key}`", "", description, ""]
        example = p.get("x-example") or defs.get(ref, {}).get("x-example")
        if example:
            out += ["```yaml", example, "```", ""]


def mapping_docs() -> str:
    """The Markdown reference page of the mapping language."""
    schema = mapping_schema()
    defs = schema["$defs"]
    out = ["# The mapping language", "",
           "<!-- Generated from src/aicoop/data/mapping.schema.json by "
           "`kg mapping docs > docs/mappings.md`; do not edit by hand: a test fails when this "
           "page and the schema disagree. -->", "",
           schema["description"], "",
           "Check a mapping without loading anything, with every problem and its YAML line:",
           "", "```sh", "kg mapping check my-corpus.yaml", "```", "",
           "Load with it (all bad records are listed at once and nothing is written; "
           "`--skip-bad-records` loads the good ones and lists the others):", "",
           "```sh", "kg load records my-corpus.csv --mapping my-corpus.yaml", "```", "",
           "The examples in `examples/mappings/` map two real third-party corpora (AGORA, "
           "Worldwide AI Ethics). Mappings already written in RML or YARRRML load through "
           "`kg load rml` instead (see its `--help`).", ""]
    _section(out, "Top level", "The keys of a mapping file.", schema, defs)
    _section(out, "Subject", defs["subject"]["description"], defs["subject"], defs)
    _section(out, "Fields", defs["field"]["description"], defs["field"], defs)
    out += ["## Templates", "", defs["template"]["description"], "",
            "```yaml", 'subject:\n  iri: "doc/{slug(country)}-{hash(title, year)}"', "```", "",
            "## Conditions", "", defs["condition"]["description"], "",
            "```yaml", defs["condition"]["x-example"], "```", "",
            "## Nodes", "", defs["node"]["description"] + " Keys: "
            + ", ".join(f"`{k}`" for k in defs["node"]["properties"])
            + " (as for the subject, with `fields` as for the top level).", ""]
    return "\n".join(out).rstrip("\n") + "\n"
