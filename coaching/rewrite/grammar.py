"""Enough English for a rewrite: plurals, gerunds, participles, capitals, a tidy end."""

from __future__ import annotations

import re

from coaching.rewrite.vocabulary import is_verb
from coaching.textutil import stem, word_set

# Nouns that are not a thing one can hold: no article in front ("payroll", "feedback").
MASS_NOUNS = word_set(
    "payroll feedback travel data documentation content information software equipment "
    "inventory stock support research work mail news advice hiring onboarding uptime "
    "engagement revenue traffic reliability security quality performance stuff"
)
_NOT_PLURAL_ENDINGS = ("ss", "us", "is", "'s", "\u2019s")
_IRREGULAR_PLURALS = word_set("people staff children media data criteria")
_SUBMIT_LIKE = word_set("submit commit admit permit refer occur prefer begin forget upset")
# Past participles for the standard a chore keeps ("emails answered within 24h"), by stem.
IRREGULAR_PARTICIPLES = {
    stem(v): p
    for v, p in (
        ("send", "sent"),
        ("run", "run"),
        ("write", "written"),
        ("take", "taken"),
        ("do", "done"),
        ("make", "made"),
        ("keep", "kept"),
        ("hold", "held"),
        ("pay", "paid"),
        ("read", "read"),
        ("set", "set"),
        ("put", "put"),
        ("get", "handled"),
        ("give", "given"),
        ("build", "built"),
        ("bring", "brought"),
        ("buy", "bought"),
        ("meet", "met"),
        ("lead", "led"),
        ("find", "found"),
        ("begin", "begun"),
        ("choose", "chosen"),
        ("cut", "cut"),
        ("go", "gone"),
        ("see", "seen"),
        ("sell", "sold"),
        ("tell", "told"),
        ("spend", "spent"),
        ("win", "won"),
        ("shut", "shut"),
        ("feed", "fed"),
    )
}
_PARTICIPLE_TO = frozenset(stem(v) for v in ("respond", "reply", "attend to", "react"))


def sentence_lower(word: str, following: str) -> str:
    """Lower a sentence capital ("Changelog videos"), keep a name's ("Public Meeting")."""
    if word[:1].isupper() and word[1:].islower() and (not following or following[:1].islower()):
        return word.lower()
    return word


def is_plural(word: str) -> bool:
    w = word.lower()
    if w in _IRREGULAR_PLURALS:
        return True
    return len(w) > 2 and w.endswith("s") and not w.endswith(_NOT_PLURAL_ENDINGS)


def pluralize(word: str) -> str:
    w = word.lower()
    if w in MASS_NOUNS or is_plural(w) or not w[-1:].isalpha():
        return word
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        return word[:-1] + "ies"
    if w.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def gerund(verb: str) -> str:
    """ "write" -> "writing", "run" -> "running": enough English for a rewrite."""
    v = verb.lower()
    if v in _SUBMIT_LIKE:
        return v + v[-1] + "ing"
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


def gerund_of(word: str) -> str:
    """The -ing form of a verb as the author wrote it: "Answer", "Onboarded", "Running"."""
    low = word.lower()
    if low.endswith("ing") and len(low) > 5:
        return low
    if low.endswith(("ed", "es", "s")) and not low.endswith(("ss", "us")) and stem(low) != low:
        return gerund(stem(low))  # "Onboarded", "Continues": from the stem
    return gerund(low)


def participle(verb: str) -> str:
    """ "answer" -> "answered", "send" -> "sent", "respond" -> "responded to"."""
    words = verb.lower().split()
    if not words:
        return ""
    v, rest = words[0], words[1:]
    s = stem(v)
    if v.endswith("ing") and len(v) > 5:
        v = s
    if s in IRREGULAR_PARTICIPLES:
        form = IRREGULAR_PARTICIPLES[s]
    elif v.endswith("ed"):
        form = v
    elif v in _SUBMIT_LIKE:
        form = v + v[-1] + "ed"
    elif v.endswith("e"):
        form = v + "d"
    elif v.endswith("y") and len(v) > 2 and v[-2] not in "aeiou":
        form = v[:-1] + "ied"
    elif len(v) in (3, 4) and v[-1] not in "aeiouwxy" and v[-2] in "aeiou" and v[-3] not in "aeiou":
        form = v + v[-1] + "ed"
    else:
        form = v + "ed"
    if s in _PARTICIPLE_TO and not rest:
        rest = ["to"]
    return " ".join([form, *rest])


def as_activity(text: str) -> str:
    """The chore as an activity: "Publish two posts a week" -> "publishing two posts a week"."""
    words = text.strip().rstrip(".").split()
    if words and is_verb(words[0]):
        return " ".join([gerund_of(words[0]), *words[1:]])
    return lower_first(" ".join(words))


def cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


_DANGLING = word_set(
    "to by from of for with and or in on at the a an our their its into than as per under "
    "over above below within least"
)


def tidy(text: str) -> str:
    text = re.sub(r"\s+([,.;:)])", r"\1", " ".join(text.split()))
    text = re.sub(r"\(\s*\)|,(?=\s*,)", "", text)
    words = text.strip(" ,;:-").split()
    while words and words[-1].lower().strip(",;:") in _DANGLING:
        words.pop()
    return " ".join(words).strip(" ,;:-")
