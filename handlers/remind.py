"""``/okr remind``: see and change your weekly reminder day, time and on/off."""

from __future__ import annotations

from bot.deps import Deps
from bot.reminders import WEEKDAYS, ReminderPrefs, get_prefs, parse_remind_args, set_prefs
from handlers.blocks import Message, plain_message
from handlers.text import escape

REMIND_STATUS_ON = (
    "Your weekly check-in reminder comes on *{day} at {time}* ({tz}). "
    "Change it with `/okr remind friday 16:00`, or turn it off with `/okr remind off`."
)
REMIND_STATUS_OFF = "Your weekly reminders are *off*. Turn them back on with `/okr remind on`."
REMIND_SAVED = "Done. "
DEFAULT_TZ_LABEL = "your Slack time zone"


def describe_prefs(prefs: ReminderPrefs) -> str:
    if not prefs.enabled:
        return REMIND_STATUS_OFF
    hours, minutes = divmod(prefs.minute, 60)
    return REMIND_STATUS_ON.format(
        day=WEEKDAYS[prefs.weekday].title(),
        time=f"{hours:02d}:{minutes:02d}",
        tz=prefs.tz or DEFAULT_TZ_LABEL,
    )


def remind_reply(deps: Deps, team_id: str, user_id: str, args: str) -> Message:
    if not args.strip():
        return plain_message(describe_prefs(get_prefs(deps, team_id, user_id)))
    change = parse_remind_args(args)
    if isinstance(change, str):
        # The message may quote what the person typed.
        return plain_message(escape(change))
    prefs = set_prefs(
        deps,
        team_id,
        user_id,
        enabled=change.enabled,
        weekday=change.weekday,
        minute=change.minute,
    )
    return plain_message(REMIND_SAVED + describe_prefs(prefs))
