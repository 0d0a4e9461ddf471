"""A long objective cut back to its head."""

from __future__ import annotations

import re

from coaching.rewrite.grammar import cap_first, tidy
from coaching.rewrite.vocabulary import is_verb
from coaching.textutil import word_set

# A shortened objective aims at this many words ("about a dozen", says the finding).
SHORT_OBJECTIVE_WORDS = 12
_ASIDES = (
    re.compile(r"\s+\([^()]*\)"),
    re.compile(r"\s+\[[^\[\]]*\]"),
    re.compile(
        r",\s*(?:whether|including|such as|especially|e\.g\.|i\.e\.|like|from|both|"
        r"either|even|which|who)\b[^,]*,",
        re.I,
    ),
    re.compile(r"\s*[\u2014\u2013]\s[^\u2014\u2013]*\s[\u2014\u2013]"),
)
_LEADING_CLAUSE = re.compile(
    r"^(?:when|if|as|while|once|since|for|because|although)\b[^,]*,\s*", re.I
)
_SEGMENT = re.compile(r"\s*(?:[;:!?]|\.\s|\s[\u2014\u2013-]\s)\s*")
_COMMA_CLAUSE = re.compile(
    r",\s+(?=(so|which|while|whereas|because|to|by|through|with|without|thus|thereby|and)\b"
    r"|(\w+ing)\b)",
    re.I,
)
_CUT_WORDS = word_set(
    "with without within for in on at by through across from via during before after into "
    "over among beyond using including so while because whether where when"
)
_LOOSE_CUT_WORDS = _CUT_WORDS | word_set("to of that which who and or")
# An objective cut back to its head may run this long when nothing cleaner is found.
SHORT_OBJECTIVE_MAX_WORDS = 14


def shorten(objective: str, limit: int = SHORT_OBJECTIVE_WORDS) -> str:
    """An objective cut back to its head: asides, trailing clauses and phrases dropped."""
    text = " ".join(objective.split()).rstrip(".")
    if len(text.split()) <= limit:
        return text
    for aside in _ASIDES:
        text = aside.sub("", text)
    if len(text.split()) > limit:
        parts = [p for p in _SEGMENT.split(text) if len(p.split()) >= 3]
        text = parts[0] if parts else text
    lead = _LEADING_CLAUSE.match(text)
    if len(text.split()) > limit and lead and len(text[lead.end() :].split()) >= 3:
        text = text[lead.end() :]
    if len(text.split()) > limit:
        for m in _COMMA_CLAUSE.finditer(text):
            word, ing = m.group(1), m.group(2)
            after = text[m.end() :].split()
            if word and word.lower() == "and" and not (len(after) > 1 and is_verb(after[1])):
                continue
            if ing and not is_verb(ing):
                continue
            if len(text[: m.start()].split()) >= 3:
                text = text[: m.start()]
                break
    for cut_words, most in ((_CUT_WORDS, limit), (_LOOSE_CUT_WORDS, SHORT_OBJECTIVE_MAX_WORDS)):
        while len(text.split()) > most:
            words = text.split()
            cut = next(
                (
                    i
                    for i in range(len(words) - 1, 2, -1)
                    if words[i].lower().strip(",") in cut_words
                ),
                None,
            )
            if cut is None:
                break
            text = " ".join(words[:cut])
    if len(text.split()) > SHORT_OBJECTIVE_MAX_WORDS:
        text = " ".join(text.split()[:limit])
    return cap_first(tidy(text)) or " ".join(objective.split()[:limit])
