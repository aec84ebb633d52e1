"""The mapping language as a JSON Schema (``data/mapping.schema.json``, shipped with the
package): every mapping is checked against it before it is parsed, and each problem names
the key path and, for a file, the YAML line, so a knowledge engineer can fix the mapping
without reading code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import InputError


@dataclass(frozen=True)
class SchemaProblem:
    """One place where a mapping breaks the schema."""

    path: str            # e.g. fields[3].datatype
    message: str
    line: int | None = None
    column: int | None = None

    def text(self, source: str = "") -> str:
        where = source + (f", line {self.line}" if self.line is not None else "")
        return f"{where + ': ' if where else ''}{self.path or '(top level)'}: {self.message}"


class MappingInvalid(InputError):
    """A mapping breaks the mapping-language schema; ``problems`` lists every place."""

    def __init__(self, source: str, problems: tuple[SchemaProblem, ...]) -> None:
        self.problems = problems
        first = problems[0] if problems else SchemaProblem("", "no problem")
        if len(problems) == 1:
            message = f"{first.path or '(top level)'}: {first.message}"
        else:
            message = (f"{len(problems)} problems with the mapping (see docs/mappings.md):\n  "
                       + "\n  ".join((f"line {p.line}: " if p.line is not None else "")
                                      + f"{p.path or '(top level)'}: {p.message}"
                                      for p in problems))
        super().__init__(message, source=source, line=first.line,
                         column=first.column if len(problems) == 1 else None)


@lru_cache(maxsize=1)
def mapping_schema() -> dict[str, Any]:
    """The JSON Schema of the mapping language."""
    text = resources.files("aicoop").joinpath("data", "mapping.schema.json").read_text(
        encoding="utf-8")
    return json.loads(text)


def _path_text(path: list[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(error: Any) -> str:
    """jsonschema's message, said for a person who has not read the schema."""
    v = error.validator
    if v == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance,
                                                                          dict) else []
        return (f"unknown key(s) {', '.join(map(str, extra))}; expected some of "
                f"{', '.join(allowed)}")
    if v == "required":
        # jsonschema says "'iri' is a required property"
        return f"needs the key {error.message.split(' is a required')[0]}"
    if v == "pattern" and error.schema.get("x-hint"):
        return f"{error.instance!r} is not {error.schema['x-hint']}"
    if v == "enum":
        return (f"{error.instance!r} is not allowed; use one of "
                f"{', '.join(map(str, error.validator_value))}")
    if v == "type":
        want = error.validator_value
        want = " or ".join(want) if isinstance(want, list) else want
        shown = repr(error.instance)
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        return f"expected {want}, found {type(error.instance).__name__} {shown}"
    return error.message


def _line_of(node: Any, path: list[Any], key: str | None = None) -> tuple[int, int] | None:
    """The (line, column), 1-based, of the YAML node at ``path`` (or of its key ``key``)."""
    import yaml

    found = None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            nxt = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if nxt is None:
                break
            found, node = nxt[0], nxt[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            node = node.value[part]
            found = node
        else:
            break
    if key is not None and isinstance(node, yaml.MappingNode):
        k = next((k for k, _ in node.value if k.value == key), None)
        if k is not None:
            return k.start_mark.line + 1, k.start_mark.column + 1
    target = node if node is not None else found
    if target is None:
        return None
    return target.start_mark.line + 1, target.start_mark.column + 1


def schema_problems(data: Any, *, yaml_node: Any = None) -> tuple[SchemaProblem, ...]:
    """Every place where ``data`` (a mapping read from YAML) breaks the schema, in file
    order; ``yaml_node`` (from ``yaml.compose``) gives them lines."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    validator = Draft202012Validator(mapping_schema())
    out: list[SchemaProblem] = []
    for error in validator.iter_errors(data):
        if error.context:
            # anyOf / oneOf: the branch that came closest says the most
            error = best_match(error.context)
        path = list(error.absolute_path)
        key = None
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            extra = sorted(set(map(str, error.instance)) - set(error.schema.get(
                "properties", {})))
            key = extra[0] if extra else None
        pos = _line_of(yaml_node, path, key) if yaml_node is not None else None
        out.append(SchemaProblem(_path_text(path), _message(error),
                                 pos[0] if pos else None, pos[1] if pos else None))
    out.sort(key=lambda p: (p.line or 0, p.column or 0, p.path))
    return tuple(out)


def check_schema(data: Any, *, source: str, yaml_node: Any = None) -> None:
    """``MappingInvalid`` listing every problem, if ``data`` breaks the schema."""
    problems = schema_problems(data, yaml_node=yaml_node)
    if problems:
        raise MappingInvalid(source, problems)
