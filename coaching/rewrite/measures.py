"""The amounts a draft gives and the measure it names; whether a rewrite kept them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from coaching import lexicon as lx
from coaching.rewrite.vocabulary import is_verb
from coaching.textutil import Doc

# Pieces of patterns, shared by the strategic rewrite and the key-result fixes.
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,.]*\d)"
NUMBER = (
    rf"(?:about\s+|around\s+|nearly\s+|almost\s+|~)?[$€£]?{_DIGITS}"
    rf"(?:\s*[-\u2013]\s*{_DIGITS})?\s*(?:%|k\b|m\b|bn\b|x\b|\+)?"
)
MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)


def quantities(text: str) -> list[str]:
    """The amounts a text gives: "300", "10%", "10K"; not years, versions or names' numbers."""
    out: list[str] = []
    for m in re.finditer(rf"(?<![\w.\-/]){_DIGITS}(?:%|[km]\b|x\b)?", text, re.I):
        value = m.group(0)
        if re.fullmatch(r"(?:19|20)\d\d", value):
            continue  # a year: when, not how much
        if part_of_name(text, m.start()):
            continue  # "Ubuntu 22.04", "ISO 26262", "Tier 1": part of a name
        out.append(value)
    return out


def part_of_name(text: str, at: int) -> bool:
    """True when the number at ``at`` is part of a name: "Ubuntu 22.04", "ISO 26262"."""
    head = text[:at].rstrip()
    before = head.rsplit(" ", 1)[-1] if head else ""
    return (
        before[:1].isupper()
        and " " in head
        and not is_verb(before)
        and before.lower() not in ("top", "first", "at", "to", "by", "the", "our")
    )


def missing_quantities(source: str, written: str) -> bool:
    """True when ``written`` lost an amount ``source`` gives."""
    have = set(_numbers(written))
    return any(q.rstrip("%kKmMxX") not in have for q in quantities(source))


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d,.]*\d|\d", text)


def metric(texts: Iterable[str]) -> str | None:
    """A measure the author already named ("activation", "retention"), if any."""
    for text in texts:
        doc = Doc.of(text)
        for word, s in zip(doc.words, doc.stems, strict=True):
            if s in lx.METRIC_NOUNS:
                # As the author wrote it: "ARR", not "arr".
                found = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.I)
                return found.group(0) if found else word
    return None
