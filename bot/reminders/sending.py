"""One workspace's reminders: a producer, an opener and a few senders, paced per method."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import func, select

from bot.cycles import cycle_of
from bot.deps import Deps
from bot.member_sync import sync_members
from bot.models import Member
from bot.pacing import WorkspacePacer, retry_after_in
from bot.reminders.deliveries import GAVE_UP, SKIPPED, Deliveries, Item
from bot.reminders.digest import digest_data, due_digest
from bot.reminders.messages import (
    METADATA_EVENT,
    Renderers,
    build_message,
    load_views,
    reminder_metadata,
)
from bot.reminders.planning import Planner
from bot.reminders.settings import HISTORY, OPEN, POST, ReminderConfig
from bot.slack_client import slack_error_code
from bot.slack_messages import find_by_metadata

logger = logging.getLogger(__name__)


# A DM that fails with one of these will fail again: mark the member, stop trying.
PERMANENT_MEMBER_ERRORS = frozenset(
    {
        "user_disabled",
        "channel_not_found",
        "user_not_found",
        "cannot_dm_bot",
        "is_archived",
        "messages_tab_disabled",
        "user_not_visible",
    }
)
# The token itself is gone: nothing in this workspace can be sent until it comes back.
WORKSPACE_ERRORS = frozenset(
    {
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_authed",
        "missing_scope",
        "team_access_not_granted",
        "no_permission",
    }
)


@dataclass
class WorkspaceReport:
    team_id: str
    planned: int = 0
    sent: int = 0
    failed: int = 0
    gave_up: int = 0
    skipped: int = 0
    blocked: int = 0
    already_claimed: int = 0
    reconciled: int = 0
    opened: int = 0
    rate_limited: int = 0
    digest: bool = False
    error: str | None = None
    seconds: float = 0.0


class _WorkspaceStop(Exception):
    """The workspace's token stopped working: give up on it for this pass."""


_DONE: Any = object()


class WorkspaceRun:
    """Sends one workspace's reminders: a producer, an opener and a few senders."""

    def __init__(
        self,
        deps: Deps,
        team_id: str,
        client: WebClient,
        pacer: WorkspacePacer,
        config: ReminderConfig,
        render: Renderers,
        clock: Callable[[], datetime],
    ) -> None:
        self.deps = deps
        self.team_id = team_id
        self.client = client
        self.pacer = pacer
        self.config = config
        self.render = render
        # The pass's one clock: its rules read ``now``, its rows are stamped by ``clock``.
        self.now = clock()
        self.cycle = cycle_of(self.now.date())
        self.deliveries = Deliveries(deps, team_id, config, clock)
        self.report = WorkspaceReport(team_id)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._done = 0
        self._room = threading.BoundedSemaphore(1)

    def _count(self, name: str, by: int = 1) -> None:
        with self._lock:
            setattr(self.report, name, getattr(self.report, name) + by)
            if name in ("sent", "failed", "gave_up", "blocked", "skipped", "reconciled"):
                self._done += by
                done = self._done
            else:
                return
        if done % self.config.progress_every == 0:
            logger.info(
                "reminders: %d of %d done (%d sent)",
                done,
                self.report.planned,
                self.report.sent,
                extra={"team_id": self.team_id},
            )

    def run(self) -> WorkspaceReport:
        started = time.monotonic()
        try:
            self._sync_profiles_if_stale()
            with self.deps.session_factory() as session:
                items, recent = Planner(self.config).plan(session, self.team_id, self.now)
            for item in recent:
                if self.deliveries.claim(item, status=SKIPPED):
                    self._count("skipped")
            self.report.planned = len(items)
            if items:
                self._send_all(items)
            self._digest()
        except _WorkspaceStop as stop:
            self.report.error = str(stop)
        finally:
            self.report.rate_limited = self.pacer.rate_limited
            self.report.seconds = time.monotonic() - started
        return self.report

    # -- profiles --

    def _sync_profiles_if_stale(self) -> None:
        # The daily member_sync job keeps everyone fresh; a tick only syncs when someone new
        # (never synced: no time zone yet) would otherwise be reminded on UTC.
        with self.deps.session_factory() as session:
            stale = session.scalar(
                select(func.count())
                .select_from(Member)
                .where(
                    Member.slack_team_id == self.team_id,
                    Member.deleted.is_(False),
                    Member.profile_synced_at.is_(None),
                )
            )
        if not stale:
            return
        try:
            sync_members(self.deps, self.client, self.team_id, pacer=self.pacer, now=self.now)
        except SlackApiError as error:
            code = slack_error_code(error)
            if code in WORKSPACE_ERRORS:
                raise _WorkspaceStop(code) from error
            # Stale time zones are better than no reminders: carry on with what we have.
            logger.warning("member sync failed: %s", code, extra={"team_id": self.team_id})

    # -- pipeline --

    def _send_all(self, items: list[Item]) -> None:
        # Small queues: the producer waits for the senders, so only a few batches of built
        # messages are ever in memory, whatever the size of the workspace.
        depth = 2 * self.config.batch_size
        to_open: queue.Queue[Any] = queue.Queue(maxsize=depth)
        # Unbounded, so the opener (the slowest, rate-limited stage) never waits for a sender
        # stalled on the database: an open slot not taken is time lost for good. The
        # producer's own items are bounded by ``_room`` instead.
        to_post: queue.Queue[Any] = queue.Queue()
        self._room = threading.BoundedSemaphore(depth)
        senders = max(1, self.config.senders_per_workspace)
        threads = [
            threading.Thread(
                target=self._opener,
                args=(to_open, to_post, senders),
                name=f"open-{self.team_id}",
                daemon=True,
            )
        ] + [
            threading.Thread(
                target=self._sender, args=(to_post,), name=f"send-{self.team_id}-{n}", daemon=True
            )
            for n in range(senders)
        ]
        for thread in threads:
            thread.start()
        try:
            for start in range(0, len(items), self.config.batch_size):
                if self._stop.is_set():
                    break
                batch = items[start : start + self.config.batch_size]
                views = load_views(
                    self.deps, self.team_id, self.cycle, sorted({i.user_id for i in batch})
                )
                for item in batch:
                    message, bump = build_message(
                        item, views.get(item.user_id, ()), self.cycle, self.render
                    )
                    item.message, item.bump = message, bump
                    if item.channel_id:
                        self._room.acquire()
                        item.holds_room = True
                        to_post.put(item)
                    else:
                        to_open.put(item)
        finally:
            to_open.put(_DONE)
            for thread in threads:
                thread.join()
        if self._stop.is_set():
            raise _WorkspaceStop(self.report.error or "workspace stopped")

    def _opener(self, to_open: queue.Queue[Any], to_post: queue.Queue[Any], senders: int) -> None:
        try:
            while True:
                item = to_open.get()
                if item is _DONE:
                    return
                if self._stop.is_set() or item.message is None:
                    to_post.put(item)  # the sender records "nothing to say" without a call
                    continue
                # Claimed before conversations.open: a second pass spends nothing on it.
                if not self._claim(item):
                    continue
                try:
                    user_id = item.user_id
                    response = self._paced(
                        OPEN, lambda user_id=user_id: self.client.conversations_open(users=user_id)
                    )
                except SlackApiError as error:
                    self._handle_error(item, error)
                    continue
                except Exception as error:  # timeouts, refused connections: retry later
                    self._failed(item, error)
                    continue
                item.channel_id = str(response["channel"]["id"])
                item.opened = True
                self._count("opened")
                to_post.put(item)
        finally:
            for _ in range(senders):
                to_post.put(_DONE)

    def _sender(self, to_post: queue.Queue[Any]) -> None:
        while True:
            item = to_post.get()
            if item is _DONE:
                return
            try:
                if not self._stop.is_set():
                    self._deliver(item)
                elif item.claimed:
                    self.deliveries.release(item)
            except Exception:
                # One member's surprise must not stop the others; the claim is retried later.
                logger.exception(
                    "reminder failed", extra={"team_id": self.team_id, "user_id": item.user_id}
                )
                if item.claimed:
                    self.deliveries.failed(item, "internal_error")
                    self._count("failed")
            finally:
                item.message = None  # sent or recorded: let the blocks go
                if item.holds_room:
                    item.holds_room = False
                    self._room.release()

    def _claim(self, item: Item) -> bool:
        """Own the delivery before any Slack call is made for it; False when another pass does."""
        item.resumed = item.stale_claim
        if not self.deliveries.claim(item):
            self._count("already_claimed")
            return False
        item.claimed = True
        return True

    def _deliver(self, item: Item) -> None:
        if item.message is None:
            if self.deliveries.claim(item):
                self.deliveries.finish(item, SKIPPED, "nothing to remind")
                self._count("skipped")
            return
        if not item.claimed and not self._claim(item):
            return
        if item.resumed and self._reconcile(item):
            return
        assert item.channel_id is not None
        try:
            response = self._post(item)
        except SlackApiError as error:
            self._handle_error(item, error)
            return
        except Exception as error:
            self._failed(item, error)
            return
        self.deliveries.sent(item, response.get("ts"), item.bump)
        self._count("sent")

    def _failed(self, item: Item, error: Exception) -> None:
        """Timeouts, refused connections: the claim is retried after its backoff."""
        status = self.deliveries.failed(item, f"{type(error).__name__}: {error}")
        logger.warning(
            "reminder failed: %s (%s)",
            error,
            status,
            extra={"team_id": self.team_id, "user_id": item.user_id},
        )
        self._count("gave_up" if status == GAVE_UP else "failed")

    def _paced(self, method: str, call: Callable[[], Any], channel: str | None = None) -> Any:
        """One Web API call at the workspace's pace. A 429 is retried by the client's
        PacedRateLimitRetryHandler alone (the one retry layer), never again here."""
        self.pacer.acquire(method, channel)
        try:
            return call()
        except SlackApiError as error:
            if error.response.status_code == 429:
                # The last 429, past the retries: the workspace still waits and slows down.
                self.pacer.throttled(method, retry_after_in(error.response.headers))
            raise

    def _post(self, item: Item) -> Any:
        assert item.channel_id is not None and item.message is not None
        message = item.message
        return self._paced(
            POST,
            lambda: self.client.chat_postMessage(
                channel=item.channel_id,
                unfurl_links=False,
                unfurl_media=False,
                metadata=reminder_metadata(item, item.bump),
                **message,
            ),
            channel=item.channel_id,
        )

    def _reconcile(self, item: Item) -> bool:
        """A claim whose outcome was never written: was the DM sent before the crash?"""
        assert item.existing is not None and item.channel_id is not None
        try:
            self.pacer.acquire(HISTORY)
            message = find_by_metadata(
                self.client,
                channel=item.channel_id,
                event_type=METADATA_EVENT,
                matches=lambda p: p.get("kind") == item.kind and p.get("period") == item.period,
                oldest=str(item.existing.claimed_at.timestamp() - 3600),
                limit=50,
            )
        except SlackApiError as error:
            logger.warning(
                "cannot check an interrupted reminder: %s",
                slack_error_code(error),
                extra={"team_id": self.team_id, "user_id": item.user_id},
            )
            return False
        if message is None:
            return False
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        bump = [int(o) for o in payload.get("objectives") or []]
        self.deliveries.sent(item, message.get("ts"), bump)
        self._count("reconciled")
        return True

    def _handle_error(self, item: Item, error: SlackApiError) -> None:
        code = slack_error_code(error)
        context = {"team_id": self.team_id, "user_id": item.user_id}
        if code in WORKSPACE_ERRORS:
            with self._lock:
                self.report.error = code
            self._stop.set()
            self.deliveries.failed(item, code)
            logger.error("workspace token failed: %s; stopping this pass", code, extra=context)
            return
        if code in PERMANENT_MEMBER_ERRORS:
            self.deliveries.block_member(item, code)
            logger.info("member cannot be DMed (%s): skipped from now on", code, extra=context)
            self._count("blocked")
            return
        status = self.deliveries.failed(item, code or "unknown_error")
        logger.warning("reminder failed: %s (%s)", code, status, extra=context)
        self._count("gave_up" if status == GAVE_UP else "failed")

    # -- digest --

    def _digest(self) -> None:
        """The weekly digest, claimed, paced and posted like any reminder."""
        with self.deps.session_factory() as session:
            item = due_digest(session, self.team_id, self.now)
        if item is None:
            return
        data = digest_data(self.deps, self.team_id, self.cycle, self.now)
        item.message = self.render.digest(data)
        if not self._claim(item):
            return
        try:
            response = self._post(item)
        except Exception as error:
            code = slack_error_code(error) if isinstance(error, SlackApiError) else repr(error)
            self.deliveries.failed(item, code or "unknown_error")
            logger.warning("digest failed: %s", code, extra={"team_id": self.team_id})
            return
        self.deliveries.sent(item, response.get("ts"), ())
        self.report.digest = True
