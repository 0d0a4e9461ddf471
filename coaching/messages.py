"""Every user-facing sentence of the coach, as named constants and small formatters.

Tone (DESIGN section 7): second person, warm, short, no jargon, never a grade on the person.
Routine work is necessary work; the reply says so before it says what to do instead.
"""

from __future__ import annotations

from coaching.model import Dimension, Verdict

# Placeholders the author fills in; kept in one place so the Slack side can highlight them.
BASELINE = "X"
TARGET = "Y"
DEADLINE = "<end of quarter>"

ROUTINE_IS_NECESSARY = "This is necessary work that keeps things running, and it deserves a spot"
ROUTINE_IS_NECESSARY += " on your to-do list."

# Why each classification cue matters, in one line; {e} is the author's own words.
CUE_REASONS: dict[str, str] = {
    "scope.recurring": '"{e}" makes this recurring work: it comes round again instead of '
    "finishing with something changed",
    "scope.chore": 'it opens with "{e}", a checklist step one person can tick off in a sitting',
    "scope.admin": "it is about the machinery of running things ({e})",
    "scope.time_box": '"{e}" is a time budget for a duty, not the size of a change',
    "scope.procedure": "it reads like a step in a procedure",
    "scope.key_results": "it comes with {e} key result(s), so it is an effort of several steps",
    "scope.reach": 'it reaches wide ("{e}")',
    "scope.new_capability": '"{e}" starts something new: a project, not upkeep',
    "impact.service_standard": '"{e}" is a service standard: it keeps an existing promise '
    "rather than changing an outcome",
    "impact.upkeep": '"{e}" keeps the status quo running',
    "impact.status_quo": '"{e}" points at what already exists',
    "impact.output": "it names an output ({e}) rather than the change that output should make",
    "impact.change": '"{e}" aims to change an outcome',
    "impact.target": '"{e}" gives a direction and a size of change',
    "impact.outcome": "it is about outcomes that matter ({e})",
    "impact.aspiration": 'it describes a better end state ("{e}")',
    "impact.novelty": '"{e}" brings something new into being',
    "impact.kr_measures": "its key results move a measure",
    "impact.kr_change": "its key results aim to change something",
    "alignment.personal": '"{e}" makes it one person\'s to-do',
    "alignment.role_duty": '"{e}" describes a standing duty of a role',
    "alignment.shared": "it serves people beyond one to-do list ({e})",
}

DEFAULT_DIMENSION_LINES: dict[tuple[Dimension, Verdict], str] = {
    (Dimension.SCOPE, Verdict.ROUTINE): "it reads as a self-contained piece of work",
    (Dimension.SCOPE, Verdict.STRATEGIC): "it is an effort bigger than a single task",
    (Dimension.IMPACT, Verdict.ROUTINE): "nothing in it says what will be different afterwards",
    (Dimension.IMPACT, Verdict.STRATEGIC): "it points at a change, not just at activity",
    (Dimension.ALIGNMENT, Verdict.ROUTINE): "it does not say which team or company direction "
    "it serves",
    (Dimension.ALIGNMENT, Verdict.STRATEGIC): "it ties to a direction others share",
}

DIMENSION_LABELS: dict[Dimension, str] = {
    Dimension.SCOPE: "Scope",
    Dimension.IMPACT: "Impact",
    Dimension.ALIGNMENT: "Alignment",
}

# Fixes for routine-side cues, phrased for the draft; {e} is the author's words.
CUE_FIXES: dict[str, str] = {
    "scope.recurring": "Keep the routine, and ask what it protects: make the objective the "
    "result you want from it (happier customers, fewer surprises), not the rhythm itself.",
    "scope.chore": 'Ask why "{o}" matters this quarter and write that as the objective; the '
    "chore becomes one of the ways you get there.",
    "scope.admin": 'Point the objective at the people "{o}" serves and what should change for '
    "them.",
    "scope.time_box": "Track the time on your own list; let the OKR say what that time should "
    "change.",
    "scope.procedure": "Keep the steps in your checklist; the OKR is the outcome the whole "
    "procedure is for.",
    "impact.service_standard": 'Meeting "{e}" is a standard to keep, so track it as a health '
    "metric; set an OKR only if you want to move it to a new level, from where it is today.",
    "impact.upkeep": 'Keeping things steady is a health metric. If "{e}" needs to get better, '
    "say from what to what.",
    "impact.status_quo": "Name what should be different from today, and by how much.",
    "impact.output": "Say what the {e} should change for someone, and measure that instead.",
    "alignment.personal": "Name the team or company goal this feeds, so others can see why it "
    "matters.",
    "alignment.role_duty": "Duties of a role belong in the role description; the OKR is what "
    "the role should change this quarter.",
}

OUTCOME_HINT = "Write the objective as the outcome this work serves, with 2 to 5 key results "
OUTCOME_HINT += "that measure it."

VERDICT_ROUTINE = "This reads like routine work rather than an objective"
VERDICT_STRATEGIC = "This reads like a strategic objective"
# Said instead of a verdict when the coach is not sure: a question invites an answer, a
# confident wrong verdict loses the reader.
UNSURE_QUESTION = "I'm not sure this is an objective yet: what should be different when it's done?"

# Craft findings: (message, suggestion). Placeholders: {kr} "KR2", {q} quoted words, {n}.
KR_COUNT_NONE = (
    "There are no key results yet, so nobody can tell when this objective is done.",
    "Add 2 to 5 key results, each a measure moving from {b} to {t} by {d}.",
)
KR_COUNT_ONE = (
    "There is only one key result; a single measure is easy to hit in a way that misses the point.",
    "Add one to three more key results that look at the objective from another side "
    "(quality as well as quantity).",
)
KR_COUNT_MANY = (
    "There are {n} key results; past five, focus thins out and the important ones drown.",
    "Keep the 3 to 5 that best show the objective is met, and move the rest to your task list.",
)
KR_MEASURABLE = (
    "{kr} has no number, so at the end of the quarter it will be a matter of opinion.",
    'Turn "{q}" into a measure: which number moves, from {b} to {t}, by {d}?',
)
KR_BASELINE = (
    "{kr} has a target but no baseline, so nobody can tell a stretch from a rounding error.",
    'Add where you start today to "{q}", e.g. "from {b} to ..."',
)
KR_OUTPUT = (
    '{kr} counts an output ("{q}") rather than the result it should cause.',
    "Ask what the output is for, and measure that change instead; the output becomes a task.",
)
KR_BINARY = (
    '{kr} is done or not done ("{q}"), which says nothing about whether it worked.',
    'Keep "{q}" as a task, and measure what it should change, from {b} to {t}, by {d}.',
)
KR_DEADLINE = (
    "None of the key results says by when, so the stretch has no clock.",
    'Add a date or the quarter to each key result, e.g. "by {d}".',
)
KR_SANDBAG = (
    '{kr} keeps a level you already hold ("{q}"); that is a health metric, not a stretch.',
    "Track it as a health metric, or set a new level to reach, from where you are to {t}.",
)
KR_TOO_AMBITIOUS = (
    '{kr} asks for a jump of about {n}x ("{q}"), far past a stretch most teams can plan for.',
    "Check the baseline, and pick a target you would give a 5 in 10 chance of hitting.",
)
OBJECTIVE_HAS_NUMBERS = (
    'The objective carries numbers ("{q}"); numbers belong in key results.',
    "Let the objective say where you are going in words, and move the numbers into a key result.",
)
OBJECTIVE_TOO_LONG = (
    "The objective runs to {n} words; an objective people remember fits on one line.",
    "Cut it to the outcome in about a dozen words and move the detail into key results.",
)
OBJECTIVE_MISSING = (
    "This is a key result on its own; without its objective nobody can tell what it is for.",
    'Add the objective it serves on the line above, e.g. "Objective: ...".',
)
OKR_CONFIDENCE = (
    "There is no confidence level, so nobody can tell a safe bet from a moonshot.",
    'Add how sure you are, 1 to 10, e.g. "confidence 5/10"; about 5 is a healthy stretch.',
)
OKR_CONFIDENCE_HIGH = (
    "You gave it {n}/10 confidence: that sounds like something you will hit anyway.",
    "Raise one target until you would put it at about 5/10.",
)
OKR_CONFIDENCE_LOW = (
    "You gave it {n}/10 confidence: that leaves little chance of getting there.",
    "Trim one target, or the scope, until you would put it at about 5/10.",
)
DRAFT_TRUNCATED = (
    "This message is long, so I reviewed the first {n} objective(s) in the first {c} characters.",
    "Post one objective at a time for a full review of each.",
)


def headline(verdict: Verdict) -> str:
    return VERDICT_ROUTINE if verdict is Verdict.ROUTINE else VERDICT_STRATEGIC
