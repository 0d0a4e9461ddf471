"""The craft of an OKR: objective wording, key result count, and each key result's shape.

Each check returns Findings with a stable rule id, a short why and a fix for this draft.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coaching import lexicon as lx
from coaching import messages as msg
from coaching.model import Finding, Severity
from coaching.textutil import Doc

OBJECTIVE_MAX_WORDS = 20
KR_MIN, KR_MAX = 2, 5
# A target more than this many times its baseline is past a stretch.
AMBITION_RATIO = 10.0

_NUMBER = re.compile(r"(?<![\w.])[$€£]?\d[\d,]*(?:\.\d+)?\s*(?:%|k\b|m\b|x\b|ms\b|s\b)?", re.I)
_MEASURE_WORDS = re.compile(
    r"\b(?:rate|ratio|percent(?:age)?|share|number of|count|score|nps|csat|time to|"
    r"latency|uptime|conversion|retention|churn|revenue|arr|mrr|p\d\d|median|average|"
    r"per (?:week|month|day|user)|double|triple|halve|zero|all|every|none|no more than|"
    r"at least|fewer than|less than|more than|increas\w*|decreas\w*)\b",
    re.I,
)
_BASELINE = re.compile(
    r"\bfrom\s+\S+|\bbaseline\b|\bcurrent(?:ly)?\b|\btoday\b|\bup from\b|\bdown from\b|\bvs\.?\b|"
    r"\bcompared (?:to|with)\b|\bover (?:last|the previous)\b|\b(?:qoq|mom|yoy)\b|"
    r"\bquarter over quarter\b|\bmonth over month\b|\bnow\s+\d",
    re.I,
)
_FROM_TO = re.compile(
    r"\bfrom\s+[$€£]?(\d[\d,]*(?:\.\d+)?)\s*(%|k|m)?\s+to\s+[$€£]?(\d[\d,]*(?:\.\d+)?)\s*(%|k|m)?",
    re.I,
)
_DATE = re.compile(
    r"\b(?:q[1-4]|h[12]|fy\s?\d{2,4}|20\d\d|end of|eo[qmy]|deadline|quarter|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|"
    r"by\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|"
    r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?|this (?:month|year)|next (?:month|year)|"
    r"(?:in|by|within) (?:\d+|one|two|three|six) (?:weeks?|months?))\b",
    re.I,
)
_SANDBAG = re.compile(
    r"^\s*(?:maintain|keep|sustain|stay|remain|preserve)\w*\b.*?\d",
    re.I,
)
_OUTPUT_COUNT = re.compile(
    r"\b\d+\s+(?:\w+\s+){0,2}?(?:blog posts?|posts?|articles?|talks?|demos?|workshops?|"
    r"guides?|pages?|docs?|documents?|videos?|webinars?|meetings?|sessions?|interviews?|"
    r"calls?|emails?|newsletters?|reports?|tutorials?|events?|features?|deliverables?|"
    r"pieces?|iterations?|campaigns?|presentations?|trainings?)\b"
    # "500 newsletter subscribers" counts people reached, an outcome, not newsletters.
    r"(?!\s+(?:subscribers?|readers?|sign-?ups?|users?|views?|viewers?|visitors?|members?|"
    r"customers?|attendees?|participants?|leads?|clicks?|downloads?))",
    re.I,
)
_OBJECTIVE_NUMBER = re.compile(r"\d[\d,.]*\s*(?:%|x\b|k\b|m\b)|[$€£]\s?\d|\b\d{2,}\b(?<!\b20\d\d)")


def kr_label(index: int) -> str:
    return f"KR{index + 1}"


def quote(text: str, limit: int = 60) -> str:
    """The author's words, shortened at a word boundary so no number is cut in half."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and text[limit - 1] != " ":
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def _finding(
    rule_id: str,
    severity: Severity,
    pair: tuple[str, str],
    target: str | None,
    **values: object,
) -> Finding:
    fill = {"b": msg.BASELINE, "t": msg.TARGET, "d": msg.DEADLINE, **values}
    message, suggestion = (part.format(**fill) for part in pair)
    return Finding(rule_id, severity, message, suggestion, target)


def has_number(text: str) -> bool:
    return bool(_NUMBER.search(text))


def is_measurable(text: str) -> bool:
    return has_number(text) or bool(_MEASURE_WORDS.search(text))


def has_deadline(text: str) -> bool:
    return bool(_DATE.search(text))


def opening_verb(text: str) -> str:
    doc = Doc.of(text)
    return doc.stems[0] if doc.stems else ""


def is_binary(text: str) -> bool:
    """A deliverable that is either done or not: "Launch X", "Ship Y", with no measure."""
    return opening_verb(text) in lx.BINARY_VERBS and not is_measurable(text)


def is_output(text: str) -> bool:
    """Counting things produced ("Write 3 blog posts") rather than the change they cause."""
    return bool(_OUTPUT_COUNT.search(text)) and not _FROM_TO.search(text)


def ambition_ratio(text: str) -> float | None:
    m = _FROM_TO.search(text)
    if not m:
        return None
    try:
        low = float(m.group(1).replace(",", ""))
        high = float(m.group(3).replace(",", ""))
    except ValueError:
        return None
    if low <= 0 or high <= 0:
        return None
    return max(high / low, low / high)


def check_objective(text: str, *, lone_key_result: bool) -> list[Finding]:
    if lone_key_result:
        return [_finding("objective.missing", Severity.MEDIUM, msg.OBJECTIVE_MISSING, None)]
    findings: list[Finding] = []
    number = _OBJECTIVE_NUMBER.search(text)
    if number:
        findings.append(
            _finding(
                "objective.has_numbers",
                Severity.LOW,
                msg.OBJECTIVE_HAS_NUMBERS,
                "objective",
                q=quote(number.group(0)),
            )
        )
    words = len(text.split())
    if words > OBJECTIVE_MAX_WORDS:
        findings.append(
            _finding(
                "objective.too_long", Severity.LOW, msg.OBJECTIVE_TOO_LONG, "objective", n=words
            )
        )
    return findings


def check_key_results(
    key_results: Sequence[str], *, written: int | None = None, lone_key_result: bool = False
) -> list[Finding]:
    """Count, then each KR: measurable, outcome, baseline, binary, sandbag, ambition, deadline."""
    findings: list[Finding] = []
    count = len(key_results) if written is None else written
    if lone_key_result:
        # The line itself is the key result; judge its shape, not how many there are.
        pass
    elif count == 0:
        findings.append(_finding("kr.count", Severity.MEDIUM, msg.KR_COUNT_NONE, None))
    elif count < KR_MIN:
        findings.append(_finding("kr.count", Severity.MEDIUM, msg.KR_COUNT_ONE, None))
    elif count > KR_MAX:
        findings.append(_finding("kr.count", Severity.MEDIUM, msg.KR_COUNT_MANY, None, n=count))

    for i, kr in enumerate(key_results):
        label = "the key result" if lone_key_result else kr_label(i)
        findings.extend(_check_one(kr, label))

    if key_results and not any(has_deadline(kr) for kr in key_results):
        findings.append(_finding("kr.deadline", Severity.LOW, msg.KR_DEADLINE, None))
    return findings


def _check_one(kr: str, label: str) -> list[Finding]:
    q = quote(kr)
    target = label if label.startswith("KR") else None
    kr_name = label[0].upper() + label[1:]
    if _SANDBAG.search(kr):
        return [_finding("kr.sandbag", Severity.MEDIUM, msg.KR_SANDBAG, target, kr=kr_name, q=q)]
    if is_binary(kr):
        return [_finding("kr.binary", Severity.HIGH, msg.KR_BINARY, target, kr=kr_name, q=q)]
    if not is_measurable(kr):
        return [
            _finding("kr.measurable", Severity.HIGH, msg.KR_MEASURABLE, target, kr=kr_name, q=q)
        ]
    out: list[Finding] = []
    if is_output(kr):
        out.append(_finding("kr.output", Severity.MEDIUM, msg.KR_OUTPUT, target, kr=kr_name, q=q))
    elif has_number(kr) and not _BASELINE.search(kr):
        out.append(
            _finding("kr.baseline", Severity.MEDIUM, msg.KR_BASELINE, target, kr=kr_name, q=q)
        )
    ratio = ambition_ratio(kr)
    if ratio is not None and ratio > AMBITION_RATIO:
        out.append(
            _finding(
                "kr.too_ambitious",
                Severity.LOW,
                msg.KR_TOO_AMBITIOUS,
                target,
                kr=kr_name,
                q=q,
                n=round(ratio),
            )
        )
    return out


def check_confidence(level: int | None) -> list[Finding]:
    if level is None:
        return [_finding("okr.confidence", Severity.LOW, msg.OKR_CONFIDENCE, None)]
    if level >= 9:
        return [_finding("okr.confidence", Severity.LOW, msg.OKR_CONFIDENCE_HIGH, None, n=level)]
    if level <= 2:
        return [_finding("okr.confidence", Severity.LOW, msg.OKR_CONFIDENCE_LOW, None, n=level)]
    return []
