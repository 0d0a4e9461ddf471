"""A rewrite built from the author's own words, never a canned example.

Routine work becomes the outcome it serves plus key-result skeletons with placeholders;
a weak OKR keeps its objective and gets its offending key results rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from coaching import lexicon as lx
from coaching import messages as msg
from coaching.craft import has_deadline, kr_label
from coaching.model import Finding
from coaching.textutil import Doc, stem, word_set

_STRIP_PHRASES = re.compile(
    r"\b(?:within|in under|in less than|under|less than)\s+\S+\s*(?:business\s+)?\w*"
    r"|\b(?:every|each|once a|once per|per|twice a|a|one|two|three)\s+(?:day|week|month|quarter|"
    r"year|morning|evening|workday|weekday|monday|tuesday|wednesday|thursday|friday|release|"
    r"sprint|cycle|time)s?\b"
    r"|\b(?:daily|weekly|biweekly|monthly|nightly|hourly|regularly|on a regular basis|"
    r"as needed|if needed|on time|as usual|the same day|same day)\b"
    r"|\b\d[\d,.]*(?:st|nd|rd|th)?\s*(?:%|x\b|h\b|hrs?\b|hours?\b|minutes?\b|mins?\b|days?\b)?"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|a dozen)\b"
    r"|\bby (?:the )?end of\s+\S+|\bby\s+q[1-4]\b|\bin\s+q[1-4]\b",
    re.I,
)
# Words that may open the object of the verb but are not part of it.
_LEADING_NOISE = word_set(
    "to of and on for with we i will be sure that up through out in at into all every any "
    "our my your their"
)
# Once the object has a word, these start a trailing clause that is not the topic.
_CLAUSE_STARTS = word_set(
    "to on for with by in at from within or and before after if so that when until "
    "across into via during"
)
_ARTICLES = frozenset({"the", "a", "an"})
_MAX_TOPIC_WORDS = 7
_FIRST_NUMBER = re.compile(r"[$€£]?\d[\d,]*(?:\.\d+)?\s*%?")
_TO_NUMBER = re.compile(r"\bto\s+(?=[$€£]?\d)", re.I)
DEFAULT_AUDIENCE = "the people who rely on it"
DEFAULT_USERS = "people"


def topic(text: str) -> str:
    """The thing the draft is about, in the author's words: verb, cadence, numbers removed."""
    cleaned = _STRIP_PHRASES.sub(" ", text)
    words = re.findall(r"[\w'\u2019&/+#.-]+", cleaned)
    words = [w.strip(".,;:") for w in words if w.strip(".,;:")]
    # Drop the opening verb (and a phrasal particle after it): the topic is its object.
    if words and (
        stem(words[0]) in lx.CHORE_VERBS
        or stem(words[0]) in lx.CHANGE_VERBS
        or stem(words[0]) in lx.BUILD_VERBS
        or stem(words[0]) in lx.BINARY_VERBS
    ):
        words = words[1:]
    while words and words[0].lower() in _LEADING_NOISE:
        words = words[1:]
    kept: list[str] = []
    for w in words[:_MAX_TOPIC_WORDS]:
        if kept and w.lower() in _CLAUSE_STARTS and any(k.lower() not in _ARTICLES for k in kept):
            break
        kept.append(w)
    while kept and kept[-1].lower() in _CLAUSE_STARTS | _ARTICLES:
        kept.pop()
    return " ".join(kept) or "this work"


def audience(texts: Iterable[str]) -> str:
    for text in texts:
        doc = Doc.of(text)
        for word, s in zip(doc.words, doc.stems, strict=True):
            if s in lx.SHARED_NOUNS and s not in ("team", "product", "platform", "business"):
                return s + "s" if not word.endswith("s") and s.isalpha() else word
    return DEFAULT_AUDIENCE


def metric(texts: Iterable[str]) -> str | None:
    """A measure the author already named ("activation", "retention"), if any."""
    for text in texts:
        doc = Doc.of(text)
        for word, s in zip(doc.words, doc.stems, strict=True):
            if s in lx.METRIC_NOUNS:
                return word
    return None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def gerund(verb: str) -> str:
    """ "write" -> "writing", "run" -> "running": enough English for a rewrite."""
    v = verb.lower()
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")) and len(v) > 2:
        return v[:-1] + "ing"
    vowels = "aeiou"
    if (
        len(v) <= 4
        and len(v) >= 3
        and v[-1] not in vowels + "wxy"
        and v[-2] in vowels
        and v[-3] not in vowels
    ):
        return v + v[-1] + "ing"
    return v + "ing"


def _gerund_phrase(kr: str) -> str:
    words = kr.split()
    if words and stem(words[0]) in lx.BINARY_VERBS | lx.CHORE_VERBS:
        return " ".join([gerund(words[0]), *words[1:]])
    return _lower_first(kr)


def _strip_verb(text: str) -> str:
    words = text.split()
    if words and stem(words[0]) in lx.BINARY_VERBS | lx.CHORE_VERBS:
        words = words[1:]
    return " ".join(words).rstrip(".") or text


def key_result_rewrite(kr: str, findings: Sequence[Finding]) -> str:
    """A lone key result, rewritten for the first craft rule it broke."""
    rule = next((f.rule_id for f in findings if f.rule_id.startswith("kr.")), None)
    own = metric([kr])
    measure = own or f"<the result {topic(kr)} should bring>"
    if rule in ("kr.binary", "kr.output", "kr.measurable") and own is None:
        rule = "kr.output"
    return f"KR: {fix_key_result(kr, rule, measure)}"


def routine_rewrite(objective: str) -> str:
    """The outcome the routine work serves, with key-result skeletons."""
    thing = topic(objective)
    who = audience([objective])
    lines = [
        f"Objective: Make {thing} work better for {who}",
        f"KR1: Raise satisfaction with {thing} from {msg.BASELINE}/10 to {msg.TARGET}/10 "
        f"by {msg.DEADLINE}",
        f"KR2: Cut the time spent on {thing} from {msg.BASELINE} to {msg.TARGET} by {msg.DEADLINE}",
        f"KR3: Reduce problems with {thing} that need a follow-up from {msg.BASELINE} to "
        f"{msg.TARGET} a month by {msg.DEADLINE}",
    ]
    return "\n".join(lines)


def strategic_rewrite(
    objective: str,
    key_results: Sequence[str],
    findings: Sequence[Finding],
    *,
    confidence_given: bool,
) -> str:
    """The draft with each offending key result rewritten; skeletons when there are none."""
    thing = topic(objective)
    named = metric([objective])
    measure = named or f"<main measure of {thing}>"
    who = audience([objective, *key_results])
    users = DEFAULT_USERS if who == DEFAULT_AUDIENCE else who
    by_target: dict[str, str] = {}
    for f in findings:
        if f.target and f.target.startswith("KR") and f.target not in by_target:
            by_target[f.target] = f.rule_id
    lines = [f"Objective: {objective.rstrip('.')}"]
    if not key_results:
        lines += [
            f"KR1: Raise {measure} from {msg.BASELINE} to {msg.TARGET} by {msg.DEADLINE}",
            f"KR2: Cut <the main thing holding back {thing}> from {msg.BASELINE} to "
            f"{msg.TARGET} by {msg.DEADLINE}",
        ]
    for i, kr in enumerate(key_results):
        label = kr_label(i)
        rule = by_target.get(label)
        own = metric([kr]) or named
        if rule == "kr.binary" and own is None:
            kr_measure = f"the share of {users} using {_lower_first(_strip_verb(kr))}"
        else:
            kr_measure = own or measure
        lines.append(f"{label}: {fix_key_result(kr, rule, kr_measure)}")
    if not confidence_given:
        lines.append("Confidence: ?/10")
    return "\n".join(lines)


def fix_key_result(kr: str, rule_id: str | None, measure: str) -> str:
    """Rewrite one key result for the rule it broke (or just add a deadline)."""
    kr = kr.rstrip(". ")
    b, t, d = msg.BASELINE, msg.TARGET, msg.DEADLINE
    if rule_id == "kr.binary":
        if measure.startswith("the share of"):
            return f"Raise {measure} from {b}% to {t}% by {d}"
        return f"Raise {measure} from {b}% to {t}% by {d} with {_lower_first(_strip_verb(kr))}"
    if rule_id == "kr.output":
        return f"Raise {measure} from {b} to {t} by {d} by {_gerund_phrase(kr)}"
    if rule_id == "kr.measurable":
        return f"{kr}, measured as {measure} moving from {b} to {t} by {d}"
    if rule_id == "kr.sandbag":
        number = _FIRST_NUMBER.search(kr)
        rest = kr[number.end() :].strip() if number else ""
        if number and rest:
            return f"Raise {rest} from {number.group(0).strip()} to {t} by {d}"
        return f"{kr}, moving from where it is today to {t} by {d}"
    if rule_id == "kr.baseline":
        fixed = (
            _TO_NUMBER.sub(f"from {b} to ", kr, count=1)
            if _TO_NUMBER.search(kr)
            else f"{kr} (from {b} today)"
        )
        return fixed if has_deadline(fixed) else f"{fixed} by {d}"
    return kr if has_deadline(kr) else f"{kr} by {d}"
