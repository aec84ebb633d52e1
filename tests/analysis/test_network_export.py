"""``kg network``: the domain network written as GraphML and GEXF, re-read by networkx, on the
fictional network (tests/data/analysis/network.ttl) and on hand-built stand-ins."""

from __future__ import annotations

import doctest
from dataclasses import dataclass

import networkx as nx
import pytest
from click.testing import CliRunner

from aicoop.analysis import network_export, pathways, state_brokers
from aicoop.analysis.fetch import domain_projection
from aicoop.analysis.network_export import domain_network, export_graph, write_network
from aicoop.cli import cli
from aicoop.errors import UsageError

EX = "http://example.org/org/"


@pytest.mark.parametrize("module", [network_export, pathways, state_brokers],
                         ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


# ---- the adapter, on stand-ins (whatever fields the bridges analysis grows) ------------------

@dataclass(frozen=True)
class Org:
    iri: str
    name: str
    label: str
    kind: str = "organisation"


@dataclass(frozen=True)
class Chan:
    name: str
    weight: float
    evidence: tuple[str, ...] = ()
    items: int = 0


@dataclass(frozen=True)
class TieStub:
    channels: tuple[Chan, ...]

    @property
    def weight(self) -> float:
        return sum(c.weight for c in self.channels)

    @property
    def evidence(self) -> tuple[str, ...]:
        return tuple(sorted({e for c in self.channels for e in c.evidence}))


@dataclass(frozen=True)
class Row:
    iri: str
    rank: int
    score: float
    constraint: float | None
    connects: tuple[str, ...]
    stability: float  # a field the adapter has never heard of
    evidence_iris: tuple[str, ...] = ()


@dataclass(frozen=True)
class Proj:
    graph: nx.Graph


def stub_projection() -> tuple[Proj, list[Row]]:
    g = nx.Graph()
    g.add_node("a", org=Org("a", "A", "Alpha Agency"))
    g.add_node("b", org=Org("b", "B", "Beta Bank", "development-bank"))
    g.add_node("c", org=Org("c", "C", "Gamma"))
    tie = TieStub((Chan("co-issued", 1.0, ("d1",), 1), Chan("initiative", 0.5, ("i1", "i2"), 2)))
    g.add_edge("a", "b", weight=tie.weight, tie=tie)
    rows = [Row("a", 1, 0.9, 0.5, ("C1", "C2"), 1.0, ("d1", "i1", "i2")),
            Row("b", 2, 0.4, None, ("C1",), 0.5)]
    return Proj(g), rows


def test_export_graph_copies_metrics_and_channels():
    proj, rows = stub_projection()
    g = export_graph(proj, rows)
    assert sorted(g.nodes) == ["a", "b", "c"]
    a = g.nodes["a"]
    assert (a["label"], a["full_name"], a["rank"], a["score"]) == ("A", "Alpha Agency", 1, 0.9)
    assert (a["connects"], a["stability"], a["evidence_count"]) == ("C1; C2", 1.0, 3)
    assert "constraint" not in g.nodes["b"]  # no value: left out, not written as "None"
    assert "rank" not in g.nodes["c"]  # not ranked
    e = g.edges["a", "b"]
    assert e["weight"] == 1.5
    assert e["channels"] == "co-issued; initiative"
    assert (e["co_issued_weight"], e["co_issued_items"]) == (1.0, 1)
    assert (e["initiative_weight"], e["initiative_items"]) == (0.5, 2)
    assert (e["evidence_count"], e["evidence"]) == (3, "d1 i1 i2")


def test_mixed_number_types_become_one_type_per_attribute():
    proj, rows = stub_projection()
    rows[1] = Row("b", 2, 1, 0.25, (), 0)  # score and stability as ints here
    g = export_graph(proj, rows)
    assert isinstance(g.nodes["b"]["score"], float) and isinstance(g.nodes["b"]["stability"],
                                                                   float)
    nx.parse_graphml(write_network(g, "graphml").decode())  # one declared type per key


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_written_files_read_back(tmp_path, fmt, reader):
    proj, rows = stub_projection()
    path = tmp_path / f"n.{fmt}"
    path.write_bytes(write_network(export_graph(proj, rows), fmt))
    back = reader(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (3, 1)
    assert back.nodes["a"]["label"] == "A"
    assert float(back.edges["a", "b"]["weight"]) == 1.5


def test_an_unknown_format_is_a_usage_error():
    with pytest.raises(UsageError, match="graphml or gexf"):
        write_network(nx.Graph(), "dot")


# ---- on the fictional network ---------------------------------------------------------------

def test_domain_network_matches_the_projection(network_store):
    net = domain_network(network_store, "health")
    proj = domain_projection(network_store, "health")
    assert set(net.graph.nodes) == set(proj.graph.nodes)
    assert net.graph.number_of_edges() == proj.graph.number_of_edges()
    for a, b in proj.graph.edges:
        assert net.graph.edges[a, b]["weight"] == pytest.approx(proj.graph.edges[a, b]["weight"])
    # hd3 is the one document Delta and Epsilon co-issue, bilateral, in health
    e = net.graph.edges[EX + "delta", EX + "epsilon"]
    assert e["co_issued_weight"] == pytest.approx(1.0)
    assert "http://example.org/doc/hd3" in e["evidence"].split()
    ranks = sorted(d["rank"] for _, d in net.graph.nodes(data=True))
    assert ranks == list(range(1, net.graph.number_of_nodes() + 1))
    assert net.graph.graph["domain"] == "health"


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_cli_writes_a_file_gephi_can_read(network_path, network_store, tmp_path, fmt, reader):
    out = tmp_path / f"health.{fmt}"
    res = CliRunner().invoke(cli, ["--store", network_path, "network", "--domain", "health",
                                   "--format", fmt, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert res.stdout == ""
    back = reader(out)
    proj = domain_projection(network_store, "health")
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        proj.graph.number_of_nodes(), proj.graph.number_of_edges())
    labels = {d["label"] for _, d in back.nodes(data=True)}
    assert {"DDB", "EP", "AHO"} <= labels
    assert f"written as {fmt} to {out}" in res.stderr


def test_cli_writes_to_stdout_and_reports_bad_targets(network_path, tmp_path):
    res = CliRunner().invoke(cli, ["--store", network_path, "network", "-d", "health"])
    assert res.exit_code == 0
    assert res.stdout_bytes.startswith(b"<?xml")
    missing = tmp_path / "no" / "such" / "dir" / "x.graphml"
    res = CliRunner().invoke(cli, ["--store", network_path, "network", "-d", "health",
                                   "--out", str(missing)])
    assert res.exit_code == 3
    assert "cannot write there" in res.stderr
    assert not missing.exists()
