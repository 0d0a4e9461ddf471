"""Kinds of routine work, the outcome each protects, and which kind a chore is."""

from __future__ import annotations

from dataclasses import dataclass

from coaching import lexicon as lx
from coaching.rewrite.people import people_named
from coaching.rewrite.verb_object import FALLBACK_TOPIC, Clause, Phrase
from coaching.rewrite.vocabulary import noun_key, noun_keys, word_stems
from coaching.textutil import stem, word_set


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


SUPPORT = _Kind(
    "support",
    noun_keys("ticket chat inquiry enquiry question request complaint case support inbox"),
    word_stems("answer respond reply triage"),
    "customers",
    "Give {whom}fast answers to {t} that solve the problem the first time",
    (
        "Raise satisfaction with answers to {t} from {b}/10 to {y}/10 by {d}",
        "Cut repeat contacts about the same problem from {b}% to {y}% by {d}",
        "Cut the median time to a first answer from {b} to {y} hours by {d}",
    ),
    decides=word_stems("answer respond reply triage"),
)
MEETING = _Kind(
    "meeting",
    noun_keys(
        "meeting sync standup stand-up check-in retro retrospective 1-1 one-on-one huddle "
        "all-hands kickoff"
    ),
    word_stems("attend facilitate chair"),
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
    noun_keys(
        "report update status summary digest dashboard kpi kpis metric forecast briefing recap memo"
    ),
    word_stems("report summarize summarise"),
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
    noun_keys(
        "doc docs document documentation wiki handbook guide faq runbook readme page chart manual "
        "playbook tutorial instructions website site"
    ),
    word_stems("document"),
    "people",
    "Help {people} find answers {on} {t} without having to ask",
    (
        "Cut questions that {t} should have answered from {b} to {y} a month by {d}",
        "Raise the share of readers who find what they need {on} {t} from {b}% to {y}% by {d}",
        "Cut out-of-date sections {on} {t} from {b} to {y} by {d}",
    ),
    decides=word_stems("document"),
)
CONTENT = _Kind(
    "content",
    noun_keys("newsletter post blog article video podcast webinar tweet campaign"),
    word_stems("publish tweet"),
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
    noun_keys("bug defect incident outage vulnerability error flake regression"),
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
    noun_keys(
        "server backup certificate dependency runner infrastructure ci pipeline database "
        "uptime cluster machine crm image alert tool tooling library repo "
        "repository branch environment"
    ),
    word_stems("maintain patch upgrade repair restore rotate migrate fix"),
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
    noun_keys("monitoring alerting rota on-call pager"),
    word_stems("monitor watch check verify"),
    "anyone",
    "{watch} early, before they reach {people}",
    (
        "Raise the share of problems {seen} before anyone reports them from {b}% to {y}% by {d}",
        "Cut the time to detect a failure from {b} to {y} minutes by {d}",
        "Cut problems that users report before we notice from {b} to {y} a month by {d}",
    ),
    decides=word_stems("monitor watch"),
)
ONBOARDING = _Kind(
    "onboarding",
    noun_keys("onboarding hire starter joiner newcomer mentor orientation"),
    word_stems("onboard on-board welcome"),
    "new hires",
    "Get {people} productive in their first weeks",
    (
        "Cut the time for {people} to become fully productive from {b} to {y} weeks by {d}",
        "Raise the onboarding rating from {people} from {b}/10 to {y}/10 by {d}",
        "Raise the share of {people} with everything set up on day one from {b}% to {y}% by {d}",
    ),
    decides=word_stems("onboard on-board welcome"),
)
HIRING = _Kind(
    "hiring",
    noun_keys("interview candidate applicant vacancy recruiting recruitment"),
    word_stems("interview recruit hire"),
    "candidates",
    "Fill {t} sooner with strong people",
    (
        "Cut the time to fill {t} from {b} to {y} days by {d}",
        "Raise the share of offers accepted from {b}% to {y}% by {d}",
        "Raise candidates' rating of the hiring process from {b}/10 to {y}/10 by {d}",
    ),
    decides=word_stems("interview recruit hire"),
)
FINANCE = _Kind(
    "finance",
    noun_keys(
        "invoice payroll expense claim books vat tax statement budget receipt bill payment "
        "reimbursement"
    ),
    word_stems("reconcile pay invoice bill"),
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
    noun_keys(
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
    noun_keys("release version changelog tarball package artifact binaries"),
    word_stems("release tag bump"),
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
    noun_keys("feedback survey poll form"),
    word_stems("survey"),
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
    noun_keys("access permission password credential token compliance security 2fa mfa sso"),
    frozenset(),
    "the people who need it",
    "Protect {t} so only the right people have access",
    (
        "Cut accounts with access they no longer need from {b} to {y} by {d}",
        "Cut the time to remove access after someone leaves from {b} to {y} hours by {d}",
        "Cut security findings about {t} from {b} to {y} a quarter by {d}",
    ),
)
_ROLE_NOUNS = noun_keys("role vacancy opening position")
CLEANUP = _Kind(
    "cleanup",
    noun_keys("backlog folder archive drive"),
    word_stems("archive tidy declutter clean"),
    "everyone",
    "Make {t} easy to navigate, so everyone finds what matters fast",
    (
        "Cut the time to find the right item in {t} from {b} to {y} minutes by {d}",
        "Cut stale items in {t} from {b} to {y} by {d}",
        "Raise the share of items in {t} with a clear owner from {b}% to {y}% by {d}",
    ),
    decides=word_stems("archive tidy declutter clean"),
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
_WEAK_NOUNS: dict[str, _Kind] = {
    **{noun_key(w): MEETING for w in ("review", "planning", "call", "session")},
    noun_key("content"): CONTENT,
}
_TIDY_STATES = word_set("tidy clean organised organized current accurate")
_JOB_WORDS = noun_keys("ad ads post posting listing description offer")
_OTHER_MEANING = frozenset(
    ("check in", "check up", "look at", "look into", "sign off", "pick up", "take over")
)


def match_kind(clause: Clause) -> tuple[_Kind, Phrase]:
    """The kind of chore and the phrase it is about.

    The verb decides for verbs that name the work ("answer", "onboard", "clean up"); else
    the object's nouns, its head first, then the nouns later in the line, then a weak noun
    ("review", "content"), then any verb a kind knows; else the generic outcome.
    """
    verb = clause.verb_stem
    phrases = tuple(p for p in (clause.obj, *clause.later) if p.words)
    # "Check in on the specs" is not checking: some phrasal verbs mean something else.
    if clause.verb not in _OTHER_MEANING:
        for kind in KINDS:
            if verb in kind.decides:
                return kind, _about(kind, phrases, clause)
    if clause.state.lower() in _TIDY_STATES:
        return CLEANUP, _about(CLEANUP, phrases, clause)
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
                        phrase = Phrase(cut, phrase.every, phrase.initial)
                    return kind, _about(kind, phrases, clause, phrase)
    for kind in KINDS:
        if verb and verb in kind.verbs:
            return kind, _about(kind, phrases, clause)
    return GENERIC, _about(GENERIC, phrases, clause)


def _noun_kind(word: str, *, head: bool, weak: bool) -> _Kind | None:
    key = noun_key(word)
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
    nxt = noun_key(words[at + 1]) if at + 1 < len(words) else ""
    if low[at] == "job" and nxt in _JOB_WORDS:
        return HIRING
    if low[at] == "new" and people_named([" ".join(words[at + 1 :])], groups=False):
        return ONBOARDING
    return None


def _about(
    kind: _Kind, phrases: tuple[Phrase, ...], clause: Clause, found: Phrase | None = None
) -> Phrase:
    """The phrase the outcome is about: for a meeting, the meeting, not "minutes"."""
    if kind is HIRING:
        role = next((p for p in phrases if noun_key(p.head) in _ROLE_NOUNS), None)
        return role or Phrase(("open", "roles"))
    if found is None:
        found = next(
            (p for p in phrases if any(noun_key(w) in kind.nouns for w in p.words)),
            clause.obj if clause.obj.words else Phrase((FALLBACK_TOPIC,)),
        )
    rest = [p for p in phrases if p is not found]
    if kind is UPKEEP and stem(found.head) in lx.METRIC_NOUNS and rest:
        return rest[0]  # "uptime for the API": the API is what must be reliable
    if kind is SECURITY and found is clause.obj and rest:
        return rest[0]  # "the access review for the console": the console is protected
    return found
