"""A rewrite built from the author's own words, never a canned example.

Routine work becomes the outcome it protects (support replies: customers get answers; a
meeting: decisions made; upkeep: fewer incidents...), worded around the draft's own object
and audience, with key results that keep every number the author wrote. A strategic draft
changes only where a finding asked: numbers leave the objective for a key result, a long
objective is cut back to its head, offending key results are rewritten, the author's
confidence is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coaching import lexicon as lx
from coaching import messages as msg
from coaching.craft import (
    KR_MIN,
    OBJECTIVE_MAX_WORDS,
    check_key_results,
    has_deadline,
    kr_label,
)
from coaching.model import Finding
from coaching.textutil import Doc, stem, word_set

DEFAULT_AUDIENCE = "the people who rely on it"
DEFAULT_USERS = "people"
FALLBACK_TOPIC = "this work"
# A shortened objective aims at this many words ("about a dozen", says the finding).
SHORT_OBJECTIVE_WORDS = 12
_MAX_TOPIC_WORDS = 7
CONFIDENCE_LINE = "Confidence: {n}/10"
CONFIDENCE_UNKNOWN = "Confidence: ?/10"

# --- reading a line: its verb, the object of that verb, the phrases after it ----------------

_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|[\w$€£#@&/+%'\u2019.\-]+|[^\s\w]")
_HARD_STOPS = frozenset(';:.!?()[]{}\u2014\u2013-"|')
_NUMBER_TOKEN = re.compile(r"^[$€£~]?\d[\d,.]*(?:%|k|m|bn|x|h|st|nd|rd|th|\+)?$", re.I)
_DIGIT = re.compile(r"\d")
_COUNT_WORDS = word_set("two three four five six seven eight nine ten eleven twelve dozen")
_NUMBER_WORDS = word_set("one two three four five six seven eight nine ten dozen several few")
_DETERMINERS = word_set("the a an this these those that our my your their its his her")
_QUANTIFIERS = word_set("every each all any")
# Words that may open the object of the verb but are not part of it.
_LEADING_NOISE = word_set(
    "to of and on for with we i will be sure that up through out in at into about some "
    "there whether if off over upon around back down least most more than nearly almost"
)
# Once the object has a word, these end it: prepositions, conjunctions, clauses, verbs.
_CLAUSE_STARTS = word_set(
    "to on for with by in at from within or and before after if so that when until across "
    "into via during which who whom whose where while because unless than as per without "
    "through over under between among against along beyond toward towards including like "
    "up out down off every each is are was were be been being has have had ran runs run get "
    "gets got can could will would should must shall may might do does did not we i you he "
    "she it they them us me there here then also both either vs versus once twice whether "
    "using what how why work works pass passes fail fails exist exists happen happens needs"
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
# Common verbs of work the classifier's lexicons do not need but a reader of drafts does.
_EXTRA_VERBS = frozenset(
    stem(w)
    for w in word_set(
        "be take give water restock bake patch choose address count chase refresh delight "
        "hire interview recruit welcome watch clean tidy declutter sort reply serve land "
        "acquire sign have allow figure revise assess revamp craft draft"
    )
)
_VERBS = (
    lx.CHORE_VERBS | lx.CHANGE_VERBS | lx.BUILD_VERBS | lx.BINARY_VERBS | lx.UPKEEP_VERBS
) | _EXTRA_VERBS
_BE_WORDS = word_set("be is are was were been get gets got")
_ASPECT_VERBS = frozenset(stem(w) for w in ("continue", "keep", "start", "begin", "resume"))
_MODALS = word_set("will should must shall can could would 'll")
_TO_MODALS = word_set("need needs has have want wants plan plans aim aims going expected able")
_PRONOUN_SUBJECTS = word_set("we i you they")
_PREPOSITIONS = word_set(
    "to on for with by in at from within before after across into via during of about "
    "through over under among toward towards"
)
# Nouns that are not a thing one can hold: no article in front ("payroll", "feedback").
_MASS_NOUNS = word_set(
    "payroll feedback travel data documentation content information software equipment "
    "inventory stock support research work mail news advice hiring onboarding uptime "
    "engagement revenue traffic reliability security quality performance stuff"
)
_NOT_PLURAL_ENDINGS = ("ss", "us", "is", "'s", "\u2019s")
_IRREGULAR_PLURALS = word_set("people staff children media data criteria")
_SUBMIT_LIKE = word_set("submit commit admit permit refer occur prefer begin forget upset")
# Past participles for the standard a chore keeps ("emails answered within 24h"), by stem.
_IRREGULAR_PARTICIPLES = {
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


def _is_verb(tok: str) -> bool:
    low = tok.lower()
    return low.isascii() and (stem(low) in _VERBS or low in ("on-board", "onboard"))


@dataclass(frozen=True, slots=True)
class _Phrase:
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
        return self.every or _is_plural(self.head)

    @property
    def determined(self) -> bool:
        first = self.words[0].lower() if self.words else ""
        return first in _DETERMINERS or any(
            w.lower().endswith(("'s", "\u2019s")) for w in self.words
        )

    def text(self) -> str:
        """As written, "every partner email" read as "partner emails"."""
        words = list(self.words)
        if self.every and words and not _is_plural(words[-1].lower()):
            words[-1] = _pluralize(words[-1])
        if self.initial and words:
            words[0] = _sentence_lower(words[0], words[1] if len(words) > 1 else "")
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
            first in _DETERMINERS
            or self.determined
            or self.plural
            or self.head in _MASS_NOUNS
            or words[0][:1].isupper()
        ):
            return text
        return "the " + text

    def bare_plural(self) -> str:
        """Many of the thing: "the VAT return" -> "VAT returns" (names the set, not one)."""
        words = self.text().split()
        while words and words[0].lower() in _DETERMINERS:
            words = words[1:]
        if words and not _is_plural(words[-1].lower()) and words[-1].lower() not in _MASS_NOUNS:
            words[-1] = _pluralize(words[-1])
        return " ".join(words)


def _sentence_lower(word: str, following: str) -> str:
    """Lower a sentence capital ("Changelog videos"), keep a name's ("Public Meeting")."""
    if word[:1].isupper() and word[1:].islower() and (not following or following[:1].islower()):
        return word.lower()
    return word


def _is_plural(word: str) -> bool:
    w = word.lower()
    if w in _IRREGULAR_PLURALS:
        return True
    return len(w) > 2 and w.endswith("s") and not w.endswith(_NOT_PLURAL_ENDINGS)


def _pluralize(word: str) -> str:
    w = word.lower()
    if w in _MASS_NOUNS or _is_plural(w) or not w[-1:].isalpha():
        return word
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        return word[:-1] + "ies"
    if w.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


@dataclass(frozen=True, slots=True)
class _Reading:
    verb: str  # the opening verb as written, with its particle ("set up"); "" when none
    obj: _Phrase
    # Noun phrases after a preposition later in the line ("at the leadership meeting").
    later: tuple[_Phrase, ...] = ()
    # The state the object is put in: "tidy" in "Keep the list tidy".
    state: str = ""
    # The task as written, from its verb to the end of its first sentence.
    clause: str = ""
    # Who the object is shared with: "the agency" in "check-ins with the agency".
    partner: _Phrase | None = None


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
                if tok == ":" and len(out) <= 3 and not _is_verb(out[0]) and _starts_verb(rest):
                    return _first_segment(rest)
                break
            out = []
            continue
        out.append(tok)
    return out


def _starts_verb(tokens: list[str]) -> bool:
    return bool(tokens) and _is_verb(tokens[0])


def _drop_lead_in(words: list[str]) -> tuple[list[str], list[str]]:
    """The task and who does it: "The lead will send X" -> (["send", "X"], ["The", "lead"])."""
    if "," in words[:6]:
        cut = words.index(",")
        if cut and not _is_verb(words[0]):
            words = words[cut + 1 :]
    lowered = [w.lower() for w in words]
    for i, w in enumerate(lowered[:6]):
        if w in _MODALS and i + 1 < len(words):
            return words[i + 1 :], words[:i]
        if w in _TO_MODALS and i + 1 < len(words) and lowered[i + 1] == "to":
            return words[i + 2 :], words[:i]
        if w == "responsible" and i + 1 < len(words) and lowered[i + 1] == "for":
            return words[i + 2 :], []
    if lowered and lowered[0] in _PRONOUN_SUBJECTS and len(words) > 1:
        return words[1:], []
    if lowered and lowered[0] == "to" and len(words) > 1:
        return words[1:], []
    return words, []


def _passive_verb(words: list[str], at: int) -> str:
    """ "updated" in "be updated", "is implemented": the verb of a passive, or ""."""
    if at + 1 < len(words) and words[at].lower() in _BE_WORDS:
        nxt = words[at + 1]
        if nxt.lower().endswith(("ed", "en")) or stem(nxt.lower()) in _IRREGULAR_PARTICIPLES:
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
        and second in _DETERMINERS
        and first not in _DETERMINERS | _QUANTIFIERS | _CLAUSE_STARTS | _LEADING_NOISE
    )
    if _is_verb(words[0]) or unknown_verb:
        verb, start = first, 1
        if second in _PARTICLES and (stem(first), second) in _PHRASAL:
            verb, start = f"{first} {second}", 2
        if stem(first) in _ASPECT_VERBS and second.endswith("ing") and len(second) > 5:
            verb, start = second, 2  # "Continue supporting X": the work is supporting X
        if stem(first) in _ASPECT_VERBS and second == "to" and third and _is_verb(third):
            verb, start = third.lower(), 3  # "Continue to run X": the work is running X
        # "Review and approve PRs", "Create, test and publish X": the object comes later.
        while (
            start + 1 < len(words)
            and words[start].lower() in ("and", "&", "or", "/", ",")
            and _is_verb(words[start + 1])
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
            and _is_verb(low)
            and (following in _DETERMINERS or _is_number(words[i + 1]))
        ):
            return low, i + 1, []
    return "", 0, []


def _noun_phrase(words: list[str], start: int, *, initial: bool = False) -> tuple[_Phrase, int]:
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
        content = any(k.lower() not in _DETERMINERS for k in kept)
        if _is_stop(tok):
            break
        if content and low in _CLAUSE_STARTS:
            break
        if content and low in _DETERMINERS and kept[-1].lower() != "of":
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
            and (i + 1 == len(words) or words[i + 1].lower() in _CLAUSE_STARTS | {","})
        ):
            break
        if low in _CADENCE_WORDS or _is_number(tok):
            i += 1
            if _NUMBER_TOKEN.match(tok) and not kept and i < len(words) and words[i] == "of":
                i += 1  # "90% of P2 bugs": the bugs
            continue
        kept.append(tok)
        i += 1
    while kept and kept[-1].lower() in _CLAUSE_STARTS | _DETERMINERS | _QUANTIFIERS:
        kept.pop()
    if len(kept) == 1 and (len(kept[0]) < 3 or kept[0].lower() in _FILLERS):
        kept = []  # "hi", "ok", "tbd": nothing to name
    return _Phrase(tuple(kept), every, initial and bool(kept)), i


def _read(text: str) -> _Reading:
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
    later: list[_Phrase] = []
    partner_at = end if end < len(words) and words[end].lower() == "with" else -1
    partner = None
    i = end
    while i < len(words):
        if words[i].lower() == "to" and i + 1 < len(words) and _is_verb(words[i + 1]):
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
    clause = _tidy(" ".join(words if subject else words[at:]))
    return _Reading(verb, obj, tuple(later), state, clause, partner)


def topic(text: str) -> str:
    """The thing the draft is about, in the author's words: verb, cadence, numbers removed."""
    phrase = _read(text).obj
    return phrase.text() if phrase.words else FALLBACK_TOPIC


# --- the people a draft serves and the measure it names -----------------------------------

_PEOPLE = {
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


def _people(texts: Iterable[str], *, groups: bool = True) -> str | None:
    """The first people the draft names, as a plural: "partner email" -> "partners"."""
    for text in texts:
        for word in re.findall(r"[A-Za-z][A-Za-z'\u2019-]*", text):
            low = word.lower().removesuffix("'s").removesuffix("\u2019s")
            s = stem(low)
            if s in _PEOPLE:
                return _pluralize(low) if low != "staff" else "staff"
            if groups and s in _GROUPS:
                return low if _is_plural(low) else _GROUPS[s]
    return None


def audience(texts: Iterable[str]) -> str:
    return _people(texts) or DEFAULT_AUDIENCE


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


# --- verb forms ---------------------------------------------------------------------------


def _lower_first(text: str) -> str:
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


def _gerund_of(word: str) -> str:
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
    if s in _IRREGULAR_PARTICIPLES:
        form = _IRREGULAR_PARTICIPLES[s]
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


def _gerund_phrase(kr: str) -> str:
    words = kr.split()
    if words and stem(words[0]) in lx.BINARY_VERBS | lx.CHORE_VERBS:
        return " ".join([gerund(words[0]), *words[1:]])
    return _lower_first(kr)


def _doing(text: str) -> str:
    """The chore as an activity: "Publish two posts a week" -> "publishing two posts a week"."""
    words = text.strip().rstrip(".").split()
    if words and _is_verb(words[0]):
        return " ".join([_gerund_of(words[0]), *words[1:]])
    return _lower_first(" ".join(words))


def _strip_verb(text: str) -> str:
    words = text.split()
    if words and stem(words[0]) in lx.BINARY_VERBS | lx.CHORE_VERBS:
        words = words[1:]
    return " ".join(words).rstrip(".") or text


# --- routine work: the outcome it protects ------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Kind:
    """A kind of chore and the outcome it protects, as an objective and key results.

    Templates take {t} (the thing, e.g. "the design sync"), {g} (the chore as an activity),
    {people} (who it serves), {it} ("it"/"them"), {on} ("in"/"on") and the placeholders
    {b}, {y}, {d}.
    """

    name: str
    nouns: frozenset[str]
    verbs: frozenset[str]
    people: str
    objective: str
    key_results: tuple[str, ...]
    # Verbs that name the work whatever its object: "Clean up stale tickets" is clean-up.
    decides: frozenset[str] = frozenset()


def _key(word: str) -> str:
    """A noun's lookup key, its singular: "check-ins" and "check-in", "Tickets" and "ticket".

    Not the stem: stems collide across parts of speech ("meeting" and "Meet").
    """
    w = word.lower().removesuffix("'s").removesuffix("\u2019s")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def _nouns(words: str) -> frozenset[str]:
    return frozenset(_key(w) for w in word_set(words))


def _stems(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in word_set(words))


SUPPORT = _Kind(
    "support",
    _nouns("ticket chat inquiry enquiry question request complaint case support inbox"),
    _stems("answer respond reply triage"),
    "customers",
    "Give {whom}fast answers to {t} that solve the problem the first time",
    (
        "Raise satisfaction with answers to {t} from {b}/10 to {y}/10 by {d}",
        "Cut repeat contacts about the same problem from {b}% to {y}% by {d}",
        "Cut the median time to a first answer from {b} to {y} hours by {d}",
    ),
    decides=_stems("answer respond reply triage"),
)
MEETING = _Kind(
    "meeting",
    _nouns(
        "meeting sync standup stand-up check-in retro retrospective 1-1 one-on-one huddle "
        "all-hands kickoff"
    ),
    _stems("attend facilitate chair"),
    "everyone",
    "Use {t} to reach decisions faster and keep everyone aligned",
    (
        "Raise the share of attendees who rate {t} worth their time from {b}% to {y}% by {d}",
        "Raise the share of action items from {t} done by their due date from {b}% to {y}% by {d}",
        "Cut decisions reopened after {t} from {b} to {y} a month by {d}",
    ),
)
REPORT = _Kind(
    "report",
    _nouns(
        "report update status summary digest dashboard kpi kpis metric forecast briefing recap memo"
    ),
    _stems("report summarize summarise"),
    "readers",
    "Help {people} make decisions with current, accurate information from {t}",
    (
        "Raise the share of readers who say {t} helped them decide from {b}% to {y}% by {d}",
        "Cut follow-up questions that {t} should have answered from {b} to {y} a month by {d}",
        "Cut the hours spent on {t} from {b} to {y} a month by {d}",
    ),
)
DOCS = _Kind(
    "docs",
    _nouns(
        "doc docs document documentation wiki handbook guide faq runbook readme page chart manual "
        "playbook tutorial instructions website site"
    ),
    _stems("document"),
    "people",
    "Help {people} find answers {on} {t} without having to ask",
    (
        "Cut questions that {t} should have answered from {b} to {y} a month by {d}",
        "Raise the share of readers who find what they need {on} {t} from {b}% to {y}% by {d}",
        "Cut out-of-date sections {on} {t} from {b} to {y} by {d}",
    ),
    decides=_stems("document"),
)
CONTENT = _Kind(
    "content",
    _nouns("newsletter post blog article video podcast webinar tweet campaign"),
    _stems("publish tweet"),
    "readers",
    "Grow an engaged audience for {t}",
    (
        "Raise engagement with {t} (clicks, replies, shares) from {b} to {y} a month by {d}",
        "Grow the audience of {t} from {b} to {y} by {d}",
        "Raise sign-ups that come from {t} from {b} to {y} a month by {d}",
    ),
)
QUALITY = _Kind(
    "quality",
    _nouns("bug defect incident outage vulnerability error flake regression"),
    frozenset(),
    "users",
    "Cut how often {people} run into {t}",
    (
        "Cut {t} reported by {people} from {b} to {y} a month by {d}",
        "Cut {t} reopened after a fix from {b} to {y} a month by {d}",
        "Cut the time to fix {t} from {b} to {y} days by {d}",
    ),
)
UPKEEP = _Kind(
    "upkeep",
    _nouns(
        "server backup certificate dependency runner infrastructure ci pipeline database "
        "uptime cluster machine crm image alert tool tooling library repo "
        "repository branch environment"
    ),
    _stems("maintain patch upgrade repair restore rotate migrate fix"),
    "the people who depend on {it}",
    "Make {t} more reliable, with fewer incidents for {people}",
    (
        "Cut incidents caused by {t} from {b} to {y} a month by {d}",
        "Cut the time to recover from a problem with {t} from {b} to {y} minutes by {d}",
        "Cut unplanned hours spent fixing {t} from {b} to {y} a month by {d}",
    ),
)
MONITORING = _Kind(
    "monitoring",
    _nouns("monitoring alerting rota on-call pager"),
    _stems("monitor watch check verify"),
    "anyone",
    "{watch} early, before they reach {people}",
    (
        "Raise the share of problems {seen} before anyone reports them from {b}% to {y}% by {d}",
        "Cut the time to detect a failure from {b} to {y} minutes by {d}",
        "Cut problems that users report before we notice from {b} to {y} a month by {d}",
    ),
    decides=_stems("monitor watch"),
)
ONBOARDING = _Kind(
    "onboarding",
    _nouns("onboarding hire starter joiner newcomer mentor orientation"),
    _stems("onboard on-board welcome"),
    "new hires",
    "Get {people} productive in their first weeks",
    (
        "Cut the time for {people} to become fully productive from {b} to {y} weeks by {d}",
        "Raise the onboarding rating from {people} from {b}/10 to {y}/10 by {d}",
        "Raise the share of {people} with everything set up on day one from {b}% to {y}% by {d}",
    ),
    decides=_stems("onboard on-board welcome"),
)
HIRING = _Kind(
    "hiring",
    _nouns("interview candidate applicant vacancy recruiting recruitment"),
    _stems("interview recruit hire"),
    "candidates",
    "Fill {t} sooner with strong people",
    (
        "Cut the time to fill {t} from {b} to {y} days by {d}",
        "Raise the share of offers accepted from {b}% to {y}% by {d}",
        "Raise candidates' rating of the hiring process from {b}/10 to {y}/10 by {d}",
    ),
    decides=_stems("interview recruit hire"),
)
FINANCE = _Kind(
    "finance",
    _nouns(
        "invoice payroll expense claim books vat tax statement budget receipt bill payment "
        "reimbursement"
    ),
    _stems("reconcile pay invoice bill"),
    "everyone involved",
    "Make {t} accurate and effortless for {people}",
    (
        "Cut errors found in {t} from {b} to {y} a month by {d}",
        "Cut the hours spent on {t} from {b} to {y} a month by {d}",
        "Cut late payments and penalties from {b} to {y} a quarter by {d}",
    ),
)
EVENTS = _Kind(
    "events",
    _nouns(
        "offsite dinner event conference party trip workshop meetup summit retreat lunch "
        "celebration hackathon"
    ),
    frozenset(),
    "everyone who comes",
    "Make {t} worth the time of {people}",
    (
        "Raise the share of attendees who rate {t} worth their time from {b}% to {y}% by {d}",
        "Cut the cost per attendee of {t} from {b} to {y} by {d}",
        "Raise the share of invitees who attend {t} from {b}% to {y}% by {d}",
    ),
)
RELEASE = _Kind(
    "release",
    _nouns("release version changelog tarball package artifact binaries"),
    _stems("release tag bump"),
    "users",
    "Make every release easy for {people} to adopt",
    (
        "Cut problems reported after a release from {b} to {y} a release by {d}",
        "Raise the share of {people} on the latest release from {b}% to {y}% by {d}",
        "Cut the time spent on {g} from {b} to {y} hours a release by {d}",
    ),
)
FEEDBACK = _Kind(
    "feedback",
    _nouns("feedback survey poll form"),
    _stems("survey"),
    "the people we serve",
    "Turn feedback from {people} into changes they notice",
    (
        "Raise the response rate of {t} from {b}% to {y}% by {d}",
        "Raise changes made from feedback from {b} to {y} a quarter by {d}",
        "Raise satisfaction among {people} from {b}/10 to {y}/10 by {d}",
    ),
)
SECURITY = _Kind(
    "security",
    _nouns("access permission password credential token compliance security 2fa mfa sso"),
    frozenset(),
    "the people who need it",
    "Protect {t} so only the right people have access",
    (
        "Cut accounts with access they no longer need from {b} to {y} by {d}",
        "Cut the time to remove access after someone leaves from {b} to {y} hours by {d}",
        "Cut security findings about {t} from {b} to {y} a quarter by {d}",
    ),
)
_ROLE_NOUNS = _nouns("role vacancy opening position")
CLEANUP = _Kind(
    "cleanup",
    _nouns("backlog folder archive drive"),
    _stems("archive tidy declutter clean"),
    "everyone",
    "Make {t} easy to navigate, so everyone finds what matters fast",
    (
        "Cut the time to find the right item in {t} from {b} to {y} minutes by {d}",
        "Cut stale items in {t} from {b} to {y} by {d}",
        "Raise the share of items in {t} with a clear owner from {b}% to {y}% by {d}",
    ),
    decides=_stems("archive tidy declutter clean"),
)
GENERIC = _Kind(
    "generic",
    frozenset(),
    frozenset(),
    "the people who rely on {it}",
    "Get more value from {g}, with less effort",
    (
        "Raise satisfaction with {t} among {people} from {b}/10 to {y}/10 by {d}",
        "Cut the time spent on {g} from {b} to {y} hours a month by {d}",
        "Cut follow-ups needed after {g} from {b} to {y} a month by {d}",
    ),
)
KINDS = (
    SUPPORT,
    MONITORING,
    ONBOARDING,
    HIRING,
    CLEANUP,
    MEETING,
    EVENTS,
    FEEDBACK,
    SECURITY,
    RELEASE,
    QUALITY,
    FINANCE,
    REPORT,
    DOCS,
    CONTENT,
    UPKEEP,
)
ROUTINE_KEY_RESULTS = 3
# Instruments one watches problems on ("the error dashboard"), rather than the thing watched.
_INSTRUMENTS = _nouns("rota on-call pager dashboard alert log metric graph monitor queue report")
_ON_NOUNS = _nouns("page site website portal board channel")
_WEAK_NOUNS: dict[str, _Kind] = {
    **{_key(w): MEETING for w in ("review", "planning", "call", "session")},
    _key("content"): CONTENT,
}
_TIDY_STATES = word_set("tidy clean organised organized current accurate")
_JOB_WORDS = _nouns("ad ads post posting listing description offer")
_OTHER_MEANING = frozenset(
    ("check in", "check up", "look at", "look into", "sign off", "pick up", "take over")
)
_UPKEEP_LEVEL_VERBS = _stems("maintain keep sustain hold preserve stay remain")

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


def _match(reading: _Reading) -> tuple[_Kind, _Phrase]:
    """The kind of chore and the phrase it is about.

    The verb decides for verbs that name the work ("answer", "onboard", "clean up"); else
    the object's nouns, its head first, then the nouns later in the line, then a weak noun
    ("review", "content"), then any verb a kind knows; else the generic outcome.
    """
    verb = stem(reading.verb.split()[0]) if reading.verb else ""
    phrases = tuple(p for p in (reading.obj, *reading.later) if p.words)
    # "Check in on the specs" is not checking: some phrasal verbs mean something else.
    if reading.verb not in _OTHER_MEANING:
        for kind in KINDS:
            if verb in kind.decides:
                return kind, _about(kind, phrases, reading)
    if reading.state.lower() in _TIDY_STATES:
        return CLEANUP, _about(CLEANUP, phrases, reading)
    # The head of a phrase says what it is ("the workshop material" is material), so heads
    # come first, then the other words, then weak nouns that many things are called.
    for heads, weak in ((True, False), (False, False), (True, True), (False, True)):
        for phrase in phrases:
            words = list(phrase.words)
            for word in words[-1:] if heads else words[:-1]:
                kind = _noun_kind(word, head=heads, weak=weak)
                if kind is None and not weak:
                    kind = _phrase_kind(words, word)
                if kind is not None:
                    if kind in (MEETING, EVENTS) and not heads:
                        # "the conference prospectus": the outcome is about the conference.
                        cut = tuple(words[: words.index(word) + 1])
                        phrase = _Phrase(cut, phrase.every, phrase.initial)
                    return kind, _about(kind, phrases, reading, phrase)
    for kind in KINDS:
        if verb and verb in kind.verbs:
            return kind, _about(kind, phrases, reading)
    return GENERIC, _about(GENERIC, phrases, reading)


def _noun_kind(word: str, *, head: bool, weak: bool) -> _Kind | None:
    key = _key(word)
    if weak:
        return _WEAK_NOUNS.get(key)
    return next(
        (k for k in KINDS if key in k.nouns and (head or k is not QUALITY)),
        None,
    )


def _phrase_kind(words: list[str], word: str) -> _Kind | None:
    """Kinds told by two words: "job ads" (hiring), "the new engineer" (onboarding)."""
    low = [w.lower() for w in words]
    at = low.index(word.lower())
    nxt = _key(words[at + 1]) if at + 1 < len(words) else ""
    if low[at] == "job" and nxt in _JOB_WORDS:
        return HIRING
    if low[at] == "new" and _people([" ".join(words[at + 1 :])], groups=False):
        return ONBOARDING
    return None


def _about(
    kind: _Kind, phrases: tuple[_Phrase, ...], reading: _Reading, found: _Phrase | None = None
) -> _Phrase:
    """The phrase the outcome is about: for a meeting, the meeting, not "minutes"."""
    if kind is HIRING:
        role = next((p for p in phrases if _key(p.head) in _ROLE_NOUNS), None)
        return role or _Phrase(("open", "roles"))
    if found is None:
        found = next(
            (p for p in phrases if any(_key(w) in kind.nouns for w in p.words)),
            reading.obj if reading.obj.words else _Phrase((FALLBACK_TOPIC,)),
        )
    rest = [p for p in phrases if p is not found]
    if kind is UPKEEP and stem(found.head) in lx.METRIC_NOUNS and rest:
        return rest[0]  # "uptime for the API": the API is what must be reliable
    if kind is SECURITY and found is reading.obj and rest:
        return rest[0]  # "the access review for the console": the console is protected
    return found


def _onboarding_people(reading: _Reading) -> str | None:
    """The new people, in the author's words: "the two new support agents" -> plural."""
    verb = stem(reading.verb.split()[0]) if reading.verb else ""
    if verb in ONBOARDING.verbs and reading.obj.words:
        return reading.obj.bare_plural()
    for phrase in (reading.obj, *reading.later):
        words = [w for w in phrase.words if w.lower() not in _DETERMINERS]
        for i, word in enumerate(words):
            low = word.lower().removesuffix("'s").removesuffix("\u2019s")
            if stem(low) in _PEOPLE:
                return " ".join([*words[:i], _pluralize(low)])
    return None


def _standard_key_result(reading: _Reading, thing: _Phrase) -> str | None:
    """The standard the chore keeps, as a measure to move: "answered within 24h" from X%."""
    b, y, d = msg.BASELINE, msg.TARGET, msg.DEADLINE
    text = reading.clause
    verb = reading.verb.split()[0] if reading.verb else ""
    if verb and stem(verb) in _UPKEEP_LEVEL_VERBS and _DIGIT.search(text):
        return _sandbag_fix(text)
    standard = _STANDARD.search(text)
    share = _SHARE.search(text)
    if not verb or not (standard or share) or not thing.words:
        return None
    done = participle(reading.verb)
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
    reading = _read(objective)
    kind, thing = _match(reading)
    it = "them" if thing.plural else "it"
    people = _people([objective]) or kind.people.format(it=it)
    if kind is ONBOARDING:
        people = _onboarding_people(reading) or kind.people
    elif kind in (MEETING, EVENTS, CLEANUP, MONITORING, HIRING):
        people = kind.people
    head = thing.head
    named_thing = thing.definite()
    if kind is MEETING and thing is reading.obj and reading.partner:
        named_thing += f" with {reading.partner.definite()}"  # "check-ins with the agency"
    fill = {
        "t": named_thing,
        "g": _activity(reading, thing),
        "people": people,
        # "Give customers fast answers to customer chats": the people once is enough.
        "whom": "" if _key(people.split()[-1]) in thing.text().lower() else people + " ",
        "it": it,
        "on": "on" if _key(head) in _ON_NOUNS else "in",
        "watch": f"Use {named_thing} to catch problems"
        if _key(head) in _INSTRUMENTS
        else f"Catch problems with {named_thing}",
        "seen": f"caught by {thing.definite()}"
        if _key(head) in _INSTRUMENTS
        else f"with {thing.definite()} caught",
        "b": msg.BASELINE,
        "y": msg.TARGET,
        "d": msg.DEADLINE,
    }
    krs = [_cap(kr.format(**fill)) for kr in kind.key_results]
    standard = _standard_key_result(reading, thing if kind is not HIRING else reading.obj)
    if standard:
        krs = [standard, *krs[: ROUTINE_KEY_RESULTS - 1]]
    krs = krs[:ROUTINE_KEY_RESULTS]
    if key_results:
        # The author's own key results stay, fixed where a finding asked; the outcome's
        # key results only fill up to the usual count.
        own = _fixed_key_results(key_results, findings, metric([objective]), thing.text())
        krs = [*own, *krs[: max(0, ROUTINE_KEY_RESULTS - len(own))]]
    written = "\n".join(krs)
    counted = [w for w in re.findall(r"[a-z]+", reading.clause.lower()) if w in _COUNT_WORDS]
    if _missing_quantities(reading.clause, written) or any(
        not re.search(rf"\b{w}\b", written, re.I) for w in counted
    ):
        # Numbers the author gave stay: the chore becomes the way to move the first result.
        means = f", by {_doing(reading.clause)}" if reading.verb else f" ({reading.clause})"
        krs[0] += means
    lines = [f"Objective: {_cap(kind.objective.format(**fill))}"]
    lines += [f"KR{i + 1}: {kr}" for i, kr in enumerate(krs)]
    if confidence_level is not None:
        lines.append(CONFIDENCE_LINE.format(n=confidence_level))
    return "\n".join(lines)


def _activity(reading: _Reading, thing: _Phrase) -> str:
    """The chore as an activity in the author's words: "watering the office plants"."""
    if not reading.verb:
        return thing.definite()
    if reading.verb == "make sure":
        return _doing(reading.clause)
    obj = reading.obj.text() if reading.obj.words else FALLBACK_TOPIC
    verb_words = reading.verb.split()
    parts = [_gerund_of(verb_words[0]), *verb_words[1:], obj, reading.state]
    return " ".join(p for p in parts if p)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d,.]*\d|\d", text)


# --- strategic drafts: change only what a finding asked for -------------------------------

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,.]*\d)"
_NUM = (
    rf"(?:about\s+|around\s+|nearly\s+|almost\s+|~)?[$€£]?{_DIGITS}"
    rf"(?:\s*[-\u2013]\s*{_DIGITS})?\s*(?:%|k\b|m\b|bn\b|x\b|\+)?"
)
_UNIT = (
    r"(?:\s*(?:percent|pp|points?|pts|days?|hours?|weeks?|months?|minutes?|mins?|ms|"
    r"seconds?|s\b|per\s+\w+))?"
)
_RATE = (
    r"(?:\s+(?:qoq|mom|yoy|wow|(?:week|month|quarter|year)\s+over\s+(?:week|month|quarter|year)))?"
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WHEN = (
    rf"(?:20\d\d[-\s]?q[1-4]|q[1-4][-\s]?20\d\d|q[1-4]|h[12]|fy\s?\d{{2,4}}|20\d\d|"
    rf"(?:{_MONTHS})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+20\d\d)?|this\s+quarter|"
    rf"next\s+quarter|quarter|year)"
)


# After a number that ends a span: the end, punctuation, or a word that starts a new phrase.
def _names_number(text: str, at: int) -> bool:
    """True when the number at ``at`` is part of a name: "Ubuntu 22.04", "ISO 26262"."""
    head = text[:at].rstrip()
    before = head.rsplit(" ", 1)[-1] if head else ""
    return (
        before[:1].isupper()
        and " " in head
        and not _is_verb(before)
        and before.lower() not in ("top", "first", "at", "to", "by", "the", "our")
    )


_SPAN_END = (
    r"(?=\s*(?:$|[,.;:)]|\b(?:by|in|within|from|and|or|per|a|an|each|every|this|next|over|"
    r"during|before|after|for|qoq|mom|yoy|month|week|quarter|year)\b))"
)
_NUMBER_SPANS = re.compile(
    rf"\s*\bfrom\s+{_NUM}{_UNIT}\s+to\s+{_NUM}{_UNIT}"
    rf"|\s*\b(?:to\s+|down\s+to\s+)?(?:by|to|under|below|above|over|at|of|at least|at most|"
    rf"less than|more than|fewer than|up to|beyond|past)\s+{_NUM}{_UNIT}{_RATE}{_SPAN_END}"
    rf"|\s*\bto\s+{_NUM}\s+(?-i:[A-Z]{{2,5}})\b(?![\w-])"
    rf"|\s*\b(?:in|within|during|over)\s+(?:the\s+|their\s+|our\s+|its\s+)?"
    rf"(?:first|next|last|past)?\s*\d+\s*(?:days?|weeks?|months?|hours?|minutes?|years?)\b"
    rf"|\s*\b(?:by|before|in|until|for|through)\s+(?:the\s+)?(?:end\s+of\s+)?(?:the\s+)?"
    rf"{_WHEN}\b",
    re.I,
)
_BARE_NUMBER = re.compile(
    rf"(?:\b(?:at least|at most|more than|over|up to)\s+)?(?<![\w.\-/]){_NUM}{_UNIT}{_RATE}"
    rf"(?![\w\-])\s*",
    re.I,
)
_SHARE_OF = re.compile(rf"\b(?:at least\s+)?{_NUM}\s+of\s+", re.I)
_TOP_N = re.compile(rf"\btop\s+{_NUM}\s+(?=most\b)", re.I)
_DOWN_TO = re.compile(r"^\s*to\s+(?:less|fewer|below|under|at most)", re.I)
_GROW_VERBS = _stems("reach hit achieve attain")
_MORE_VERBS = _stems("sign win add acquire land close serve hire onboard attract gain get have")
_AIM_VERBS = _stems("drive bring push move take")
_DOWN_VERBS = _stems(
    "reduce cut lower decrease minimize minimise shorten eliminate halve drop remove"
)
_DANGLING = word_set(
    "to by from of for with and or in on at the a an our their its into than as per under "
    "over above below within least"
)
# Where a clause joins the next: " and sign ...", ", create ...", " to increase ...".
_CLAUSE_JOIN = re.compile(
    r"(?:,?\s+(?:and|&)\s+|,\s+|\s+(?:in order\s+)?to\s+|,?\s+by\s+(?=\w+ing\b))(?=(\w+))", re.I
)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\s+[-\u2013\u2014]\s+")
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


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.;:)])", r"\1", " ".join(text.split()))
    text = re.sub(r"\(\s*\)|,(?=\s*,)", "", text)
    words = text.strip(" ,;:-").split()
    while words and words[-1].lower().strip(",;:") in _DANGLING:
        words.pop()
    return " ".join(words).strip(" ,;:-")


def _quantities(text: str) -> list[str]:
    """The amounts a text gives: "300", "10%", "10K"; not years, versions or names' numbers."""
    out = []
    for m in re.finditer(rf"(?<![\w.\-/]){_DIGITS}(?:%|[km]\b|x\b)?", text, re.I):
        value = m.group(0)
        if re.fullmatch(r"(?:19|20)\d\d", value):
            continue  # a year: when, not how much
        if _names_number(text, m.start()):
            continue  # "Ubuntu 22.04", "ISO 26262", "Tier 1": part of a name
        out.append(value)
    return out


def _missing_quantities(source: str, written: str) -> bool:
    have = set(_numbers(written))
    return any(q.rstrip("%kKmMxX") not in have for q in _quantities(source))


def _words_only(objective: str) -> str:
    """The objective with its amounts and dates taken out, saying the direction in words."""
    text = _TOP_N.sub("the ", objective)
    words = text.split()
    if len(words) > 1 and words[0].lower() in _PRONOUN_SUBJECTS | {"our"}:
        words = words[1:]  # "We have 50 customers": the verb is "have"
    verb = stem(words[0].lower()) if words else ""
    removed = []

    def drop(m: re.Match[str]) -> str:
        removed.append(m.group(0))
        return ""

    text = _tidy(_NUMBER_SPANS.sub(drop, text))
    if verb in _AIM_VERBS and removed:
        text += " down" if _DOWN_TO.match(removed[0]) else " up"
    if verb in _MORE_VERBS or (verb in _GROW_VERBS and len(words) > 1):
        text = _SHARE_OF.sub("more ", text, count=1)
    else:
        text = _SHARE_OF.sub("", text)

    def bare(m: re.Match[str]) -> str:
        before = text[: m.start()].rstrip().rsplit(" ", 1)[-1] if m.start() else ""
        if _names_number(text, m.start()):
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
    return _tidy(text)


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
        if not before or not _is_verb(nxt) or _is_verb(before[-1]):
            continue
        after = text[m.end() + len(nxt) :].lstrip()
        if not after or after[:1] in ",;" or after.split()[0].lower() in ("and", "or"):
            continue  # "features, scale, and performance": a list of nouns
        if m.group(0).strip().lower().endswith("to") and stem(nxt.lower()) not in (
            lx.STRONG_CHANGE_VERBS
        ):
            continue
        if m.group(0).strip(" ,").lower() == "by" and not _quantities(text[start : m.start()]):
            continue  # "by giving X": the means, kept with its clause unless that has numbers
        parts.append(text[start : m.start()])
        start = m.end()
    parts.append(text[start:])
    return [p.strip(" ,.") for p in parts if p.strip(" ,.")]


def _numbers_out(objective: str) -> tuple[str, list[str]]:
    """(the objective in words, the key results that carry its amounts)."""
    if not _quantities(objective):
        return objective, []
    sentences = [s.strip().rstrip(".;") for s in _SENTENCE.split(objective) if s.strip(" .;")]
    plain = [s for s in sentences if not _quantities(s)]
    moved: list[str] = []
    for sentence in (s for s in sentences if _quantities(s)):
        clauses = _split_clauses(sentence)
        numbered = [c for c in clauses if _quantities(c)]
        for clause in numbered if len(numbered) <= 3 else [sentence]:
            if plain and not _is_verb(clause.split()[0]):
                clause = f"{plain[0]}: {clause}"  # "Increase share of voice: 20% lift ..."
            moved.append(_cap(clause))
    if len(moved) > 3:
        moved = [_cap(objective.strip().rstrip("."))]
    stated = _words_only(". ".join(plain) if plain else objective)
    if len(stated.split()) < 2 or _quantities(stated) == _quantities(objective):
        return objective, []  # nothing to take out cleanly (a name's number): leave it
    return stated, moved


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
            if word and word.lower() == "and" and not (len(after) > 1 and _is_verb(after[1])):
                continue
            if ing and not _is_verb(ing):
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
    return _cap(_tidy(text)) or " ".join(objective.split()[:limit])


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
        if not moved and _missing_quantities(stated, short):
            moved = _numbers_out(stated)[1] or [_cap(stated)]
        stated = short
    # A key result that already carries the same amounts needs no copy.
    moved = [m for m in moved if all(_missing_quantities(m, kr) for kr in key_results)]

    krs = [_fix_moved(m, deadline_asked) for m in moved]
    if not key_results and not moved:
        direction = "Cut" if _opening_stem(objective) in _DOWN_VERBS else "Raise"
        krs.append(f"{direction} {measure} from {msg.BASELINE} to {msg.TARGET} by {msg.DEADLINE}")
    krs += _fixed_key_results(key_results, findings, named, thing, users=users)
    if "kr.count" in rules and len(krs) < KR_MIN:
        krs.append(
            f"Cut <the main thing holding back {thing}> from {msg.BASELINE} to "
            f"{msg.TARGET} by {msg.DEADLINE}"
        )
    lines = [f"Objective: {stated}"]
    lines += [f"{kr_label(i)}: {kr}" for i, kr in enumerate(krs)]
    lines.append(
        CONFIDENCE_LINE.format(n=confidence_level)
        if confidence_level is not None
        else CONFIDENCE_UNKNOWN
    )
    return "\n".join(lines)


def _fixed_key_results(
    key_results: Sequence[str],
    findings: Sequence[Finding],
    named: str | None,
    thing: str,
    *,
    users: str = DEFAULT_USERS,
) -> list[str]:
    """Each key result as written, rewritten only for the finding that points at it."""
    rules = {f.rule_id for f in findings}
    deadline_asked = "kr.deadline" in rules
    by_target: dict[str, str] = {}
    for f in findings:
        if f.target and f.target.startswith("KR") and f.target not in by_target:
            by_target[f.target] = f.rule_id
    out = []
    for i, kr in enumerate(key_results):
        rule = by_target.get(kr_label(i))
        own = metric([kr]) or named
        if rule == "kr.binary" and own is None:
            measure = f"the share of {users} using {_lower_first(_strip_verb(kr))}"
        else:
            measure = own or f"<main measure of {thing}>"
        if rule in _KR_FIXES:
            out.append(fix_key_result(kr, rule, measure))
        elif deadline_asked and not has_deadline(kr):
            out.append(f"{kr.rstrip('. ')} by {msg.DEADLINE}")
        else:
            out.append(kr)
    return out


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


def key_result_rewrite(
    kr: str, findings: Sequence[Finding], *, confidence_level: int | None = None
) -> str:
    """A lone key result, rewritten for the first craft rule it broke."""
    rule = next((f.rule_id for f in findings if f.rule_id.startswith("kr.")), None)
    own = metric([kr])
    measure = own or f"<the result {topic(kr)} should bring>"
    if rule in ("kr.binary", "kr.output", "kr.measurable") and own is None:
        rule = "kr.output"
    line = f"KR: {fix_key_result(kr, rule, measure)}"
    if confidence_level is not None:
        line += "\n" + CONFIDENCE_LINE.format(n=confidence_level)
    return line


# --- one key result -----------------------------------------------------------------------

_KR_FIXES = frozenset(("kr.binary", "kr.output", "kr.measurable", "kr.sandbag", "kr.baseline"))
_FIRST_NUMBER = re.compile(r"[$€£]?\d[\d,]*(?:\.\d+)?\s*%?")
_TO_NUMBER = re.compile(r"\bto\s+(?=[$€£]?\d)", re.I)
# "15% to 35%", "15 -> 35", "15 → 35": a baseline written without "from".
_BARE_RANGE = re.compile(
    rf"(?<![\w.$€£])(?={_NUM}\s*(?:to|->|→|=>)\s*[$€£]?\d)"
    rf"(?<!\bfrom\s)",
    re.I,
)
_FIRST_N = re.compile(r"\bfirst\s+[$€£]?\d", re.I)
_TRAILING_DEADLINE = re.compile(
    rf"\s+(?:by|before|in|until)\s+(?:the\s+)?(?:end\s+of\s+)?(?:the\s+)?"
    rf"(?:q[1-4]|h[12]|fy\s?\d{{2,4}}|20\d\d|{_MONTHS}|this\s+quarter|next\s+quarter|"
    rf"quarter|year)\b(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+20\d\d)?\s*$",
    re.I,
)
_ARROW = re.compile(r"\s*(?:->|→|=>)\s*")
_DOWNWARD = re.compile(
    r"\b(?:below|under|less than|at most|no more than|fewer than|max(?:imum)?|lower than|"
    r"within)\b",
    re.I,
)
_TIME_UNIT = re.compile(
    r"-?\s*(days?|hours?|hrs?|minutes?|mins?|weeks?|months?|seconds?|secs?|ms)\b", re.I
)
_LEVEL_VERB = re.compile(r"^\s*(?:maintain|keep|sustain|stay|remain|preserve|hold)\w*\s+", re.I)


def _sandbag_fix(kr: str) -> str:
    """ "Maintain 99% uptime" -> "Raise uptime from 99% to Y%": the held level as a baseline.

    "Keep churn below 2%" is cut rather than raised; "an average 7 day resolution" is a time,
    so it is cut too, from "7 days".
    """
    y, d = msg.TARGET, msg.DEADLINE
    kr = kr.strip().rstrip(".")
    number = _FIRST_NUMBER.search(kr)
    if not number:
        return f"{kr}, moving from where it is today to {y} by {d}"
    level = number.group(0).strip()
    target = f"{y}%" if level.endswith("%") else y
    before = _LEVEL_VERB.sub("", kr[: number.start()]).strip()
    after = kr[number.end() :].strip()
    downward = bool(_DOWNWARD.search(before))
    unit = _TIME_UNIT.match(after)
    if unit:
        word = unit.group(1).lower().rstrip("s")
        plural = word if word == "ms" or level in ("1", "one") else word + "s"
        level, target, downward = f"{level} {plural}", f"{y} {plural}", True
        after = after[unit.end() :].strip()
    before = _tidy(re.sub(r"\bat\b", " ", _DOWNWARD.sub(" ", before)))
    after = _tidy(after)
    if before and after and after.split()[0].lower() not in _CLAUSE_STARTS:
        name = f"{before} {after}"
    else:
        name = before or after
    words = name.split()
    if words and words[0].lower() in ("a", "an"):
        name = " ".join(["the", *words[1:]])
    if not name:
        return f"{kr}, moving from where it is today to {y} by {d}"
    fixed = f"{'Cut' if downward else 'Raise'} {name} from {level} to {target}"
    return fixed if has_deadline(fixed) else f"{fixed} by {d}"


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
        return _sandbag_fix(kr)
    if rule_id == "kr.baseline":
        if _BARE_RANGE.search(kr):
            # The author gave both numbers, just without "from": keep them, say "from".
            fixed = _ARROW.sub(" to ", _BARE_RANGE.sub("from ", kr, count=1), count=1)
        elif _TO_NUMBER.search(kr):
            fixed = _TO_NUMBER.sub(f"from {b} to ", kr, count=1)
        else:
            # "our first 10 customers" starts from none; otherwise the author must say.
            start = "0" if _FIRST_N.search(kr) else b
            when = _TRAILING_DEADLINE.search(kr)
            head, tail = (kr[: when.start()], kr[when.start() :]) if when else (kr, "")
            fixed = f"{head} (from {start} today){tail}"
        return fixed if has_deadline(fixed) else f"{fixed} by {d}"
    return kr if has_deadline(kr) else f"{kr} by {d}"
