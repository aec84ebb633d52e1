"""The upper bound printed by benchmarks/annotate_agora.py: the best F1 of any monotone rule,
checked against brute force over every subset of small point sets."""

from __future__ import annotations

import importlib.util
import itertools
import random
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "annotate_agora.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("annotate_agora", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def brute_force(points: list[tuple[tuple, bool]]) -> float:
    """Try every set of points a rule could accept; keep those closed upwards."""
    n, positives = len(points), sum(g for _, g in points)
    best = 0.0
    for mask in range(1 << n):
        chosen = [i for i in range(n) if mask >> i & 1]
        closed = all(mask >> j & 1 for i in chosen for j in range(n)
                     if all(a <= b for a, b in zip(points[i][0], points[j][0])))
        if closed:
            tp = sum(points[i][1] for i in chosen)
            fp = len(chosen) - tp
            best = max(best, 2 * tp / (tp + fp + positives))
    return best


def test_worked_example(bench) -> None:
    # one feature, so a rule is a threshold: accept {4} -> TP 1, FP 0 -> 2/(1+0+2) = 0.67;
    # {3, 4} -> 2/(1+1+2) = 0.5; {2, 3, 4} -> 2/(1+2+2) = 0.4; all -> 4/(2+2+2) = 0.67
    points = [((1,), True), ((2,), False), ((3,), False), ((4,), True)]
    assert bench.best_monotone_f1(points) == pytest.approx(2 / 3)


def test_no_positives(bench) -> None:
    assert bench.best_monotone_f1([((1,), False)]) == 0.0


@pytest.mark.parametrize("seed", range(25))
def test_matches_brute_force(bench, seed: int) -> None:
    rnd = random.Random(seed)
    n, dims = rnd.randint(3, 10), rnd.randint(1, 3)
    points = [(tuple(rnd.randint(0, 3) for _ in range(dims)), rnd.random() < 0.4)
              for _ in range(n)]
    if not any(g for _, g in points):
        points[0] = (points[0][0], True)
    assert bench.best_monotone_f1(points) == pytest.approx(brute_force(points))


def test_incomparable_points_are_free(bench) -> None:
    # with two features and points on an antichain, each can be taken alone: F1 = 1
    points = [(p, g) for p, g in zip(itertools.permutations((0, 1)), (True, False))]
    assert bench.best_monotone_f1(points) == 1.0
