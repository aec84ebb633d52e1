"""Loaders turn sources into named graphs in a store, atomically and idempotently."""
