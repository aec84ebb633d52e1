"""A small fictional network (tests/data/analysis/network.ttl) in a store, in memory or on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from aicoop.loaders.rdf import load_rdf
from aicoop.store.embedded import EmbeddedStore

NETWORK = Path(__file__).parent.parent / "data" / "analysis" / "network.ttl"

EX = "http://example.org/org/"


@pytest.fixture(scope="module")
def network_store():
    store = EmbeddedStore()
    load_rdf(store, [NETWORK])
    yield store
    store.close()


@pytest.fixture(scope="module")
def network_path(tmp_path_factory) -> str:
    """An on-disk store holding the network, for driving the CLI with --store."""
    path = tmp_path_factory.mktemp("analysis") / "store"
    store = EmbeddedStore(path)
    load_rdf(store, [NETWORK])
    store.close()
    return str(path)
