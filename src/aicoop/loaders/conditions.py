"""Conditions of a mapping (``when:``): which records, or which fields of a record, apply.

A condition is a string or a structured YAML value::

    when: "Annotated? == True"
    when: "Status in [Enacted, Proposed] and not (Title matches /draft/)"
    when: {any: ["Type == law", {all: ["Year is not empty", "Year matches /^20/"]}]}

Tests on one column: ``==``, ``!=`` (case and accents ignored; ``== true`` accepts yes/1/x),
``in [a, b]``, ``not in [a, b]``, ``matches /regex/`` (Python syntax, searched anywhere in the
value), ``is empty``, ``is not empty``; combined with ``and``, ``or``, ``not`` and parentheses
(``and`` binds tighter than ``or``). Quote a column name or a value that holds one of these
words or a bracket: ``"Risks: safety and security" == true``. A list of conditions means all
of them. Parsing is pure; ``holds`` evaluates a condition on one record's values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import InputError


@dataclass(frozen=True)
class Condition:
    """A test on one column: ``op`` is ==, !=, in, not-in, matches, empty or not-empty."""

    column: str
    op: str
    value: str | None = None
    values: tuple[str, ...] = ()
    text: str = ""

    def columns(self) -> set[str]:
        return {self.column}


@dataclass(frozen=True)
class Combined:
    """``all`` (and), ``any`` (or) or ``not`` (one item) of conditions."""

    op: str
    items: tuple["Expr", ...]
    text: str = ""

    def columns(self) -> set[str]:
        out: set[str] = set()
        for i in self.items:
            out |= i.columns()
        return out


Expr = Condition | Combined


def _error(source: str, where: str, message: str) -> InputError:
    return InputError(f"{where}: {message}" if where else message, source=source)


_HELP = ("write '<column> == <value>', '!=', 'in [a, b]', 'not in [a, b]', 'matches /regex/', "
         "'is [not] empty', combined with and / or / not and parentheses")

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<quoted>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<op>==|!=)
    | (?P<punct>[()\[\],])
    | (?P<word>(?:[^\s()\[\],"'=!]|=(?!=)|!(?!=))+)
    )""", re.VERBOSE)
_KEYWORDS = {"and", "or", "not", "in", "is", "empty", "matches"}


@dataclass(frozen=True)
class _Tok:
    kind: str   # quoted, op, punct, word, regex
    text: str   # unquoted value
    start: int
    end: int

    def kw(self) -> str | None:
        return self.text.lower() if self.kind == "word" and self.text.lower() in _KEYWORDS \
            else None


def _tokens(text: str, fail: Callable[[str], InputError]) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        # a regular expression literal follows `matches`
        if out and out[-1].kw() == "matches":
            m = re.compile(r"\s*/((?:[^/\\]|\\.)*)/").match(text, pos)
            if m:
                out.append(_Tok("regex", m.group(1).replace("\\/", "/"), m.start(1) - 1,
                                m.end()))
                pos = m.end()
                continue
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise fail(f"cannot read condition {text!r} at {text[pos:pos + 12]!r}; {_HELP}")
        kind = m.lastgroup or "word"
        raw = m.group(kind)
        val = raw
        if kind == "quoted":
            val = re.sub(r"\\(.)", r"\1", raw[1:-1])
        out.append(_Tok(kind, val, m.start(kind), m.end()))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str, fail: Callable[[str], InputError]) -> None:
        self.text = text
        self.fail = fail
        self.toks = _tokens(text, fail)
        self.i = 0

    def peek(self, k: int = 0) -> _Tok | None:
        return self.toks[self.i + k] if self.i + k < len(self.toks) else None

    def take(self) -> _Tok:
        t = self.peek()
        if t is None:
            raise self.fail(f"condition {self.text!r} ends too early; {_HELP}")
        self.i += 1
        return t

    def parse(self) -> Expr:
        e = self.or_expr()
        if self.peek() is not None:
            raise self.fail(f"cannot read condition {self.text!r}: unexpected "
                            f"{self.peek().text!r}; {_HELP}")  # type: ignore[union-attr]
        return e

    def or_expr(self) -> Expr:
        items = [self.and_expr()]
        while (t := self.peek()) is not None and t.kw() == "or":
            self.take()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Combined("any", tuple(items), self.text)

    def and_expr(self) -> Expr:
        items = [self.not_expr()]
        while (t := self.peek()) is not None and t.kw() == "and":
            self.take()
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else Combined("all", tuple(items), self.text)

    def not_expr(self) -> Expr:
        t = self.peek()
        if t is not None and t.kw() == "not":
            self.take()
            return Combined("not", (self.not_expr(),), self.text)
        if t is not None and t.kind == "punct" and t.text == "(":
            self.take()
            e = self.or_expr()
            close = self.take()
            if close.text != ")":
                raise self.fail(f"condition {self.text!r}: expected ')' , found {close.text!r}")
            return e
        return self.atom()

    def _phrase(self, stop: Callable[[_Tok], bool]) -> str:
        """Words (or one quoted string) up to a token that ``stop``s; the original text."""
        first = self.peek()
        if first is None:
            raise self.fail(f"condition {self.text!r} ends too early; {_HELP}")
        if first.kind == "quoted":
            self.take()
            return first.text
        start = end = None
        while (t := self.peek()) is not None and t.kind == "word" and not stop(t):
            self.take()
            start = t.start if start is None else start
            end = t.end
        if start is None:
            raise self.fail(f"condition {self.text!r}: expected a column or value, found "
                            f"{first.text!r}; {_HELP}")
        return self.text[start:end]

    def atom(self) -> Condition:
        def column_stop(t: _Tok) -> bool:
            nxt = self.toks[self.toks.index(t) + 1] if self.toks.index(t) + 1 < len(
                self.toks) else None
            kw = t.kw()
            if kw in ("and", "or", "matches"):
                return True
            if kw == "is":
                return nxt is not None and nxt.kw() in ("empty", "not")
            if kw == "in":
                return nxt is not None and nxt.text == "["
            if kw == "not":
                return nxt is not None and nxt.kw() == "in"
            return False

        start = self.peek().start if self.peek() else 0  # type: ignore[union-attr]
        column = self._phrase(column_stop)
        t = self.take() if self.peek() is not None else None
        if t is None:
            raise self.fail(f"condition {self.text!r}: no test after column {column!r}; {_HELP}")
        if t.kind == "op":
            value = self._phrase(lambda x: x.kw() in ("and", "or"))
            return Condition(column, t.text, value, (), self.text[start:self.prev_end()])
        kw = t.kw()
        if kw == "is":
            neg = self.peek() is not None and self.peek().kw() == "not"  # type: ignore[union-attr]
            if neg:
                self.take()
            if self.take().kw() != "empty":
                raise self.fail(f"condition {self.text!r}: expected 'is empty' or "
                                "'is not empty'")
            return Condition(column, "not-empty" if neg else "empty", None, (),
                             self.text[start:self.prev_end()])
        if kw in ("in", "not"):
            neg = kw == "not"
            if neg:
                self.take()  # the `in`
            values = self.list_()
            return Condition(column, "not-in" if neg else "in", None, values,
                             self.text[start:self.prev_end()])
        if kw == "matches":
            pat = self.take()
            if pat.kind not in ("regex", "quoted"):
                raise self.fail(f"condition {self.text!r}: matches needs /regex/ or a quoted "
                                "pattern")
            try:
                re.compile(pat.text)
            except re.error as exc:
                raise self.fail(f"condition {self.text!r}: bad regular expression "
                                f"{pat.text!r}: {exc}") from None
            return Condition(column, "matches", pat.text, (), self.text[start:self.prev_end()])
        raise self.fail(f"cannot read condition {self.text!r}; {_HELP}")

    def prev_end(self) -> int:
        return self.toks[self.i - 1].end

    def list_(self) -> tuple[str, ...]:
        if self.take().text != "[":
            raise self.fail(f"condition {self.text!r}: 'in' needs a list such as [a, b]")
        out: list[str] = []
        while True:
            t = self.peek()
            if t is not None and t.text == "]" and t.kind == "punct":
                self.take()
                break
            out.append(self._phrase(lambda x: False))
            sep = self.take()
            if sep.text == "]":
                break
            if sep.text != ",":
                raise self.fail(f"condition {self.text!r}: expected ',' or ']' in the list, "
                                f"found {sep.text!r}")
        if not out:
            raise self.fail(f"condition {self.text!r}: the list is empty")
        return tuple(out)


def parse_condition(raw: Any, *, source: str = "", where: str = "") -> Expr:
    """A condition from its YAML form: a string, a list (all of them), or a mapping with one
    key ``all``, ``any`` or ``not``.

    >>> parse_condition("Status in [Enacted, 'In force']")
    Condition(column='Status', op='in', value=None, values=('Enacted', 'In force'), text="Status in [Enacted, 'In force']")
    >>> parse_condition("a == 1 or b is empty").op
    'any'
    """
    def fail(message: str) -> InputError:
        return _error(source, where, message)

    if isinstance(raw, list):
        if not raw:
            raise fail("an empty list of conditions")
        items = tuple(parse_condition(r, source=source, where=where) for r in raw)
        return items[0] if len(items) == 1 else Combined("all", items)
    if isinstance(raw, dict):
        if len(raw) != 1 or next(iter(raw)) not in ("all", "any", "not"):
            raise fail(f"a structured condition has one key, all, any or not; found "
                       f"{', '.join(map(str, raw)) or 'none'}")
        op, inner = next(iter(raw.items()))
        if op == "not":
            return Combined("not", (parse_condition(inner, source=source, where=where),))
        if not isinstance(inner, list) or not inner:
            raise fail(f"{op} needs a non-empty list of conditions")
        return Combined(op, tuple(parse_condition(r, source=source, where=where)
                                  for r in inner))
    if not isinstance(raw, str) or not raw.strip():
        raise fail("a condition must be a string such as 'Annotated? == True' or "
                   "'url is not empty'")
    return _Parser(raw.strip(), fail).parse()


def holds(expr: Expr, values_of: Callable[[str], list[str]],
          fold: Callable[[str], str], truthy: Callable[[str], bool]) -> bool:
    """Whether ``expr`` holds, given the (non-null) values of each column."""
    if isinstance(expr, Combined):
        if expr.op == "all":
            return all(holds(i, values_of, fold, truthy) for i in expr.items)
        if expr.op == "any":
            return any(holds(i, values_of, fold, truthy) for i in expr.items)
        return not holds(expr.items[0], values_of, fold, truthy)
    values = values_of(expr.column)
    op = expr.op
    if op == "empty":
        return not values
    if op == "not-empty":
        return bool(values)
    if op == "matches":
        rx = re.compile(expr.value or "")
        return any(rx.search(v) for v in values)
    if op in ("in", "not-in"):
        wanted = {fold(v) for v in expr.values}
        hit = any(fold(v) in wanted for v in values)
        return hit if op == "in" else not hit
    want = fold(expr.value or "")
    if want in ("true", "false"):
        hit = any(truthy(v) for v in values) == (want == "true")
    else:
        hit = any(fold(v) == want for v in values)
    return hit if op == "==" else not hit
