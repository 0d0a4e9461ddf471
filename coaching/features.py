"""Cues for the routine/strategic distinction, each tied to a dimension and a reason.

A cue is a small, explainable piece of evidence: which rule saw it, which way it pushes,
how hard, and the author's words that triggered it (so the reply can quote them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from coaching import lexicon as lx
from coaching.craft import is_output, quote
from coaching.model import Dimension
from coaching.reading import read
from coaching.textutil import Doc, stem, word_set

# Words skipped when looking for the verb that opens a line ("We will update...").
_LEAD_INS = frozenset(
    stem(w)
    for w in (
        "we",
        "i",
        "will",
        "to",
        "please",
        "should",
        "must",
        "need",
        "needs",
        "can",
        "shall",
        "let's",
        "lets",
        "also",
        "then",
        "first",
        "next",
        "finally",
        "and",
        "kr",
        "o",
        "goal",
        "objective",
        "okr",
        "always",
        "still",
        "just",
        "help",
        "try",
        "you",
        "our",
        "team",
        "the",
    )
)
_TARGET = re.compile(
    r"\bfrom\s+\S+(?:\s+\S+){0,3}?\s+to\s+\S+"
    r"|\bby\s+\d[\d.,]*\s*(?:%|x\b|percent|pp\b|points?\b)"
    r"|\b\d+(?:\.\d+)?\s*x\b|\b(?:double|triple|halve|10x)\b"
    r"|\b\d[\d.,]*\s*%\s*(?:more|less|fewer|increase|decrease|growth|lift|reduction|higher|lower)"
    # The whole number, so a quote never stops at "p9" of "p95".
    r"|\b(?:increase|grow|reduce|raise|lower|decrease|cut|improve)\w*\b[^.\n]{0,60}?\d[\w.,%]*"
    # A share of a population ("40% of new teams ..."): an adoption outcome.
    r"|\b\d+(?:\.\d+)?\s*%\s+of\s+(?:our\s+|all\s+|new\s+|active\s+|paying\s+)?"
    r"(?:users|customers|companies|teams|developers|visitors|members|trials|accounts|"
    r"sign-?ups|buyers|clients|hires|employees|contributors|projects|maintainers|"
    r"organi[sz]ations|partners|students|readers|subscribers)\b",
    re.I,
)
_WITHIN = re.compile(
    r"\b(?:within|in under|in less than|under|less than)\s+(?:an?|one|\d+(?:\.\d+)?)\s*"
    r"(?:business\s+)?(?:minutes?|mins?|hours?|hrs?|h|days?|working days?|weeks?)\b",
    re.I,
)
_RESPOND_PCT = re.compile(
    r"\b(?:respond|reply|answer|resolve|close|triage|acknowledge)\w*\s+(?:to\s+)?"
    r"(?:\d+(?:\.\d+)?\s*%|all|every)",
    re.I,
)
_SANDBAG = re.compile(
    r"\b(?:maintain|keep|sustain|hold|stay|remain)\w*\b[^.\n]{0,40}?"
    r"(?:\d+(?:\.\d+)?\s*%|at or above|above|below|under)",
    re.I,
)
_TIME_BOX = re.compile(
    r"\b(?:up to\s+)?(?:\d+(?:[./]\d+)?|an?|one|half an?)\s*(?:hours?|hrs?|minutes?|mins?)\s+"
    r"(?:to\s+\d+\s*(?:hours?|hrs?)\s+)?(?:a\s+|per\s+|each\s+|every\s+)?"
    r"(?:day|daily|week|weekly|month|monthly|workday)",
    re.I,
)
_PROCEDURE = re.compile(
    r"`[^`]+`|https?://|www\.|\b\w+\.(?:toml|py|md|yml|yaml|json|txt|cfg|sh|csv|html)\b"
    r"|\bv?\d+\.\d+\.\d+\w*|\be\.g\.|(?-i:\b[Ss]ee\s+[A-Z])|\(example\)|\bif necessary\b"
    r"|\bif needed\b",
    re.I,
)
_BIG_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d{4,}\b(?<!\b20\d\d)|\$\s?\d")
_KEPT = frozenset(stem(w) for w in ("maintain", "maintained", "kept", "keep", "upkeep"))
_CAPABILITY = re.compile(
    r"(?<!\bit)(?<!\bthis)(?<!\bthat)(?<!\bwhich)\s+(?:can|could)\s+(?:now\s+|easily\s+|quickly\s+)?[a-z]",
    re.I,
)
_USAGE = re.compile(
    r"\b(?:customers?|users?|developers?|teams?|companies|projects?|maintainers?|people)\s+"
    r"(?:\w+\s+)?(?:use|uses|using|adopt|adopts|adopted|rely|relies|choose|chooses|love)\b",
    re.I,
)
# Verbs of change that are just as at home in a tidy-up ("improve the minutes").
_GENTLE_CHANGE = frozenset(
    stem(w) for w in ("improve", "enhance", "optimize", "optimise", "simplify", "streamline")
)
# Words before an adjective that make it a state to reach ("is easy", "feel natural").
_STATE_LEAD_INS = frozenset(
    stem(w) for w in ("is", "are", "be", "become", "feel", "work", "get", "make")
)
_GERUND_SUBJECT = re.compile(
    r"^\s*[A-Za-z]+ing\b[^.;:\n]{0,80}?\b(?:should|must|will|would|is|are|becomes?|feels?)\b",
    re.I,
)
_BACKTICKS = re.compile(r"`[^`\n]+`")
_GROWTH_OBJECT = re.compile(
    r"\b(?P<count>\d[\d,]*)\+?\s+"
    r"(?P<qualifier>(?:new|more|paying|active|additional|enterprise|reseller|retail|premium|"
    r"strategic|key|flagship|reference|design)\s+)?(?:[a-z-]+\s+)?"
    r"(?:customers|clients|partners|resellers|distributors|companies|businesses|"
    r"organi[sz]ations|accounts|subscribers|members|users|teams|schools|hospitals|clinics|"
    r"practices|stores|shops|venues|agencies|institutions|universities|cities|countries|"
    r"markets|regions|sponsors|donors|adopters|buyers|merchants|sellers|creators|developers|"
    r"contributors|maintainers|patients|students|learners|listeners|readers|viewers|"
    r"players|logos|deals)\b",
    re.I,
)
_LY_VERBS = word_set("reply apply supply rely comply multiply imply ally rally tally sully bully")
_SENTENCE = re.compile(r"[.!?](?:\s+|$)")


@dataclass(frozen=True, slots=True)
class Cue:
    """One piece of evidence: ``weight`` > 0 pushes strategic, < 0 routine."""

    rule_id: str
    dimension: Dimension
    weight: float
    evidence: str = ""


def _opening(doc: Doc) -> tuple[int, str]:
    for i, s in enumerate(doc.stems[:6]):
        if s not in _LEAD_INS and not s.isdigit() and not _is_adverb(s):
            return i, s
    return 0, doc.stems[0] if doc.stems else ""


def _is_adverb(word: str) -> bool:
    """ "publicly", "quickly": skipped when looking for the verb that opens a line."""
    return len(word) > 4 and word.endswith("ly") and word not in _LY_VERBS


def _quote_span(doc: Doc, start: int, length: int = 3) -> str:
    return " ".join(doc.words[start : start + length])


def _first_match(doc: Doc, table: Sequence[str]) -> str:
    for phrase in table:
        if phrase in doc.padded:
            return _surface(doc, phrase)
    return ""


def _surface(doc: Doc, phrase: str) -> str:
    """The author's own words for a stemmed phrase, for quoting."""
    target = phrase.split()
    n = len(target)
    for i in range(len(doc.stems) - n + 1):
        if list(doc.stems[i : i + n]) == target:
            return " ".join(doc.words[i : i + n])
    return phrase.strip()


def _members(doc: Doc, table: frozenset[str], limit: int = 3) -> list[str]:
    seen: list[str] = []
    for w, s in zip(doc.words, doc.stems, strict=True):
        if s in table and w not in seen:
            seen.append(w)
            if len(seen) >= limit:
                break
    return seen


def objective_cues(text: str, key_results: Sequence[str] = ()) -> list[Cue]:
    """Every cue the text of one objective (and its key results) shows."""
    reading = read(text)
    seen = reading.text
    doc = Doc.of(seen)
    if not doc.words:
        return []
    cues: list[Cue] = []
    add = cues.append
    pos, verb = _opening(doc)
    opening = _quote_span(doc, pos, 1)
    chore_phrase = _first_match(doc, lx.CHORE_PHRASES)
    chore_phrase_at_start = bool(chore_phrase) and doc.padded.find(
        " " + " ".join(stem(w) for w in chore_phrase.split()) + " "
    ) <= len(" ".join(doc.stems[: pos + 1]))
    aspiration = _aspiration(doc)
    # "Turn X into Y" is a transformation even though "turn" alone is not.
    change_start = verb in lx.STRONG_CHANGE_VERBS or (verb == "turn" and doc.has(" into "))
    make_state = verb == "make" and bool(aspiration or _first_match(doc, lx.COMPARATIVE))

    # --- scope: how big and how self-contained the work is --------------------------------
    cadence = _first_match(doc, lx.CADENCE)
    if cadence:
        add(Cue("scope.recurring", Dimension.SCOPE, -2.2, cadence))
    # "Using C from Rust should be as easy as ..." names an activity as the subject of a
    # state to reach; it is no imperative to tick off.
    if _GERUND_SUBJECT.match(seen):
        verb = ""
    growth = _growth_object(seen, verb)
    # An ambitious object outweighs the verb that opens it ("sign 20 new clinics").
    chore_scale = 0.5 if growth else 1.0
    if chore_phrase_at_start:
        add(Cue("scope.chore", Dimension.SCOPE, -2.0 * chore_scale, chore_phrase))
    elif verb in lx.STRONG_CHORE_VERBS and not make_state:
        add(Cue("scope.chore", Dimension.SCOPE, -1.8 * chore_scale, opening))
    elif verb in lx.CHORE_VERBS and not make_state and not change_start:
        add(Cue("scope.chore", Dimension.SCOPE, -0.9 * chore_scale, opening))
    # "In sync" is a state to keep, not a sync meeting.
    admin = [w for w in _members(doc, lx.ADMIN_NOUNS) if w != "sync" or not doc.has(" in sync ")]
    if admin:
        add(Cue("scope.admin", Dimension.SCOPE, -0.45 * len(admin), ", ".join(admin)))
    box = _TIME_BOX.search(seen)
    if box:
        add(Cue("scope.time_box", Dimension.SCOPE, -1.5, box.group(0)))
    # Code in backticks names a thing; a bare file name or command is a step to follow.
    proc = _PROCEDURE.findall(_BACKTICKS.sub(" ", text))
    sentences = len(_SENTENCE.findall(text.strip()))
    if proc or (sentences >= 2 and not key_results and len(text) > 160):
        add(Cue("scope.procedure", Dimension.SCOPE, -0.9, proc[0] if proc else ""))
    capability = _members(doc, lx.CAPABILITY_NOUNS, 1)
    if capability and not admin and not _members(doc, lx.OUTPUT_NOUNS, 1) and not cadence:
        add(Cue("scope.new_capability", Dimension.SCOPE, 0.7, capability[0]))
    # Key results that only count output or repeat a cadence do not make it an effort.
    shapes = [_KeyResultShape.of(kr) for kr in key_results]
    n_kr = sum(1 for kr in shapes if not kr.output and not kr.cadence)
    if n_kr >= 2:
        add(Cue("scope.key_results", Dimension.SCOPE, 2.2, str(n_kr)))
    elif n_kr == 1:
        add(Cue("scope.key_results", Dimension.SCOPE, 1.2, "1"))
    reach = _members_phrase(doc, lx.REACH)
    if reach:
        add(Cue("scope.reach", Dimension.SCOPE, 0.35 * min(len(reach), 2), ", ".join(reach)))

    # --- impact: keeping things running vs changing an outcome ----------------------------
    within = _WITHIN.search(seen)
    # "Cut p95 to under 2 s" sets a new level; "answer within 2 hours" keeps a promise.
    within_is_target = bool(within) and (
        change_start
        or verb in lx.CHANGE_VERBS
        or seen[: within.start()].rstrip().lower().endswith(("to", "down"))
    )
    standard = None if within_is_target else within or _RESPOND_PCT.search(seen)
    std_phrase = standard.group(0) if standard else ""
    if not within_is_target and not std_phrase:
        std_phrase = _first_match(doc, lx.SERVICE_STANDARD)
    if std_phrase:
        add(Cue("impact.service_standard", Dimension.IMPACT, -1.4, std_phrase))
    sandbag = _SANDBAG.search(seen)
    kept = _members(doc, _KEPT, 1)
    if verb in lx.UPKEEP_VERBS or sandbag:
        add(Cue("impact.upkeep", Dimension.IMPACT, -1.3, sandbag.group(0) if sandbag else opening))
    elif kept:
        add(Cue("impact.upkeep", Dimension.IMPACT, -1.0, kept[0]))
    status_quo = _first_match(doc, lx.STATUS_QUO)
    if status_quo and not _members(doc, lx.OUTCOME_NOUNS, 1):
        add(Cue("impact.status_quo", Dimension.IMPACT, -0.6, status_quo))
    novelty = _first_match(doc, lx.NOVELTY)
    if novelty:
        add(Cue("impact.novelty", Dimension.IMPACT, 0.4, novelty))
    outputs = _members(doc, lx.OUTPUT_NOUNS, 2)
    if outputs and not change_start:
        add(Cue("impact.output", Dimension.IMPACT, -0.5 * len(outputs), ", ".join(outputs)))
    outcomes = _members(doc, lx.OUTCOME_NOUNS)
    if change_start:
        # Improving a piece of admin machinery (the minutes, a page) is housekeeping.
        housekeeping = (
            verb in _GENTLE_CHANGE and bool(admin) and not outcomes and not _TARGET.search(text)
        )
        add(Cue("impact.change", Dimension.IMPACT, 0.8 if housekeeping else 1.8, opening))
    elif make_state:
        add(Cue("impact.change", Dimension.IMPACT, 1.6, f"{opening} ... {aspiration}"))
    elif verb in lx.CHANGE_VERBS:
        add(Cue("impact.change", Dimension.IMPACT, 0.9, opening))
    elif verb in lx.BUILD_VERBS:
        add(Cue("scope.new_capability", Dimension.SCOPE, 0.6, opening))
    else:
        later = _members(doc, lx.STRONG_CHANGE_VERBS | lx.CHANGE_NOUNS, 1)
        if later:
            add(Cue("impact.change", Dimension.IMPACT, 0.6, later[0]))
    stable = [c for c in reading.channels if "stable" in c.lower()]
    if stable:
        add(Cue("impact.change", Dimension.IMPACT, 0.9, stable[0]))
    elif reading.channels:
        add(Cue("scope.new_capability", Dimension.SCOPE, 0.6, reading.channels[0]))
    target = _TARGET.search(seen)
    if target:
        add(Cue("impact.target", Dimension.IMPACT, 1.3, target.group(0)))
    elif within_is_target and within:
        add(Cue("impact.target", Dimension.IMPACT, 1.0, within.group(0)))
    if growth:
        add(Cue("impact.target", Dimension.IMPACT, 1.4, growth))
    elif reading.baselines and not target:
        add(Cue("impact.target", Dimension.IMPACT, 0.6, reading.baselines[0]))
    comparative = _first_match(doc, lx.COMPARATIVE)
    if comparative and not target:
        add(Cue("impact.target", Dimension.IMPACT, 0.8, comparative))
    if outcomes:
        add(Cue("impact.outcome", Dimension.IMPACT, 0.55 * len(outcomes), ", ".join(outcomes)))
    if aspiration and not make_state:
        add(Cue("impact.aspiration", Dimension.IMPACT, 1.1, aspiration))
    big = _BIG_NUMBER.search(seen)
    if big:
        add(Cue("impact.target", Dimension.IMPACT, 0.5, big.group(0)))

    # --- alignment: one person's to-do vs the team's or company's direction ---------------
    personal = _first_match(doc, lx.PERSONAL)
    if personal:
        add(Cue("alignment.personal", Dimension.ALIGNMENT, -0.9, personal))
    duty = _first_match(doc, lx.ROLE_DUTY)
    if duty:
        add(Cue("alignment.role_duty", Dimension.ALIGNMENT, -1.0, duty))
    shared = _members(doc, lx.SHARED_NOUNS)
    if shared:
        add(Cue("alignment.shared", Dimension.ALIGNMENT, 0.35 * len(shared), ", ".join(shared)))
    if shapes:
        cues.extend(_key_result_cues(shapes))
    return cues


def _members_phrase(doc: Doc, table: Sequence[str]) -> list[str]:
    return [_surface(doc, p) for p in table if p in doc.padded][:3]


def _aspiration(doc: Doc) -> str:
    """An adjective describing a desired end state ("is easy", "fast and efficient")."""
    state = _first_match(doc, lx.END_STATES)
    if state:
        return state
    capability = _CAPABILITY.search(doc.raw)
    if capability:
        return capability.group(0).strip()
    usage = _USAGE.search(doc.raw)
    if usage:
        return usage.group(0)
    for i, s in enumerate(doc.stems):
        if s in lx.ASPIRATION_ADJECTIVES:
            before = doc.stems[max(0, i - 3) : i]
            if any(b in _STATE_LEAD_INS for b in before):
                return doc.words[i]
            if i + 1 < len(doc.stems) and doc.stems[i + 1] in ("and", "to", "for", "by"):
                return doc.words[i]
    return ""


@dataclass(frozen=True, slots=True)
class _KeyResultShape:
    """One key result as the objective's cues read it, computed once."""

    text: str
    seen: str
    output: bool
    # The cadence phrase when the key result repeats work ("every week"), else "".
    cadence: str

    @classmethod
    def of(cls, kr: str) -> _KeyResultShape:
        seen = read(kr).text
        return cls(kr, seen, is_output(kr), _first_match(Doc.of(seen), lx.CADENCE))


def _key_result_cues(shapes: Sequence[_KeyResultShape]) -> list[Cue]:
    """Key results that move a measure lean strategic; a plan of recurring output does not.

    An OKR-shaped plan to publish at a regular pace ("KR1: 2 posts a week") is still
    routine, so cadence and output counts inside key results count toward routine.
    """
    outputs = [kr.text for kr in shapes if kr.output]
    recurring = [kr.cadence for kr in shapes if kr.cadence]
    measured = [
        kr.text
        for kr in shapes
        if not kr.output and (_TARGET.search(kr.seen) or re.search(r"\d", kr.seen))
    ]
    changing = [kr.seen for kr in shapes if _opening(Doc.of(kr.seen))[1] in lx.STRONG_CHANGE_VERBS]
    cues: list[Cue] = []
    if measured:
        cues.append(Cue("impact.kr_measures", Dimension.IMPACT, 0.4, quote(measured[0])))
    if changing:
        cues.append(Cue("impact.kr_change", Dimension.IMPACT, 0.4, quote(changing[0])))
    if recurring:
        weight = -1.1 * min(len(recurring), 2)
        cues.append(Cue("scope.recurring", Dimension.SCOPE, weight, recurring[0]))
    if outputs:
        weight = -0.6 * min(len(outputs), 2)
        cues.append(Cue("impact.output", Dimension.IMPACT, weight, quote(outputs[0])))
    return cues


def _growth_object(text: str, verb: str) -> str:
    """A count of customers, partners or members to win ("20 new clinics"), if any."""
    m = _GROWTH_OBJECT.search(text)
    if not m:
        return ""
    qualified = bool(m.group("qualifier"))
    count = int(re.sub(r"\D", "", m.group("count")) or 0)
    if qualified or (count >= 10 and verb in lx.ACQUIRE_VERBS):
        return m.group(0)
    return ""
