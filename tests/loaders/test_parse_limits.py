"""The RDF/XML entity limits, worked by hand: what real files use (a few plain entities)
passes and parses; what only an attacker needs is refused before any parser runs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from aicoop.errors import InputError
from aicoop.loaders.parse_limits import check_rdf_xml
from aicoop.loaders.rdf import parse_file

HEAD = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/">\n')


def rdfxml(tmp_path: Path, doctype: str, body: str) -> Path:
    path = tmp_path / "f.rdf"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{doctype}\n]>\n{HEAD}{body}'
                    "</rdf:RDF>\n", encoding="utf-8")
    return path


def test_plain_entities_as_owl_files_use_them_pass_and_expand(tmp_path: Path) -> None:
    path = rdfxml(tmp_path, '<!ENTITY ex "http://example.org/">',
                  '<rdf:Description rdf:about="&ex;a"><ex:p rdf:resource="&ex;b"/>'
                  "</rdf:Description>\n")
    check_rdf_xml(path)
    [quad] = parse_file(path, ox.RdfFormat.RDF_XML)
    assert quad.subject == ox.NamedNode("http://example.org/a")
    assert quad.object == ox.NamedNode("http://example.org/b")


def test_growth_is_counted_per_reference(tmp_path: Path) -> None:
    # "abcd" (4 bytes) replaces "&e;" (3 bytes): each reference adds 1 byte; ten add 10
    body = "".join(f'<rdf:Description rdf:about="http://example.org/{i}"><ex:p>&e;</ex:p>'
                   "</rdf:Description>\n" for i in range(10))
    path = rdfxml(tmp_path, '<!ENTITY e "abcd">', body)
    check_rdf_xml(path, limit=10)
    with pytest.raises(InputError, match="would add over"):
        check_rdf_xml(path, limit=9)


@pytest.mark.parametrize("decl, why", [
    ('<!ENTITY a "x">\n<!ENTITY b "&a;&a;">', "nested entities"),
    ('<!ENTITY x SYSTEM "file:///etc/passwd">', "an external entity"),
    ('<!ENTITY x PUBLIC "-//x//EN" "http://example.org/x">', "an external entity"),
    ('<!ENTITY % p "x">', "a parameter entity"),
])
def test_what_only_an_attack_needs_is_refused(tmp_path: Path, decl: str, why: str) -> None:
    path = rdfxml(tmp_path, decl, "")
    with pytest.raises(InputError, match=why) as err:
        check_rdf_xml(path)
    assert str(path) in str(err.value)


def test_a_file_without_entities_is_not_read_past_its_start(tmp_path: Path) -> None:
    path = tmp_path / "plain.rdf"
    path.write_text(HEAD + "</rdf:RDF>\n" + "<!-- " + "x" * 100 + " -->\n", encoding="utf-8")
    check_rdf_xml(path)
