"""Resource pages, content negotiation, analyses as JSON and the load-while-serving behaviour
of `kg serve`, through HTTP on the live server."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from aicoop.cli import cli

WHO = rdflib.URIRef("https://w3id.org/aicoop/id/org/who")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(url, accept=None):
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with OPENER.open(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
], ids=["turtle", "json-ld", "n-triples", "rdf-xml"])
def test_conneg_gives_rdf_that_rdflib_parses(server, accept, rdflib_format):
    status, headers, body = http(server + "/id/org/who", accept)
    assert status == 200 and headers.get_content_type() == accept
    assert "Accept" in headers["Vary"]
    g = rdflib.Graph().parse(data=body, format=rdflib_format)
    assert (WHO, rdflib.RDFS.label, rdflib.Literal("Organisation mondiale de la Santé",
                                                   lang="fr")) in g
    # the standard super-property of the project's own terms is stated too
    assert (WHO, ORG.hasMember, rdflib.URIRef("https://w3id.org/aicoop/id/state/fra")) in g


def test_browser_accept_gets_html(server):
    status, headers, body = http(server + "/id/org/who",
                                 "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and headers.get_content_type() == "text/html"
    assert b"<h1 id=\"title\">World Health Organization</h1>" in body


def test_hostile_label_is_escaped_in_html(server):
    body = http(server + "/id/org/who", "text/html")[2]
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert b"<script>alert(1)</script>" not in body


@pytest.mark.parametrize("suffix, media", [(".ttl", "text/turtle"),
                                           (".jsonld", "application/ld+json"),
                                           (".nt", "application/n-triples"),
                                           (".html", "text/html")])
def test_suffix_picks_the_representation(server, suffix, media):
    status, headers, _ = http(server + "/id/org/who" + suffix, "text/html")
    assert status == 200 and headers.get_content_type() == media


def test_document_page_states_dcterms_publisher(server):
    """aic:issuedBy rdfs:subPropertyOf dcterms:publisher: a DCTERMS-only client sees the
    issuer of a document."""
    q = ("SELECT ?doc ?org WHERE { ?doc <https://w3id.org/aicoop/ontology#issuedBy> ?org } "
         "LIMIT 1")
    row = json.loads(http(server + "/sparql?query=" + urllib.request.quote(q),
                          "application/json")[2])["results"]["bindings"][0]
    doc, org = row["doc"]["value"], row["org"]["value"]
    path = doc[len("https://w3id.org/aicoop/"):]
    g = rdflib.Graph().parse(data=http(server + "/" + path, "text/turtle")[2], format="turtle")
    assert (rdflib.URIRef(doc), DCTERMS.publisher, rdflib.URIRef(org)) in g


def test_ontology_terms_are_fragments_of_the_ontology_page(server):
    status, _, body = http(server + "/ontology", "text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    issued_by = rdflib.URIRef("https://w3id.org/aicoop/ontology#issuedBy")
    assert (issued_by, rdflib.RDFS.subPropertyOf, DCTERMS.publisher) in g
    html = http(server + "/ontology", "text/html")[2]
    assert b'id="issuedBy"' in html


def test_unknown_resource_is_404(server):
    assert http(server + "/id/org/no-such-organisation", "text/html")[0] == 404


def test_dataset_description_names_the_endpoint_and_no_local_path(server):
    body = http(server + "/dataset", "text/turtle")[2]
    g = rdflib.Graph().parse(data=body, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = rdflib.URIRef("https://w3id.org/aicoop/dataset")
    assert g.value(ds, void.sparqlEndpoint) == rdflib.URIRef(server + "/sparql")
    assert b"file:" not in body and b"/tmp/" not in body


def test_api_bridges_as_json(server, reference_store_path):
    status, headers, body = http(server + "/api/bridges?domain=health&top=5&other_domains=1")
    assert status == 200 and headers.get_content_type() == "application/json"
    data = json.loads(body)
    assert data["domain"]["notation"] == "health" and data["other_domains"] is True
    ranks = [r["rank"] for r in data["rows"]]
    assert ranks and ranks == list(range(1, len(ranks) + 1)) and len(ranks) <= 5
    assert all(r["iri"].startswith("https://w3id.org/aicoop/id/") for r in data["rows"])
    # the same rows as the CLI with the same option
    res = CliRunner().invoke(cli, ["--store", str(reference_store_path), "bridges", "--domain",
                                   "health", "--other-domains", "--top", "5", "--format", "json"])
    assert [r["iri"] for r in json.loads(res.stdout)["rows"]] == [r["iri"] for r in data["rows"]]


def test_api_bridges_equals_the_cli(server, reference_store_path):
    """The server calls the same analysis on the same data as `kg bridges`."""
    served = json.loads(http(server + "/api/bridges?domain=health&top=10")[2])
    res = CliRunner().invoke(cli, ["--store", str(reference_store_path), "bridges", "--domain",
                                   "health", "--format", "json"])
    assert res.exit_code == 0, res.output
    cli_json = json.loads(res.stdout)
    assert [r["iri"] for r in served["rows"]] == [r["iri"] for r in cli_json["rows"]]


@pytest.mark.parametrize("url, key", [
    ("/api/paths?from=NATO&to=WHO", "paths"),
    ("/api/complementarity?domain=agriculture", "pairs"),
    ("/api/gaps", None),
    ("/api/network?domain=health", "edges"),
])
def test_other_analyses_as_json(server, url, key):
    status, _, body = http(server + url)
    assert status == 200, body[:300]
    data = json.loads(body)
    if key:
        assert key in data


def test_analysis_bad_input_is_a_clear_400(server):
    status, _, body = http(server + "/api/bridges?domain=no-such-domain")
    assert status == 400 and b"no-such-domain" in body
    status, _, body = http(server + "/api/bridges")
    assert status == 400 and b"domain" in body


def test_a_load_while_serving_changes_the_store_not_the_server(reference_store_path,
                                                              tmp_path):
    """The server answers from its snapshot: a `kg load` into its store while clients keep
    asking succeeds, every request meanwhile is answered (200), and the new statement is not
    served until a restart; the store afterwards holds the old and the new data."""
    import shutil
    import threading

    from werkzeug.serving import make_server

    from aicoop.namespaces import DEFAULT_BASE
    from aicoop.serve import prepared_app
    from aicoop.store import open_store
    path = tmp_path / "store"
    shutil.copytree(reference_store_path, path)
    store = open_store(path, read_only=True)
    with prepared_app(store, base=DEFAULT_BASE, timeout_s=5, max_result_bytes=10**6,
                      workers=1) as (app, _pool):
        store.close()
        httpd = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_port}"
        statuses: list[int] = []
        stop = threading.Event()

        def keep_asking():
            while not stop.is_set():
                statuses.append(http(base + "/id/org/who", "text/turtle")[0])
                statuses.append(http(base + "/sparql?query=ASK%7B%7D", "application/json")[0])

        client = threading.Thread(target=keep_asking)
        client.start()
        try:
            extra = tmp_path / "extra.ttl"
            extra.write_text('<https://w3id.org/aicoop/id/org/who> '
                             '<http://www.w3.org/2000/01/rdf-schema#comment> "loaded later" .\n')
            res = CliRunner().invoke(cli, ["--store", str(path), "load", "rdf", str(extra),
                                           "--graph",
                                           "https://w3id.org/aicoop/graph/test/loaded-later"])
            assert res.exit_code == 0, res.output
        finally:
            stop.set()
            client.join(30)
        assert statuses and set(statuses) == {200}
        q = 'ASK { ?s ?p "loaded later" }'
        body = http(base + "/sparql?query=" + urllib.request.quote(q), "application/json")[2]
        assert json.loads(body)["boolean"] is False
        assert b"loaded later" not in http(base + "/id/org/who", "text/turtle")[2]
        httpd.shutdown()
        httpd.server_close()
    after = ox.Store.read_only(str(path))
    assert any(True for _ in after.quads_for_pattern(None, None, ox.Literal("loaded later"),
                                                     None))
    who = ox.NamedNode("https://w3id.org/aicoop/id/org/who")
    assert any(True for _ in after.quads_for_pattern(who, None, None, None))


def test_kg_serve_command_starts_answers_and_stops(reference_store_path, tmp_path):
    """The real command in its own process, as a user starts it; stopped by its PID."""
    import os
    import socket
    import subprocess
    import sys
    import time
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "aicoop.cli", "--store",
                             str(reference_store_path), "serve", "--port", str(port),
                             "--timeout", "5", "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=log, env=dict(os.environ))
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                if http(base + "/sparql?query=ASK%7B%7D", "application/json")[0] == 200:
                    break
            except OSError:  # not listening yet
                pass
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            time.sleep(0.25)
        status, headers, body = http(base + "/id/org/who", "text/turtle")
        assert status == 200 and b"Organisation mondiale de la Sant" in body
        assert http(base + "/", "text/html")[0] == 200
        assert http(base + "/network/", "text/html")[0] == 200
    finally:
        proc.terminate()
        proc.wait(20)
        log.close()
    text = (tmp_path / "serve.log").read_text()
    assert f"serving on http://127.0.0.1:{port}" in text
    assert proc.returncode == 0
    # stopped by SIGTERM, it removed its snapshot (and with it stopped its workers)
    import re
    from pathlib import Path
    snapshot = re.search(r"snapshot of the store into (\S+)", text).group(1)
    assert not Path(snapshot).exists()
