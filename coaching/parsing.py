"""Turn a Slack message into objectives and key results, the way people really write them.

Handles prefixes ("Objective:", "O1:", "OKR:", "Goal -", "KR2:"), bullets (-, *, •, 1., 1)),
Slack markup, several objectives in one message, a lone key result and a one-line task.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from enum import StrEnum

# Work is capped so a pasted novel still answers in milliseconds.
MAX_CHARS = 3000
MAX_OBJECTIVES = 6
MAX_KEY_RESULTS = 12
# An objective or key result longer than this is a pasted document; we read its start.
MAX_LINE_CHARS = 300

SOMEONE = "someone"
A_CHANNEL = "a channel"

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(?:subteam\^[A-Z0-9]+|date\^[^|>]*|[a-z]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto|tel):[^|>\s]*)(?:\|([^>]*))?>")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])")
_CODE = re.compile(r"```([^`]*)```|`([^`\n]+)`")
_EMOJI = re.compile(
    r"(?::(?=[a-z0-9_+\-']*[a-z])[a-z0-9_+\-']{1,40}:|:[+-]1:)(?::skin-tone-\d:)?", re.I
)
_SPACES = re.compile(r"[ \t\u00a0]+")

_OBJECTIVE_PREFIX = re.compile(
    r"^(?:(?:objective|obj|okr|goal)\s*#?\d*|o\s*#?\d+|o)\s*(?:[:.)\]]|\s[-\u2013\u2014])\s*",
    re.I,
)
_KR_PREFIX = re.compile(
    r"^(?:(?:kr|key\s*results?)\s*#?\d*\s*(?:[:.)\]]|\s?[-\u2013\u2014])|kr\s*\d+\s)\s*",
    re.I,
)
_KR_HEADING = re.compile(r"^key\s*results?\s*:?\s*$", re.I)
_BULLET = re.compile(r"^(?:[-*•◦▪‣·\u2013\u2014>]|\d{1,2}[.)]|\(?[a-h][.)]|\[[ x]\])\s+")
_INLINE_KR = re.compile(r"(?<=[\w.,;)!?%])\s+(?=KR\s*\d+\s*[:.)])")
_CONFIDENCE = re.compile(
    r"\bconf(?:idence)?(?:\s+level)?\s*(?:is\s*)?[:=]?\s*\(?(\d{1,2})(?:\s*/\s*10|\s+out\s+of\s+10)?\)?"
    r"|\(\s*(\d{1,2})\s*/\s*10\s*\)|\b(\d{1,2})\s*/\s*10\s+confiden",
    re.I,
)


class LineKind(StrEnum):
    OBJECTIVE = "objective"
    KEY_RESULT = "key_result"
    BULLET = "bullet"
    PLAIN = "plain"


@dataclass(frozen=True, slots=True)
class ParsedObjective:
    text: str
    key_results: tuple[str, ...] = ()
    # True when the message was a key result on its own ("KR: ...").
    lone_key_result: bool = False
    # The author's own 1-10 confidence, when they gave one.
    confidence_level: int | None = None
    # How many key results were written, before the cap.
    key_result_count: int = 0


@dataclass(frozen=True, slots=True)
class ParsedDraft:
    objectives: tuple[ParsedObjective, ...] = field(default_factory=tuple)
    # Set when the message was longer than we read or held more objectives than we review.
    truncated: bool = False
    chars_read: int = 0
    objectives_found: int = 0


def strip_slack_markup(text: str, *, keep_code: bool = False) -> str:
    """Slack mrkdwn to plain words: mentions become "someone", links their label.

    With ``keep_code``, inline code keeps its backticks, so the coach can tell a name of
    code ("`sync_state`") from the words around it.
    """
    text = _MENTION.sub(lambda m: (m.group(1) or SOMEONE).lstrip("@") or SOMEONE, text)
    text = _CHANNEL.sub(lambda m: m.group(1) or A_CHANNEL, text)
    text = _SPECIAL.sub(lambda m: (m.group(1) or "").lstrip("@"), text)
    text = _LINK.sub(lambda m: m.group(2) or _bare_url(m.group(1)), text)
    text = _CODE.sub(lambda m: _code(m, keep_code), text)
    for pattern in (_BOLD, _ITALIC, _STRIKE):
        text = pattern.sub(r"\1", text)
    text = _EMOJI.sub("", text)
    text = html.unescape(text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines())


def _code(m: re.Match[str], keep: bool) -> str:
    inline = m.group(2)
    if inline is not None:
        return f"`{inline}`" if keep and inline.strip() else inline
    return m.group(1) or ""


def _indent(line: str) -> int:
    """Leading white space, a tab as four: how deep a bullet sits in a nested list."""
    width = 0
    for char in line:
        if char == "\t":
            width += 4
        elif char in " \u00a0":
            width += 1
        else:
            break
    return width


def _bare_url(url: str) -> str:
    return url.removeprefix("mailto:").removeprefix("tel:")


def confidence_level(text: str) -> int | None:
    """The 1-10 confidence an author wrote ("confidence 6/10", "(7/10)"), if any."""
    for m in _CONFIDENCE.finditer(text):
        raw = next(g for g in m.groups() if g is not None)
        value = int(raw)
        if 1 <= value <= 10:
            return value
    return None


def _classify(line: str) -> tuple[LineKind, str]:
    m = _KR_PREFIX.match(line)
    if m:
        return LineKind.KEY_RESULT, line[m.end() :]
    m = _OBJECTIVE_PREFIX.match(line)
    if m and line[m.end() :].strip():
        return LineKind.OBJECTIVE, line[m.end() :]
    m = _BULLET.match(line)
    if m:
        inner = line[m.end() :]
        km = _KR_PREFIX.match(inner)
        return LineKind.BULLET, inner[km.end() :] if km else inner
    return LineKind.PLAIN, line


@dataclass(slots=True)
class _Builder:
    text: str
    lone: bool = False
    krs: list[str] = field(default_factory=list)
    confidence: int | None = None
    saw_bullets: bool = False
    # A bullet with no heading above it: a list of separate drafts, not key results.
    headless: bool = False
    # How deep the objective's own line sits; a bullet deeper than it is one of its KRs.
    indent: int = 0

    def freeze(self) -> ParsedObjective:
        return ParsedObjective(
            text=self.text,
            key_results=tuple(self.krs[:MAX_KEY_RESULTS]),
            lone_key_result=self.lone,
            confidence_level=self.confidence,
            key_result_count=len(self.krs),
        )


def _clean(text: str) -> str:
    return text.strip().strip("*_~").strip()


def parse_draft(text: str) -> ParsedDraft:
    """Split a message into objectives with their key results (pure, never raises)."""
    truncated = len(text) > MAX_CHARS
    head = text[:MAX_CHARS]
    if truncated and "\n" in head:
        head = head[: head.rfind("\n")]
    plain = strip_slack_markup(head, keep_code=True)
    # Markup never spans lines (a code block keeps its line breaks), so the raw lines give
    # each plain line its indentation.
    raw_lines = head.splitlines()
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(plain.splitlines()):
        depth = _indent(raw_lines[number]) if number < len(raw_lines) else 0
        lines += [(depth, part) for part in _INLINE_KR.sub("\n", line).split("\n")]

    built: list[_Builder] = []
    current: _Builder | None = None
    long_line = False
    blank_since_kr = False
    for depth, raw in lines:
        line = raw.strip()
        if not line:
            blank_since_kr = bool(current and current.krs)
            continue
        if _KR_HEADING.match(line):
            continue
        level = confidence_level(line)
        kind, body = _classify(line)
        body = _clean(body)
        if len(body) > MAX_LINE_CHARS:
            body = body[:MAX_LINE_CHARS].rsplit(" ", 1)[0]
            long_line = True
        if level is not None:
            body = _clean(_CONFIDENCE.sub("", body).strip(" ,;:()-\u2013\u2014"))
        if not body or _is_only_confidence(body):
            if level is not None and current is not None:
                current.confidence = current.confidence or level
            continue
        starts_new = (
            kind is LineKind.OBJECTIVE
            or current is None
            or (kind is LineKind.PLAIN and (current.saw_bullets or blank_since_kr))
        )
        nested = current is not None and not current.lone and depth > current.indent
        if kind is LineKind.BULLET and current is not None and (current.lone or current.headless):
            starts_new = not nested
        if starts_new:
            current = _Builder(
                body.rstrip(":").rstrip() or body,
                lone=kind is LineKind.KEY_RESULT,
                headless=kind is LineKind.BULLET,
                indent=depth,
            )
            built.append(current)
        else:
            # Several "KR:" lines with no objective stay one unit (flagged lone), so none
            # is dropped and the missing objective can be pointed out.
            assert current is not None
            current.krs.append(body)
            current.saw_bullets = current.saw_bullets or kind is LineKind.BULLET
        if level is not None:
            current.confidence = current.confidence or level
        blank_since_kr = False

    found = len(built)
    objectives = tuple(b.freeze() for b in built[:MAX_OBJECTIVES])
    return ParsedDraft(
        objectives=objectives,
        truncated=truncated or long_line or found > MAX_OBJECTIVES,
        chars_read=len(head),
        objectives_found=found,
    )


def _is_only_confidence(body: str) -> bool:
    return bool(re.fullmatch(r"\(?\s*conf(?:idence)?[^a-z]*(?:/\s*10)?\s*\)?\.?", body, re.I))
