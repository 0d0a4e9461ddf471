"""Installations in our own tables: encrypted tokens, serialised refresh, clean uninstall.

``DatabaseInstallationStore`` is what Bolt's OAuth flow saves to. ``TokenService`` hands out
a workspace's bot token and refreshes it before it expires. Refresh tokens are single-use,
so only one process may refresh a workspace at a time: it takes a short lease on the row
(a conditional UPDATE, never a transaction held across the Slack call) and the others wait
for the new token to appear.

A request must be acknowledged within Slack's 3 seconds, so the request path never waits
on Slack for long: a token that is due but still valid is used as it is while a worker
thread refreshes it, and an expired one waits at most ``REQUEST_DEADLINE`` for the refresh
before telling the caller to come back (``RefreshPending``).
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot, InstallationStore
from slack_sdk.oauth.installation_store import Installation as SlackInstallation
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import sessionmaker

from bot.crypto import TokenCipher
from bot.models import Installation

logger = logging.getLogger(__name__)

# Refresh this long before expiry, so a token never dies mid-request or mid-fan-out.
REFRESH_MARGIN = timedelta(minutes=10)
# A token with less than this left is not handed to a request: it could die mid-request.
STILL_VALID = timedelta(seconds=60)
LEASE = timedelta(seconds=30)
WAIT_FOR_PEER_SECONDS = 15.0
POLL_SECONDS = 0.05
# The longest a request waits for a refresh, so its ack still leaves Slack well in time.
REQUEST_DEADLINE = 0.8


class RefreshFailed(Exception):
    """Slack refused the refresh, or another process never finished its own."""


class RefreshPending(Exception):
    """The token has expired and its refresh is still running: try again in a moment."""


@dataclass(frozen=True)
class BotCredentials:
    team_id: str
    enterprise_id: str | None
    bot_token: str
    bot_id: str | None
    bot_user_id: str | None
    expires_at: datetime | None


def _expires_at(installed_at: datetime, expires_in: int | None) -> datetime | None:
    return installed_at + timedelta(seconds=expires_in) if expires_in else None


class DatabaseInstallationStore(InstallationStore):
    """slack_sdk's InstallationStore over the ``installation`` table (bot tokens only)."""

    def __init__(self, session_factory: sessionmaker, cipher: TokenCipher, clock: Any) -> None:
        self._sessions = session_factory
        self._cipher = cipher
        self._clock = clock

    @property
    def logger(self) -> logging.Logger:
        return logger

    def save(self, installation: SlackInstallation) -> None:
        team_id = installation.team_id
        if not team_id:
            raise ValueError("org-wide (enterprise) installs are not supported")
        now = self._clock()
        expires_at = (
            datetime.fromtimestamp(installation.bot_token_expires_at, now.tzinfo)
            if installation.bot_token_expires_at
            else None
        )
        values = {
            "slack_enterprise_id": installation.enterprise_id,
            "team_name": installation.team_name,
            "app_id": installation.app_id,
            "bot_id": installation.bot_id,
            "bot_user_id": installation.bot_user_id,
            "bot_scopes": ",".join(installation.bot_scopes or []),
            "bot_token_encrypted": self._cipher.encrypt(installation.bot_token),
            "bot_refresh_token_encrypted": self._cipher.encrypt(installation.bot_refresh_token),
            "bot_token_expires_at": expires_at,
            "installer_slack_user_id": installation.user_id,
            "refresh_lease_until": None,
            "updated_at": now,
        }
        with self._sessions.begin() as session:
            row = session.scalar(select(Installation).where(Installation.slack_team_id == team_id))
            if row is None:
                session.add(Installation(slack_team_id=team_id, installed_at=now, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
        logger.info("installation saved", extra={"team_id": team_id})

    def save_bot(self, bot: Bot) -> None:  # Bolt saves full installations; nothing else to do
        return None

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        row = self._row(team_id)
        if row is None or row.bot_token_encrypted is None:
            return None
        return Bot(
            app_id=row.app_id,
            enterprise_id=row.slack_enterprise_id,
            team_id=row.slack_team_id,
            team_name=row.team_name,
            bot_token=self._cipher.decrypt(row.bot_token_encrypted) or "",
            bot_id=row.bot_id or "",
            bot_user_id=row.bot_user_id or "",
            bot_scopes=(row.bot_scopes or "").split(","),
            bot_refresh_token=self._cipher.decrypt(row.bot_refresh_token_encrypted),
            bot_token_expires_at=(
                int(row.bot_token_expires_at.timestamp()) if row.bot_token_expires_at else None
            ),
            installed_at=row.installed_at.timestamp(),
        )

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> SlackInstallation | None:
        bot = self.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None:
            return None
        return SlackInstallation(
            app_id=bot.app_id,
            enterprise_id=bot.enterprise_id,
            team_id=bot.team_id,
            team_name=bot.team_name,
            bot_token=bot.bot_token,
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_scopes=bot.bot_scopes,
            bot_refresh_token=bot.bot_refresh_token,
            bot_token_expires_at=bot.bot_token_expires_at,
            user_id=user_id or "",
            installed_at=bot.installed_at,
        )

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.delete_installation(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(Installation).where(Installation.slack_team_id == team_id))

    def _row(self, team_id: str | None) -> Installation | None:
        if not team_id:
            return None
        with self._sessions() as session:
            return session.scalar(select(Installation).where(Installation.slack_team_id == team_id))


class TokenService:
    """A workspace's bot token, refreshed (once, across processes) before it expires."""

    def __init__(
        self,
        session_factory: sessionmaker,
        cipher: TokenCipher,
        *,
        client_id: str,
        client_secret: str,
        oauth_client: WebClient,
        clock: Any,
    ) -> None:
        self._sessions = session_factory
        self._cipher = cipher
        self._client_id = client_id
        self._client_secret = client_secret
        self._oauth = oauth_client
        self._clock = clock
        # One refresh in flight per workspace in this process (the row lease covers the
        # other processes); a small pool, since refreshes are rare and brief.
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="token-refresh")
        self._in_flight: dict[str, Future[BotCredentials | None]] = {}
        self._in_flight_lock = threading.Lock()

    def team_ids(self) -> list[str]:
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(Installation.slack_team_id)
                    .where(Installation.bot_token_encrypted.is_not(None))
                    .order_by(Installation.slack_team_id)
                )
            )

    def token_for(self, team_id: str) -> str:
        credentials = self.credentials(team_id)
        if credentials is None:
            raise LookupError(f"no installation for team {team_id}")
        return credentials.bot_token

    def for_request(self, team_id: str) -> BotCredentials | None:
        """Credentials without waiting on Slack beyond ``REQUEST_DEADLINE``.

        A token that is due for refresh but still valid is returned at once while a worker
        thread refreshes it; an expired one waits briefly for the refresh, then raises
        ``RefreshPending``.
        """
        row = self._load(team_id)
        if row is None or row.bot_token_encrypted is None:
            return None
        if not self._needs_refresh(row):
            return self._credentials(row)
        refresh = self.refresh_in_background(team_id)
        expires = row.bot_token_expires_at
        if expires is not None and expires - self._clock() > STILL_VALID:
            return self._credentials(row)
        try:
            return refresh.result(timeout=REQUEST_DEADLINE)
        except FutureTimeout:
            raise RefreshPending(team_id) from None

    def refresh_in_background(self, team_id: str) -> Future[BotCredentials | None]:
        """Start (or join) this process's refresh of ``team_id``'s token."""
        with self._in_flight_lock:
            running = self._in_flight.get(team_id)
            if running is not None and not running.done():
                return running
            future = self._pool.submit(self._refresh_now, team_id)
            self._in_flight[team_id] = future
            return future

    def _refresh_now(self, team_id: str) -> BotCredentials | None:
        try:
            return self.credentials(team_id)
        except RefreshFailed:
            logger.warning("background token refresh failed", extra={"team_id": team_id})
            return None

    def credentials(self, team_id: str) -> BotCredentials | None:
        """Credentials, refreshing first (and waiting for it) when the token is due."""
        row = self._load(team_id)
        if row is None or row.bot_token_encrypted is None:
            return None
        if self._needs_refresh(row):
            row = self._refresh(team_id, row.bot_token_expires_at)
        return self._credentials(row)

    def _credentials(self, row: Installation) -> BotCredentials:
        return BotCredentials(
            team_id=row.slack_team_id,
            enterprise_id=row.slack_enterprise_id,
            bot_token=self._cipher.decrypt(row.bot_token_encrypted) or "",
            bot_id=row.bot_id,
            bot_user_id=row.bot_user_id,
            expires_at=row.bot_token_expires_at,
        )

    def _needs_refresh(self, row: Installation) -> bool:
        return (
            row.bot_refresh_token_encrypted is not None
            and row.bot_token_expires_at is not None
            and row.bot_token_expires_at - self._clock() <= REFRESH_MARGIN
        )

    def _load(self, team_id: str) -> Installation | None:
        with self._sessions() as session:
            return session.scalar(select(Installation).where(Installation.slack_team_id == team_id))

    def _refresh(self, team_id: str, seen_expiry: datetime | None) -> Installation:
        deadline = time.monotonic() + WAIT_FOR_PEER_SECONDS
        while True:
            if self._take_lease(team_id, seen_expiry):
                return self._refresh_holding_lease(team_id)
            row = self._load(team_id)
            if row is None or row.bot_token_encrypted is None:
                raise RefreshFailed(f"team {team_id} was uninstalled during the refresh")
            if row.bot_token_expires_at != seen_expiry:
                return row  # another request or process refreshed it for us
            if time.monotonic() > deadline:
                raise RefreshFailed(f"gave up waiting for the token refresh of team {team_id}")
            time.sleep(POLL_SECONDS)

    def _take_lease(self, team_id: str, seen_expiry: datetime | None) -> bool:
        now = self._clock()
        with self._sessions.begin() as session:
            result = session.execute(
                update(Installation)
                .where(
                    Installation.slack_team_id == team_id,
                    Installation.bot_token_expires_at == seen_expiry,
                    or_(
                        Installation.refresh_lease_until.is_(None),
                        Installation.refresh_lease_until < now,
                    ),
                )
                .values(refresh_lease_until=now + LEASE)
            )
            return bool(getattr(result, "rowcount", 0) == 1)

    def _refresh_holding_lease(self, team_id: str) -> Installation:
        row = self._load(team_id)
        assert row is not None
        try:
            response = self._oauth.oauth_v2_access(
                client_id=self._client_id,
                client_secret=self._client_secret,
                grant_type="refresh_token",
                refresh_token=self._cipher.decrypt(row.bot_refresh_token_encrypted),
            )
        except Exception as error:
            self._release_lease(team_id)
            logger.error("token refresh failed: %s", error, extra={"team_id": team_id})
            raise RefreshFailed(str(error)) from error
        now = self._clock()
        with self._sessions.begin() as session:
            fresh = session.scalar(
                select(Installation).where(Installation.slack_team_id == team_id)
            )
            if fresh is None:
                raise RefreshFailed(f"team {team_id} was uninstalled during the refresh")
            fresh.bot_token_encrypted = self._cipher.encrypt(response["access_token"])
            fresh.bot_refresh_token_encrypted = self._cipher.encrypt(response.get("refresh_token"))
            fresh.bot_token_expires_at = _expires_at(now, response.get("expires_in"))
            fresh.refresh_lease_until = None
            fresh.updated_at = now
        logger.info("bot token refreshed", extra={"team_id": team_id})
        refreshed = self._load(team_id)
        assert refreshed is not None
        return refreshed

    def _release_lease(self, team_id: str) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(Installation)
                .where(Installation.slack_team_id == team_id)
                .values(refresh_lease_until=None)
            )

    def rotate_encryption(self) -> int:
        """Re-encrypt every stored token with the primary key; returns rows changed."""
        changed = 0
        with self._sessions.begin() as session:
            for row in session.scalars(select(Installation)):
                row.bot_token_encrypted = self._cipher.rotate(row.bot_token_encrypted)
                row.bot_refresh_token_encrypted = self._cipher.rotate(
                    row.bot_refresh_token_encrypted
                )
                changed += 1
        return changed
