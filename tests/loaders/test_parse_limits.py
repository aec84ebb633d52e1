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


# ---- YAML aliases ------------------------------------------------------------------------

def test_yaml_aliases_are_counted_as_written_out() -> None:
    import yaml

    from aicoop.loaders.parse_limits import expanded_yaml_nodes
    # root mapping 1 + key "a" 1 + list 1 + 3 scalars = 6; key "b" 1 + list 1 + two aliases of
    # the 4-node list = 10; 16 in all
    node = yaml.compose("a: &x [1, 2, 3]\nb: [*x, *x]\n", Loader=yaml.SafeLoader)
    assert expanded_yaml_nodes(node) == 16
    assert expanded_yaml_nodes(yaml.compose("x", Loader=yaml.SafeLoader)) == 1
    assert expanded_yaml_nodes(None) == 0


def test_a_yaml_alias_bomb_is_refused_before_it_is_built() -> None:
    from aicoop.loaders.parse_limits import load_yaml
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    text = "\n".join(levels) + "\n"           # 10**9 scalars once written out
    with pytest.raises(InputError) as err:
        load_yaml(text, "bomb.yaml")
    assert err.value.source == "bomb.yaml" and "alias" in str(err.value)
    # the same shape, small enough, loads: 3 levels of 10 is about a thousand nodes
    small = "\n".join(levels[:3]) + "\n"
    assert len(load_yaml(small, "ok.yaml")["a2"]) == 10


def test_a_recursive_yaml_document_is_refused() -> None:
    from aicoop.loaders.parse_limits import load_yaml
    with pytest.raises(InputError) as err:
        load_yaml("a: &a [1, *a]\n", "loop.yaml")
    assert "contains it" in str(err.value) and err.value.source == "loop.yaml"


def test_deep_nesting_is_refused_by_name_and_moderate_nesting_loads() -> None:
    from aicoop.loaders.parse_limits import load_yaml
    assert load_yaml("[" * 2000 + "]" * 2000, "ok.yaml") is not None
    with pytest.raises(InputError) as err:
        load_yaml("[" * 50_000 + "]" * 50_000, "deep.yaml")
    assert err.value.source == "deep.yaml" and "nested too deeply" in str(err.value)


def test_a_date_that_does_not_exist_is_an_error_naming_the_file() -> None:
    from aicoop.loaders.parse_limits import load_yaml
    with pytest.raises(InputError) as err:
        load_yaml("when: 2021-02-30\n", "dates.yaml")
    assert err.value.source == "dates.yaml" and "not valid YAML" in str(err.value)


def test_complex_keys_are_counted_too() -> None:
    import yaml

    from aicoop.loaders.parse_limits import expanded_yaml_nodes
    # root 1 + key [a, b] (1 + 2) + value 1 = 5
    assert expanded_yaml_nodes(yaml.compose("? [a, b]\n: c\n", Loader=yaml.SafeLoader)) == 5


def test_the_limit_is_the_number_of_nodes(tmp_path: Path) -> None:
    from aicoop.loaders.parse_limits import load_yaml
    text = "k: &v [1, 2]\nm: [*v, *v]\n"      # 1 + (1+1+2) + (1+1+3+3) = 13 nodes
    assert load_yaml(text, "f.yaml", limit=13)["m"] == [[1, 2], [1, 2]]
    with pytest.raises(InputError):
        load_yaml(text, "f.yaml", limit=12)


def test_records_and_mappings_in_yaml_go_through_the_limit(tmp_path: Path) -> None:
    from aicoop.loaders.mapping import load_mapping
    from aicoop.loaders.records import prepare_records
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    bomb = "\n".join(levels) + "\n"
    mapping = tmp_path / "m.yaml"
    mapping.write_text(bomb + 'format: yaml\nsubject:\n  iri: "http://e/{key}"\nfields: []\n')
    with pytest.raises(InputError) as err:
        load_mapping(mapping)
    assert err.value.source == str(mapping)
    good = tmp_path / "good.yaml"
    good.write_text('format: yaml\nrecords: items\nsubject:\n  iri: "http://e/{key}"\n'
                    'fields:\n  - column: name\n    property: http://e/name\n')
    data = tmp_path / "data.yaml"
    data.write_text(bomb + "items:\n  - {key: k1, name: *a7}\n")
    with pytest.raises(InputError) as err:
        prepare_records(None, data, good)
    assert err.value.source == str(data)


def test_a_json_records_file_over_the_size_limit_is_refused_by_name(tmp_path: Path,
                                                                      monkeypatch) -> None:
    from aicoop.loaders import record_input
    from aicoop.loaders.records import prepare_records
    mapping = tmp_path / "m.yaml"
    mapping.write_text('format: json\nsubject:\n  iri: "http://e/{key}"\n'
                       'fields:\n  - column: name\n    property: http://e/name\n')
    data = tmp_path / "big.json"
    data.write_text('[{"key": "a", "name": "A"}]')          # 27 bytes
    monkeypatch.setattr(record_input, "MAX_WHOLE_DOCUMENT_BYTES", 27)
    assert prepare_records(None, data, mapping).result.loaded == 1   # at the limit: read
    monkeypatch.setattr(record_input, "MAX_WHOLE_DOCUMENT_BYTES", 26)
    with pytest.raises(InputError) as err:
        prepare_records(None, data, mapping)
    assert err.value.source == str(data) and "JSON Lines" in str(err.value)


def test_rdfxml_read_by_rdflib_is_checked_for_entities_too(tmp_path: Path) -> None:
    from aicoop.resources import read_graph
    bomb = Path(__file__).parents[1] / "data" / "bad" / "entity-bomb.rdf"
    with pytest.raises(InputError) as err:
        read_graph(bomb)
    assert err.value.source == str(bomb) and "refused" in str(err.value)  # ours, not expat's
