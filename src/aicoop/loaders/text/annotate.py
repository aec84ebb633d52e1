"""Read documents and find the domains, risks, benefits and organisations they address.

``Annotator`` ties the parts together: extract the text (``extract.py``), find every label
(``match.py``), score each concept (``score.py``) and pick passages as evidence. Results are
frozen dataclasses; ``DocumentAnnotation.to_json()`` gives the ``kg annotate`` record.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .extract import ExtractedText, ExtractionError, collect_files, extract
from .match import Match, Matcher
from .score import DEFAULT_RULE, DecisionRule, Salience, in_spans, salience
from .vocabulary import CONTEXT_SCHEMES, DETECTED_SCHEMES, Concept, Vocabulary

#: output keys, in order, and the scheme each holds
SECTIONS = (("domains", "domains"), ("risks", "risks"), ("benefits", "benefits"),
            ("organisations", "organisations"))

# Function words that tell the languages we have labels for apart (first 20,000 characters).
_STOPWORDS = {
    "en": "the of and to in is that for be by with are this shall on as or from which".split(),
    "fr": "le la les des et est dans que pour une sur du par au aux sont qui ou cette".split(),
    "es": "el la los las de del y en que por con para una es se al como su sobre".split(),
    "de": "der die das und ist nicht mit den von zu für auf dem eine sich des im".split(),
}
_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str | None:
    """The language (en, fr, es, de) whose common function words are most frequent, or
    ``None`` for too little text.

    >>> guess_language("La santé des élèves est une priorité pour les écoles et la société.")
    'fr'
    """
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if len(words) < 5:
        return None
    counts = {lang: 0 for lang in _STOPWORDS}
    sets = {lang: set(ws) for lang, ws in _STOPWORDS.items()}
    for w in words:
        for lang, s in sets.items():
            if w in s:
                counts[lang] += 1
    lang, best = max(counts.items(), key=lambda kv: kv[1])
    return lang if best >= max(2, 0.05 * len(words)) else None


@dataclass(frozen=True)
class Evidence:
    """A passage of the extracted text: ``quote == text[start:end]``."""

    start: int
    end: int
    quote: str
    prefix: str = ""   # up to 32 characters before and after, for oa:TextQuoteSelector
    suffix: str = ""

    def to_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "quote": self.quote}


@dataclass(frozen=True)
class Detection:
    concept: Concept
    salience: Salience
    evidence: tuple[Evidence, ...]

    def to_json(self) -> dict[str, object]:
        return {"notation": self.concept.notation, "iri": self.concept.iri,
                "score": round(self.salience.score, 3), "addresses": self.salience.addresses,
                "mentions": self.salience.mentions, "in_context": self.salience.in_context,
                "evidence": [e.to_json() for e in self.evidence]}


@dataclass(frozen=True)
class DocumentAnnotation:
    """What was found in one document."""

    source: str
    format: str
    title: str | None
    language: str | None
    text_length: int
    words: int
    size: int
    detections: dict[str, tuple[Detection, ...]]   # section -> detections, best first
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"source": self.source, "title": self.title,
                                  "language": self.language}
        for section, _ in SECTIONS:
            out[section] = [d.to_json() for d in self.detections.get(section, ())]
        return out


@dataclass(frozen=True)
class ConceptMentions:
    """One concept's mentions in one document: what the salience score is computed from."""

    concept: Concept
    matches: tuple[Match, ...]
    context: tuple[bool, ...] | None   # per mention: a technology named in its sentence
    in_title: bool
    heading_mentions: int

    def salience(self, *, words: int, text_length: int,
                 rule: DecisionRule = DEFAULT_RULE) -> Salience:
        return salience([m.start for m in self.matches], [m.label.text for m in self.matches],
                        words=words, text_length=text_length, in_title=self.in_title,
                        heading_mentions=self.heading_mentions, context=self.context,
                        rule=rule)


@dataclass(frozen=True)
class AnnotationResult:
    """One input file: its annotation, or the error that stopped it."""

    source: str
    annotation: DocumentAnnotation | None = None
    error: str | None = None
    warnings: tuple[str, ...] = field(default=())


#: how far (characters, either side, within the sentence) a technology label may stand from a
#: mention for the mention to count as in context
CONTEXT_REACH = 300

_SENTENCE_END = re.compile(r"[.!?;]\s|\n\s*\n|\n(?=\s*(?:\(|[A-Z0-9“\"]))")


def passage(text: str, start: int, end: int, *, reach: int = 160) -> tuple[int, int]:
    """The sentence (or list item) around ``text[start:end]``, cut to ``reach`` characters
    on each side, without surrounding white space.

    >>> t = "First point. Farmers use AI for crops. Next."
    >>> s, e = passage(t, 13, 20); t[s:e]
    'Farmers use AI for crops.'
    """
    lo = max(0, start - reach)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end, min(len(text), end + reach))
    right = m.start() + 1 if m else min(len(text), end + reach)
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right


class Annotator:
    """Annotates documents against one vocabulary with one decision rule."""

    def __init__(self, vocabulary: Vocabulary, *, rule: DecisionRule = DEFAULT_RULE,
                 max_evidence: int = 3) -> None:
        self.vocabulary = vocabulary
        self.rule = rule
        self.max_evidence = max_evidence
        self.matcher = Matcher(vocabulary.labels)
        # without technology labels no mention can be placed in context: all count fully
        self._has_context = any(lab.scheme in CONTEXT_SCHEMES for lab in vocabulary.labels)

    def concept_mentions(self, doc: ExtractedText) -> list[ConceptMentions]:
        """Every reported concept named in the document (or its title), with its mentions:
        the inputs of the salience score, before any rule is applied."""
        text = doc.text
        title_concepts: set[str] = set()
        if doc.title:
            title_concepts = {m.label.concept for m in self.matcher.find(doc.title)}
        heading_starts = [h[0] for h in doc.headings]
        by_concept: dict[str, list[Match]] = {}
        technology: list[int] = []
        for m in self.matcher.find(text):
            if m.label.scheme in CONTEXT_SCHEMES:
                technology.append(m.start)
            else:
                by_concept.setdefault(m.label.concept, []).append(m)
        for c in title_concepts:  # named in the title only
            by_concept.setdefault(c, [])
        reported = {scheme for _, scheme in SECTIONS}
        out: list[ConceptMentions] = []
        for iri, ms in by_concept.items():
            concept = self.vocabulary.concepts.get(iri)
            if concept is None or concept.scheme not in reported:
                continue
            in_title = iri in title_concepts or (
                doc.title_span is not None
                and any(doc.title_span[0] <= m.start < doc.title_span[1] for m in ms))
            headings = sum(1 for m in ms if in_spans(m.start, doc.headings, heading_starts))
            context = (tuple(self._in_context(text, m, technology) for m in ms)
                       if self._has_context else None)
            out.append(ConceptMentions(concept, tuple(ms), context, in_title, headings))
        return out

    def annotate_text(self, doc: ExtractedText) -> DocumentAnnotation:
        text = doc.text
        words = len(text.split())
        heading_starts = [h[0] for h in doc.headings]
        sections: dict[str, list[Detection]] = {s: [] for s, _ in SECTIONS}
        scheme_to_section = {scheme: section for section, scheme in SECTIONS}
        for cm in self.concept_mentions(doc):
            sal = cm.salience(words=words, text_length=len(text), rule=self.rule)
            evidence = self._evidence(text, list(cm.matches), doc, heading_starts, cm.context)
            sections[scheme_to_section[cm.concept.scheme]].append(
                Detection(cm.concept, sal, evidence))
        for dets in sections.values():
            dets.sort(key=lambda d: (-d.salience.score, d.concept.notation))
        return DocumentAnnotation(doc.source, doc.format, doc.title, guess_language(text),
                                  len(text), words, doc.size,
                                  {s: tuple(d) for s, d in sections.items()}, doc.warnings)

    @staticmethod
    def _in_context(text: str, m: Match, technology: list[int]) -> bool:
        """Whether a technology label starts in the sentence around the mention."""
        start, end = passage(text, m.start, m.end, reach=CONTEXT_REACH)
        i = bisect.bisect_left(technology, start)
        return i < len(technology) and technology[i] < end

    def _evidence(self, text: str, ms: list[Match], doc: ExtractedText,
                  heading_starts: list[int], context: tuple[bool, ...] | None
                  ) -> tuple[Evidence, ...]:
        """Up to ``max_evidence`` passages: mentions in the title or headings first, then
        the first mention in each part of the document, those in a technology context
        before the others, so the evidence shows both why and where."""
        if not ms or self.max_evidence <= 0:
            return ()
        flags = context if context is not None else [True] * len(ms)
        ranked: list[Match] = []
        ranked += [m for m in ms if doc.title_span and doc.title_span[0] <= m.start
                   < doc.title_span[1]]
        ranked += [m for m in ms if in_spans(m.start, doc.headings, heading_starts)]
        for wanted in (True, False):
            seen_parts: set[int] = set()
            for m, flag in zip(ms, flags):
                part = 10 * m.start // max(len(text), 1)
                if flag is wanted and part not in seen_parts:
                    seen_parts.add(part)
                    ranked.append(m)
        out: list[Evidence] = []
        spans: set[tuple[int, int]] = set()
        for m in ranked:
            s, e = passage(text, m.start, m.end)
            if (s, e) in spans:
                continue
            spans.add((s, e))
            out.append(Evidence(s, e, text[s:e], text[max(0, s - 32):s], text[e:e + 32]))
            if len(out) >= self.max_evidence:
                break
        out.sort(key=lambda ev: ev.start)
        return tuple(out)

    def annotate_file(self, path: str | os.PathLike[str]) -> DocumentAnnotation:
        """Extract and annotate one file; ``ExtractionError`` if it has no usable text."""
        return self.annotate_text(extract(path))

    def annotate_paths(self, paths: Iterable[str | os.PathLike[str]]
                       ) -> Iterator[AnnotationResult]:
        """Every file named or found in a folder, in order; a file that fails yields a
        result with its ``error`` and the run goes on."""
        found = collect_files(paths)
        for missing in found.missing:
            yield AnnotationResult(missing, error="no such file or folder")
        for f in found.files:
            try:
                ann = self.annotate_file(f)
            except ExtractionError as exc:
                yield AnnotationResult(str(f), error=exc.detail)
                continue
            yield AnnotationResult(str(f), ann, warnings=ann.warnings)


def default_annotator(*, extra_vocabularies: Iterable[str | os.PathLike[str]] = (),
                      organisations: str | os.PathLike[str] | None = None,
                      rule: DecisionRule = DEFAULT_RULE, max_evidence: int = 3) -> Annotator:
    """An annotator over the packaged vocabularies and organisation register."""
    from .vocabulary import default_vocabulary
    vocab = default_vocabulary(extra=extra_vocabularies, organisations=organisations)
    return Annotator(vocab, rule=rule, max_evidence=max_evidence)


__all__ = ["AnnotationResult", "Annotator", "ConceptMentions", "DETECTED_SCHEMES", "Detection",
           "DocumentAnnotation", "Evidence", "default_annotator", "guess_language", "passage"]
