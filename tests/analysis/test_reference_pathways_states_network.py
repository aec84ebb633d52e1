"""``kg pathways``, ``kg states`` and ``kg network`` on the built default store (the packaged
reference graph), checked against the packaged CSV files and facts read off them by hand."""

from __future__ import annotations

import csv
import json
from importlib import resources

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from aicoop.analysis.fetch import domain_projection
from aicoop.analysis.pathways import pair_pathways, pathway_summary
from aicoop.analysis.state_brokers import state_brokers
from aicoop.cli import cli
from aicoop.store.embedded import EmbeddedStore

PRIORITY = ["agriculture", "education", "cybersecurity", "environment", "health"]
ORG = "https://w3id.org/aicoop/id/org/"
STATE = "https://w3id.org/aicoop/id/state/"


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("reference") / "store")
    res = CliRunner().invoke(cli, ["--store", path, "init"])
    assert res.exit_code == 0, res.output
    return path


@pytest.fixture(scope="module")
def store(reference):
    s = EmbeddedStore(reference, read_only=True)
    yield s
    s.close()


def kg(store: str, *args: str):
    return CliRunner().invoke(cli, ["--store", store, *args])


def packaged_documents() -> list[dict[str, str]]:
    folder = resources.files("aicoop") / "data" / "reference"
    out = []
    names = sorted(f.name for f in folder.iterdir()
                   if f.name.startswith("documents-") and f.name.endswith(".csv"))
    for name in names:
        with (folder / name).open(encoding="utf-8") as fh:
            out.extend(csv.DictReader(fh))
    return out


def split(cell: str) -> set[str]:
    return {v.strip() for v in (cell or "").split("|") if v.strip()}


# ---- pathways -------------------------------------------------------------------------------

def test_health_pathways_rest_on_health_documents(store):
    s = pathway_summary(store, "health")
    health = ox.NamedNode("https://w3id.org/aicoop/id/domain/health")
    items = {i.iri for o in s.organisations for i in o.evidence}
    assert items
    rows = store.select("PREFIX aic: <https://w3id.org/aicoop/ontology#> "
                        "SELECT ?i ?d WHERE { ?i aic:addressesDomain ?d }",
                        params={"d": health}).values()
    assert items <= {r["i"] for r in rows}


def test_health_pathway_counts_match_the_packaged_files(store):
    docs = [d for d in packaged_documents() if "health" in split(d["domains"])]
    expected = {p: sum(1 for d in docs if p in split(d["pathways"]))
                for p in ("institutional-alignment", "strategic-benefits", "risk-mitigation")}
    s = pathway_summary(store, "health")
    assert {t.pathway: t.documents for t in s.pathways} == expected
    untagged_docs = sum(1 for d in docs if not split(d["pathways"]))
    assert sum(1 for i in s.untagged if i.kind == "document") == untagged_docs


def test_who_and_itu_share_health_work(store):
    r = pair_pathways(store, "WHO", "ITU", domain="health")
    assert r.joint
    for item in r.joint:
        assert {ORG + "who", ORG + "itu"} <= item.actor_iris
        assert "health" in item.domains


@pytest.mark.parametrize("domain", PRIORITY)
def test_pathways_runs_in_every_priority_domain(reference, domain):
    res = kg(reference, "pathways", "--domain", domain, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["domain"]["notation"] == domain
    assert data["pathways"], f"no pathway in {domain}"


# ---- states ---------------------------------------------------------------------------------

def test_states_span_blocs_not_universal_organisations(store):
    r = state_brokers(store, top=None)
    assert {"G7", "G20", "BRICS", "OECD", "NATO", "AU", "ASEAN", "EU", "OAS"} <= set(r.groups)
    assert {"UN", "WHO", "ITU"} <= set(r.left_out)
    by = {x.iri: x for x in r.rows}
    # South Africa is the only State in both the AU and the G20; Brazil the only one in both
    # BRICS and the OAS (memberships.csv)
    za = by[STATE + "zaf"]
    assert any({lk.a, lk.b} == {"AU", "G20"} and lk.shared == 1 for lk in za.links)
    br = by[STATE + "bra"]
    assert any({lk.a, lk.b} == {"BRICS", "OAS"} and lk.shared == 1 for lk in br.links)
    # Canada (nine blocs) spans more than Brazil (three)
    assert by[STATE + "can"].rank < br.rank
    assert len(by[STATE + "can"].groups) > len(br.groups)
    assert all(len(x.groups) >= 2 for x in r.rows)


def test_states_as_of_a_year_before_the_brics_enlargement(store):
    # Egypt joined BRICS in 2024 (memberships.csv, since 2024)
    egypt_now = {x.iri: x for x in state_brokers(store, top=None).rows}[STATE + "egy"]
    assert "BRICS" in egypt_now.groups
    before = {x.iri: x for x in state_brokers(store, as_of=2020, top=None).rows}
    assert STATE + "egy" not in before or "BRICS" not in before[STATE + "egy"].groups


def test_states_cli_in_a_domain(reference):
    res = kg(reference, "states", "--domain", "health", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("rank,state,code,iri,score,")


# ---- network --------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_file_has_the_projection_nodes_and_edges(reference, store, tmp_path, fmt, reader):
    out = tmp_path / f"health.{fmt}"
    res = kg(reference, "network", "--domain", "health", "--format", fmt, "--out", str(out))
    assert res.exit_code == 0, res.output
    back = reader(out)
    proj = domain_projection(store, "health")
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        proj.graph.number_of_nodes(), proj.graph.number_of_edges())
    who = back.nodes[ORG + "who"]
    assert who["label"] == "WHO" and int(who["rank"]) >= 1
