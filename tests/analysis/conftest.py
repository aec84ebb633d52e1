"""A small fictional network (tests/data/analysis/network.ttl) in a store, in memory or on disk,
with its derived facts materialised as `kg load` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from aicoop.derive import derive
from aicoop.loaders.rdf import load_rdf
from aicoop.store.embedded import EmbeddedStore

NETWORK = Path(__file__).parent.parent / "data" / "analysis" / "network.ttl"

EX = "http://example.org/org/"


@pytest.fixture(scope="module")
def network_store():
    store = EmbeddedStore()
    load_rdf(store, [NETWORK])
    derive(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def network_path(tmp_path_factory) -> str:
    """An on-disk store holding the network, for driving the CLI with --store."""
    path = tmp_path_factory.mktemp("analysis") / "store"
    store = EmbeddedStore(path)
    load_rdf(store, [NETWORK])
    derive(store)
    store.close()
    return str(path)
