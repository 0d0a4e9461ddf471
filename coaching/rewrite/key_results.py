"""Key results fixed for the rule each broke: one, the author's list, a lone one."""

from __future__ import annotations

import re
from collections.abc import Sequence

from coaching import lexicon as lx
from coaching import messages as msg
from coaching.craft import has_deadline, kr_label
from coaching.model import Finding
from coaching.rewrite.grammar import gerund, lower_first, tidy
from coaching.rewrite.layout import confidence_lines
from coaching.rewrite.measures import MONTHS, NUMBER, metric
from coaching.rewrite.people import DEFAULT_USERS
from coaching.rewrite.verb_object import topic
from coaching.rewrite.vocabulary import CLAUSE_STARTS
from coaching.textutil import stem

# Verbs that open a deliverable ("Launch X") or a chore ("Write 3 posts").
_TASK_VERBS = lx.BINARY_VERBS | lx.CHORE_VERBS
_KR_FIXES = frozenset(("kr.binary", "kr.output", "kr.measurable", "kr.sandbag", "kr.baseline"))
_FIRST_NUMBER = re.compile(r"[$€£]?\d[\d,]*(?:\.\d+)?\s*%?")
_TO_NUMBER = re.compile(r"\bto\s+(?=[$€£]?\d)", re.I)
# "15% to 35%", "15 -> 35", "15 → 35": a baseline written without "from".
_BARE_RANGE = re.compile(
    rf"(?<![\w.$€£])(?={NUMBER}\s*(?:to|->|→|=>)\s*[$€£]?\d)"
    rf"(?<!\bfrom\s)",
    re.I,
)
_FIRST_N = re.compile(r"\bfirst\s+[$€£]?\d", re.I)
_TRAILING_DEADLINE = re.compile(
    rf"\s+(?:by|before|in|until)\s+(?:the\s+)?(?:end\s+of\s+)?(?:the\s+)?"
    rf"(?:q[1-4]|h[12]|fy\s?\d{{2,4}}|20\d\d|{MONTHS}|this\s+quarter|next\s+quarter|"
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
# Verbs that hold a level ("Maintain 99% uptime"): a health metric, not a stretch.
LEVEL_VERBS = ("maintain", "keep", "sustain", "stay", "remain", "preserve", "hold")
_LEVEL_VERB = re.compile(rf"^\s*(?:{'|'.join(LEVEL_VERBS)})\w*\s+", re.I)


def sandbag_fix(kr: str) -> str:
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
    before = tidy(re.sub(r"\bat\b", " ", _DOWNWARD.sub(" ", before)))
    after = tidy(after)
    if before and after and after.split()[0].lower() not in CLAUSE_STARTS:
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
        return f"Raise {measure} from {b}% to {t}% by {d} with {lower_first(_strip_verb(kr))}"
    if rule_id == "kr.output":
        return f"Raise {measure} from {b} to {t} by {d} by {_gerund_phrase(kr)}"
    if rule_id == "kr.measurable":
        return f"{kr}, measured as {measure} moving from {b} to {t} by {d}"
    if rule_id == "kr.sandbag":
        return sandbag_fix(kr)
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


def _gerund_phrase(kr: str) -> str:
    words = kr.split()
    if words and stem(words[0]) in _TASK_VERBS:
        return " ".join([gerund(words[0]), *words[1:]])
    return lower_first(kr)


def _strip_verb(text: str) -> str:
    words = text.split()
    if words and stem(words[0]) in _TASK_VERBS:
        words = words[1:]
    return " ".join(words).rstrip(".") or text


def fixed_key_results(
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
    out: list[str] = []
    for i, kr in enumerate(key_results):
        rule = by_target.get(kr_label(i))
        own = metric([kr]) or named
        if rule == "kr.binary" and own is None:
            measure = f"the share of {users} using {lower_first(_strip_verb(kr))}"
        else:
            measure = own or f"<main measure of {thing}>"
        if rule in _KR_FIXES:
            out.append(fix_key_result(kr, rule, measure))
        elif deadline_asked and not has_deadline(kr):
            out.append(f"{kr.rstrip('. ')} by {msg.DEADLINE}")
        else:
            out.append(kr)
    return out


def key_result_rewrite(
    kr: str, findings: Sequence[Finding], *, confidence_level: int | None = None
) -> str:
    """A lone key result, rewritten for the first craft rule it broke."""
    rule = next((f.rule_id for f in findings if f.rule_id.startswith("kr.")), None)
    own = metric([kr])
    measure = own or f"<the result {topic(kr)} should bring>"
    if rule in ("kr.binary", "kr.output", "kr.measurable") and own is None:
        rule = "kr.output"
    lines = [f"KR: {fix_key_result(kr, rule, measure)}"]
    return "\n".join(lines + confidence_lines(confidence_level, ask=False))
