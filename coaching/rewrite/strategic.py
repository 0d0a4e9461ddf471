"""A strategic draft, changed only where a finding asked: numbers out, long cut short."""

from __future__ import annotations

import re
from collections.abc import Sequence

from coaching import lexicon as lx
from coaching import messages as msg
from coaching.craft import KR_MIN, OBJECTIVE_MAX_WORDS, check_key_results, has_deadline
from coaching.model import Finding
from coaching.rewrite.grammar import cap_first, tidy
from coaching.rewrite.key_results import fix_key_result, fixed_key_results
from coaching.rewrite.layout import okr_text
from coaching.rewrite.measures import (
    MONTHS,
    NUMBER,
    metric,
    missing_quantities,
    part_of_name,
    quantities,
)
from coaching.rewrite.people import DEFAULT_AUDIENCE, DEFAULT_USERS, audience
from coaching.rewrite.shorten import shorten
from coaching.rewrite.verb_object import topic
from coaching.rewrite.vocabulary import PRONOUN_SUBJECTS, is_verb, word_stems
from coaching.textutil import stem

_UNIT = (
    r"(?:\s*(?:percent|pp|points?|pts|days?|hours?|weeks?|months?|minutes?|mins?|ms|"
    r"seconds?|s\b|per\s+\w+))?"
)
_RATE = (
    r"(?:\s+(?:qoq|mom|yoy|wow|(?:week|month|quarter|year)\s+over\s+(?:week|month|quarter|year)))?"
)
_WHEN = (
    rf"(?:20\d\d[-\s]?q[1-4]|q[1-4][-\s]?20\d\d|q[1-4]|h[12]|fy\s?\d{{2,4}}|20\d\d|"
    rf"(?:{MONTHS})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+20\d\d)?|this\s+quarter|"
    rf"next\s+quarter|quarter|year)"
)
# After a number that ends a span: the end, punctuation, or a word that starts a new phrase.
_SPAN_END = (
    r"(?=\s*(?:$|[,.;:)]|\b(?:by|in|within|from|and|or|per|a|an|each|every|this|next|over|"
    r"during|before|after|for|qoq|mom|yoy|month|week|quarter|year)\b))"
)
_NUMBER_SPANS = re.compile(
    rf"\s*\bfrom\s+{NUMBER}{_UNIT}\s+to\s+{NUMBER}{_UNIT}"
    rf"|\s*\b(?:to\s+|down\s+to\s+)?(?:by|to|under|below|above|over|at|of|at least|at most|"
    rf"less than|more than|fewer than|up to|beyond|past)\s+{NUMBER}{_UNIT}{_RATE}{_SPAN_END}"
    rf"|\s*\bto\s+{NUMBER}\s+(?-i:[A-Z]{{2,5}})\b(?![\w-])"
    rf"|\s*\b(?:in|within|during|over)\s+(?:the\s+|their\s+|our\s+|its\s+)?"
    rf"(?:first|next|last|past)?\s*\d+\s*(?:days?|weeks?|months?|hours?|minutes?|years?)\b"
    rf"|\s*\b(?:by|before|in|until|for|through)\s+(?:the\s+)?(?:end\s+of\s+)?(?:the\s+)?"
    rf"{_WHEN}\b",
    re.I,
)
_BARE_NUMBER = re.compile(
    rf"(?:\b(?:at least|at most|more than|over|up to)\s+)?(?<![\w.\-/]){NUMBER}{_UNIT}{_RATE}"
    rf"(?![\w\-])\s*",
    re.I,
)
_SHARE_OF = re.compile(rf"\b(?:at least\s+)?{NUMBER}\s+of\s+", re.I)
_TOP_N = re.compile(rf"\btop\s+{NUMBER}\s+(?=most\b)", re.I)
_DOWN_TO = re.compile(r"^\s*to\s+(?:less|fewer|below|under|at most)", re.I)
_GROW_VERBS = word_stems("reach hit achieve attain")
_MORE_VERBS = word_stems("sign win add acquire land close serve hire onboard attract gain get have")
_AIM_VERBS = word_stems("drive bring push move take")
_DOWN_VERBS = word_stems(
    "reduce cut lower decrease minimize minimise shorten eliminate halve drop remove"
)
# Where a clause joins the next: " and sign ...", ", create ...", " to increase ...".
_CLAUSE_JOIN = re.compile(
    r"(?:,?\s+(?:and|&)\s+|,\s+|\s+(?:in order\s+)?to\s+|,?\s+by\s+(?=\w+ing\b))(?=(\w+))", re.I
)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\s+[-\u2013\u2014]\s+")


def _words_only(objective: str) -> str:
    """The objective with its amounts and dates taken out, saying the direction in words."""
    text = _TOP_N.sub("the ", objective)
    words = text.split()
    if len(words) > 1 and words[0].lower() in PRONOUN_SUBJECTS | {"our"}:
        words = words[1:]  # "We have 50 customers": the verb is "have"
    verb = stem(words[0].lower()) if words else ""
    removed: list[str] = []

    def drop(m: re.Match[str]) -> str:
        removed.append(m.group(0))
        return ""

    text = tidy(_NUMBER_SPANS.sub(drop, text))
    if verb in _AIM_VERBS and removed:
        text += " down" if _DOWN_TO.match(removed[0]) else " up"
    if verb in _MORE_VERBS or (verb in _GROW_VERBS and len(words) > 1):
        text = _SHARE_OF.sub("more ", text, count=1)
    else:
        text = _SHARE_OF.sub("", text)

    def bare(m: re.Match[str]) -> str:
        before = text[: m.start()].rstrip().rsplit(" ", 1)[-1] if m.start() else ""
        if part_of_name(text, m.start()):
            return m.group(0)  # part of a name: "Ubuntu 22.04"
        removed.append(m.group(0))
        if before.lower() == "to" or (
            verb in _MORE_VERBS and before.lower() not in ("first", "top", "our", "the", "more")
        ):
            return "more "  # "Sign 40 new accounts" -> "Sign more new accounts"
        return ""

    text = _BARE_NUMBER.sub(bare, text)
    if verb in _GROW_VERBS and removed and words:
        # "Reach 500 paying teams", "Hit 120% NRR": say which way, not where to stop.
        rest = text.split(maxsplit=1)[1] if len(text.split()) > 1 else ""
        text = ("Raise " if any("%" in r for r in removed) else "Grow ") + rest
    return tidy(text)


def _split_clauses(text: str) -> list[str]:
    """ "Launch the tier and sign our first 10 customers" -> its two verb clauses.

    A clause starts at "and <verb>", ", <verb>" or "to <verb of change>"; "identify and fix"
    (two verbs sharing an object) stays one clause.
    """
    parts: list[str] = []
    start = 0
    for m in _CLAUSE_JOIN.finditer(text):
        nxt = m.group(1)
        before = text[start : m.start()].split()
        if not before or not is_verb(nxt) or is_verb(before[-1]):
            continue
        after = text[m.end() + len(nxt) :].lstrip()
        if not after or after[:1] in ",;" or after.split()[0].lower() in ("and", "or"):
            continue  # "features, scale, and performance": a list of nouns
        if m.group(0).strip().lower().endswith("to") and stem(nxt.lower()) not in (
            lx.STRONG_CHANGE_VERBS
        ):
            continue
        if m.group(0).strip(" ,").lower() == "by" and not quantities(text[start : m.start()]):
            continue  # "by giving X": the means, kept with its clause unless that has numbers
        parts.append(text[start : m.start()])
        start = m.end()
    parts.append(text[start:])
    return [p.strip(" ,.") for p in parts if p.strip(" ,.")]


def _numbers_out(objective: str) -> tuple[str, list[str]]:
    """(the objective in words, the key results that carry its amounts)."""
    if not quantities(objective):
        return objective, []
    sentences = [s.strip().rstrip(".;") for s in _SENTENCE.split(objective) if s.strip(" .;")]
    plain = [s for s in sentences if not quantities(s)]
    moved: list[str] = []
    for sentence in (s for s in sentences if quantities(s)):
        clauses = _split_clauses(sentence)
        numbered = [c for c in clauses if quantities(c)]
        for clause in numbered if len(numbered) <= 3 else [sentence]:
            if plain and not is_verb(clause.split()[0]):
                clause = f"{plain[0]}: {clause}"  # "Increase share of voice: 20% lift ..."
            moved.append(cap_first(clause))
    if len(moved) > 3:
        moved = [cap_first(objective.strip().rstrip("."))]
    stated = _words_only(". ".join(plain) if plain else objective)
    if len(stated.split()) < 2 or quantities(stated) == quantities(objective):
        return objective, []  # nothing to take out cleanly (a name's number): leave it
    return stated, moved


def strategic_rewrite(
    objective: str,
    key_results: Sequence[str],
    findings: Sequence[Finding],
    *,
    confidence_level: int | None = None,
) -> str:
    """The draft, changed only where a finding asked; skeletons when there are no key results."""
    rules = {f.rule_id for f in findings}
    thing = topic(objective)
    named = metric([objective])
    measure = named or f"<main measure of {thing}>"
    who = audience([objective, *key_results])
    users = DEFAULT_USERS if who == DEFAULT_AUDIENCE else who
    deadline_asked = "kr.deadline" in rules or not key_results

    stated = objective.strip().rstrip(".").strip()
    moved: list[str] = []
    if "objective.has_numbers" in rules:
        stated, moved = _numbers_out(stated)
    if "objective.too_long" in rules or len(stated.split()) > OBJECTIVE_MAX_WORDS:
        short = shorten(stated)
        if not moved and missing_quantities(stated, short):
            moved = _numbers_out(stated)[1] or [cap_first(stated)]
        stated = short
    # A key result that already carries the same amounts needs no copy.
    moved = [m for m in moved if all(missing_quantities(m, kr) for kr in key_results)]

    krs = [_fix_moved(m, deadline_asked) for m in moved]
    if not key_results and not moved:
        direction = "Cut" if _opening_stem(objective) in _DOWN_VERBS else "Raise"
        krs.append(f"{direction} {measure} from {msg.BASELINE} to {msg.TARGET} by {msg.DEADLINE}")
    krs += fixed_key_results(key_results, findings, named, thing, users=users)
    if "kr.count" in rules and len(krs) < KR_MIN:
        krs.append(
            f"Cut <the main thing holding back {thing}> from {msg.BASELINE} to "
            f"{msg.TARGET} by {msg.DEADLINE}"
        )
    return okr_text(stated, krs, confidence_level, ask=True)


def _opening_stem(text: str) -> str:
    words = text.split()
    return stem(words[0].lower()) if words else ""


def _fix_moved(kr: str, deadline_asked: bool) -> str:
    """The objective's numbers as a key result, fixed the way the coach would check it."""
    rule = next((f.rule_id for f in check_key_results([kr]) if f.target == "KR1"), None)
    if rule in ("kr.baseline", "kr.sandbag"):
        return fix_key_result(kr, rule, "")
    if deadline_asked and not has_deadline(kr):
        return f"{kr} by {msg.DEADLINE}"
    return kr
