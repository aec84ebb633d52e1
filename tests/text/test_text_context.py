"""Technology context: a mention counts when its sentence also names an AI technology."""

from __future__ import annotations

from aicoop.loaders.text.annotate import Annotator
from aicoop.loaders.text.extract import ExtractedText
from aicoop.loaders.text.vocabulary import Vocabulary

FILLER = "The committee met on Tuesday and adopted its report. " * 40


def _mentions(annotator: Annotator, text: str, notation: str):
    doc = ExtractedText("t.txt", "text", text)
    (cm,) = [c for c in annotator.concept_mentions(doc) if c.concept.notation == notation]
    return cm


def test_only_mentions_in_a_sentence_with_a_technology_are_in_context(annotator) -> None:
    text = ("Hospitals may use AI to triage patients. " + FILLER
            + "The hospital car park is closed. " + FILLER
            + "Algorithms that read scans must be tested in hospitals.")
    cm = _mentions(annotator, text, "health")
    assert [text[m.start:m.end] for m in cm.matches] == \
        ["Hospitals", "patients", "hospital", "hospitals"]
    assert cm.context == (True, True, False, True)


def test_context_in_french_and_spanish_and_acronyms_keep_their_case(annotator) -> None:
    fr = _mentions(annotator, "Les écoles adoptent l'IA générative.", "education")
    es = _mentions(annotator, "Las escuelas usan inteligencia artificial.", "education")
    lower = _mentions(annotator, "The schools said ai and ia are words here.", "education")
    assert (fr.context, es.context, lower.context) == ((True,), (True,), (False,))


def test_a_passing_sector_list_is_not_addressed_but_ai_in_the_sector_is(annotator) -> None:
    listing = ("The act covers decisions on housing, credit, schools and insurance. " + FILLER
               + "Providers of AI systems shall keep records. " + FILLER)
    about = ("Schools may deploy AI tutors only after review. " + FILLER
             + "Providers of AI systems shall keep records. " + FILLER)
    verdict = {}
    for name, text in (("listing", listing), ("about", about)):
        ann = annotator.annotate_text(ExtractedText(f"{name}.txt", "text", text))
        verdict[name] = {d.concept.notation: d.salience.addresses
                         for d in ann.detections["domains"]}
    assert verdict == {"listing": {"education": False}, "about": {"education": True}}


def test_evidence_shows_mentions_in_context_first(annotator) -> None:
    text = ("Teachers met the mayor. " + FILLER + "Teachers may use AI to mark essays. "
            + FILLER)
    ann = Annotator(annotator.vocabulary, max_evidence=1).annotate_text(
        ExtractedText("e.txt", "text", text))
    (det,) = ann.detections["domains"]
    assert [e.quote for e in det.evidence] == ["Teachers may use AI to mark essays."]


def test_without_technology_labels_every_mention_counts(annotator) -> None:
    vocab = annotator.vocabulary
    plain = Vocabulary(vocab.concepts, tuple(lab for lab in vocab.labels
                                             if lab.scheme != "technologies"))
    cm = _mentions(Annotator(plain), "Teachers met the mayor.", "education")
    assert cm.context is None and cm.salience(words=4, text_length=23).weight == 1.0
