"""Event listeners: drafts and conversations with the bot, and a quiet 200 for the rest."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from bot.db import DATABASE_UNAVAILABLE
from bot.deps import Deps
from bot.draft_replies import DraftRenderers, DraftReplies
from bot.drafts import DraftMessage
from bot.event_claims import EventClaims
from bot.plain_checkins import Understood
from bot.reviews import ReviewService, is_saved
from bot.uninstall import forget_tokens, forget_workspace
from handlers.blocks import review_reply
from handlers.checkin_talk import answer, understand_dm
from handlers.conversation_blocks import help_reply
from handlers.public_blocks import public_reply
from handlers.triggers import Action, Route, TriggerReason, edited_message, route_message

logger = logging.getLogger(__name__)

# Set by the claim middleware: the stored review to post, or None for a duplicate.
BEGUN_KEY = "okr_draft_begun"
# What a DM says as a check-in (None: it is not one), read once per request.
CHECK_IN_KEY = "okr_check_in"


class DraftListener:
    """Messages: drafts get a review, small talk a friendly answer (``route_message``)."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._replies = DraftReplies(deps, renderers())
        self._service = self._replies.service
        self._reviews = ReviewService(deps)
        self._claims = EventClaims(deps.session_factory)

    def _route(self, event: dict[str, Any], context: BoltContext) -> Route | None:
        return route_message(
            event,
            bot_user_id=context.bot_user_id,
            okr_channel_ids=self._deps.settings.okr_channel_ids,
        )

    def on_message(
        self, event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        if event.get("subtype") == "message_changed":
            self._on_edit(event, body, context, client)
            return
        route = self._route(event, context)
        if route is None:
            return
        reading = self._check_in(route, event, body, context)
        if reading is not None:
            self._answer_once(route, event, body, context, client, answer(reading), "checkin")
            return
        if route.action is Action.HELP:
            self._answer_once(route, event, body, context, client, help_reply().as_kwargs())
            return
        self._on_new(event, body, context, client)

    def _check_in(
        self, route: Route, event: dict[str, Any], body: dict[str, Any], context: BoltContext
    ) -> Understood | None:
        """A DM that reads as a check-in on the member's own key results (read once per
        request: the claim middleware asks first, the listener again)."""
        if route.reason is not TriggerReason.DIRECT_MESSAGE or not event.get("user"):
            return None
        if CHECK_IN_KEY not in context:
            team_id = context.team_id or body.get("team_id", "")
            try:
                context[CHECK_IN_KEY] = understand_dm(
                    self._deps, team_id, event["user"], route.text
                )
            except DATABASE_UNAVAILABLE:
                # Nothing to read the key results from: treat it as before (help or draft).
                context[CHECK_IN_KEY] = None
        reading: Understood | None = context[CHECK_IN_KEY]
        return reading

    def _on_edit(
        self, event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        edited = edited_message(event)
        route = self._route(edited, context) if edited is not None else None
        if edited is None or route is None or route.action is not Action.REVIEW:
            return
        team_id = context.team_id or body.get("team_id", "")
        event_id = body.get("event_id") or f"edit:{edited['channel']}:{edited['ts']}"
        result = self._reviews.re_review(
            team_id, edited["channel"], edited["ts"], route.text, event_id
        )
        if result is None:
            # Never answered before (say the prefix was added in the edit): a first reply.
            self._on_new(edited, body, context, client)
            return
        reply = public_reply(
            result.review,
            review_id=result.record.id,
            edited=True,
            saved=is_saved(result.record.outcome),
        )
        client.chat_update(
            channel=result.record.channel_id, ts=result.record.reply_ts, **reply.as_kwargs()
        )

    def _on_new(
        self, event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        message = self._draft_message(event, body, context)
        if message is None:
            return
        if BEGUN_KEY in context:
            # The middleware already claimed and stored it before the ack (None: a duplicate).
            started = context[BEGUN_KEY]
            if started is not None:
                self._replies.post_review(message, started, client)
            return
        self._replies.review_and_reply(message, client)

    def _answer_once(
        self,
        route: Route,
        event: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        message: dict[str, Any],
        kind: str = "help",
    ) -> None:
        """Once per message: a mention arrives twice, and Slack retries what it thinks failed."""
        team_id = context.team_id or body.get("team_id", "")
        key = f"{kind}:{event['channel']}:{event['ts']}"
        now = self._deps.clock()
        try:
            if not self._claims.claim(team_id, key, now):
                return
        except DATABASE_UNAVAILABLE:
            logger.warning("database unavailable; answering without a claim", exc_info=True)
        try:
            client.chat_postMessage(channel=event["channel"], thread_ts=route.thread_ts, **message)
        except Exception:
            # Let Slack's retry answer instead.
            with contextlib.suppress(*DATABASE_UNAVAILABLE):
                self._claims.release(team_id, key, now)
            raise
        with contextlib.suppress(*DATABASE_UNAVAILABLE):
            self._claims.complete(team_id, key, now)

    def _draft_message(
        self, event: dict[str, Any], body: dict[str, Any], context: BoltContext
    ) -> DraftMessage | None:
        route = self._route(event, context)
        if route is None or route.action is not Action.REVIEW:
            return None
        if self._check_in(route, event, body, context) is not None:
            return None
        in_thread = route.thread_ts not in (None, event["ts"])
        return DraftMessage(
            team_id=context.team_id or body.get("team_id", ""),
            channel_id=event["channel"],
            user_id=event["user"],
            ts=event["ts"],
            text=route.text,
            event_id=body.get("event_id") or f"{event['channel']}:{event['ts']}",
            thread_ts=route.thread_ts if in_thread else None,
            in_dm=route.thread_ts is None,
        )

    def claim_before_ack(self, body: dict[str, Any], context: BoltContext) -> None:
        """Claim and store a new draft *before* Bolt acknowledges it (see ClaimBeforeAck)."""
        event = body.get("event") if body.get("type") == "event_callback" else None
        if isinstance(event, dict) and event.get("type") in {"message", "app_mention"}:
            message = self._draft_message(event, body, context)
            if message is not None:
                # A database that is down is the listener's fallback to handle.
                with contextlib.suppress(*DATABASE_UNAVAILABLE):
                    context[BEGUN_KEY] = self._service.begin(message)


class ClaimBeforeAck(Middleware):
    """Global middleware: claim and store a new draft *before* Bolt acknowledges it.

    Once Slack has its 200 it never retries, so a worker killed after the ack but before
    the claim would lose the draft. Claimed first, a killed worker leaves a claim that the
    sweeper finishes; killed before the ack, Slack's retry does. A ``Middleware`` subclass
    so Bolt calls it directly, without per-request argument injection.
    """

    def __init__(self, drafts: DraftListener) -> None:
        self._drafts = drafts

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if isinstance(req.body, dict):
            self._drafts.claim_before_ack(req.body, req.context)
        return next()


def renderers() -> DraftRenderers:
    """How draft replies read: the Block Kit builders, for the draft service."""
    return DraftRenderers(
        public=lambda review, review_id: public_reply(review, review_id=review_id).as_kwargs(),
        full=lambda review: review_reply(review).as_kwargs(),
    )


def _acknowledge_only() -> None:
    """Events we subscribe to but have nothing to do for yet still get a 200."""


class LifecycleListener:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    def on_uninstalled(self, body: dict[str, Any], context: BoltContext) -> None:
        team_id = context.team_id or body.get("team_id")
        if team_id:
            forget_workspace(self._deps, team_id)

    def on_tokens_revoked(
        self, event: dict[str, Any], body: dict[str, Any], context: BoltContext
    ) -> None:
        team_id = context.team_id or body.get("team_id")
        if team_id and (event.get("tokens") or {}).get("bot"):
            forget_tokens(self._deps, team_id)


def register(app: App, deps: Deps) -> None:
    drafts = DraftListener(deps)
    app.use(ClaimBeforeAck(drafts))
    app.event("message")(drafts.on_message)
    app.event("app_mention")(drafts.on_message)
    lifecycle = LifecycleListener(deps)
    app.event("app_uninstalled")(lifecycle.on_uninstalled)
    app.event("tokens_revoked")(lifecycle.on_tokens_revoked)


def register_fallbacks(app: App) -> None:
    # Last, so specific listeners win: Slack disables apps that answer events with 404s.
    app.event(re.compile(r".*"))(_acknowledge_only)
