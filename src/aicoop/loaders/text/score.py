"""How salient a concept is in a document, and whether the document *addresses* it.

Pure functions over plain data: the mentions of one concept (their offsets and labels), the
document's length, its title and headings. The rule is documented in
``docs/text-detection.md``; its numbers live in ``DecisionRule`` so a study can state (and
change) the rule it used.

    score = ln(1 + density) + w_labels * ln(distinct labels) + w_title * in_title
            + w_heading * min(heading mentions, 2) + w_spread * spread
            + w_mentions * ln(1 + mentions)

where density is mentions per 1,000 words and spread the share of the document's ten equal
parts that mention the concept. A document addresses the concept when ``score >= threshold``
and the concept is named at least ``min_mentions`` times (or in the title). With the shipped
values (threshold 1.5, one mention) a single mention qualifies only in a short text (about 390
words or fewer: a bill that names the sector in an operative list), never in a long one; the
two values were chosen by repeated stratified 5-fold cross-validation on AGORA
(``benchmarks/annotate_agora.py``) and are the same for every concept.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

#: the number of equal parts a document is cut into to measure spread
PARTS = 10


@dataclass(frozen=True)
class DecisionRule:
    """The weights and threshold of the salience score (see the module docstring)."""

    w_labels: float = 0.5
    w_title: float = 1.0
    w_heading: float = 0.5
    w_spread: float = 0.5
    w_mentions: float = 0.25
    threshold: float = 1.5
    min_mentions: int = 1


DEFAULT_RULE = DecisionRule()


@dataclass(frozen=True)
class Salience:
    """The features of one concept in one document, and the verdict."""

    mentions: int
    distinct_labels: int
    density: float          # mentions per 1,000 words
    spread: float           # share of the document's ten parts with a mention (0..1)
    in_title: bool
    heading_mentions: int
    score: float
    addresses: bool


def in_spans(pos: int, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    """Whether ``pos`` falls inside one of the sorted, non-overlapping ``spans``.

    >>> spans = [(0, 5), (10, 20)]
    >>> [in_spans(p, spans, [0, 10]) for p in (3, 7, 10, 20)]
    [True, False, True, False]
    """
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def salience(offsets: Sequence[int], labels: Sequence[str], *, words: int, text_length: int,
             in_title: bool, heading_mentions: int,
             rule: DecisionRule = DEFAULT_RULE) -> Salience:
    """Score the mentions of one concept (their start offsets and the labels matched).

    >>> s = salience([10, 500, 900], ["farmers", "crops", "farmers"], words=150,
    ...              text_length=1000, in_title=False, heading_mentions=0)
    >>> round(s.density, 1), s.distinct_labels, s.spread, round(s.score, 2), s.addresses
    (20.0, 2, 0.3, 3.89, True)
    >>> salience([10], ["health"], words=2000, text_length=12000, in_title=False,
    ...          heading_mentions=0).addresses
    False
    >>> salience([10], ["health"], words=250, text_length=1500, in_title=False,
    ...          heading_mentions=0).addresses
    True
    """
    n = len(offsets)
    distinct = len({label.casefold() for label in labels})
    density = 1000.0 * n / max(words, 1)
    parts = {min(PARTS - 1, PARTS * o // max(text_length, 1)) for o in offsets}
    spread = len(parts) / PARTS
    score = (math.log1p(density)
             + rule.w_labels * math.log(max(distinct, 1))
             + rule.w_title * (1.0 if in_title else 0.0)
             + rule.w_heading * min(heading_mentions, 2)
             + rule.w_spread * spread
             + rule.w_mentions * math.log1p(n))
    addresses = score >= rule.threshold and (n >= rule.min_mentions or in_title)
    return Salience(n, distinct, density, spread, in_title, heading_mentions, score, addresses)
