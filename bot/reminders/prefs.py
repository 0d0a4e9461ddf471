"""A member's reminder day, time and on/off switch, and the workspace's digest channel."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.deps import Deps
from bot.models import Member
from bot.reminders.schedule import DEFAULT_MINUTE, DEFAULT_WEEKDAY
from bot.workspaces import ensure_member


@dataclass(frozen=True)
class ReminderPrefs:
    enabled: bool
    weekday: int
    minute: int
    tz: str | None


def get_prefs(deps: Deps, team_id: str, user_id: str) -> ReminderPrefs:
    with deps.session_factory() as session:
        member = session.scalar(
            select(Member).where(Member.slack_team_id == team_id, Member.slack_user_id == user_id)
        )
        if member is None:
            return ReminderPrefs(True, DEFAULT_WEEKDAY, DEFAULT_MINUTE, None)
        return ReminderPrefs(
            member.reminders_enabled, member.reminder_weekday, member.reminder_minute, member.tz
        )


def set_prefs(
    deps: Deps,
    team_id: str,
    user_id: str,
    *,
    enabled: bool | None = None,
    weekday: int | None = None,
    minute: int | None = None,
) -> ReminderPrefs:
    if weekday is not None and not 0 <= weekday <= 6:
        raise ValueError(f"weekday {weekday} out of range")
    if minute is not None and not 0 <= minute < 24 * 60:
        raise ValueError(f"minute {minute} out of range")
    with deps.session_factory.begin() as session:
        member = ensure_member(session, team_id, user_id)
        if enabled is not None:
            member.reminders_enabled = enabled
        if weekday is not None:
            member.reminder_weekday = weekday
        if minute is not None:
            member.reminder_minute = minute
        session.flush()
        return ReminderPrefs(
            member.reminders_enabled, member.reminder_weekday, member.reminder_minute, member.tz
        )


def set_digest_channel(deps: Deps, team_id: str, channel_id: str | None) -> None:
    """Where the weekly digest goes (None turns it off)."""
    from bot.workspaces import ensure_workspace

    with deps.session_factory.begin() as session:
        workspace = ensure_workspace(
            session, team_id, keep_draft_text=deps.settings.keep_draft_text
        )
        workspace.digest_channel_id = channel_id
