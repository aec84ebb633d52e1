"""Analyses of the cooperation network: bridges, paths, complementarity and gaps.

``projection`` and ``metrics`` are pure (plain rows in, graphs and numbers out); ``fetch``
runs the named queries against a store; the other modules combine them into the results the
``kg`` commands render. networkx is imported only here, so the rest of ``kg`` starts fast.
Every metric and score is defined in ``docs/metrics.md``.
"""
