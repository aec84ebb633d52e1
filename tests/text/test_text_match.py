"""Label matching: word boundaries, exact-case acronyms, several languages, plurals."""

from __future__ import annotations

import pytest

from aicoop.loaders.text.match import Matcher, fold
from aicoop.loaders.text.vocabulary import Label, is_acronym, vocabulary_from_files

from .conftest import DATA


@pytest.fixture(scope="module")
def matcher(test_vocabulary) -> Matcher:
    return Matcher(test_vocabulary.labels)


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    """(matched text, notation or key) for every match."""
    return [(text[m.start:m.end], m.label.concept.rsplit("/", 1)[-1])
            for m in matcher.find(text)]


@pytest.mark.parametrize("text, expected", [
    ("The WHO issued guidance.", [("WHO", "who")]),
    ("Those who care about it.", []),
    ("Who decides? The ITU and the FAO.", [("ITU", "itu"), ("FAO", "fao")]),
    ("the situation of the fao region", []),
    ("PERSONS WHO ARE ELIGIBLE SHALL APPLY", []),
    ("WHO/ITU focus group", [("WHO", "who"), ("ITU", "itu")]),
    ("L'OMS et l'UIT coopèrent.", [("OMS", "who"), ("UIT", "itu")]),
], ids=["acronym", "ordinary-word", "two-acronyms", "lower-case-acronym", "all-capitals-text",
        "slash", "french-acronyms"])
def test_acronyms_match_only_with_their_exact_case(matcher, text, expected) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Public health matters.", [("Public health", "health")]),
    ("La santé publique et les écoles.", [("santé publique", "health"), ("écoles", "education")]),
    ("La salud pública y las escuelas.", [("salud pública", "health"), ("escuelas", "education")]),
    ("la sante publique sans accents", [("sante publique", "health")]),
    ("Las enfermedades y los estudiantes.", [("enfermedades", "health"),
                                             ("estudiantes", "education")]),
    ("Des élèves et des données personnelles.", [("élèves", "education"),
                                                  ("données personnelles", "privacy")]),
], ids=["english", "french", "spanish", "accents-folded", "spanish-plurals", "french-plural"])
def test_labels_match_in_english_french_and_spanish(matcher, text, expected) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("healthy people and healthcare", []),
    ("a hospitality business", []),
    ("the hospitals and a hospital", [("hospitals", "health"), ("hospital", "health")]),
    ("cyber-attacks, cyber attack and cyberattacks",
     [("cyber-attacks", "cybersecurity"), ("cyber attack", "cybersecurity"),
      ("cyberattacks", "cybersecurity")]),
    ("public\n   health", [("public\n   health", "health")]),
], ids=["no-match-inside-words", "prefix-is-not-a-word", "plural", "hyphen-and-space",
        "line-break-inside-a-label"])
def test_word_boundaries_and_variants(matcher, text, expected) -> None:
    assert found(matcher, text) == expected


def test_a_name_counts_for_the_organisation_not_for_the_words_inside_it(matcher) -> None:
    text = "The Food and Agriculture Organization helps farmers."
    assert found(matcher, text) == [("Food and Agriculture Organization", "fao"),
                                    ("farmers", "agriculture")]


def test_overlapping_labels_of_one_concept_count_once(matcher) -> None:
    assert found(matcher, "public health") == [("public health", "health")]


def test_offsets_point_into_the_original_text(matcher) -> None:
    text = "Ünïcode İstanbul   — Santé   publique; WHO."
    for m in matcher.find(text):
        assert fold(text[m.start:m.end]).split() == fold(m.label.text).split() \
            or text[m.start:m.end] == m.label.text


def test_is_acronym() -> None:
    assert [is_acronym(t) for t in ("WHO", "G20", "UN", "Health", "public health", "AfDB")] == \
        [True, True, True, False, False, False]


def test_labels_are_read_from_skos_files() -> None:
    vocab = vocabulary_from_files([DATA / "vocab.ttl"])
    health = vocab.concepts["https://w3id.org/aicoop/id/domain/health"]
    assert (health.scheme, health.notation, health.name) == ("domains", "health", "Health")
    kinds = {(lab.text, lab.kind, lab.language) for lab in vocab.labels
             if lab.concept == health.iri}
    assert {("Santé", "pref", "fr"), ("salud pública", "alt", "es"),
            ("hospital", "hidden", "en")} <= kinds


def test_packaged_vocabularies_cover_the_five_domains() -> None:
    from aicoop.loaders.text.vocabulary import default_vocabulary
    vocab = default_vocabulary()
    notations = {c.notation for c in vocab.by_scheme("domains")}
    assert {"agriculture", "education", "cybersecurity", "environment", "health"} <= notations
    langs = {lab.language for lab in vocab.labels if lab.scheme == "domains"}
    assert {"en", "fr", "es"} <= langs
    assert any(c.scheme == "organisations" and c.notation == "who"
               for c in vocab.concepts.values())


def test_an_empty_label_set_finds_nothing() -> None:
    assert Matcher([]).find("anything") == []
    assert Matcher([Label("--", "urn:x", "domains", "alt", None, False)]).find("a -- b") == []


@pytest.mark.parametrize("text, expected", [
    ("Amend the Education Code.", []),
    ("The financial health of banks.", []),
    ("Education matters; see the Education Code and Financial-Health rules.",
     [("Education", "education")]),
    ("Le code de l'éducation et l'éducation.", [("éducation", "education")]),
], ids=["blocked", "blocked-lower-case", "only-the-free-label-counts", "french"])
def test_a_label_inside_a_blocking_phrase_does_not_count(matcher, text, expected) -> None:
    assert found(matcher, text) == expected


def test_blocking_phrases_are_read_from_skos_files() -> None:
    vocab = vocabulary_from_files([DATA / "vocab.ttl"])
    blocks = {(lab.text, lab.concept.rsplit("/", 1)[-1]) for lab in vocab.labels
              if lab.kind == "block"}
    assert ("Education Code", "education") in blocks and ("financial health", "health") in blocks


@pytest.mark.parametrize("text, notation, expected", [
    ("Machine learning and deep learning models.", "education", []),
    ("E-learning in schools.", "education", ["E-learning", "schools"]),
    ("Grants to institutions of higher education.", "education", []),
    ("Higher education reform.", "education", ["Higher education"]),
    ("A thriving AI ecosystem and innovation ecosystem.", "environment", []),
    ("Protecting marine ecosystems.", "environment", ["ecosystems"]),
    ("Risks to health and safety.", "health", []),
    ("Ransomware and malware attacks.", "cybersecurity", ["Ransomware", "malware"]),
], ids=["machine-learning", "e-learning", "grantee-institutions", "higher-education",
        "ai-ecosystem", "ecosystems", "health-and-safety", "malware"])
def test_packaged_blocking_phrases(text, notation, expected) -> None:
    from aicoop.loaders.text.vocabulary import default_vocabulary
    m = Matcher(default_vocabulary().labels)
    assert [text[x.start:x.end] for x in m.find(text)
            if x.label.concept.endswith("/" + notation)] == expected
