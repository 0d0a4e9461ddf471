"""Clause a line: its verb, the object of that verb, the phrases after it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coaching import lexicon as lx
from coaching.rewrite.grammar import (
    IRREGULAR_PARTICIPLES,
    MASS_NOUNS,
    is_plural,
    pluralize,
    sentence_lower,
    tidy,
)
from coaching.rewrite.vocabulary import (
    CLAUSE_STARTS,
    DETERMINERS,
    PRONOUN_SUBJECTS,
    is_verb,
)
from coaching.textutil import stem, word_set

FALLBACK_TOPIC = "this work"
# A topic longer than this is a clause, not the name of a thing.
_MAX_TOPIC_WORDS = 7
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|[\w$€£#@&/+%'\u2019.\-]+|[^\s\w]")
_HARD_STOPS = frozenset(';:.!?()[]{}\u2014\u2013-"|')
_NUMBER_TOKEN = re.compile(r"^[$€£~]?\d[\d,.]*(?:%|k|m|bn|x|h|st|nd|rd|th|\+)?$", re.I)
_NUMBER_WORDS = word_set("one two three four five six seven eight nine ten dozen several few")
_QUANTIFIERS = word_set("every each all any")
# Words that may open the object of the verb but are not part of it.
_LEADING_NOISE = word_set(
    "to of and on for with we i will be sure that up through out in at into about some "
    "there whether if off over upon around back down least most more than nearly almost"
)
# Cadence adjectives inside the object ("the weekly design sync"): the rhythm, not the thing.
_CADENCE_WORDS = word_set(
    "daily weekly biweekly fortnightly monthly quarterly yearly annual annually nightly "
    "hourly recurring regular routine ongoing usual periodic"
)
# A state the object should be kept in ("Keep the list tidy"): not part of the object.
_STATE_WORDS = (
    word_set(
        "tidy clean current accurate ready productive filled done successful successfully "
        "correct working healthy green updated compliant visible aware informed happy "
        "possible available"
    )
    | lx.ASPIRATION_ADJECTIVES
)
# Words people post that name no thing: greetings, fillers, placeholders.
_FILLERS = word_set(
    "hi hello hey thanks thank ok okay yes no test testing todo tbd tba stuff things thing "
    "something asdf lol please"
)
_PARTICLES = word_set("up out through in on off back down over into")
# Phrasal openings: the particle belongs to the verb, not to the object.
_PHRASAL = frozenset(
    (stem(verb), particle)
    for verb, particle in re.findall(
        r"(\w+) (\w+)",
        "set up, clean up, follow up, go through, check in, sign off, hand off, reach out, "
        "fill out, fill in, back up, write up, send out, look into, look at, catch up, win back, "
        "roll out, keep up, run through, close out, wrap up, tidy up, sort out, turn on, "
        "turn off, log in, take over, pick up, figure out, work through, work on, "
        "participate in, find out",
    )
)
_BE_WORDS = word_set("be is are was were been get gets got")
_ASPECT_VERBS = frozenset(stem(w) for w in ("continue", "keep", "start", "begin", "resume"))
_MODALS = word_set("will should must shall can could would 'll")
_TO_MODALS = word_set("need needs has have want wants plan plans aim aims going expected able")
_PREPOSITIONS = word_set(
    "to on for with by in at from within before after across into via during of about "
    "through over under among toward towards"
)


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if len(tok) > 1 and tok.endswith(".") and not _NUMBER_TOKEN.match(tok):
            core = tok.rstrip(".")
            if core:
                out.append(core)
            out.append(".")
        else:
            out.append(tok)
    return out


def _is_stop(tok: str) -> bool:
    return tok in _HARD_STOPS or not any(c.isalnum() for c in tok)


def _is_number(tok: str) -> bool:
    return bool(_NUMBER_TOKEN.match(tok)) or tok.lower() in _NUMBER_WORDS


@dataclass(frozen=True, slots=True)
class Phrase:
    """A noun phrase in the author's words, with what a sentence needs to know about it."""

    words: tuple[str, ...]
    # Quantified by "every"/"each"/"all" ("every partner email"): read as a plural.
    every: bool = False
    # Starts the line, so its first word carries a sentence capital, not a name's.
    initial: bool = False

    @property
    def head(self) -> str:
        return self.words[-1].lower() if self.words else ""

    @property
    def plural(self) -> bool:
        return self.every or is_plural(self.head)

    @property
    def determined(self) -> bool:
        first = self.words[0].lower() if self.words else ""
        return first in DETERMINERS or any(
            w.lower().endswith(("'s", "\u2019s")) for w in self.words
        )

    def text(self) -> str:
        """As written, "every partner email" read as "partner emails"."""
        words = list(self.words)
        if self.every and words and not is_plural(words[-1].lower()):
            words[-1] = pluralize(words[-1])
        if self.initial and words:
            words[0] = sentence_lower(words[0], words[1] if len(words) > 1 else "")
        return " ".join(words)

    def definite(self) -> str:
        """Fit for the middle of a sentence: "a content review" -> "the content review"."""
        text = self.text()
        words = text.split()
        if not words:
            return text
        first = words[0].lower()
        if first in ("a", "an"):
            return " ".join(["the", *words[1:]])
        if (
            first in DETERMINERS
            or self.determined
            or self.plural
            or self.head in MASS_NOUNS
            or words[0][:1].isupper()
        ):
            return text
        return "the " + text

    def bare_plural(self) -> str:
        """Many of the thing: "the VAT return" -> "VAT returns" (names the set, not one)."""
        words = self.text().split()
        while words and words[0].lower() in DETERMINERS:
            words = words[1:]
        if words and not is_plural(words[-1].lower()) and words[-1].lower() not in MASS_NOUNS:
            words[-1] = pluralize(words[-1])
        return " ".join(words)


@dataclass(frozen=True, slots=True)
class Clause:
    verb: str  # the opening verb as written, with its particle ("set up"); "" when none
    obj: Phrase
    # Noun phrases after a preposition later in the line ("at the leadership meeting").
    later: tuple[Phrase, ...] = ()
    # The state the object is put in: "tidy" in "Keep the list tidy".
    state: str = ""
    # The task as written, from its verb to the end of its first sentence.
    clause: str = ""
    # Who the object is shared with: "the agency" in "check-ins with the agency".
    partner: Phrase | None = None

    @property
    def verb_stem(self) -> str:
        """The stem of the verb's first word: "set" for "set up"; "" when none."""
        return stem(self.verb.split()[0]) if self.verb else ""


def _first_segment(tokens: list[str]) -> list[str]:
    """Up to the first hard stop (".", ";", ":", a dash) that has a word before it.

    A short label before a colon ("Regular updates: send the newsletter") gives way to the
    task after it when that starts with a verb.
    """
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok in _HARD_STOPS or (_is_stop(tok) and tok != ","):
            if any(not _is_stop(t) for t in out):
                rest = tokens[i + 1 :]
                if tok == ":" and len(out) <= 3 and not is_verb(out[0]) and _starts_verb(rest):
                    return _first_segment(rest)
                break
            out = []
            continue
        out.append(tok)
    return out


def _starts_verb(tokens: list[str]) -> bool:
    return bool(tokens) and is_verb(tokens[0])


def _drop_lead_in(words: list[str]) -> tuple[list[str], list[str]]:
    """The task and who does it: "The lead will send X" -> (["send", "X"], ["The", "lead"])."""
    if "," in words[:6]:
        cut = words.index(",")
        if cut and not is_verb(words[0]):
            words = words[cut + 1 :]
    lowered = [w.lower() for w in words]
    for i, w in enumerate(lowered[:6]):
        if w in _MODALS and i + 1 < len(words):
            return words[i + 1 :], words[:i]
        if w in _TO_MODALS and i + 1 < len(words) and lowered[i + 1] == "to":
            return words[i + 2 :], words[:i]
        if w == "responsible" and i + 1 < len(words) and lowered[i + 1] == "for":
            return words[i + 2 :], []
    if lowered and lowered[0] in PRONOUN_SUBJECTS and len(words) > 1:
        return words[1:], []
    if lowered and lowered[0] == "to" and len(words) > 1:
        return words[1:], []
    return words, []


def _passive_verb(words: list[str], at: int) -> str:
    """ "updated" in "be updated", "is implemented": the verb of a passive, or ""."""
    if at + 1 < len(words) and words[at].lower() in _BE_WORDS:
        nxt = words[at + 1]
        if nxt.lower().endswith(("ed", "en")) or stem(nxt.lower()) in IRREGULAR_PARTICIPLES:
            return nxt
    return ""


def _opening_verb(words: list[str]) -> tuple[str, int, list[str]]:
    """(verb, where its object starts, the subject when the verb comes after one)."""
    if not words:
        return "", 0, []
    first = words[0].lower()
    second = words[1].lower() if len(words) > 1 else ""
    third = words[2] if len(words) > 2 else ""
    if first in ("make", "ensure") and second == "sure":
        return "make sure", 2, []
    # A word the lexicons do not know, before "the"/"a"/"our": "Revise the prospectus".
    unknown_verb = (
        first.isalpha()
        and second in DETERMINERS
        and first not in DETERMINERS | _QUANTIFIERS | CLAUSE_STARTS | _LEADING_NOISE
    )
    if is_verb(words[0]) or unknown_verb:
        verb, start = first, 1
        if second in _PARTICLES and (stem(first), second) in _PHRASAL:
            verb, start = f"{first} {second}", 2
        if stem(first) in _ASPECT_VERBS and second.endswith("ing") and len(second) > 5:
            verb, start = second, 2  # "Continue supporting X": the work is supporting X
        if stem(first) in _ASPECT_VERBS and second == "to" and third and is_verb(third):
            verb, start = third.lower(), 3  # "Continue to run X": the work is running X
        # "Review and approve PRs", "Create, test and publish X": the object comes later.
        while (
            start + 1 < len(words)
            and words[start].lower() in ("and", "&", "or", "/", ",")
            and is_verb(words[start + 1])
        ):
            start += 2
        return verb, start, []
    for i in range(1, min(4, len(words) - 1)):
        passive = _passive_verb(words, i)
        if passive:
            return passive.lower(), i + 2, words[:i]
        low = words[i].lower()
        following = words[i + 1].lower()
        if (
            low.endswith("s")
            and is_verb(low)
            and (following in DETERMINERS or _is_number(words[i + 1]))
        ):
            return low, i + 1, []
    return "", 0, []


def _noun_phrase(words: list[str], start: int, *, initial: bool = False) -> tuple[Phrase, int]:
    """The noun phrase from ``start``: noise, cadence and numbers skipped; where it ends."""
    i = start
    every = False
    while i < len(words):
        low = words[i].lower()
        if low in _QUANTIFIERS:
            every = every or low in ("every", "each")
        elif not (low in _LEADING_NOISE or _is_number(words[i]) or low in _CADENCE_WORDS):
            break
        initial = False
        i += 1
    kept: list[str] = []
    while i < len(words) and len(kept) < _MAX_TOPIC_WORDS:
        tok = words[i]
        low = tok.lower()
        content = any(k.lower() not in DETERMINERS for k in kept)
        if _is_stop(tok):
            break
        if content and low in CLAUSE_STARTS:
            break
        if content and low in DETERMINERS and kept[-1].lower() != "of":
            break
        if (
            content
            and low.endswith("ed")
            and i + 1 < len(words)
            and words[i + 1].lower() in _PREPOSITIONS
        ):
            break  # "changes listed in the issue": the changes
        if (
            content
            and low in _STATE_WORDS
            and (i + 1 == len(words) or words[i + 1].lower() in CLAUSE_STARTS | {","})
        ):
            break
        if low in _CADENCE_WORDS or _is_number(tok):
            i += 1
            if _NUMBER_TOKEN.match(tok) and not kept and i < len(words) and words[i] == "of":
                i += 1  # "90% of P2 bugs": the bugs
            continue
        kept.append(tok)
        i += 1
    while kept and kept[-1].lower() in CLAUSE_STARTS | DETERMINERS | _QUANTIFIERS:
        kept.pop()
    if len(kept) == 1 and (len(kept[0]) < 3 or kept[0].lower() in _FILLERS):
        kept = []  # "hi", "ok", "tbd": nothing to name
    return Phrase(tuple(kept), every, initial and bool(kept)), i


def parse_clause(text: str) -> Clause:
    """The task a line states: its verb, the object, the state it is put in, later phrases."""
    plain = re.sub(r"[\"\u201c\u201d]", "", " ".join(text.split()))
    words, subject = _drop_lead_in(_first_segment(_tokens(plain)))
    while len(words) > 1 and words[0].lower().endswith("ly") and len(words[0]) > 4:
        words = words[1:]  # "Thoroughly document X", "Quickly address X"
    if subject and words and _passive_verb(words, 0):
        # "The CLAs should be updated": the CLAs are the object of "update".
        verb, start = _passive_verb(words, 0).lower(), 2
    else:
        verb, start, subject = _opening_verb(words)
    if subject:
        obj, _ = _noun_phrase(subject, 0, initial=True)
        end = start
    else:
        obj, end = _noun_phrase(words, start, initial=start == 0)
    state = words[end] if end < len(words) and words[end].lower() in _STATE_WORDS else ""
    later: list[Phrase] = []
    partner_at = end if end < len(words) and words[end].lower() == "with" else -1
    partner = None
    i = end
    while i < len(words):
        if words[i].lower() == "to" and i + 1 < len(words) and is_verb(words[i + 1]):
            i += 2  # "to ensure X": an infinitive, its verb is no noun
        elif words[i].lower() in _PREPOSITIONS:
            phrase, nxt = _noun_phrase(words, i + 1)
            if phrase.words:
                later.append(phrase)
                partner = phrase if i == partner_at else partner
            i = max(nxt, i + 1)
        else:
            i += 1
    first = verb.split()[0] if verb else ""
    at = next((i for i, w in enumerate(words) if first and w.lower() == first), 0)
    clause = tidy(" ".join(words if subject else words[at:]))
    return Clause(verb, obj, tuple(later), state, clause, partner)


def topic(text: str) -> str:
    """The thing the draft is about, in the author's words: verb, cadence, numbers removed."""
    phrase = parse_clause(text).obj
    return phrase.text() if phrase.words else FALLBACK_TOPIC
