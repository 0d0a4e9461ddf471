"""A routine draft's rewrite names the outcome the chore protects, in grammatical English.

Drafts here are invented for these tests (see invented_drafts.py for the style).
"""

from __future__ import annotations

import itertools
import re

import pytest

from coaching import review_draft
from coaching.rewrite import routine_rewrite
from tests.coaching.fixed_model import SURE_ROUTINE
from tests.coaching.invented_drafts import INVENTED, ROUTINE

# (draft, words the objective must hold): the outcome for each kind of chore, built
# around the author's own object or audience.
OUTCOMES = [
    # Support replies: people get answers.
    ("Answer support emails within 24h", "Give customers fast answers to support emails"),
    ("Reply to reseller questions in the help inbox", "Give fast answers to reseller questions"),
    ("Triage incoming chat requests", "Give customers fast answers to incoming chat requests"),
    ("Respond to every partner email the same day", "fast answers to partner emails"),
    # A recurring meeting: decisions made, people aligned.
    ("Attend the weekly design sync", "Use the design sync to reach decisions faster"),
    ("Take notes at the Thursday ops meeting", "Use the Thursday ops meeting to reach decisions"),
    ("Continue fortnightly check-ins with the print vendor", "keep everyone aligned"),
    # A report or update: decisions made with current information.
    ("Send the monthly investor update", "Help investors make decisions with current"),
    ("Refresh the sales dashboard every Friday", "information from the sales dashboard"),
    # Upkeep: reliability, fewer incidents.
    ("Patch the production servers every month", "Make the production servers more reliable"),
    ("Upgrade the build runners to the new image", "fewer incidents"),
    ("Maintain 99.9% uptime for the booking API", "Make the booking API more reliable"),
    # Onboarding: new people productive sooner.
    ("Onboard the three new support agents", "Get new support agents productive"),
    ("Set up laptops for the June starters", "Get June starters productive"),
    # Hiring: the role filled with strong people.
    ("Schedule interviews for the open backend role", "Fill the open backend role sooner"),
    # Money admin: accurate, effortless.
    ("Reconcile supplier invoices each month", "Make supplier invoices accurate and effortless"),
    # Documentation: answers found without asking.
    ("Fix the broken links on the help page", "find answers on the help page"),
    ("Update the holiday policy in the handbook", "find answers in the handbook"),
    # Events: worth attending.
    ("Book the venue for the spring partner summit", "Make the spring partner summit worth"),
    # Content: an engaged audience.
    ("Publish three blog posts a week", "Grow an engaged audience for blog posts"),
    # Releases: easy to adopt.
    ("Tag the release and bump the version", "Make every release easy for users to adopt"),
    # Feedback: changes people notice.
    ("Send the quarterly satisfaction survey", "Turn feedback"),
    # Monitoring: problems caught early.
    ("Monitor the payment alerts each morning", "Use the payment alerts to catch problems early"),
    # Access: only the right people get in.
    ("Review admin access to the billing console", "Protect the billing console"),
    # Clean-up: easy to find your way.
    ("Archive old threads in the design channel", "easy to navigate"),
    # Defects: users run into them less.
    ("Resolve 80% of P1 bugs within two days", "Cut how often users run into P1 bugs"),
    # The generic fallback still names what the author does.
    ("Water the office plants every Tuesday", "Get more value from watering the office plants"),
]

# Drafts for the grammar checks: the table above, the invented routine drafts, and a few
# written to trip the reader (lead-ins, passives, states, quantifiers, fillers).
AWKWARD = [
    "For visibility, announce every manual deploy in the ops channel",
    "The team lead will send the weekly status report",
    "We review vendor contracts before renewal",
    "Keep the supplier list tidy",
    "Make sure the weekend rota is filled",
    "Check that nightly exports ran successfully",
    "The office wiki should be updated after each offsite",
    "Continue to run the Monday planning meeting",
    "Quickly answer every refund request",
    "Regular updates: send the member newsletter",
    "hi",
    "Do it",
    "Send invoices to clients by the 3rd of the month",
    "Close the books within 5 working days of month end",
]
ROUTINE_DRAFTS = [d for d, _ in OUTCOMES] + [
    text for text, label in INVENTED if label == ROUTINE and not text.startswith("KR")
]
# Signs of the old template or of broken English in a rewrite.
BAD = re.compile(
    r"work better|  | ,|\.\.| the the | a the | the a | an the |\bcompanys\b|\borgs\b"
    r"|\b(?:is filled|ran successfully|up to date) work\b|\bthe this work\b",
    re.I,
)
DANGLING = {"to", "of", "for", "with", "the", "a", "an", "and", "or", "by", "in", "on", "at"}


@pytest.mark.parametrize(("draft", "words"), OUTCOMES)
def test_the_routine_objective_names_the_outcome_the_chore_protects(draft: str, words: str) -> None:
    objective = routine_rewrite(draft).splitlines()[0]
    assert objective.startswith("Objective: ")
    assert words in objective


@pytest.mark.parametrize("draft", ROUTINE_DRAFTS + AWKWARD)
def test_routine_rewrites_read_as_english(draft: str) -> None:
    rewrite = routine_rewrite(draft)
    lines = rewrite.splitlines()
    objective = lines[0].removeprefix("Objective: ")
    assert objective[:1].isupper()
    assert objective.split()[-1].lower().strip(",.") not in DANGLING
    assert not BAD.search(rewrite), rewrite
    krs = [line for line in lines if line.startswith("KR")]
    assert 2 <= len(krs) <= 3
    for i, kr in enumerate(krs, start=1):
        assert kr.startswith(f"KR{i}: ")
        assert " from " in kr and "<end of quarter>" in kr


@pytest.mark.parametrize(
    ("draft", "avoid"),
    [
        ("Keep the supplier list tidy", "list tidy"),
        ("Make sure the weekend rota is filled", "is filled"),
        ("Check that nightly exports ran successfully", "ran successfully"),
        ("Respond to every partner email the same day", "every partner email"),
        ("hi", "the hi"),
        ("Do it", "doing,"),
    ],
)
def test_the_object_is_read_without_its_clause_state_or_quantifier(draft: str, avoid: str) -> None:
    assert avoid not in routine_rewrite(draft)


def test_different_routine_drafts_get_different_rewrites() -> None:
    rewrites = {draft: routine_rewrite(draft) for draft in ROUTINE_DRAFTS}
    for (a, ra), (b, rb) in itertools.combinations(rewrites.items(), 2):
        assert ra != rb, (a, b)


def test_the_same_draft_always_gets_the_same_rewrite() -> None:
    for draft in ROUTINE_DRAFTS + AWKWARD:
        assert routine_rewrite(draft) == routine_rewrite(draft)
        assert review_draft(draft).to_dict() == review_draft(draft).to_dict()


@pytest.mark.parametrize(
    ("draft", "key_result"),
    [
        (
            "Answer support emails within 24h",
            "Raise the share of support emails answered within 24h from X% to Y% by "
            "<end of quarter>",
        ),
        (
            "Resolve 80% of P1 bugs within two days",
            "Raise the share of P1 bugs resolved within two days from X% to 80% by "
            "<end of quarter>",
        ),
        (
            "File the VAT return on time",
            "Raise how often the VAT return is filed on time from X% to Y% of the time by "
            "<end of quarter>",
        ),
        (
            "Renew SSL certificates before they expire",
            "Raise the share of SSL certificates renewed before they expire from X% to Y%",
        ),
        (
            "Maintain 99.9% uptime for the booking API",
            "Raise uptime for the booking API from 99.9%",
        ),
    ],
)
def test_the_standard_a_chore_keeps_becomes_a_measure_to_move(draft: str, key_result: str) -> None:
    assert key_result in routine_rewrite(draft)


@pytest.mark.parametrize(
    "draft",
    [
        "Write the release notes for version 4.2",
        "Publish 3 case studies a month",
        "Run payroll on the 25th of each month",
        "Close the books within 5 working days of month end",
        "Send invoices to clients by the 3rd of the month",
        "Maintain 99.9% uptime for the booking API",
        "Resolve 80% of P1 bugs within two days",
        "Publish two social posts a week",
        "Onboard the three new support agents",
    ],
)
def test_routine_rewrites_keep_every_number_the_author_wrote(draft: str) -> None:
    rewrite = routine_rewrite(draft)
    for number in re.findall(r"\d+(?:\.\d+)?|\b(?:two|three)\b", draft):
        assert number in rewrite


def test_a_routine_objectives_own_key_results_stay_fixed_for_their_findings() -> None:
    review = review_draft(
        "Objective: Keep the storefront fast\n"
        "KR1: Maintain 99.9% uptime\n"
        "KR2: Keep checkout errors below 0.5%\n"
        "KR3: Raise mobile conversion from 2.1% to 2.8% by Q3",
        SURE_ROUTINE,  # type: ignore[arg-type]
    ).primary
    assert review is not None and review.rewrite is not None
    assert review.verdict.value == "routine"
    lines = review.rewrite.splitlines()
    assert lines[1] == "KR1: Raise uptime from 99.9% to Y% by <end of quarter>"
    assert lines[2] == "KR2: Cut checkout errors from 0.5% to Y% by <end of quarter>"
    assert lines[3] == "KR3: Raise mobile conversion from 2.1% to 2.8% by Q3"


@pytest.mark.parametrize("draft", [d for d, _ in OUTCOMES[:12]])
def test_a_routine_rewrite_reads_as_an_okr_when_coached_again(draft: str) -> None:
    """ "Use this rewrite" saves it: it should no longer read as a chore."""
    again = review_draft(routine_rewrite(draft)).primary
    assert again is not None
    assert again.verdict.value == "strategic"
