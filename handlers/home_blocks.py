"""The App Home tab: the viewer's objectives, progress, confidence, warnings, what is due;
and, for workspace admins, the team's coaching picture."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from bot.objectives import KeyResultView, ObjectiveView
from bot.team_insights import TeamPicture
from coaching.checkins.warnings import ProgressWarning
from handlers import ids
from handlers.blocks import Message, plain_message
from handlers.ranges import format_amount, format_pair
from handlers.text import escape, progress_bar, truncate

MAX_OBJECTIVES_SHOWN = 11  # 7 blocks each (warnings included) keeps the view under 100
HOME_TITLE = "Your OKRs for {cycle}"
EMPTY_HOME = (
    "You have no objectives for this cycle yet. Post a draft in a channel with "
    "`Objective:` in front, or add one here."
)
TIPS = (
    "A key result is an outcome you can measure: from a baseline to a target, by a date.",
    "Three key results is plenty. Five is the most anyone can keep in their head.",
    "Routine work matters, but it belongs on a task list. OKRs are for change.",
    "Aim high: hitting 70% of an ambitious key result is a good quarter.",
    "Check in weekly. A falling confidence is the earliest warning you will get.",
)
DUE_CHECKIN = "Your weekly check-in is due: how far along is each key result?"
DUE_GRADE = "The cycle ends {when}: grade each objective from 0.0 to 1.0."
NOTHING_DUE = "Nothing due right now. Nice."
GOAL_ONLY = "target {target}"
NOW = ", now {current}"
GRADED = "graded {grade}"
GRADE_SAVED = "Saved your grade for *{title}*: *{grade}*. It's on your App Home now."


def slack_date(moment: datetime, fallback_format: str = "%Y-%m-%d") -> str:
    """Rendered by Slack in each reader's own time zone."""
    unix = int(moment.timestamp())
    return f"<!date^{unix}^{{date_short_pretty}}|{moment.strftime(fallback_format)}>"


def kr_numbers(kr: KeyResultView) -> str | None:
    """ "120 → 300 teams, now 150 teams", "$40k → $90k, now $55k"; None without a target."""
    if kr.target is None:
        return None
    if kr.baseline is None:
        text = GOAL_ONLY.format(target=format_amount(kr.target, kr.unit, others=[kr.current]))
    else:
        text = format_pair(kr.baseline, kr.target, kr.unit, others=[kr.current])
    if kr.current is not None:
        now = format_amount(kr.current, kr.unit, others=[kr.baseline, kr.target])
        text += NOW.format(current=now)
    return escape(text)


def kr_line(kr: KeyResultView) -> str:
    line = f"• {truncate(escape(kr.text), 200)}\n    {progress_bar(kr.progress)}"
    numbers = kr_numbers(kr)
    if numbers:
        line += f"  ({numbers})"
    return line


def confidence_text(objective: ObjectiveView) -> str:
    if not objective.confidence_trend:
        return "confidence not rated yet"
    return "confidence " + " → ".join(str(v) for v in objective.confidence_trend)


def grade_saved(objective: ObjectiveView) -> Message:
    grade = f"{objective.grade:g}" if objective.grade is not None else "?"
    return plain_message(
        GRADE_SAVED.format(title=truncate(escape(objective.title), 300), grade=grade)
    )


WARNINGS_LEAD = "*Worth a look:*"
NOT_HELPFUL_OPTION = "Not helpful: {rule}"
TEAM_TITLE = "*Your team's coaching picture, {cycle}*"
TEAM_NUMBERS = (
    "{drafts} draft{s} reviewed · {saved} became OKRs · {rewrites} saved from the coach's rewrite"
)
TEAM_NO_DRAFTS = "No drafts reviewed yet this cycle."
TEAM_TOP_RULES = "Rules that fire most: {rules}"
TEAM_LEAST_HELPFUL = "Marked “Not helpful” most: {rules}"
TEAM_NOTHING_MARKED = "Nothing marked “Not helpful” yet."


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _rules(counted: Sequence[tuple[str, int]]) -> str:
    return ", ".join(f"`{escape(rule)}` ({n})" for rule, n in counted)


def team_picture_blocks(picture: TeamPicture) -> list[dict[str, Any]]:
    """For admins: where coaching helps the team and where it does not."""
    lines = [TEAM_TITLE.format(cycle=picture.cycle)]
    if picture.drafts:
        lines.append(
            TEAM_NUMBERS.format(
                drafts=picture.drafts,
                s="" if picture.drafts == 1 else "s",
                saved=_share(picture.saved_share),
                rewrites=_share(picture.rewrite_share),
            )
        )
        if picture.top_rules:
            lines.append(TEAM_TOP_RULES.format(rules=_rules(picture.top_rules)))
    else:
        lines.append(TEAM_NO_DRAFTS)
    lines.append(
        TEAM_LEAST_HELPFUL.format(rules=_rules(picture.least_helpful))
        if picture.least_helpful
        else TEAM_NOTHING_MARKED
    )
    return [
        {"type": "divider"},
        {"type": "section", "text": {"type": "mrkdwn", "text": truncate("\n".join(lines), 2900)}},
    ]


def warnings_block(
    objective: ObjectiveView, warnings: Sequence[ProgressWarning]
) -> dict[str, Any] | None:
    """One section for an objective's warnings, "Not helpful" for each in its overflow menu."""
    if not warnings:
        return None
    numbers = {kr.id: n for n, kr in enumerate(objective.key_results, start=1)}
    lines = [WARNINGS_LEAD] + [
        f"• KR{numbers.get(w.key, '?')}: {w.why} {w.fix}" for w in warnings[:5]
    ]
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate("\n".join(lines), 2900)},
        "accessory": {
            "type": "overflow",
            "action_id": ids.ACTION_WARNING_NOT_HELPFUL,
            "options": [
                {
                    "text": {
                        "type": "plain_text",
                        "text": truncate(
                            NOT_HELPFUL_OPTION.format(rule=f"KR{numbers.get(w.key, '?')}"), 75
                        ),
                    },
                    "value": f"{w.key}|{w.rule_id}",
                }
                for w in warnings[:5]
            ],
        },
    }


def objective_blocks(
    objective: ObjectiveView,
    *,
    actions: bool = True,
    warnings: Sequence[ProgressWarning] = (),
) -> list[dict[str, Any]]:
    status = "" if objective.status == "active" else f" · _{objective.status}_"
    if objective.grade is not None:
        status += f" · *{GRADED.format(grade=f'{objective.grade:g}')}*"
    title = f"*{truncate(escape(objective.title), 300)}*  _{objective.commitment}_{status}"
    last = (
        f"last check-in {slack_date(objective.last_checkin_at)}"
        if objective.last_checkin_at
        else "no check-in yet"
    )
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": title}},
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"{progress_bar(objective.progress)} · {confidence_text(objective)}"
                    f" · {last}",
                }
            ],
        },
    ]
    if objective.key_results:
        text = "\n".join(kr_line(kr) for kr in objective.key_results[:5])
        hidden = len(objective.key_results) - 5
        if hidden > 0:
            text += f"\n• and {hidden} more"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, 2900)}})
    warned = warnings_block(objective, warnings)
    if warned is not None:
        blocks.append(warned)
    if actions:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"objective_{objective.id}",
                "elements": [
                    {
                        "type": "button",
                        "action_id": ids.ACTION_HOME_CHECKIN,
                        "text": {"type": "plain_text", "text": "Check in"},
                        "value": str(objective.id),
                    },
                    {
                        "type": "button",
                        "action_id": ids.ACTION_HOME_DELETE,
                        "text": {"type": "plain_text", "text": "Delete"},
                        "value": str(objective.id),
                        "style": "danger",
                        "confirm": {
                            "title": {"type": "plain_text", "text": "Delete this objective?"},
                            "text": {
                                "type": "plain_text",
                                "text": "Its key results and check-ins go too.",
                            },
                            "confirm": {"type": "plain_text", "text": "Delete"},
                            "deny": {"type": "plain_text", "text": "Keep it"},
                        },
                    },
                ],
            }
        )
    blocks.append({"type": "divider"})
    return blocks


def due_lines(
    objectives: list[ObjectiveView], *, today: date, cycle_end: date, checkin_due: bool
) -> list[str]:
    lines = []
    if checkin_due and any(o.status == "active" for o in objectives):
        lines.append(DUE_CHECKIN)
    if objectives and 0 <= (cycle_end - today).days <= 14:
        lines.append(DUE_GRADE.format(when=cycle_end.isoformat()))
    return lines or [NOTHING_DUE]


def home_view(
    objectives: list[ObjectiveView],
    *,
    cycle: str,
    today: date,
    cycle_end: date,
    checkin_due: bool,
    warnings: Mapping[int, Sequence[ProgressWarning]] | None = None,
    team: TeamPicture | None = None,
) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": HOME_TITLE.format(cycle=cycle)}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": ids.ACTION_HOME_ADD,
                    "text": {"type": "plain_text", "text": "Add an objective"},
                    "style": "primary",
                }
            ],
        },
    ]
    if not objectives:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": EMPTY_HOME}})
    for objective in objectives[:MAX_OBJECTIVES_SHOWN]:
        found = (warnings or {}).get(objective.id, ())
        blocks.extend(objective_blocks(objective, warnings=found))
    hidden = len(objectives) - MAX_OBJECTIVES_SHOWN
    if hidden > 0:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"and {hidden} more: `/okr list`"}],
            }
        )
    due = due_lines(objectives, today=today, cycle_end=cycle_end, checkin_due=checkin_due)
    blocks.append(
        {"type": "section", "text": {"type": "mrkdwn", "text": "*What's due*\n" + "\n".join(due)}}
    )
    tip = TIPS[today.toordinal() % len(TIPS)]
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"Tip: {tip}"}]})
    if team is not None:
        blocks.extend(team_picture_blocks(team))
    return {"type": "home", "blocks": blocks}
