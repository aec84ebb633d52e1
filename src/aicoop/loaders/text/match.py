"""Find every occurrence of the vocabulary's labels in a text, in one pass.

One Aho-Corasick automaton (pyahocorasick) holds every label of every concept, folded (lower
case, accents and hyphens removed, runs of white space collapsed), so a 300-page document is
scanned once whatever the number of labels. A hit counts only on word boundaries. Blocking
phrases (``aic:blockingPhrase``: "machine learning", "AI ecosystem") are matched like labels,
win the overlap with the shorter label inside them, and are then dropped. Labels that
are acronyms (``WHO``, ``ITU``, ``FAO``) must also match the original text letter for letter, so
"who", "Who" or a "WHO" inside an all-capitals sentence ("PERSONS WHO ARE") do not count.
Offsets are character offsets into the original text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .vocabulary import Label

#: schemes whose matches are resolved together (longest match wins inside a group)
_GROUPS = {"domains": "domains", "risks": "risks", "benefits": "benefits",
           "organisations": "organisations"}


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch)
                       if not unicodedata.combining(c)).lower()
        if len(base) == 1 and base != ch:
            table[code] = base
    for ch in "\u2018\u2019\u02bc\u2032`":
        table[ord(ch)] = "'"
    for ch in "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212_/":
        table[ord(ch)] = " "
    for ch in "\t\n\r\x0b\x0c\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
              "\u2009\u200a\u2028\u2029\u202f\u205f\u3000":
        table[ord(ch)] = " "
    for ch in "\u00ad\u200b\u200c\u200d\ufeff":  # invisible: keep the length, lose the char
        table[ord(ch)] = " "
    return table


_FOLD = _fold_table()
_SPACES = re.compile(r" {2,}")


def fold(text: str) -> str:
    """Lower case, accents, hyphens and white space folded, keeping one character per
    character (so offsets stay valid).

    >>> fold("Santé-Publique\\n(WHO)")
    'sante publique (who)'
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters (e.g. 'İ') grow when lower-cased
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.translate(_FOLD)


def fold_label(label: str) -> str:
    """A label as the automaton stores it: folded, white space collapsed and trimmed."""
    return _SPACES.sub(" ", fold(label)).strip()


@dataclass(frozen=True)
class Match:
    """One occurrence of a label: ``text[start:end]`` in the original text."""

    start: int
    end: int
    label: Label


class _Collapsed:
    """The folded text with runs of spaces collapsed, and a map back to original offsets."""

    def __init__(self, text: str) -> None:
        folded = fold(text)
        pieces: list[str] = []
        self.cpos: list[int] = [0]
        self.shift: list[int] = [0]
        prev = removed = 0
        for m in _SPACES.finditer(folded):
            pieces.append(folded[prev:m.start() + 1])
            removed += m.end() - m.start() - 1
            self.cpos.append(m.start() + 1 - (removed - (m.end() - m.start() - 1)))
            self.shift.append(removed)
            prev = m.end()
        pieces.append(folded[prev:])
        self.text = "".join(pieces)

    def to_original(self, pos: int) -> int:
        i = bisect.bisect_right(self.cpos, pos) - 1
        return pos + self.shift[i]


def _plural_forms(key: str) -> list[str]:
    """Regular plurals of a folded label's last word (English, French, Spanish)."""
    last = key.rsplit(" ", 1)[-1]
    if len(last) < 3 or not last.isalpha():
        return []
    forms = [key + "s"]
    if last.endswith(("s", "x", "z", "ch", "sh")):
        forms.append(key + "es")
    elif last.endswith("y") and last[-2] not in "aeiou":
        forms.append(key[:-1] + "ies")
    elif last.endswith(("al", "ión", "ion", "or", "ad", "il")) and not last.endswith("ial"):
        forms.append(key + "es")  # Spanish: enfermedad -> enfermedades
    if last.endswith("al"):
        forms.append(key[:-2] + "aux")  # French: médical -> médicaux
    return forms


_WORD_BEFORE = re.compile(r"([^\W\d_]+)[^\w\n]{1,3}$")
_WORD_AFTER = re.compile(r"^[^\w\n]{1,3}([^\W\d_]+)")


def _caps_context(text: str, start: int, end: int, acronyms: frozenset[str] = frozenset()
                  ) -> bool:
    """Whether the acronym at ``text[start:end]`` stands between words written in capitals
    ("PERSONS WHO ARE"), where it is more likely a word than a name. Neighbours that are
    themselves known acronyms ("WHO/ITU") do not count.

    >>> _caps_context("PERSONS WHO ARE", 8, 11), _caps_context("the WHO said", 4, 7)
    (True, False)
    """
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    after = _WORD_AFTER.search(text[end:end + 40])
    words = [m.group(1) for m in (before, after) if m and m.group(1) not in acronyms]
    return bool(words) and all(len(w) >= 2 and w.isupper() for w in words)


class Matcher:
    """Every label occurrence in a text, for a fixed set of labels.

    >>> from aicoop.loaders.text.vocabulary import Label
    >>> m = Matcher([Label("WHO", "urn:who", "organisations", "acronym", None, True),
    ...              Label("public health", "urn:health", "domains", "pref", "en", False)])
    >>> [(x.start, x.label.text) for x in m.find("Who said WHO leads on Public-Health?")]
    [(9, 'WHO'), (22, 'public health')]
    """

    def __init__(self, labels: Sequence[Label]) -> None:
        import ahocorasick

        self.labels = tuple(labels)
        self._acronyms = frozenset(lab.text for lab in self.labels if lab.case_sensitive)
        keys: dict[str, set[int]] = {}
        for i, label in enumerate(self.labels):
            key = fold_label(label.text)
            if not key or not any(c.isalnum() for c in key):
                continue
            variants = [key] if label.case_sensitive else [key, *_plural_forms(key)]
            for v in variants:
                keys.setdefault(v, set()).add(i)
        self._automaton = ahocorasick.Automaton()
        for key, idx in keys.items():
            self._automaton.add_word(key, (len(key), tuple(sorted(idx))))
        if keys:
            self._automaton.make_automaton()
        self._empty = not keys

    def find(self, text: str) -> list[Match]:
        """Label occurrences in ``text``, sorted by position; overlapping occurrences of the
        same kind keep the longest, a concept label inside an organisation's name (the
        "Health" in "World Health Organization") does not count for the concept, and a label
        inside a blocking phrase ("learning" in "machine learning") does not count at all."""
        if self._empty or not text:
            return []
        col = _Collapsed(text)
        ctext = col.text
        n = len(ctext)
        candidates: list[tuple[int, int, int]] = []
        for end_idx, (length, idx) in self._automaton.iter(ctext):
            start, end = end_idx - length + 1, end_idx + 1
            if start > 0 and ctext[start - 1].isalnum():
                continue
            if end < n and ctext[end].isalnum():
                continue
            for i in idx:
                candidates.append((start, end, i))
        if not candidates:
            return []
        out: list[Match] = []
        kept = self._resolve(candidates, text, col)
        for start, end, i in kept:
            if self.labels[i].kind == "block":  # a blocking phrase won the overlap: no mention
                continue
            out.append(Match(col.to_original(start), col.to_original(end - 1) + 1,
                             self.labels[i]))
        out.sort(key=lambda m: (m.start, -m.end, m.label.concept))
        return out

    def _resolve(self, candidates: list[tuple[int, int, int]], text: str,
                 col: _Collapsed) -> list[tuple[int, int, int]]:
        labels = self.labels
        valid: list[tuple[int, int, int]] = []
        for start, end, i in candidates:
            label = labels[i]
            if label.case_sensitive:
                o_start, o_end = col.to_original(start), col.to_original(end - 1) + 1
                if " ".join(text[o_start:o_end].split()) != " ".join(label.text.split()):
                    continue
                if _caps_context(text, o_start, o_end, self._acronyms):
                    continue
            valid.append((start, end, i))
        by_group: dict[str, list[tuple[int, int, int]]] = {}
        for c in valid:
            by_group.setdefault(_GROUPS.get(labels[c[2]].scheme, labels[c[2]].scheme),
                                []).append(c)
        kept: list[tuple[int, int, int]] = []
        for group in by_group.values():
            group.sort(key=lambda c: (c[0], c[0] - c[1]))
            last_span = (-1, -1)
            seen: set[tuple[int, int, str]] = set()
            for start, end, i in group:
                if start < last_span[1] and (start, end) != last_span:
                    continue
                concept = labels[i].concept
                if (start, end, concept) in seen:
                    continue
                seen.add((start, end, concept))
                last_span = (start, end)
                kept.append((start, end, i))
        orgs = sorted((s, e) for s, e, i in kept if labels[i].scheme == "organisations")
        if orgs:
            starts = [s for s, _ in orgs]

            def inside_org(s: int, e: int) -> bool:
                j = bisect.bisect_right(starts, s) - 1
                return j >= 0 and orgs[j][0] <= s and e <= orgs[j][1]

            kept = [c for c in kept if labels[c[2]].scheme == "organisations"
                    or not inside_org(c[0], c[1])]
        return kept
