"""Buttons: on threaded reviews, in the App Home, and a kind answer for stale ones."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.cycles import cycle_of
from bot.deps import Deps
from bot.objectives import (
    KeyResultInput,
    NotOwner,
    ObjectiveInput,
    ObjectiveNotFound,
    ObjectiveService,
)
from bot.reviews import NotAuthor, ReviewNotFound, ReviewRecord, ReviewService
from coaching import DraftReview
from handlers import forms, ids
from handlers.blocks import (
    Message,
    all_findings_message,
    parse_feedback_value,
    plain_message,
    rewrite_message,
)
from handlers.checkin import open_checkin_modal
from handlers.commands import add_modal_for, open_modal
from handlers.home import publish_home
from handlers.modal_blocks import prefill_from_review
from handlers.replies import tell

logger = logging.getLogger(__name__)

NOT_YOURS = "Only <@{author}> can do that with their draft."
NOT_YOUR_OBJECTIVE = "Only the owner can change that objective."
STALE = (
    "That button belongs to something that no longer exists. `/okr list` shows your current OKRs."
)
TEXT_GONE = (
    "I no longer have the text of that draft (this workspace keeps only verdicts). "
    "Use `/okr add` to save it by hand."
)
THANKS_ROUTINE = (
    "Thanks! I've noted it as routine work. It still matters: keep it on your task list, "
    "and save your OKRs for the changes you want to make."
)
THANKS_FEEDBACK = "Thanks, noted. I'll count `{rule}` as less helpful."
ALREADY_FEEDBACK = "You already told me `{rule}` wasn't helpful here. Noted once is enough."
SAVED = "Saved *{title}* with {count} key result{s} for {cycle}. Check in weekly: `/okr checkin`."
DELETED = "Deleted."


def _value(body: dict[str, Any]) -> str:
    action = (body.get("actions") or [{}])[0]
    if action.get("selected_option"):
        return str(action["selected_option"].get("value", ""))
    return str(action.get("value", ""))


def _int_value(body: dict[str, Any]) -> int | None:
    value = _value(body)
    return int(value) if value.isdigit() else None


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id", ""))


class ReviewActions:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._reviews = ReviewService(deps)
        self._objectives = ObjectiveService(deps)

    # -- shared steps ---------------------------------------------------------------------

    def _load(
        self,
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
        *,
        author_only: bool,
    ) -> ReviewRecord | None:
        review_id = _int_value(body)
        team_id = context.team_id or ""
        try:
            if review_id is None:
                raise ReviewNotFound(_value(body))
            if author_only:
                return self._reviews.get_authored(team_id, _user(body), review_id)
            return self._reviews.get(team_id, review_id)
        except ReviewNotFound:
            tell(body, client, respond, plain_message(STALE))
        except NotAuthor:
            record = self._reviews.get(team_id, review_id or 0)
            tell(body, client, respond, plain_message(NOT_YOURS.format(author=record.author_id)))
        return None

    def _coached(
        self, record: ReviewRecord, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> DraftReview | None:
        text = record.draft_text or self._fetch_text(record, client)
        if text is None:
            tell(body, client, respond, plain_message(TEXT_GONE))
            return None
        return self._deps.coach(text)

    @staticmethod
    def _fetch_text(record: ReviewRecord, client: WebClient) -> str | None:
        """Drafts whose text we did not keep are read back from Slack, never stored."""
        try:
            response = client.conversations_replies(
                channel=record.channel_id, ts=record.message_ts, limit=1
            )
        except SlackApiError as error:
            logger.info(
                "draft text unavailable: %s",
                error.response.get("error"),
                extra={"team_id": record.team_id, "channel_id": record.channel_id},
            )
            return None
        messages = response.get("messages") or []
        text = messages[0].get("text") if messages else None
        return text if isinstance(text, str) and text.strip() else None

    # -- listeners --------------------------------------------------------------------------

    def save_as_okr(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        record = self._load(body, context, client, respond, author_only=True)
        review = record and self._coached(record, body, client, respond)
        if record is None or review is None:
            return
        view = add_modal_for(
            self._deps,
            record.team_id,
            prefill=prefill_from_review(review),
            channel_id=record.channel_id,
            review_id=record.id,
        )
        open_modal(client, body["trigger_id"], view, lambda m: tell(body, client, respond, m))

    def mark_routine(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        record = self._load(body, context, client, respond, author_only=True)
        if record is None:
            return
        self._reviews.set_outcome(record.team_id, record.author_id, record.id, "routine")
        tell(body, client, respond, plain_message(THANKS_ROUTINE))

    def show_rewrite(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        record = self._load(body, context, client, respond, author_only=False)
        review = record and self._coached(record, body, client, respond)
        if record is None or review is None:
            return
        tell(body, client, respond, rewrite_message(review, record.id))

    def use_rewrite(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        record = self._load(body, context, client, respond, author_only=True)
        review = record and self._coached(record, body, client, respond)
        if record is None or review is None or review.primary is None:
            return
        rewrite = review.primary.rewrite
        if not rewrite:
            tell(body, client, respond, rewrite_message(review, record.id))
            return
        saved = self._save_rewrite(record, self._deps.coach(rewrite))
        publish_home(client, self._deps, record.team_id, record.author_id)
        tell(body, client, respond, saved)

    def _save_rewrite(self, record: ReviewRecord, rewritten: DraftReview) -> Message:
        primary = rewritten.primary
        assert primary is not None  # a rewrite always has an objective line
        key_results = []
        for kr in primary.key_results[: forms.MAX_KEY_RESULTS]:
            guessed = forms.guess_range(kr)
            numbers = forms.parse_range(guessed) if guessed else None
            key_results.append(
                KeyResultInput(
                    text=kr[: forms.KR_TEXT_LIMIT],
                    metric=kr[:255],
                    baseline=numbers.baseline if numbers else None,
                    target=numbers.target if numbers else None,
                    unit=numbers.unit if numbers else None,
                )
            )
        cycle = cycle_of(self._deps.clock().date())
        data = ObjectiveInput(
            title=primary.objective[: forms.TITLE_LIMIT],
            cycle=cycle,
            key_results=tuple(key_results),
        )
        view = self._objectives.create(
            record.team_id, record.author_id, data, source_review_id=record.id
        )
        self._reviews.set_outcome(record.team_id, record.author_id, record.id, "saved")
        count = len(view.key_results)
        return plain_message(
            SAVED.format(title=view.title, count=count, s="" if count == 1 else "s", cycle=cycle)
        )

    def not_helpful(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        parsed = parse_feedback_value(_value(body))
        if parsed is None:
            tell(body, client, respond, plain_message(STALE))
            return
        review_id, rule_id = parsed
        try:
            fresh = self._reviews.record_not_helpful(
                context.team_id or "", _user(body), review_id, rule_id
            )
        except ReviewNotFound:
            tell(body, client, respond, plain_message(STALE))
            return
        template = THANKS_FEEDBACK if fresh else ALREADY_FEEDBACK
        tell(body, client, respond, plain_message(template.format(rule=rule_id)))

    def show_all(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        record = self._load(body, context, client, respond, author_only=False)
        review = record and self._coached(record, body, client, respond)
        if review is not None:
            tell(body, client, respond, all_findings_message(review))


class HomeActions:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._objectives = ObjectiveService(deps)

    def add(self, ack: Ack, body: dict, context: BoltContext, client: WebClient) -> None:
        ack()
        view = add_modal_for(self._deps, context.team_id or "")
        open_modal(client, body["trigger_id"], view, lambda m: tell(body, client, None, m))

    def checkin(self, ack: Ack, body: dict, context: BoltContext, client: WebClient) -> None:
        ack()
        objective_id = _int_value(body)
        try:
            open_checkin_modal(
                client,
                self._deps,
                team_id=context.team_id or "",
                user_id=_user(body),
                trigger_id=body["trigger_id"],
                objective_id=objective_id,
            )
        except ObjectiveNotFound:
            tell(body, client, None, plain_message(STALE))
        except NotOwner:
            tell(body, client, None, plain_message(NOT_YOUR_OBJECTIVE))

    def delete(self, ack: Ack, body: dict, context: BoltContext, client: WebClient) -> None:
        ack()
        team_id, user_id = context.team_id or "", _user(body)
        objective_id = _int_value(body)
        try:
            self._objectives.delete(team_id, user_id, objective_id or 0)
        except ObjectiveNotFound:
            tell(body, client, None, plain_message(STALE))
        except NotOwner:
            tell(body, client, None, plain_message(NOT_YOUR_OBJECTIVE))
        publish_home(client, self._deps, team_id, user_id)


def _stale_action(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
    """Buttons from older versions of the app, or ids we no longer know."""
    ack()
    tell(body, client, respond, plain_message(STALE))


def register(app: App, deps: Deps) -> None:
    review = ReviewActions(deps)
    app.action(ids.ACTION_SAVE_AS_OKR)(review.save_as_okr)
    app.action(ids.ACTION_MARK_ROUTINE)(review.mark_routine)
    app.action(ids.ACTION_SHOW_REWRITE)(review.show_rewrite)
    app.action(ids.ACTION_USE_REWRITE)(review.use_rewrite)
    app.action(ids.ACTION_NOT_HELPFUL)(review.not_helpful)
    app.action(ids.ACTION_SHOW_ALL)(review.show_all)
    home = HomeActions(deps)
    app.action(ids.ACTION_HOME_ADD)(home.add)
    app.action(ids.ACTION_HOME_CHECKIN)(home.checkin)
    app.action(ids.ACTION_HOME_DELETE)(home.delete)


def register_fallbacks(app: App) -> None:
    # Registered after every other module's actions, so only unknown ids land here.
    app.action(re.compile(r".*"))(_stale_action)
