"""``/okr remind``: see and change your weekly reminder day, time and on/off."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.deps import Deps
from bot.reminders import ReminderConfig, ReminderPrefs, get_prefs, set_prefs
from bot.reminders.schedule import in_quiet_hours
from handlers.blocks import Message, plain_message
from handlers.text import escape

# ---- parsing the arguments ------------------------------------------------------------------

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
REMIND_USAGE = (
    "Try `/okr remind monday 09:30`, `/okr remind fri 16:00`, `/okr remind tuesday`, "
    "`/okr remind off` or `/okr remind on`."
)
REMIND_BAD_TIME = "I could not read the time {value!r}: use 24-hour time like 09:30 or 16:00."
REMIND_QUIET = "{value} is in quiet hours: pick a time between 07:00 and 21:00."
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")


@dataclass(frozen=True)
class RemindChange:
    enabled: bool | None = None
    weekday: int | None = None
    minute: int | None = None


def _parse_weekday(word: str) -> int | None:
    word = word.lower().rstrip(".,")
    if len(word) < 2:
        return None
    for index, name in enumerate(WEEKDAYS):
        if name.startswith(word) or (word.endswith("s") and name == word[:-1]):
            return index
    return None


def _parse_time(word: str) -> int | None:
    match = _TIME.match(word.lower())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = match.group(3)
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def parse_remind_args(text: str, config: ReminderConfig | None = None) -> RemindChange | str:
    """``/okr remind`` arguments to a change, or a message for the person."""
    config = config or ReminderConfig()
    words = text.lower().replace(" at ", " ").split()
    if not words:
        return REMIND_USAGE
    if words == ["off"]:
        return RemindChange(enabled=False)
    if words == ["on"]:
        return RemindChange(enabled=True)
    weekday = minute = None
    for word in words:
        day = _parse_weekday(word)
        if day is not None and weekday is None:
            weekday = day
            continue
        at = _parse_time(word)
        if at is not None and minute is None:
            if in_quiet_hours(at, config):
                return REMIND_QUIET.format(value=word)
            minute = at
            continue
        if any(ch.isdigit() for ch in word):
            return REMIND_BAD_TIME.format(value=word)
        return REMIND_USAGE
    return RemindChange(enabled=True, weekday=weekday, minute=minute)


# ---- answering ------------------------------------------------------------------------------

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
