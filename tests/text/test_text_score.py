"""The decision rule: scores worked out by hand, and what counts as addressing a concept."""

from __future__ import annotations

import math

import pytest

from aicoop.loaders.text.extract import ExtractedText
from aicoop.loaders.text.score import DEFAULT_RULE, DecisionRule, salience


def test_score_worked_by_hand() -> None:
    # 4 mentions in 400 words, 3 of them in a technology context -> weight 3 + 0.25 * 1 = 3.25,
    # density 8.125 per 1,000; 2 distinct labels; parts 0, 2, 5, 9 of a 1,000-character text
    # -> spread 0.4; one heading mention; not in the title.
    s = salience([0, 250, 500, 990], ["farmers", "crops", "farmers", "Farmers"], words=400,
                 text_length=1000, in_title=False, heading_mentions=1,
                 context=[True, True, False, True], rule=DecisionRule(w_outside=0.25))
    expected = (math.log(1 + 8.125) + 0.5 * math.log(2) + 0 + 0.5 * 1 + 0.5 * 0.4
                + 0.25 * math.log(1 + 3.25))
    assert s.score == pytest.approx(expected)
    assert (s.mentions, s.in_context, s.weight, s.distinct_labels, s.spread, s.addresses) == \
        (4, 3, 3.25, 2, 0.4, True)


def test_shipped_rule_counts_only_mentions_in_context() -> None:
    # as above with the shipped w_outside = 0: weight 3, density 7.5, the out-of-context
    # "farmers" still counts for spread (part 5) but not as a label
    s = salience([0, 250, 500, 990], ["farmers", "crops", "farmers", "Farmers"], words=400,
                 text_length=1000, in_title=False, heading_mentions=1,
                 context=[True, True, False, True])
    expected = math.log(1 + 7.5) + 0.5 * math.log(2) + 0.5 * 1 + 0.5 * 0.4 + 0.25 * math.log(4)
    assert s.score == pytest.approx(expected)
    assert (s.weight, s.distinct_labels, s.spread) == (3.0, 2, 0.4)


def test_without_context_flags_every_mention_counts_fully() -> None:
    kwargs = dict(words=400, text_length=1000, in_title=False, heading_mentions=0)
    plain = salience([0, 500], ["school", "pupils"], **kwargs)
    inside = salience([0, 500], ["school", "pupils"], context=[True, True], **kwargs)
    assert plain == inside and plain.weight == 2


def test_labels_seen_only_out_of_context_do_not_count_when_outside_weighs_nothing() -> None:
    rule = DecisionRule(w_outside=0.0)
    s = salience([0, 500], ["school", "pupils"], words=400, text_length=1000, in_title=False,
                 heading_mentions=0, context=[True, False], rule=rule)
    assert (s.weight, s.distinct_labels) == (1.0, 1)


def test_one_context_flag_per_mention() -> None:
    with pytest.raises(ValueError):
        salience([0, 500], ["a", "b"], words=10, text_length=100, in_title=False,
                 heading_mentions=0, context=[True])


# Under the shipped rule (w_outside 0, threshold 0.75, min_weight 1), worked by hand: one
# mention in context in 1,000 words scores ln 2 + 0.05 + 0.25 ln 2 = 0.92 (addresses); in
# 3,000 words ln(4/3) + 0.05 + 0.25 ln 2 = 0.51 (does not); mentions out of context weigh
# nothing, so only the title can make them count.
@pytest.mark.parametrize("offsets, context, words, in_title, headings, addresses", [
    ([5000], [True], 3000, False, 0, False),    # one mention in context, long text: 0.51
    ([5000], [True], 1000, False, 0, True),     # one mention in context in a page: 0.92
    ([5000], [False], 1000, False, 0, False),   # one passing mention in a page
    ([10], [True], 40, False, 0, True),         # in context in a very short text
    ([10, 20], [False, False], 40, False, 0, False),  # out of context, even in a short text
    ([10], [False], 3000, True, 0, True),       # the title names it: 1 + 0.05 = 1.05
    ([100, 2000, 4000, 6000, 8000], [True, False, True, False, True], 1500, False, 0,
     True),                                     # ln 3 + 0.25 + 0.25 ln 4 = 1.70
    ([10, 20, 30], [True, False, False], 5000, False, 2, True),  # in two headings: 1.41
    ([10, 20, 30], [False] * 3, 5000, False, 2, False),  # headings, never in context
], ids=["long-text-one-in-context", "page-one-in-context", "page-one-passing",
        "short-text-one-in-context", "short-text-two-passing", "title", "dense",
        "headings", "headings-out-of-context"])
def test_what_addresses_a_concept(offsets, context, words, in_title, headings,
                                  addresses) -> None:
    s = salience(offsets, ["health"] * len(offsets), words=words, text_length=10000,
                 in_title=in_title, heading_mentions=headings, context=context)
    assert s.addresses is addresses, s


def test_a_stricter_rule_changes_the_verdict() -> None:
    kwargs = dict(words=1000, text_length=5000, in_title=False, heading_mentions=0,
                  context=[True, False])
    offsets, labels = [0, 2500], ["school", "teachers"]
    assert salience(offsets, labels, **kwargs).addresses
    strict = DecisionRule(threshold=DEFAULT_RULE.threshold + 2)
    assert not salience(offsets, labels, rule=strict, **kwargs).addresses


def test_title_and_heading_mentions_raise_the_score(annotator) -> None:
    # one passing mention, no technology in its sentence: only the title makes it count
    body = "Background.\n\n" + "Some general text. " * 150 + "Farmers met in the hall.\n"
    plain = annotator.annotate_text(ExtractedText("a.txt", "text", body))
    titled = annotator.annotate_text(ExtractedText(
        "b.txt", "text", "AI for farmers\n\n" + body, title="AI for farmers",
        title_span=(0, 14), headings=((0, 14),)))
    a = plain.detections["domains"][0].salience
    b = titled.detections["domains"][0].salience
    assert (a.in_title, b.in_title, b.heading_mentions) == (False, True, 1)
    assert b.score > a.score and not a.addresses


def test_evidence_quotes_the_passage_around_each_mention(annotator) -> None:
    text = ("Introduction.\n\nHospitals in rural areas lack staff. "
            + "Filler sentence here. " * 60 + "Patients wait for hours.\n")
    ann = annotator.annotate_text(ExtractedText("h.txt", "text", text))
    det = ann.detections["domains"][0]
    assert det.concept.notation == "health" and det.salience.mentions == 2
    assert [e.quote for e in det.evidence] == ["Hospitals in rural areas lack staff.",
                                               "Patients wait for hours."]
    for e in det.evidence:
        assert text[e.start:e.end] == e.quote
