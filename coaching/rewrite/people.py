"""The people a draft serves, in its own words."""

from __future__ import annotations

import re
from collections.abc import Iterable

from coaching.rewrite.grammar import is_plural, pluralize
from coaching.rewrite.vocabulary import lower_without_possessive
from coaching.textutil import stem, word_set

DEFAULT_AUDIENCE = "the people who rely on it"
DEFAULT_USERS = "people"
PEOPLE = {
    stem(w): w
    for w in word_set(
        "customer client user member partner developer engineer designer contributor "
        "maintainer investor stakeholder employee colleague teammate manager leader hire "
        "starter joiner newcomer agent candidate applicant reader subscriber attendee "
        "participant student learner patient guest visitor shopper buyer donor volunteer "
        "instructor reseller supplier vendor merchant seller speaker author"
    )
}
_GROUPS = {stem(w): f"the {w}" for w in ("community", "team", "board", "staff", "leadership")}


def people_named(texts: Iterable[str], *, groups: bool = True) -> str | None:
    """The first people the draft names, as a plural: "partner email" -> "partners"."""
    for text in texts:
        for word in re.findall(r"[A-Za-z][A-Za-z'\u2019-]*", text):
            low = lower_without_possessive(word)
            s = stem(low)
            if s in PEOPLE:
                return pluralize(low) if low != "staff" else "staff"
            if groups and s in _GROUPS:
                return low if is_plural(low) else _GROUPS[s]
    return None


def audience(texts: Iterable[str]) -> str:
    return people_named(texts) or DEFAULT_AUDIENCE
