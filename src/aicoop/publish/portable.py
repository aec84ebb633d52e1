"""Published output never names the machine that built it.

Loaders record where a graph came from as ``file://`` IRIs and path literals (PROV
``used``, ``dcterms:source``, ``aic:sourceFile``). Those paths mean nothing to a reader of the
published site and leak the builder's folders, so before anything is written they become
portable: a packaged file becomes an IRI under the published site's ``source/`` folder (where
``kg publish`` copies it, so the provenance link resolves), any other local file a ``urn``
naming only the file. Pure functions over pyoxigraph terms.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePosixPath

import pyoxigraph as ox

#: IRIs of local files that are not part of the package keep only their file name
LOCAL_FILE_URN = "urn:aicoop:local-file:"

_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]")


def _looks_like_path(text: str) -> bool:
    return (text.startswith("/") and "/" in text[1:] and " " not in text.strip()) \
        or bool(_WINDOWS_PATH.match(text)) or text.startswith("file:")


def portable_path(path: str, roots: Sequence[tuple[str, str]], base: str) -> str:
    """The IRI a local ``path`` is published as.

    ``roots`` pairs a local folder with the name it has under ``<base>source/``; a path
    inside none of them keeps only its file name, in a ``urn``.

    >>> portable_path("/home/a/pkg/data/x.csv", [("/home/a/pkg", "aicoop")], "https://e.org/")
    'https://e.org/source/aicoop/data/x.csv'
    >>> portable_path("/tmp/mine/corpus.csv", [("/home/a/pkg", "aicoop")], "https://e.org/")
    'urn:aicoop:local-file:corpus.csv'
    """
    p = PurePosixPath(path.replace("\\", "/"))
    for folder, name in roots:
        try:
            rel = p.relative_to(folder)
        except ValueError:
            continue
        return f"{base}source/{name}/" + urllib.parse.quote(rel.as_posix())
    return LOCAL_FILE_URN + urllib.parse.quote(p.name)


def portable_term(term: ox.NamedNode | ox.Literal | ox.BlankNode,
                  roots: Sequence[tuple[str, str]], base: str):
    """``term`` with any local path replaced (see the module docstring); others unchanged."""
    if isinstance(term, ox.NamedNode) and term.value.startswith("file:"):
        path = urllib.parse.unquote(urllib.parse.urlparse(term.value).path)
        return ox.NamedNode(portable_path(path, roots, base))
    if isinstance(term, ox.Literal) and _looks_like_path(term.value):
        value = term.value
        if value.startswith("file:"):
            value = urllib.parse.unquote(urllib.parse.urlparse(value).path)
        new = portable_path(value, roots, base)
        if new.startswith(LOCAL_FILE_URN):
            new = urllib.parse.unquote(new[len(LOCAL_FILE_URN):])
        return ox.Literal(new, datatype=term.datatype) if term.language is None \
            else ox.Literal(new, language=term.language)
    return term


def portable_quads(quads: Iterable[ox.Quad], roots: Sequence[tuple[str, str]],
                   base: str) -> Iterator[ox.Quad]:
    """Every quad with local paths made portable (subjects and graph names too)."""
    for q in quads:
        yield ox.Quad(portable_term(q.subject, roots, base), q.predicate,
                      portable_term(q.object, roots, base), q.graph_name)
