"""The decision rule: scores worked out by hand, and what counts as addressing a concept."""

from __future__ import annotations

import math

import pytest

from aicoop.loaders.text.extract import ExtractedText
from aicoop.loaders.text.score import DEFAULT_RULE, DecisionRule, salience


def test_score_worked_by_hand() -> None:
    # 4 mentions in 400 words -> density 10 per 1,000; 2 distinct labels; parts 0, 2, 5, 9 of
    # a 1,000-character text -> spread 0.4; one heading mention; not in the title.
    s = salience([0, 250, 500, 990], ["farmers", "crops", "farmers", "Farmers"], words=400,
                 text_length=1000, in_title=False, heading_mentions=1)
    expected = (math.log(1 + 10) + 0.5 * math.log(2) + 0 + 0.5 * 1 + 0.5 * 0.4
                + 0.25 * math.log(5))
    assert s.score == pytest.approx(expected)
    assert (s.mentions, s.distinct_labels, s.spread, s.addresses) == (4, 2, 0.4, True)


@pytest.mark.parametrize("offsets, words, in_title, headings, addresses", [
    ([5000], 3000, False, 0, False),            # one passing mention in a long text
    ([10], 40, False, 0, True),                 # one operative mention in a very short text
    ([10], 1000, False, 0, False),              # one mention in a page of text
    ([10, 2000], 3000, False, 0, False),        # two passing mentions in a long text
    ([10], 3000, True, 0, True),                # the title names it: the subject of the text
    ([100, 2000, 4000, 6000, 8000], 1500, False, 0, True),  # dense and spread out
    ([10, 20, 30], 5000, False, 2, True),       # in two headings
], ids=["passing-mention", "short-text-single-mention", "page-single-mention",
        "two-passing-mentions", "title", "dense",
        "headings"])
def test_what_addresses_a_concept(offsets, words, in_title, headings, addresses) -> None:
    s = salience(offsets, ["health"] * len(offsets), words=words, text_length=10000,
                 in_title=in_title, heading_mentions=headings)
    assert s.addresses is addresses, s


def test_a_stricter_rule_changes_the_verdict() -> None:
    kwargs = dict(words=1000, text_length=5000, in_title=False, heading_mentions=0)
    offsets, labels = [0, 2500], ["school", "teachers"]
    assert salience(offsets, labels, **kwargs).addresses
    strict = DecisionRule(threshold=DEFAULT_RULE.threshold + 2)
    assert not salience(offsets, labels, rule=strict, **kwargs).addresses


def test_title_and_heading_mentions_raise_the_score(annotator) -> None:
    body = "Background.\n\n" + "Some general text. " * 150 + "Farmers use AI.\n"
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
