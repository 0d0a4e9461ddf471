"""Read a check-in written the way people talk: "KR2 now 45%, confidence 6, waiting on legal".

What it reads, clause by clause:
- which key result: by number ("KR2", "key result 2", "#2"), by its words ("signups",
  "the NPS one"), or the only one there is;
- the new value: a number ("1,240", "$40k"), a percentage ("45%") or a count done ("3 of 5");
- a confidence from 1 to 10 ("confidence 6", "conf 7", "6/10");
- everything else is the note ("waiting on legal").
It never guesses: a number it cannot place is returned as unplaced, and text that is no
check-in at all ("hi", "what is this?") gives None, so the caller can answer with help.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from coaching.parsing import strip_slack_markup
from coaching.textutil import stem, tokens, word_set

MIN_CONFIDENCE, MAX_CONFIDENCE = 1, 10
# A check-in is a sentence or a few; a pasted document is not one.
MAX_CHARS = 1000


@dataclass(frozen=True, slots=True)
class KeyResultRef:
    """A key result the person may be talking about, as the reminder showed it."""

    key: int
    # Its number within its objective (KR1 is 1).
    number: int
    text: str
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    # Its objective's number among the person's objectives (1 when there is one).
    objective: int = 1


@dataclass(frozen=True, slots=True)
class KeyResultUpdate:
    key: int
    # The new value in the key result's own terms (a percentage done when it has no target);
    # None when only the confidence was given.
    value: float | None = None
    confidence: int | None = None
    # The author's words this came from, to show back ("45%", "3 of 5").
    said: str = ""


@dataclass(frozen=True, slots=True)
class CheckInDraft:
    updates: tuple[KeyResultUpdate, ...] = ()
    # A confidence said of everything, not of one key result.
    confidence: int | None = None
    note: str = ""
    # What it read but could not place ("45" with three key results and no name).
    unplaced: tuple[str, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        """Everything read has a place: safe to offer as a check-in to confirm."""
        return not self.unplaced and bool(self.updates or self.confidence is not None)


# --- what the text holds, with where it stands ---------------------------------------------

_CONFIDENCE = re.compile(
    r"\bconf(?:idence|ident)?\b\s*(?:is|of|at|now|:|=|-)?\s*(?P<a>\d{1,2})"
    r"(?:\s*/\s*10\b|\s+out of 10\b)?"
    r"|\b(?P<b>\d{1,2})\s*(?:/\s*10|out of 10)\b(?:\s*(?:conf(?:idence|ident)?|sure)\b)?",
    re.I,
)
_FRACTION = re.compile(r"\b(?P<done>\d+)\s*(?:of|out of|/)\s*(?P<all>\d+)\b", re.I)
_NUMBER = re.compile(
    r"(?P<money>[$€£])?\s?(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<scale>\s?[kKmM]\b)?(?P<pct>\s?%|\s?percent\b)?"
)
_KR_NUMBER = re.compile(
    r"\b(?:o(?P<o>\d)\s*)?(?:kr|key\s*result)\s*#?\s*(?P<n>\d{1,2})\b|(?<![\w$])#(?P<h>\d{1,2})\b",
    re.I,
)
# Where one thought ends and another begins.
_CLAUSES = re.compile(r"[;\n]+|[.!?](?:\s+|$)|\s+(?:except|but|while|whereas)\s+", re.I)
_PARTS = re.compile(r",\s+|\s+and\s+|\s*\(\s*|\s*\)\s*|:\s+|\s+-\s+|\s+\u2013\s+")
# Words that carry no meaning of their own in a check-in.
_FILLER = word_set(
    """
    now at is are was were to up down from the a an our my we i it its one ones done so far
    currently total reached hit got about around roughly approx approximately just of on
    for with in this week so this that than only still also all both overall and
    """
)
# Words too common in key results to tell one from another.
_GENERIC = frozenset(
    stem(w)
    for w in word_set(
        """
        increase raise grow reduce cut lower improve reach get keep make launch ship deliver
        from to by the a an of for with in on per and or at least more less than number
        share rate percent time new all our their week month quarter end kr key result
        """
    )
)
_STATUS = re.compile(
    r"\b(?:on track|off track|at risk|behind|ahead|blocked|stuck|no (?:change|progress)|"
    r"unchanged|same as last week|done|finished|complete|completed|flat)\b",
    re.I,
)
_QUESTION_ONLY = re.compile(r"^[^0-9]*\?\s*$")


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    kind: str  # "kr", "value", "confidence"
    said: str
    key: int | None = None
    number: float | None = None
    percent: bool = False
    of: float | None = None
    confidence: int | None = None


def read_check_in(text: str, key_results: Sequence[KeyResultRef]) -> CheckInDraft | None:
    """What a person's words say about their key results; None when it is no check-in."""
    plain = " ".join(strip_slack_markup(text[:MAX_CHARS]).split())
    if not plain or not key_results:
        return None
    spans = _spans(plain, key_results)
    if not spans:
        if _STATUS.search(plain) and not _QUESTION_ONLY.match(plain):
            return CheckInDraft(note=plain)
        return None
    updates: dict[int, dict[str, object]] = {}
    overall: int | None = None
    unplaced: list[str] = []
    only = key_results[0].key if len(key_results) == 1 else None
    for clause in _split(plain, _CLAUSES):
        in_clause = [s for s in spans if clause[0] <= s.start < clause[1]]
        krs = [s for s in in_clause if s.kind == "kr"]
        for part in _split_within(plain, clause, _PARTS):
            in_part = [s for s in in_clause if part[0] <= s.start < part[1]]
            for span in in_part:
                if span.kind == "kr":
                    updates.setdefault(span.key or 0, {})
                    continue
                # The key result this number belongs to: named just before it in the clause,
                # else the first one named after it, else the only one there is.
                before = [k for k in krs if k.start < span.start]
                after = [k for k in krs if k.start > span.start]
                named_here = [k for k in in_part if k.kind == "kr"]
                if span.kind == "confidence":
                    # "(conf 6)" right after a key result's value is that key result's.
                    aside = plain[: span.start].rstrip().endswith("(") and bool(before)
                    if named_here or aside or len({k.key for k in krs}) == 1:
                        key = (named_here or before or krs)[-1].key
                        updates.setdefault(key or 0, {})["confidence"] = span.confidence
                    else:
                        overall = span.confidence
                    continue
                target = before[-1] if before else after[0] if after else None
                key = target.key if target else only
                if key is None or "value" in updates.get(key, {}):
                    unplaced.append(span.said)
                    continue
                ref = next(k for k in key_results if k.key == key)
                updates.setdefault(key, {})["value"] = _value_for(span, ref)
                updates[key]["said"] = span.said
    resolved = tuple(
        KeyResultUpdate(
            key=key,
            value=_as_float(fields.get("value")),
            confidence=_as_int(fields.get("confidence")),
            said=str(fields.get("said", "")),
        )
        for key, fields in updates.items()
        if fields and key
    )
    if overall is not None and only is not None:
        # With one key result, a confidence said of everything is said of it.
        mine = next((u for u in resolved if u.key == only), KeyResultUpdate(key=only))
        if mine.confidence is None:
            mine = KeyResultUpdate(only, mine.value, overall, mine.said)
        resolved = (mine,)
        overall = None
    note = _note(plain, spans)
    if not resolved and overall is None and not unplaced:
        return CheckInDraft(note=note) if note and _STATUS.search(plain) else None
    return CheckInDraft(resolved, overall, note, tuple(unplaced))


def _as_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _as_int(value: object) -> int | None:
    return int(value) if isinstance(value, int) else None


def _split(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    return _split_within(text, (0, len(text)), pattern)


def _split_within(
    text: str, window: tuple[int, int], pattern: re.Pattern[str]
) -> list[tuple[int, int]]:
    start, end = window
    pieces: list[tuple[int, int]] = []
    cursor = start
    for m in pattern.finditer(text, start, end):
        if m.start() > cursor:
            pieces.append((cursor, m.start()))
        cursor = m.end()
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def _spans(text: str, key_results: Sequence[KeyResultRef]) -> list[_Span]:
    spans: list[_Span] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(span: _Span) -> None:
        spans.append(span)
        taken.append((span.start, span.end))

    for m in _KR_NUMBER.finditer(text):
        number = int(m.group("n") or m.group("h"))
        objective = int(m.group("o")) if m.group("o") else None
        key = _by_number(key_results, number, objective)
        if key is not None:
            add(_Span(m.start(), m.end(), "kr", m.group(0), key=key))
        else:
            taken.append((m.start(), m.end()))
    for m in _CONFIDENCE.finditer(text):
        raw = int(m.group("a") or m.group("b"))
        if free(m.start(), m.end()) and MIN_CONFIDENCE <= raw <= MAX_CONFIDENCE:
            add(_Span(m.start(), m.end(), "confidence", m.group(0), confidence=raw))
    for m in _FRACTION.finditer(text):
        if free(m.start(), m.end()) and int(m.group("all")) > 0:
            add(
                _Span(
                    m.start(),
                    m.end(),
                    "value",
                    m.group(0),
                    number=float(m.group("done")),
                    of=float(m.group("all")),
                )
            )
    for m in _NUMBER.finditer(text):
        start = m.start("money") if m.group("money") else m.start("n")
        if not free(start, m.end()) or _is_date_or_name(text, start, m.start("n"), m.end()):
            continue
        number = float(m.group("n").replace(",", ""))
        scale = (m.group("scale") or "").strip().lower()
        number *= {"k": 1e3, "m": 1e6}.get(scale, 1.0)
        said = text[start : m.end()].strip()
        add(_Span(start, m.end(), "value", said, number=number, percent=bool(m.group("pct"))))
    for start, end, key in _named(text, key_results):
        if free(start, end):
            add(_Span(start, end, "kr", text[start:end], key=key))
    return sorted(spans, key=lambda s: s.start)


def _by_number(
    key_results: Sequence[KeyResultRef], number: int, objective: int | None
) -> int | None:
    matches = [k for k in key_results if k.number == number and objective in (None, k.objective)]
    # "KR2" with two objectives is ambiguous: better to ask than to guess.
    return matches[0].key if len(matches) == 1 else None


_MONTHS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$", re.I
)


def _is_date_or_name(text: str, start: int, digits: int, end: int) -> bool:
    """ "June 3", "Q3", "v2", "2027": numbers that are no value of a key result."""
    before = text[max(0, start - 12) : start]
    after = text[end : end + 3]
    if before and (before[-1].isalpha() or before.endswith(("-", "_"))):
        return True  # "q3", "v2", "p95"
    if _MONTHS.search(before):
        return True
    if re.match(r"(?:st|nd|rd|th)\b", after):
        return True
    return bool(re.fullmatch(r"20\d\d", text[digits:end].strip()))


def _keywords(text: str) -> set[str]:
    return {stem(w) for w in tokens(text) if w.isalpha() and len(w) > 2} - _GENERIC


def _named(text: str, key_results: Sequence[KeyResultRef]) -> list[tuple[int, int, int]]:
    """Where a key result is named by its own words; a word two key results share names none."""
    words = {k.key: _keywords(k.text) for k in key_results}
    owners: dict[str, set[int]] = {}
    for key, stems in words.items():
        for s in stems:
            owners.setdefault(s, set()).add(key)
    found: list[tuple[int, int, int]] = []
    for m in re.finditer(r"[A-Za-z][A-Za-z'-]+", text):
        s = stem(m.group(0))
        keys = owners.get(s, set())
        if len(keys) == 1 and m.group(0).lower() not in _FILLER:
            found.append((m.start(), m.end(), next(iter(keys))))
    # One span per run of words naming the same key result ("weekly active teams").
    merged: list[tuple[int, int, int]] = []
    for start, end, key in found:
        if merged and merged[-1][2] == key and start - merged[-1][1] <= 2:
            merged[-1] = (merged[-1][0], end, key)
        else:
            merged.append((start, end, key))
    return merged


def _value_for(span: _Span, ref: KeyResultRef) -> float:
    """The number as the key result stores it (a percentage done when there is no target)."""
    assert span.number is not None
    start = ref.baseline or 0.0
    if span.of is not None:
        share = span.number / span.of
        if ref.target is None:
            return round(100 * share, 2)
        if ref.target == span.of:
            return span.number
        return start + (ref.target - start) * share
    if span.percent:
        if ref.target is None or (ref.unit or "").strip() == "%":
            return span.number
        return start + (ref.target - start) * span.number / 100
    return span.number


def _note(text: str, spans: Sequence[_Span]) -> str:
    """The author's words once values, confidences and "KR2"s are taken out.

    A piece that held only a key result's name and filler ("signups", "now") is dropped;
    one with words of its own ("all on track except the NPS one") is kept whole.
    """
    removed = [s for s in spans if s.kind != "kr" or _KR_NUMBER.fullmatch(s.said)]
    names = {w.lower() for s in spans if s.kind == "kr" for w in s.said.split()}
    kept: list[str] = []
    cursor = 0
    for span in removed:
        kept.append(text[cursor : span.start])
        kept.append(" ")
        cursor = span.end
    kept.append(text[cursor:])
    rest = "".join(kept)
    pieces = []
    for start, end in _split(rest, re.compile(r"[,;()\n]+|\s+-\s+|:\s*")):
        words = rest[start:end].split()
        own = [w for w in words if w.lower().strip(".!?") not in _FILLER | names]
        if own:
            pieces.append(" ".join(words).strip(" .!"))
    return ", ".join(pieces)
