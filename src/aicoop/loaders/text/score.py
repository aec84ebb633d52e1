"""How salient a concept is in a document, and whether the document *addresses* it.

Pure functions over plain data: the mentions of one concept (their offsets, the labels matched
and whether each stands in a technology context), the document's length, its title and
headings. The rule is documented in ``docs/text-detection.md``; its numbers live in
``DecisionRule`` so a study can state (and change) the rule it used.

A mention *in context* is one whose sentence also names an AI or digital technology (a label
of the ``technologies`` scheme: "AI", "algorithm", "software", …). The documents this loader
reads are about a technology; a sector they govern is named next to it ("AI tutoring systems
in schools"), while a sector named for other reasons ("the Department of Education",
"professional military education") usually is not. A mention out of context counts
``w_outside`` of one in context (nothing, as shipped; it still counts for spread and
headings):

    weight = mentions in context + w_outside * mentions out of context
    score  = ln(1 + density) + w_labels * ln(distinct labels) + w_title * in_title
             + w_heading * min(heading mentions, 2) + w_spread * spread
             + w_mentions * ln(1 + weight)

where density is the weight per 1,000 words and spread the share of the document's ten equal
parts that mention the concept. A document addresses the concept when ``score >= threshold``
and ``weight >= min_weight`` (or the concept is in the title). The values were chosen by
repeated stratified cross-validation on AGORA (``benchmarks/annotate_agora.py``) and are the
same for every concept and every scheme.
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

    w_outside: float = 0.0
    w_labels: float = 0.5
    w_title: float = 1.0
    w_heading: float = 0.5
    w_spread: float = 0.5
    w_mentions: float = 0.25
    threshold: float = 0.75
    min_weight: float = 1.0


DEFAULT_RULE = DecisionRule()


@dataclass(frozen=True)
class Salience:
    """The features of one concept in one document, and the verdict."""

    mentions: int
    in_context: int         # mentions whose sentence names a technology
    weight: float           # in_context + w_outside * (mentions - in_context)
    distinct_labels: int
    density: float          # weight per 1,000 words
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
             in_title: bool, heading_mentions: int, context: Sequence[bool] | None = None,
             rule: DecisionRule = DEFAULT_RULE) -> Salience:
    """Score the mentions of one concept (their start offsets, the labels matched and, in
    ``context``, whether each stands in a technology context; ``None``: all do).

    >>> s = salience([10, 500, 900], ["farmers", "crops", "farmers"], words=150,
    ...              text_length=1000, in_title=False, heading_mentions=0,
    ...              context=[True, True, False])
    >>> s.weight, round(s.density, 1), s.distinct_labels, s.spread, round(s.score, 2)
    (2.0, 13.3, 2, 0.3, 3.43)
    >>> s.addresses
    True
    >>> one = dict(words=1000, text_length=6000, in_title=False, heading_mentions=0)
    >>> [salience([10], ["health"], context=[c], **one).addresses for c in (False, True)]
    [False, True]
    """
    n = len(offsets)
    flags = [True] * n if context is None else list(context)
    if len(flags) != n:
        raise ValueError("one context flag per mention expected")
    inside = sum(flags)
    weight = inside + rule.w_outside * (n - inside)
    counted = [label for label, flag in zip(labels, flags) if flag or rule.w_outside > 0]
    distinct = len({label.casefold() for label in counted})
    density = 1000.0 * weight / max(words, 1)
    parts = {min(PARTS - 1, PARTS * o // max(text_length, 1)) for o in offsets}
    spread = len(parts) / PARTS
    score = (math.log1p(density)
             + rule.w_labels * math.log(max(distinct, 1))
             + rule.w_title * (1.0 if in_title else 0.0)
             + rule.w_heading * min(heading_mentions, 2)
             + rule.w_spread * spread
             + rule.w_mentions * math.log1p(weight))
    addresses = score >= rule.threshold and (weight >= rule.min_weight or in_title)
    return Salience(n, inside, weight, distinct, density, spread, in_title, heading_mentions,
                    score, addresses)
