"""Where the packaged data files live, in a source checkout and in an installed wheel.

The wheel force-includes ``ontology/`` and ``shapes/`` as ``aicoop/ontology`` and
``aicoop/shapes`` (see pyproject.toml); in a source checkout they sit at the repository root,
two levels above this package. Queries and reference data live inside the package in both
cases. The locating functions return a ``Path`` and never create anything; ``read_graph``
parses packaged (or user) RDF files with errors that name the file and line.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rdflib

_PACKAGE = "aicoop"


def _package_dir() -> Path:
    return Path(str(resources.files(_PACKAGE)))


def package_dir() -> Path:
    """The installed (or checked-out) ``aicoop`` package directory."""
    return _package_dir()


def _data_dir(name: str) -> Path:
    """``aicoop/<name>`` when installed, else ``<repo>/<name>`` in a source checkout."""
    packaged = _package_dir() / name
    if packaged.is_dir():
        return packaged
    return _package_dir().parent.parent / name


def ontology_dir() -> Path:
    """The directory holding ``aicoop.ttl`` and the SKOS schemes in ``vocab/``."""
    return _data_dir("ontology")


def shapes_dir() -> Path:
    """The directory holding the SHACL shapes (``*.ttl``)."""
    return _data_dir("shapes")


def queries_dir() -> Path:
    """The directory of named SPARQL queries (``*.rq``), inside the package."""
    return _package_dir() / "queries"


def reference_dir() -> Path:
    """The directory of the curated reference CSV files and their mappings."""
    return _package_dir() / "data" / "reference"


def ontology_file() -> Path:
    """The OWL ontology, ``aicoop.ttl``."""
    return ontology_dir() / "aicoop.ttl"


def vocabulary_files() -> list[Path]:
    """The SKOS concept schemes, one Turtle file per scheme, sorted by name."""
    return sorted((ontology_dir() / "vocab").glob("*.ttl"))


def shapes_files() -> list[Path]:
    """The SHACL shapes files, sorted by name."""
    return sorted(shapes_dir().glob("*.ttl"))


def read_graph(*paths: Path | str) -> rdflib.Graph:
    """Parse RDF files into one rdflib graph, raising ``InputError`` with file and line.

    The format follows the file extension (Turtle for ``.ttl``).
    """
    import rdflib
    from rdflib.plugins.parsers.notation3 import BadSyntax
    from rdflib.util import guess_format

    from .errors import InputError

    graph = rdflib.Graph()
    for path in paths:
        path = Path(path)
        fmt = guess_format(str(path)) or "turtle"
        if fmt == "xml" and path.is_file():  # entity expansion is checked before parsing
            from .loaders.parse_limits import check_rdf_xml
            check_rdf_xml(path)
        try:
            graph.parse(path, format=fmt)
        except BadSyntax as exc:
            raise InputError(f"RDF syntax error: {exc._why}", source=str(path),
                             line=exc.lines + 1) from exc
        except FileNotFoundError as exc:
            raise InputError("file not found", source=str(path)) from exc
        except Exception as exc:  # rdflib's other parsers raise assorted exception types
            raise InputError(f"cannot parse RDF: {exc}", source=str(path)) from exc
    return graph
