"""The reference graph built on disk (as the first `kg` command builds it) plus one hostile
label, published once with `kg publish` and served once with `kg serve`'s application on a
free loopback port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from aicoop.cli import cli
from aicoop.reference import build_reference
from aicoop.store.embedded import EmbeddedStore

EVIL = "<script>alert(1)</script>"
WHO = "https://w3id.org/aicoop/id/org/who"
TEST_GRAPH = "https://w3id.org/aicoop/graph/test/hostile-label"


@pytest.fixture(scope="session")
def reference_store_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("linked-data") / "store"
    store = EmbeddedStore(path)
    build_reference(store)
    store.add_quads([ox.Quad(ox.NamedNode(WHO),
                             ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
                             ox.Literal(EVIL, language="en"), ox.NamedNode(TEST_GRAPH))])
    store.close()
    return path


@pytest.fixture(scope="session")
def site(reference_store_path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    result = CliRunner().invoke(cli, ["--store", str(reference_store_path), "publish",
                                      str(out), "--sparql-endpoint",
                                      "https://example.org/sparql"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def server(reference_store_path, pytestconfig) -> Iterator[str]:
    """Base URL of a live server (time limit 2 s, result cap 200 kB)."""
    from werkzeug.serving import make_server

    from aicoop.namespaces import DEFAULT_BASE
    from aicoop.serve import prepared_app
    from aicoop.store import open_store
    store = open_store(reference_store_path, read_only=True)
    with prepared_app(store, base=DEFAULT_BASE, timeout_s=2, max_result_bytes=200_000,
                      workers=2) as (app, pool):
        store.close()
        pytestconfig.kg_query_pool = pool  # for tests that check the workers themselves
        httpd = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_port}"
        finally:
            httpd.shutdown()
            httpd.server_close()
