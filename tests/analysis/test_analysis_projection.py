"""From the fixture's documents to weighted ties: the tie weights of docs/metrics.md."""

from __future__ import annotations

import pytest

from aicoop.analysis import fetch
from aicoop.analysis.projection import kind_notation, project, short_name

EX = "http://example.org/org/"


@pytest.fixture(scope="module")
def health(network_store):
    return fetch.domain_projection(network_store, "health")


def channel(projection, a, b, name):
    tie = projection.tie(EX + a, EX + b)
    return next(c for c in tie.channels if c.name == name)


def test_co_issued_documents_share_one_unit_among_co_issuers(health):
    # hd1: Alpha + Beta (k = 2) -> 1/(2-1) = 1 ; hd2: Alpha + Beta + Gamma (k = 3) -> 1/2
    # Alpha–Beta: 1 + 1/2 = 3/2 ; Alpha–Gamma and Beta–Gamma: 1/2
    assert channel(health, "alpha", "beta", "co-issued").weight == pytest.approx(1.5)
    assert channel(health, "alpha", "beta", "co-issued").evidence == (
        "http://example.org/doc/hd1", "http://example.org/doc/hd2")
    assert channel(health, "alpha", "gamma", "co-issued").weight == pytest.approx(0.5)


def test_citations_share_a_quarter_among_issuer_pairs(health):
    # hd2 (Alpha, Beta, Gamma) cites hd1 (Alpha, Beta): 0.25 / (3*2) = 1/24 per issuer pair;
    # pairs with different ends: Alpha→Beta, Beta→Alpha, Gamma→Alpha, Gamma→Beta
    # Alpha–Beta: 2/24 = 1/12 ; Alpha–Gamma: 1/24
    assert channel(health, "alpha", "beta", "citation").weight == pytest.approx(1 / 12)
    assert channel(health, "alpha", "gamma", "citation").weight == pytest.approx(1 / 24)


def test_endorsement_shares_a_half_among_the_issuers(health):
    # Zeta endorses hd3 (Delta + Epsilon): 0.5 / 2 = 1/4 to each issuer
    assert channel(health, "delta", "zeta", "endorsement").weight == pytest.approx(0.25)
    assert channel(health, "epsilon", "zeta", "endorsement").weight == pytest.approx(0.25)
    # plus the joint initiative hi1 (2 partners): 1/(2-1) = 1 -> Delta–Zeta = 1.25
    assert health.tie(EX + "delta", EX + "zeta").weight == pytest.approx(1.25)


def test_evidence_addressing_security_defence_is_marked_sensitive(health):
    # hd7 addresses health and security-defence
    tie = health.tie(EX + "delta", EX + "theta")
    assert tie.sensitive_weight == pytest.approx(1.0) and tie.plain_weight == 0.0
    assert health.tie(EX + "delta", EX + "epsilon").sensitive_weight == 0.0


def test_only_organisations_active_in_the_domain_are_nodes(health):
    assert EX + "kappa" not in health.graph  # agriculture only
    assert health.organisations[EX + "theta"].security
    assert health.organisations[EX + "delta"].kind == "development-bank"


def test_shared_members_are_a_separate_weaker_layer(network_store):
    plain = fetch.domain_projection(network_store, "health")
    layered = fetch.domain_projection(network_store, "health", with_members=True)
    # Beta and Delta share no document, only members (aaa, bbb): no tie without the layer
    assert not plain.graph.has_edge(EX + "beta", EX + "delta")
    # Beta {aaa, bbb}, Delta {aaa, bbb, ddd}: Jaccard 2/3, weight 0.5 * 2/3 = 1/3
    ch = layered.tie(EX + "beta", EX + "delta").channels
    assert [c.name for c in ch] == ["shared-members"]
    assert ch[0].weight == pytest.approx(1 / 3) and ch[0].items == 2


def test_declared_partnerships_are_opt_in_and_labelled(network_store):
    # Kappa aic:partnerOf Alpha, no joint initiative: a tie of 0.5, channel other-domain, only
    # when asked for; by default only ag1 (co-issued by both, addressing agriculture) counts
    agri = fetch.domain_projection(network_store, "agriculture")
    assert [c.name for c in agri.tie(EX + "alpha", EX + "kappa").channels] == ["co-issued"]
    wide = fetch.domain_projection(network_store, "agriculture", other_domains=True)
    assert channel(wide, "alpha", "kappa", "other-domain").weight == pytest.approx(0.5)


def test_rows_naming_unknown_actors_are_counted_not_lost():
    orgs = [{"org": "x:a", "label": "A"}, {"org": "x:b", "label": "B"}]
    evidence = [{"item": "d:1", "relation": "issuer", "actor": "x:a"},
                {"item": "d:1", "relation": "issuer", "actor": "x:b"},
                {"item": "d:2", "relation": "issuer", "actor": "x:a"},
                {"item": "d:2", "relation": "issuer", "actor": "x:state"}]
    p = project(orgs, evidence)
    assert p.graph.number_of_edges() == 1 and p.dropped == 1
    assert "1 evidence row(s) left out" in p.notes[0]
    assert p.organisations["x:a"].documents == 2


@pytest.mark.parametrize("domain", ["health", "agriculture", "education", "cybersecurity"])
def test_one_pass_ties_equal_the_sparql_aggregation(network_store, domain):
    # org-ties-by-domain.rq aggregates in SPARQL alone; kg sums evidence-by-domain in Python.
    # Both must give the same channels, weights, sensitivity and evidence.
    d = fetch.domain_term(domain)
    from aicoop.analysis.projection import gather_evidence, tie_rows, ties_from_rows
    actors = {r["org"] for r in fetch.rows(network_store, "list-organisations")}
    sparql, _ = ties_from_rows(fetch.rows(network_store, "org-ties-by-domain", domain=d),
                               actors=actors)
    python, _ = ties_from_rows(tie_rows(gather_evidence(
        fetch.rows(network_store, "evidence-by-domain", domain=d))), actors=actors)
    def flat(ties):
        return sorted((t.a, t.b, c.name, round(c.weight, 12), round(c.sensitive_weight, 12),
                       c.evidence) for t in ties for c in t.channels)
    assert flat(python) == flat(sparql)
    assert python


@pytest.mark.parametrize(("iri", "label", "acronyms", "expected"), [
    ("https://w3id.org/aicoop/id/org/who", "World Health Organization", ["OMS", "WHO"], "WHO"),
    ("https://w3id.org/aicoop/id/org/world-bank", "World Bank", ["IBRD"], "World Bank"),
    ("http://example.org/org/delta", "Delta Development Bank", ["DDB"], "DDB"),
    ("http://example.org/org/nameless", None, [], "nameless"),
], ids=["acronym-matches-key", "short-label", "long-label", "nothing"])
def test_short_name(iri, label, acronyms, expected):
    assert short_name(iri, label, acronyms) == expected


def test_kind_notation():
    assert kind_notation("https://w3id.org/aicoop/ontology#UNSystemEntity") == "un-system-entity"
    assert kind_notation(None) == "organisation"


def test_initiatives_in_other_domains_are_weaker_other_domain_ties():
    orgs = [{"org": f"x:{n}", "label": n.upper()} for n in "abc"]
    evidence = [{"item": "d:1", "relation": "issuer", "actor": "x:a"},
                {"item": "d:2", "relation": "issuer", "actor": "x:b"},
                {"item": "d:3", "relation": "issuer", "actor": "x:c"},
                # i:3 addresses this domain: an "initiative" tie, 1/(2-1) = 1
                {"item": "i:3", "relation": "partner", "actor": "x:a"},
                {"item": "i:3", "relation": "partner", "actor": "x:b"}]
    partnerships = [
        # i:1 (another domain) has three partners: 0.5/(3-1) = 0.25 to each pair
        {"a": "x:a", "b": "x:b", "initiative": "i:1", "k": 3},
        {"a": "x:a", "b": "x:c", "initiative": "i:1", "k": 3},
        {"a": "x:b", "b": "x:c", "initiative": "i:1", "k": 3},
        # i:2 (another domain), two partners: 0.5/(2-1) = 0.5 -> a–b partnership 0.75
        {"a": "x:a", "b": "x:b", "initiative": "i:2", "k": 2},
        # i:3 is already counted in the domain: not again as a partnership
        {"a": "x:a", "b": "x:b", "initiative": "i:3", "k": 2},
    ]
    p = project(orgs, evidence, partnerships)
    ab = {c.name: c for c in p.tie("x:a", "x:b").channels}
    assert ab["initiative"].weight == pytest.approx(1.0)
    assert ab["other-domain"].weight == pytest.approx(0.75)
    assert ab["other-domain"].evidence == ("i:1", "i:2")
    assert p.tie("x:a", "x:c").weight == pytest.approx(0.25)
    # without other_domains only the in-domain initiative ties a and b; a and c are not tied
    strict = project(orgs, evidence, partnerships, other_domains=False)
    assert [c.name for c in strict.tie("x:a", "x:b").channels] == ["initiative"]
    assert not strict.graph.has_edge("x:a", "x:c")
