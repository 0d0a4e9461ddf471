"""Replying to a draft, reliably: post the review in its thread, record it, and finish the
drafts whose worker died.

The listeners (``handlers/events.py``) parse Slack's payload and call in here; how a reply
reads is the caller's business, passed in as ``DraftRenderers`` by the composition root, so
this service never imports the Block Kit builders.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db import DATABASE_UNAVAILABLE
from bot.deps import Deps
from bot.drafts import DraftMessage, DraftService, StartedReview
from bot.event_claims import LEASE, EventClaims
from bot.post_pace import Pace, ReplyPace
from bot.slack_client import paced_by_caller, retry_after, slack_error_code
from bot.slack_messages import find_by_metadata, metadata
from coaching import DraftReview

logger = logging.getLogger(__name__)

# Errors that will not go away on a retry: the channel is gone or the bot was removed.
PERMANENT_POST_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "msg_too_long",
        "invalid_blocks",
        # The token itself is dead until the workspace reinstalls the app.
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "not_authed",
    }
)


# A reply refused for going too fast tries again this many times, each at its next turn.
RATE_LIMITED_ATTEMPTS = 6
# Message metadata on every stored review's reply, so a resumed draft can find a reply that
# a dead worker posted but never recorded.
REVIEW_METADATA_EVENT = "okr_coach_review"

Rendered = Mapping[str, Any]


@dataclass(frozen=True)
class DraftRenderers:
    """How the replies read: ``text`` and ``blocks`` for chat.postMessage."""

    # The short public reply; no review id means nothing is stored, so no buttons.
    public: Callable[[DraftReview, int | None], Rendered]
    # The full review, for the author alone.
    full: Callable[[DraftReview], Rendered]


class DraftReplies:
    """Post a draft's review, record it, and finish drafts an earlier worker left.

    Every reply waits for its turn in the pace every worker shares (``bot/post_pace.py``),
    so a burst of drafts in one channel is answered at the rate Slack allows, in order,
    instead of being refused and left to the sweeper.
    """

    def __init__(
        self, deps: Deps, renderers: DraftRenderers, pace: ReplyPace | None = None
    ) -> None:
        self._deps = deps
        self._render = renderers
        self.service = DraftService(deps)
        settings = deps.settings
        self._pace = pace or ReplyPace(
            deps.engine_for_drafts(),
            Pace(settings.reply_seconds_per_channel, settings.replies_per_minute),
        )
        self._claims = EventClaims(deps.session_factory)

    def review_and_reply(self, message: DraftMessage, client: WebClient) -> None:
        """Claim, coach, store, reply in the thread, record. For the listener (when the
        middleware could not begin) and the sweeper that finishes drafts whose worker died."""
        try:
            started = self.service.begin(message)
        except DATABASE_UNAVAILABLE:
            # The database is down: still coach the author (the coach is pure), but nothing
            # is stored, so the reply carries no buttons. Logged, never silent.
            logger.error(
                "database unavailable; replying without storing the review",
                extra={"team_id": message.team_id, "event_id": message.event_id},
                exc_info=True,
            )
            review = self._deps.coach(message.text)
            self._post(client, message, self._render.public(review, None))
            self._send_full_review_now(client, message, review)
            return
        if started is not None:
            self.post_review(message, started, client)

    def post_review(self, message: DraftMessage, started: StartedReview, client: WebClient) -> None:
        if started.resumed:
            posted = find_posted_reply(client, message, started.review_id)
            if posted is not None:
                logger.info(
                    "reply from an earlier attempt found; recording it instead of replying",
                    extra={"team_id": message.team_id, "event_id": message.event_id},
                )
                self.service.finish(message, started, posted)
                return
        reply = self._render.public(started.review, started.review_id)
        try:
            response = self._post(client, message, reply, review_id=started.review_id)
        except SlackApiError as error:
            code = slack_error_code(error)
            if code in PERMANENT_POST_ERRORS:
                logger.warning(
                    "cannot reply to draft: %s",
                    code,
                    extra={"team_id": message.team_id, "channel_id": message.channel_id},
                )
                self.service.finish_without_reply(message)
                return
            self.service.abandon(message, started, code)
            raise
        except Exception as error:
            self.service.abandon(message, started, repr(error))
            raise
        self.service.finish(message, started, response["ts"])

    def _post(
        self,
        client: WebClient,
        message: DraftMessage,
        reply: Rendered,
        *,
        review_id: int | None = None,
    ) -> Any:
        """Post at this channel's turn; a 429 pushes every worker back and waits its turn
        again (the one retry layer: slack_sdk's own 429 retries are off for this call)."""
        paced = paced_by_caller(client)
        for attempt in range(1, RATE_LIMITED_ATTEMPTS + 1):
            self._wait_turn(message)
            try:
                return _thread_reply(paced, message, reply, review_id=review_id)
            except SlackApiError as error:
                seconds = retry_after(error)
                if seconds is None or attempt == RATE_LIMITED_ATTEMPTS:
                    raise
                logger.warning(
                    "Slack asked replies to slow down (429); trying again in %.0f s",
                    seconds,
                    extra={"team_id": message.team_id, "channel_id": message.channel_id},
                )
                self._slow_down(message, seconds)
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait_turn(self, message: DraftMessage) -> float:
        """The shared pace lives in the database; without it, post now (Slack's 429 is then
        the pace) rather than not at all."""
        try:
            return self._pace.wait_turn(
                message.team_id,
                message.channel_id,
                before_waiting=lambda seconds: self._hold_claim(message, seconds),
            )
        except DATABASE_UNAVAILABLE:
            logger.warning(
                "reply pace unavailable (database); posting without waiting",
                extra={"team_id": message.team_id, "channel_id": message.channel_id},
            )
            return 0.0

    def _slow_down(self, message: DraftMessage, seconds: float) -> None:
        try:
            self._pace.slow_down(message.team_id, message.channel_id, seconds)
        except DATABASE_UNAVAILABLE:
            time.sleep(seconds)  # only this worker can wait, then

    def _hold_claim(self, message: DraftMessage, wait: float) -> None:
        """About to wait long in a busy channel's queue: keep the claim for the whole wait
        first, so the sweeper does not take the draft over and answer it a second time."""
        if wait <= LEASE.total_seconds() / 2:
            return
        with contextlib.suppress(*DATABASE_UNAVAILABLE):
            until = self._deps.clock() + LEASE + timedelta(seconds=wait)
            self._claims.extend(message.team_id, message.event_id, until)

    def _send_full_review_now(
        self, client: WebClient, message: DraftMessage, review: DraftReview
    ) -> None:
        """Nothing stored means no "See full review" button: the author gets it at once.

        Best effort: the reply is out, and failing here would make Slack retry it.
        """
        try:
            client.chat_postEphemeral(
                channel=message.channel_id,
                user=message.user_id,
                thread_ts=message.reply_thread_ts,
                **self._render.full(review),
            )
        except SlackApiError as error:
            logger.warning(
                "could not send the full review: %s",
                slack_error_code(error),
                extra={"team_id": message.team_id, "channel_id": message.channel_id},
            )

    def redrive_stale(self, client_for: Callable[[str], WebClient]) -> int:
        """Finish drafts whose worker died mid-way (the clock runs this every few minutes)."""
        finished = 0
        for message in self.service.stale_messages():
            try:
                self.review_and_reply(message, client_for(message.team_id))
                finished += 1
            except Exception:
                logger.exception(
                    "re-driving a draft failed; it will be tried again",
                    extra={"team_id": message.team_id, "event_id": message.event_id},
                )
        return finished


def _thread_reply(
    client: WebClient, message: DraftMessage, reply: Rendered, *, review_id: int | None = None
) -> Any:
    extra: dict[str, Any] = {}
    if review_id is not None:
        extra["metadata"] = metadata(REVIEW_METADATA_EVENT, review_id=review_id)
    return client.chat_postMessage(
        channel=message.channel_id,
        thread_ts=message.reply_thread_ts,
        unfurl_links=False,
        unfurl_media=False,
        **reply,
        **extra,
    )


def find_posted_reply(client: WebClient, message: DraftMessage, review_id: int) -> str | None:
    """The ts of this review's reply in the draft's thread (or, in a DM, after the draft), if
    an earlier attempt posted it.

    Only resumed drafts ask, so the usual path costs no extra call. If the thread cannot be
    read, the answer is "not found": a rare second reply beats a draft never answered.
    """
    try:
        posted = find_by_metadata(
            client,
            channel=message.channel_id,
            event_type=REVIEW_METADATA_EVENT,
            matches=lambda payload: str(payload.get("review_id")) == str(review_id),
            thread_ts=message.reply_thread_ts,
            oldest=message.ts,
        )
    except SlackApiError as error:
        logger.warning(
            "cannot read the draft's thread to look for an earlier reply: %s",
            slack_error_code(error),
            extra={"team_id": message.team_id, "channel_id": message.channel_id},
        )
        return None
    return str(posted["ts"]) if posted is not None else None
