"""A coach's rewrite read as form fields, and shown with its blanks marked. Pure.

A rewrite is built from the author's words, with blanks where only the author knows the
answer: ``from X to Y``, ``by <end of quarter>``, ``<main measure of ...>``. Shown in Slack,
the blanks are marked; in the add form the author's words are filled in and every blank stays
an empty field with a hint, so a blank can never be saved as a baseline, a target or a key
result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from coaching import messages as msg
from handlers.text import escape

HINT_LIMIT = 150  # Slack's limit on a placeholder

_X, _Y = re.escape(msg.BASELINE), re.escape(msg.TARGET)
_NUMBER = r"[$€£]?\d[\d,]*(?:\.\d+)?[kKmM]?"
_UNIT_WORD = r"(?:days?|hours?|minutes?|weeks?|months?|seconds?|ms)"
_VALUE = rf"(?:{_NUMBER}|{_X}|{_Y})(?:\s?%|/10|\s{_UNIT_WORD}\b)?"
# "from X% to Y%", "from 4 to Y", ", measured as signups moving from X to Y hours a month".
_RANGE = re.compile(
    rf"(?P<lead>,\s*(?:measured as .+? )?moving )?"
    rf"\bfrom (?P<b>{_VALUE}|where it is today) to (?P<t>{_VALUE})"
    rf"(?P<unit>(?: (?!by\b|with\b)[A-Za-z]+){{0,3}})"
)
_FROM_TODAY = re.compile(rf"\s*\(from (?P<b>{_X}|{_NUMBER}) today\)")
_DEADLINE = re.compile(rf"\s*\bby {re.escape(msg.DEADLINE)}")
# Coach-made blanks like "<main measure of onboarding>"; Slack links and mentions are not.
_BLANK = re.compile(r"<(?![@#!]|https?:|mailto:)([^<>|]+)>")
_BLANK_VALUE = re.compile(rf"^(?:{_X}|{_Y})\b(?:%|/10)?")
_LINE = re.compile(r"^(?P<label>Objective|KR\d*|Confidence):\s*(?P<body>.*)$")
_ASKED_CONFIDENCE = re.compile(r"\?(?=/10)")


@dataclass(frozen=True)
class RewriteKeyResult:
    # The author's words to fill in; empty when the author must write it.
    text: str
    # "35 → 60%" when both numbers are the author's; None leaves the field for them.
    range_text: str | None = None
    # Shown greyed in an empty field: what belongs there.
    text_hint: str | None = None
    range_hint: str | None = None


@dataclass(frozen=True)
class RewriteFields:
    title: str
    key_results: tuple[RewriteKeyResult, ...]


def _is_blank(value: str) -> bool:
    return bool(_BLANK_VALUE.match(value))


def _hint(text: str) -> str:
    text = re.sub(r"\s{2,}", " ", text).strip()
    return text if len(text) <= HINT_LIMIT else text[: HINT_LIMIT - 1].rstrip() + "…"


def key_result_fields(line: str, guess_range: Callable[[str], str | None]) -> RewriteKeyResult:
    """One rewritten key result as form fields; ``guess_range`` reads the author's numbers."""
    range_hint: str | None = None

    def drop_blank_range(match: re.Match[str]) -> str:
        nonlocal range_hint
        baseline, target = match.group("b"), match.group("t")
        if not (_is_blank(baseline) or _is_blank(target)):
            return match.group(0)
        start = "today" if baseline == "where it is today" else baseline
        range_hint = range_hint or f"{start} → {target}{match.group('unit')}"
        return ""

    text = _RANGE.sub(drop_blank_range, line)
    if _FROM_TODAY.search(text):
        text = _FROM_TODAY.sub("", text)
        range_hint = range_hint or "today → target"
    text = re.sub(r"\s{2,}", " ", _DEADLINE.sub("", text)).strip(" ,")
    if _BLANK.search(text):
        return RewriteKeyResult("", None, _hint(_BLANK.sub(r"\1", text)), range_hint)
    if range_hint is not None:
        return RewriteKeyResult(text, None, None, range_hint)
    return RewriteKeyResult(text, guess_range(text))


def rewrite_fields(rewrite: str, guess_range: Callable[[str], str | None]) -> RewriteFields:
    """The title and key results of a rewrite ("Objective: ...", "KR1: ...") as form fields.

    The confidence line is not a field of the form and is left out.
    """
    title = ""
    key_results: list[RewriteKeyResult] = []
    for raw in rewrite.splitlines():
        line = _LINE.match(raw.strip())
        if line is None:
            continue
        label, body = line.group("label"), line.group("body").strip()
        if label == "Objective":
            title = "" if _BLANK.search(body) else body
        elif label.startswith("KR"):
            key_results.append(key_result_fields(body, guess_range))
    return RewriteFields(title=title, key_results=tuple(key_results))


def _blank_spans(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in [*_RANGE.finditer(line), *_FROM_TODAY.finditer(line)]:
        for group in ("b", "t") if "t" in match.re.groupindex else ("b",):
            blank = _BLANK_VALUE.match(match.group(group))
            if blank:
                spans.append((match.start(group), match.start(group) + blank.end()))
    spans += [m.span() for m in _BLANK.finditer(line)]
    spans += [m.span() for m in _ASKED_CONFIDENCE.finditer(line)]
    return sorted(spans)


def mark_blanks(rewrite: str) -> str:
    """The rewrite escaped for mrkdwn, each blank shown as `code` so it reads as one to fill."""
    out: list[str] = []
    for line in rewrite.splitlines():
        cursor, parts = 0, []
        for start, end in _blank_spans(line):
            if start < cursor:
                continue
            blank = line[start:end].strip("<>")
            parts += [escape(line[cursor:start]), f"`{escape(blank)}`"]
            cursor = end
        parts.append(escape(line[cursor:]))
        out.append("".join(parts))
    return "\n".join(out)
