"""Reminder pacing and politeness: ``ReminderConfig``, read from the environment by entry
points (``REMINDER_*``), never at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from bot.pacing import Rate

POST, OPEN, HISTORY, USERS_LIST = (
    "chat.postMessage",
    "conversations.open",
    "conversations.history",
    "users.list",
)


@dataclass(frozen=True)
class ReminderConfig:
    """Pacing and politeness. Rates are per workspace and per minute.

    The rates start from Slack's published ones (api.slack.com/apis/rate-limits): the pacer
    slows a method down on a 429 and speeds it back up while Slack stays quiet.
    """

    # chat.postMessage: "several hundred a minute" per workspace, short bursts allowed...
    post_per_minute: float = 300.0
    post_burst: float = 5.0
    # ...and about one a second in any one channel.
    post_per_channel_per_minute: float = 60.0
    # conversations.open and conversations.history: Tier 3 (50+ a minute).
    open_per_minute: float = 50.0
    open_burst: float = 3.0
    history_per_minute: float = 50.0
    # users.list: Tier 2 (20+ a minute).
    users_list_per_minute: float = 20.0
    senders_per_workspace: int = 4
    parallel_workspaces: int = 8
    batch_size: int = 200
    # A claim older than this whose outcome was never written is checked and resumed.
    claim_lease: timedelta = timedelta(minutes=10)
    max_attempts: int = 5
    retry_backoff: timedelta = timedelta(minutes=5)
    recent_checkin: timedelta = timedelta(days=3)
    catch_up: timedelta = timedelta(hours=36)
    quiet_start_minute: int = 21 * 60
    quiet_end_minute: int = 7 * 60
    max_dms_per_week: int = 3
    progress_every: int = 500

    def rates(self) -> dict[str, Rate]:
        return {
            POST: Rate(self.post_per_minute, self.post_burst),
            OPEN: Rate(self.open_per_minute, self.open_burst),
            HISTORY: Rate(self.history_per_minute, 1.0),
            USERS_LIST: Rate(self.users_list_per_minute, 1.0),
        }

    def channel_rates(self) -> dict[str, Rate]:
        """Limits per channel on top of the workspace's."""
        return {POST: Rate(self.post_per_channel_per_minute, 1.0)}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ReminderConfig:
        """Entry points only: REMINDER_POST_PER_MINUTE, REMINDER_OPEN_PER_MINUTE, ...

        Every value must be a positive number; all bad ones are named in one error.
        """
        from bot.config import ConfigError

        env = os.environ if environ is None else environ
        changes: dict[str, Any] = {}
        problems: list[str] = []
        for name, attr, kind in (
            ("REMINDER_POST_PER_MINUTE", "post_per_minute", float),
            ("REMINDER_POST_BURST", "post_burst", float),
            ("REMINDER_OPEN_PER_MINUTE", "open_per_minute", float),
            ("REMINDER_OPEN_BURST", "open_burst", float),
            ("REMINDER_SENDERS_PER_WORKSPACE", "senders_per_workspace", int),
            ("REMINDER_PARALLEL_WORKSPACES", "parallel_workspaces", int),
            ("REMINDER_MAX_DMS_PER_WEEK", "max_dms_per_week", int),
            ("REMINDER_CLAIM_LEASE_SECONDS", "claim_lease", float),
        ):
            raw = env.get(name, "").strip()
            if not raw:
                continue
            try:
                value = kind(raw)
            except ValueError:
                value = 0
            if value <= 0:
                problems.append(f"{name} must be a positive number, not {raw!r}")
                continue
            changes[attr] = timedelta(seconds=value) if attr == "claim_lease" else value
        if problems:
            raise ConfigError("; ".join(problems))
        return replace(cls(), **changes)
