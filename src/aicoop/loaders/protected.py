"""The shipped graphs (ontology, vocabularies, reference data, derived facts) are replaced
only on purpose: a load whose target is one of them needs an explicit flag."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import UsageError
from ..namespaces import GRAPH_DERIVED, GRAPH_ONTOLOGY, GRAPH_VOCABULARIES, MINT

REFERENCE_PREFIX = MINT.graph("reference") + "/"


def is_protected(graph: str) -> bool:
    """Whether ``graph`` is one the package ships or derives.

    >>> is_protected(MINT.graph("reference", "organisations")), is_protected("http://e/g")
    (True, False)
    """
    return graph in (GRAPH_ONTOLOGY, GRAPH_VOCABULARIES, GRAPH_DERIVED) or \
        graph.startswith(REFERENCE_PREFIX)


def check_replaceable(graphs: Iterable[str], *, source: str, replace_reference: bool) -> None:
    """``UsageError`` if a load from ``source`` would replace a shipped graph unasked."""
    hit = sorted(g for g in graphs if is_protected(g))
    if hit and not replace_reference:
        raise UsageError(f"{source} would replace the shipped graph(s) "
                         f"{', '.join(f'<{g}>' for g in hit)}; pass --replace-reference if "
                         "that is what you mean")
