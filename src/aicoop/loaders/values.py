"""Checks of single cell values the records loader types: URLs and other IRIs, language
tags. A malformed value is a ``ValueError`` that says what is wrong and where in the value,
never a silent repair (a URL with a space is not percent-encoded into another URL)."""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
#: characters RFC 3987 forbids anywhere in an IRI
_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`\x00-\x1f\x7f]')
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST = re.compile(r"^(?:[^@/?#]*@)?(\[[0-9A-Fa-f:.]+\]|[^\s:/?#\[\]@]+)(?::\d*)?$")
#: BCP 47 (RFC 5646) tags: language[-script][-region][-variant]*[-extension]*. The primary
#: subtag must have 2 or 3 letters (ISO 639): the 4-8 letter forms the syntax reserves are
#: registered for no language, and accepting them would let "English" pass as a tag.
_BCP47 = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3})"
    r"(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?$")


def check_iri(text: str) -> str:
    """The IRI ``text`` names, trimmed; ``ValueError`` saying what is malformed otherwise.

    >>> check_iri(" https://example.org/a%20b ")
    'https://example.org/a%20b'
    >>> check_iri("https://example.org/x - draft")
    Traceback (most recent call last):
    ValueError: not a valid URL: 'https://example.org/x - draft' has a space at character 22
    """
    t = text.strip()
    m = _SCHEME.match(t)
    if not m:
        raise ValueError(f"not a URL or IRI: {text!r} has no scheme (expected e.g. https://…)")
    bad = _FORBIDDEN.search(t)
    if bad:
        ch = bad.group()
        what = ("a space" if ch == " " else "a line break" if ch in "\r\n" else
                "a tab" if ch == "\t" else f"{ch!r}")
        raise ValueError(f"not a valid URL: {t!r} has {what} at character {bad.start() + 1}")
    bad = _BAD_PERCENT.search(t)
    if bad:
        raise ValueError(f"not a valid URL: {t!r} has a '%' not followed by two hex digits "
                         f"at character {bad.start() + 1}")
    if m.group(1).lower() in ("http", "https"):
        rest = t[m.end():]
        if not rest.startswith("//"):
            raise ValueError(f"not a valid URL: {t!r} (expected {m.group(1)}://host/…)")
        authority = re.split(r"[/?#]", rest[2:], maxsplit=1)[0]
        if not authority or not _HOST.match(authority) or "." not in authority \
                and not authority.startswith(("localhost", "[")):
            raise ValueError(f"not a valid URL: {t!r} has no valid host name")
    import pyoxigraph as ox
    try:
        ox.NamedNode(t)
    except ValueError as exc:
        raise ValueError(f"not a valid IRI: {t!r} ({exc})") from None
    return t


def check_language(text: str) -> str:
    """A well-formed BCP 47 language tag, as given; ``ValueError`` otherwise.

    >>> check_language("pt-BR")
    'pt-BR'
    >>> check_language("English")
    Traceback (most recent call last):
    ValueError: not a BCP 47 language tag: 'English' (expected e.g. en, fr, pt-BR, zh-Hans)
    """
    t = text.strip()
    if not _BCP47.match(t) or len(t) > 35:
        raise ValueError(f"not a BCP 47 language tag: {text!r} (expected e.g. en, fr, pt-BR, "
                         "zh-Hans)")
    return t
