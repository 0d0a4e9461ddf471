"""A routine draft rewritten as the outcome it protects, in the author's words."""

from __future__ import annotations

import re
from collections.abc import Sequence

from coaching import messages as msg
from coaching.model import Finding
from coaching.rewrite.grammar import as_activity, cap_first, gerund_of, participle, pluralize
from coaching.rewrite.key_results import LEVEL_VERBS, fixed_key_results, sandbag_fix
from coaching.rewrite.layout import okr_text
from coaching.rewrite.measures import metric, missing_quantities
from coaching.rewrite.outcomes import (
    CLEANUP,
    EVENTS,
    HIRING,
    MEETING,
    MONITORING,
    ONBOARDING,
    match_kind,
)
from coaching.rewrite.people import PEOPLE, people_named
from coaching.rewrite.verb_object import FALLBACK_TOPIC, Clause, Phrase, parse_clause
from coaching.rewrite.vocabulary import DETERMINERS, lower_without_possessive, noun_key, noun_keys
from coaching.textutil import stem, word_set

_DIGIT = re.compile(r"\d")
_COUNT_WORDS = word_set("two three four five six seven eight nine ten eleven twelve dozen")
ROUTINE_KEY_RESULTS = 3
# Instruments one watches problems on ("the error dashboard"), rather than the thing watched.
_INSTRUMENTS = noun_keys("rota on-call pager dashboard alert log metric graph monitor queue report")
_ON_NOUNS = noun_keys("page site website portal board channel")
_UPKEEP_LEVEL_VERBS = frozenset(stem(v) for v in LEVEL_VERBS)
# The standard a chore keeps: "within 24h", "the same day", "on time", "before Friday".
_STANDARD = re.compile(
    r"\b(?:within|in under|in less than|in fewer than|under|inside)\s+"
    r"(?:one|two|three|four|five|six|seven|ten|a|an|\d+(?:\.\d+)?)\s*"
    r"(?:(?:business|working|calendar)\s+)?"
    r"(?:h|hrs?|hours?|minutes?|mins?|days?|weeks?|months?|sprints?|seconds?|secs?)\b"
    r"(?:\s+of\s+(?:the\s+)?[\w-]+(?:\s+end)?)?"
    r"|\b(?:on\s+)?the\s+same\s+(?:business\s+|working\s+)?day\b|\bsame[- ]day\b"
    r"|\bon\s+time\b"
    r"|\bbefore\s+(?:(?:they|it)\s+\w+|(?:the\s+)?[\w-]+(?:\s+end)?)"
    r"|\b(?:by|on)\s+the\s+\d{1,2}(?:st|nd|rd|th)\b(?:\s+of\s+(?:the|each|every)\s+month)?",
    re.I,
)
_SHARE = re.compile(r"(\d+(?:\.\d+)?\s*%)\s+of\b")


def _onboarding_people(clause: Clause) -> str | None:
    """The new people, in the author's words: "the two new support agents" -> plural."""
    if clause.verb_stem in ONBOARDING.verbs and clause.obj.words:
        return clause.obj.bare_plural()
    for phrase in (clause.obj, *clause.later):
        words = [w for w in phrase.words if w.lower() not in DETERMINERS]
        for i, word in enumerate(words):
            low = lower_without_possessive(word)
            if stem(low) in PEOPLE:
                return " ".join([*words[:i], pluralize(low)])
    return None


def _standard_key_result(clause: Clause, thing: Phrase) -> str | None:
    """The standard the chore keeps, as a measure to move: "answered within 24h" from X%."""
    b, y, d = msg.BASELINE, msg.TARGET, msg.DEADLINE
    text = clause.clause
    if clause.verb_stem in _UPKEEP_LEVEL_VERBS and _DIGIT.search(text):
        return sandbag_fix(text)
    standard = _STANDARD.search(text)
    share = _SHARE.search(text)
    if not clause.verb or not (standard or share) or not thing.words:
        return None
    done = participle(clause.verb)
    when = f" {standard.group(0)}" if standard else ""
    if (thing.plural and not thing.determined) or thing.every or share:
        target = share.group(1).replace(" ", "") if share else f"{y}%"
        return f"Raise the share of {thing.bare_plural()} {done}{when} from {b}% to {target} by {d}"
    is_ = "are" if thing.plural else "is"
    return (
        f"Raise how often {thing.definite()} {is_} {done}{when} from {b}% to {y}% of the time "
        f"by {d}"
    )


def routine_rewrite(
    objective: str,
    key_results: Sequence[str] = (),
    findings: Sequence[Finding] = (),
    *,
    confidence_level: int | None = None,
) -> str:
    """The outcome the routine work protects, with key results built on the author's words."""
    clause = parse_clause(objective)
    kind, thing = match_kind(clause)
    it = "them" if thing.plural else "it"
    people = people_named([objective]) or kind.people.format(it=it)
    if kind is ONBOARDING:
        people = _onboarding_people(clause) or kind.people
    elif kind in (MEETING, EVENTS, CLEANUP, MONITORING, HIRING):
        people = kind.people
    head = thing.head
    instrument = noun_key(head) in _INSTRUMENTS
    named_thing = thing.definite()
    if kind is MEETING and thing is clause.obj and clause.partner:
        named_thing += f" with {clause.partner.definite()}"  # "check-ins with the agency"
    fill = {
        "t": named_thing,
        "g": _activity(clause, thing),
        "people": people,
        # "Give customers fast answers to customer chats": the people once is enough.
        "whom": "" if noun_key(people.split()[-1]) in thing.text().lower() else people + " ",
        "it": it,
        "on": "on" if noun_key(head) in _ON_NOUNS else "in",
        "watch": f"Use {named_thing} to catch problems"
        if instrument
        else f"Catch problems with {named_thing}",
        "seen": f"caught by {thing.definite()}"
        if instrument
        else f"with {thing.definite()} caught",
        "b": msg.BASELINE,
        "y": msg.TARGET,
        "d": msg.DEADLINE,
    }
    krs = [cap_first(kr.format(**fill)) for kr in kind.key_results]
    standard = _standard_key_result(clause, thing if kind is not HIRING else clause.obj)
    if standard:
        krs = [standard, *krs[: ROUTINE_KEY_RESULTS - 1]]
    krs = krs[:ROUTINE_KEY_RESULTS]
    if key_results:
        # The author's own key results stay, fixed where a finding asked; the outcome's
        # key results only fill up to the usual count.
        own = fixed_key_results(key_results, findings, metric([objective]), thing.text())
        krs = [*own, *krs[: max(0, ROUTINE_KEY_RESULTS - len(own))]]
    written = "\n".join(krs)
    counted = [w for w in re.findall(r"[a-z]+", clause.clause.lower()) if w in _COUNT_WORDS]
    if missing_quantities(clause.clause, written) or any(
        not re.search(rf"\b{w}\b", written, re.I) for w in counted
    ):
        # Numbers the author gave stay: the chore becomes the way to move the first result.
        means = f", by {as_activity(clause.clause)}" if clause.verb else f" ({clause.clause})"
        krs[0] += means
    # The coach checks confidence on strategic drafts only: no "?/10" to fill in here.
    return okr_text(cap_first(kind.objective.format(**fill)), krs, confidence_level, ask=False)


def _activity(clause: Clause, thing: Phrase) -> str:
    """The chore as an activity in the author's words: "watering the office plants"."""
    if not clause.verb:
        return thing.definite()
    if clause.verb == "make sure":
        return as_activity(clause.clause)
    obj = clause.obj.text() if clause.obj.words else FALLBACK_TOPIC
    verb_words = clause.verb.split()
    parts = [gerund_of(verb_words[0]), *verb_words[1:], obj, clause.state]
    return " ".join(p for p in parts if p)
