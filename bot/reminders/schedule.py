"""Schedule arithmetic, pure: local reminder slots across time zones and DST, ISO weeks,
quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.reminders.settings import ReminderConfig

DEFAULT_WEEKDAY, DEFAULT_MINUTE = 0, 9 * 60


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def slot_in_week(monday: date, tz: ZoneInfo, weekday: int, minute: int) -> datetime:
    """The UTC instant of (weekday, minute) in the local week starting ``monday``.

    A wall time that does not exist (inside a spring-forward gap) resolves to the same
    offset as before the gap, i.e. a little later in real time; it never fires twice.
    """
    local = datetime.combine(monday + timedelta(days=weekday), dtime(minute // 60, minute % 60))
    return local.replace(tzinfo=tz).astimezone(UTC)


def due_slot(
    now: datetime,
    tz: ZoneInfo,
    weekday: int,
    minute: int,
    window: timedelta,
    delay: timedelta = timedelta(0),
) -> tuple[str, datetime] | None:
    """(ISO week of the slot, slot) when a weekly slot (+delay) passed less than ``window`` ago."""
    local_today = now.astimezone(tz).date()
    this_monday = local_today - timedelta(days=local_today.weekday())
    for monday in (this_monday, this_monday - timedelta(days=7)):
        slot = slot_in_week(monday, tz, weekday, minute) + delay
        if slot <= now < slot + window:
            return iso_week(monday), slot
    return None


def previous_week(period: str) -> str:
    year, week = period.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    return iso_week(monday - timedelta(days=7))


def local_minute(now: datetime, tz: ZoneInfo) -> int:
    local = now.astimezone(tz)
    return local.hour * 60 + local.minute


def in_quiet_hours(minute: int, config: ReminderConfig) -> bool:
    start, end = config.quiet_start_minute, config.quiet_end_minute
    if start <= end:
        return start <= minute < end
    return minute >= start or minute < end
