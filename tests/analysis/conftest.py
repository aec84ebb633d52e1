"""A small fictional network (tests/data/analysis/network.ttl) in a store, in memory or on disk,
with its derived facts materialised as `kg load` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixture_stores import fixture_store, fixture_store_path


NETWORK = Path(__file__).parent.parent / "data" / "analysis" / "network.ttl"

EX = "http://example.org/org/"


@pytest.fixture(scope="module")
def network_store():
    store = fixture_store([NETWORK])
    yield store
    store.close()


@pytest.fixture(scope="module")
def network_path(tmp_path_factory) -> str:
    """An on-disk store holding the network, for driving the CLI with --store."""
    return fixture_store_path(tmp_path_factory, "analysis", [NETWORK])
