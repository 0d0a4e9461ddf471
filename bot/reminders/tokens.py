"""The workspaces a pass serves, their tokens, and a client paced per workspace."""

from __future__ import annotations

from typing import Protocol

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from bot.deps import Deps
from bot.pacing import REAL_TIME, PacedRateLimitRetryHandler, Timing, WorkspacePacer
from bot.reminders.settings import ReminderConfig
from bot.slack_client import create_web_client


class TokenProvider(Protocol):
    def team_ids(self) -> list[str]: ...

    def token_for(self, team_id: str) -> str: ...


class BotTokenProvider:
    """Single-workspace mode: the one bot token; its team comes from ``auth.test``."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._team: str | None = None

    def team_ids(self) -> list[str]:
        if self._team is None:
            client = create_web_client(self._deps.settings)
            self._team = str(client.auth_test()["team_id"])
        return [self._team]

    def token_for(self, team_id: str) -> str:
        token = self._deps.settings.slack_bot_token
        if not token or team_id not in self.team_ids():
            raise LookupError(f"no token for team {team_id}")
        return token


def token_provider(deps: Deps) -> TokenProvider:
    """Installed workspaces in distributed mode (tokens refreshed before the fan-out), else
    the one bot token."""
    if getattr(deps.settings, "distributed", False):
        from bot.oauth import build_token_service

        return build_token_service(deps.settings, deps.session_factory, deps.clock)
    return BotTokenProvider(deps)


def workspace_pacer(
    config: ReminderConfig, team_id: str, timing: Timing = REAL_TIME
) -> WorkspacePacer:
    """One workspace's buckets at the configured rates, shared by every thread of a pass."""
    return WorkspacePacer(
        team_id, config.rates(), per_channel=config.channel_rates(), timing=timing
    )


def paced_client(deps: Deps, token: str, pacer: WorkspacePacer) -> WebClient:
    client = create_web_client(deps.settings, token)
    # The one retry layer for 429s: its wait is shared by every thread of the workspace.
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        PacedRateLimitRetryHandler(pacer),
    ]
    return client
