"""Limits every RDF parser path checks before it parses, so a small hostile file cannot take
the machine's memory.

The one known amplifier is XML's internal entities: a 1 KB RDF/XML file of nested entities
("billion laughs") expands to gigabytes. We refuse what no real RDF/XML needs (external,
parameter and nested entities) and cap how far the remaining plain entities can grow the
document. Turtle, N-Triples, N-Quads, TriG and JSON-LD parse in one streaming pass with no
amplification.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError

#: how many bytes entity references may add to an RDF/XML document in all
MAX_ENTITY_EXPANSION = 16 * 1024 * 1024
_PROLOG_BYTES = 1024 * 1024
_CHUNK = 1024 * 1024
_DECL = re.compile(rb"<!ENTITY\s+(%\s*)?([^\s>]+)\s+(SYSTEM|PUBLIC|\"([^\"]*)\"|'([^']*)')",
                   re.S)
_ANY_DECL = re.compile(rb"<!ENTITY\b")


def _entity_error(path: Path, what: str) -> InputError:
    return InputError(f"RDF/XML with {what} is refused (entity expansion can exhaust memory; "
                      "write the values out in full)", source=str(path))


def entity_declarations(prolog: bytes, path: Path) -> dict[bytes, bytes]:
    """The internal general entities declared in an RDF/XML prolog, name -> value; an
    ``InputError`` for external, parameter or nested entities, which nothing legitimate in
    RDF/XML needs."""
    found = {}
    decls = _DECL.findall(prolog)
    if len(decls) != len(_ANY_DECL.findall(prolog)):
        raise _entity_error(path, "an entity declaration that cannot be checked")
    for percent, name, kind, dq, sq in decls:
        if percent:
            raise _entity_error(path, f"a parameter entity ({name.decode(errors='replace')})")
        if kind in (b"SYSTEM", b"PUBLIC"):
            raise _entity_error(path, f"an external entity ({name.decode(errors='replace')})")
        value = dq if kind.startswith(b'"') else sq
        if b"&" in value or b"%" in value:
            raise _entity_error(path, "nested entities "
                                f"({name.decode(errors='replace')} refers to another entity)")
        found[name] = value
    return found


def check_rdf_xml(path: Path, limit: int = MAX_ENTITY_EXPANSION) -> None:
    """Refuse an RDF/XML file whose entities are unsafe or would grow it by over ``limit``."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_PROLOG_BYTES)
            if b"<!ENTITY" not in head:
                return
            start = head.find(b"<!DOCTYPE")
            end = head.find(b"]>", start)
            if start < 0 or end < 0:
                raise _entity_error(path, "an entity declaration outside a readable DOCTYPE")
            entities = entity_declarations(head[start:end], path)
            if not entities:
                return
            refs = re.compile(b"&(" + b"|".join(re.escape(n) for n in entities) + b");")
            growth = 0
            fh.seek(end)
            tail = b""
            while growth <= limit:
                chunk = fh.read(_CHUNK)
                text = tail + chunk
                # a reference holds one "&": cut before the last one so none is split
                cut = text.rfind(b"&", max(0, len(text) - 256)) if chunk else len(text)
                cut = len(text) if cut < 0 else cut
                for m in refs.finditer(text, 0, cut):
                    growth += len(entities[m.group(1)]) - len(m.group(0))
                tail = text[cut:]
                if not chunk:
                    break
    except OSError as exc:
        raise InputError(f"cannot read: {exc}", source=str(path)) from exc
    if growth > limit:
        raise InputError(f"RDF/XML entity references would add over {limit // (1024 * 1024)} MB "
                         "to the document; refused", source=str(path))


def check_limits(path: Path, fmt: ox.RdfFormat) -> None:
    """Run the checks that apply to ``fmt`` on the file at ``path`` before it is parsed."""
    if fmt == ox.RdfFormat.RDF_XML:
        check_rdf_xml(path)


#: how many nodes a YAML document may hold once its aliases are expanded; a mapping has a
#: few hundred, a records file a few per value
MAX_YAML_NODES = 5_000_000


def expanded_yaml_nodes(root: object) -> int:
    """The node count of a composed YAML document with every alias written out in full.

    An alias is the same node object as its anchor, so a memo by identity counts the
    expansion in time linear in the written document. ``ValueError`` for an alias inside
    its own anchor (a recursive document)."""
    import yaml

    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise ValueError("an alias refers to a node that contains it")
        active.add(key)
        if isinstance(node, yaml.MappingNode):
            n = 1 + sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            n = 1 + sum(size(v) for v in node.value)
        else:
            n = 1
        active.discard(key)
        sizes[key] = n
        return n

    return size(root) if root is not None else 0


def load_yaml(text: str, source: str, limit: int = MAX_YAML_NODES) -> object:
    """``yaml.safe_load`` for files we do not trust: a document whose aliases would expand past
    ``limit`` nodes ("billion laughs"), or that refers to itself, is an ``InputError`` naming
    the file; YAML syntax errors are left to the caller (``yaml.YAMLError``)."""
    return load_yaml_node(text, source, limit)[0]


def load_yaml_node(text: str, source: str, limit: int = MAX_YAML_NODES) -> tuple[object, object]:
    """As ``load_yaml``, with the composed node tree too (for line numbers in messages)."""
    import sys

    import yaml

    old = sys.getrecursionlimit()
    # PyYAML composes and constructs recursively, a few frames per level of nesting; deeper
    # than this is refused by name rather than ending in a traceback
    sys.setrecursionlimit(max(old, 20_000))
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        try:
            n = expanded_yaml_nodes(node)
        except ValueError as exc:
            raise InputError(f"YAML refused: {exc}", source=source) from None
        if n > limit:
            raise InputError(f"YAML refused: its aliases expand to over {limit:,} nodes (an "
                             "alias bomb?); write the values out or split the file",
                             source=source)
        if node is None:
            return None, None
        loader = yaml.SafeLoader("")  # builds the values from the tree already composed
        try:
            return loader.construct_document(node), node
        finally:
            loader.dispose()
    except ValueError as exc:  # e.g. a date that does not exist: 2021-02-30
        raise InputError(f"not valid YAML: {exc}", source=source) from None
    except RecursionError:
        raise InputError("YAML refused: nested too deeply", source=source) from None
    finally:
        sys.setrecursionlimit(old)
