"""What the cue rules read: a draft line with the words that would mislead them set aside.

Words that look like routine work but are not, in the way people really write drafts:
- code: `backticked spans`, snake_case, CamelCase and dotted.names are names of things,
  not chores ("`sync_state`" is no meeting, "StableMIR" is no admin noun);
- release channels: "on nightly", "to stable" name where a feature ships, not a cadence;
- metric names: "weekly active listeners", "monthly recurring revenue" are measures, so
  the cadence word is part of the metric's name;
- baselines: "(current is 40)", "today: 40", "up from 40" say where a measure starts,
  so "current" there is no "keep it current" service standard.

Each is replaced by a neutral placeholder (or dropped), so the lexicons never see it; what
remains keeps the author's word order for quoting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A neutral token no lexicon holds; stands where a name of code was.
CODE_WORD = "codename"

_BACKTICKS = re.compile(r"`[^`\n]+`")
# Case-sensitive on purpose: an ordinary lower-case word must never look like code.
_SNAKE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")
_CAMEL = re.compile(
    r"\b(?:[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*|[A-Z]{2,}[a-z]{2,}[A-Za-z0-9]*)\b"
)
# "oslo.rootwrap", "crates.io", "os.path()"; segments of two letters or more, so "e.g." and
# "U.S." stay words.
_DOTTED = re.compile(r"\b[A-Za-z][\w-]+(?:\.[A-Za-z_][\w-]+)+(?:\(\))?")
_CHANNEL = re.compile(
    r"\b(?:on|in|to|into|onto|from|for|of|the)\s+(?:the\s+)?(nightly|stable|beta)\b"
    r"(?!\s+(?:builds?|jobs?|runs?|tests?|reports?|emails?|backups?)\b)"
    r"|\b(nightly|stable|beta)\s+(?:channel|toolchain|compiler|release|rust)\b",
    re.I,
)
_METRIC_CADENCE = re.compile(
    r"\b(?:daily|weekly|monthly|quarterly|yearly|annual|nightly)\s+(?="
    r"(?:(?:active|recurring|returning|unique|paying|engaged)\b"
    r"|(?:[\w-]+\s+)?(?:users|visitors|listeners|readers|viewers|players|customers|buyers|"
    r"subscribers|members|signups|sign-ups|downloads|installs|revenue|sales|orders|bookings|"
    r"transactions|sessions|visits|pageviews|page views|reviewers|contributors|developers|"
    r"learners|students|patients|donors)\b"
    # An acronym of a measure: "monthly IARR", "daily DAU". Capitals only, whatever re.I.
    r"|(?-i:[A-Z]{2,}s?)\b)"
    # "the monthly sales report" is still a monthly report.
    r"(?!\s+(?:reports?|reviews?|meetings?|updates?|calls?|summar(?:y|ies)|emails?|"
    r"newsletters?|digests?|syncs?|check-?ins?|dashboards?|numbers|figures|triage)\b))",
    re.I,
)
_RECURRING_METRIC = re.compile(
    r"\brecurring\s+(?=revenue|income|customers|donors|donations|sales|subscriptions)", re.I
)
_BASELINE = re.compile(
    r"\(?\s*\b(?:current(?:ly)?|today|baseline|now|up from|down from|was)\b\s*"
    r"(?:is|are|at|of|:|=)?\s*(?:~|about|around)?\s*"
    # Atomic, so "from 40k to 60k" is never read as the baseline "from 4".
    r"(?>[$€£]?\d[\d.,]*(?:\s*%|\s*[kmx]\b|\s*(?:ms|s|secs?|seconds?|mins?|minutes?|"
    r"hours?|days?|weeks?|points?|pp)\b)?)(?:\s*\))?(?!\s*to\b)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Reading:
    """A line as the cue rules read it, and what was set aside from it."""

    text: str
    code: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    baselines: tuple[str, ...] = ()


def read(text: str) -> Reading:
    """Set aside code, release channels, cadence words of metric names and baselines."""
    code: list[str] = []
    channels: list[str] = []
    metrics: list[str] = []
    baselines: list[str] = []

    def as_code(m: re.Match[str]) -> str:
        code.append(m.group(0))
        return f" {CODE_WORD} "

    def as_channel(m: re.Match[str]) -> str:
        channels.append(m.group(0).strip())
        return " "

    def as_metric(m: re.Match[str]) -> str:
        metrics.append(m.group(0).strip())
        return ""

    def as_baseline(m: re.Match[str]) -> str:
        baselines.append(m.group(0).strip(" ()"))
        return " "

    out = _BACKTICKS.sub(as_code, text)
    for pattern in (_SNAKE, _CAMEL, _DOTTED):
        out = pattern.sub(as_code, out)
    out = _CHANNEL.sub(as_channel, out)
    out = _METRIC_CADENCE.sub(as_metric, out)
    out = _RECURRING_METRIC.sub(as_metric, out)
    out = _BASELINE.sub(as_baseline, out)
    if out == text:
        return Reading(text)
    return Reading(
        " ".join(out.split()),
        tuple(code),
        tuple(channels),
        tuple(metrics),
        tuple(baselines),
    )
