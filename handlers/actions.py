"""Buttons: on threaded reviews, in the App Home, and a kind answer for stale ones."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.objectives import (
    NotOwner,
    ObjectiveNotFound,
    ObjectiveService,
)
from bot.reviews import NotAuthor, ReviewNotFound, ReviewRecord, ReviewService
from coaching import DraftReview
from handlers import ids
from handlers.blocks import (
    Message,
    all_findings_message,
    plain_message,
    review_reply,
    rewrite_offered,
)
from handlers.blocks import context as context_block
from handlers.button_values import ReviewButton, parse_feedback_value, parse_review_button
from handlers.checkin import open_checkin_modal
from handlers.commands import add_modal_for, open_modal
from handlers.home import publish_home
from handlers.modal_blocks import prefill_from_review
from handlers.replies import show_privately, tell
from handlers.review_messages import ReviewMessages, saved_details

logger = logging.getLogger(__name__)

NOT_YOURS = "Only <@{author}> can do that with their draft."
DETAILS_NOT_YOURS = (
    "The full review goes to <@{author}> alone. Post a draft of your own and I'll review it "
    "for you."
)
NOT_YOUR_OBJECTIVE = "Only the owner can change that objective."
STALE = (
    "That button belongs to something that no longer exists. `/okr list` shows your current OKRs."
)
DRAFT_CHANGED = (
    "That button was drawn for an earlier version of this draft, so I didn't act on it. "
    "Here is the review of the draft as it is now."
)
ALREADY_SAVED = "You already saved this draft as *{title}*. Change it from my App Home tab."
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


def _draft(review: DraftReview) -> str:
    return review.text


def _rewrite(review: DraftReview) -> str | None:
    return rewrite_offered(review.primary) if review.primary else None


def _from_details(body: dict[str, Any]) -> bool:
    """Clicked in the author's full review (not the public reply): that message is the one
    to turn into "Saved" once the form is submitted."""
    action = (body.get("actions") or [{}])[0]
    return str(action.get("block_id", "")).startswith(ids.BLOCK_FULL_REVIEW_ACTIONS)


@dataclass(frozen=True)
class Clicked:
    """A review button clicked by the draft's author, with the draft as it is now."""

    record: ReviewRecord
    review: DraftReview
    button: ReviewButton


class ReviewActions:
    """Buttons on a review. Each acts only for the draft's author and only on the version of
    the draft it was drawn for."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._reviews = ReviewService(deps)
        self._objectives = ObjectiveService(deps)
        self._messages = ReviewMessages(deps)

    # -- shared steps ---------------------------------------------------------------------

    def _clicked(
        self,
        body: dict[str, Any],
        bolt: BoltContext,
        client: WebClient,
        respond: Respond,
        *,
        drawn_for: Callable[[DraftReview], str | None] = _draft,
        not_yours: str = NOT_YOURS,
        shows_only: bool = False,
    ) -> Clicked | None:
        """The click, when it is the author's and the button was drawn for ``drawn_for`` of
        the draft as it is now; otherwise they are told why nothing happened."""
        button = parse_review_button(_value(body))
        team_id = bolt.team_id or ""
        try:
            if button is None:
                raise ReviewNotFound(_value(body))
            record = self._reviews.get_authored(team_id, _user(body), button.review_id)
        except ReviewNotFound:
            tell(body, client, respond, plain_message(STALE))
            return None
        except NotAuthor:
            author = self._reviews.get(team_id, button.review_id).author_id
            tell(body, client, respond, plain_message(not_yours.format(author=author)))
            return None
        review = self._messages.coached(record, client, bolt.bot_user_id)
        if review is None:
            tell(body, client, respond, plain_message(TEXT_GONE))
            return None
        clicked = Clicked(record, review, button)
        # Buttons from before fingerprints cannot prove what they showed; those that only
        # show something may still show the current review.
        unproven_but_harmless = shows_only and button.fingerprint is None
        if not unproven_but_harmless and not button.shows(drawn_for(review)):
            self._changed(clicked, body, client, respond)
            return None
        return clicked

    def _details(self, clicked: Clicked) -> Message:
        record, review = clicked.record, clicked.review
        saved = self._objectives.from_review(record.team_id, record.id)
        if saved is not None:
            return saved_details(review, record.id, saved)
        return review_reply(review, review_id=record.id)

    def _changed(
        self, clicked: Clicked, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        """Say the button is out of date, with fresh buttons for the draft as it is now."""
        details = self._details(clicked)
        note = Message(details.text, [context_block(DRAFT_CHANGED), *details.blocks])
        show_privately(body, client, respond, note)

    def _already_saved(
        self, clicked: Clicked, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> bool:
        saved = self._objectives.from_review(clicked.record.team_id, clicked.record.id)
        if saved is None:
            return False
        tell(body, client, respond, plain_message(ALREADY_SAVED.format(title=saved.title)))
        return True

    def _open_add_form(
        self,
        clicked: Clicked,
        body: dict[str, Any],
        client: WebClient,
        respond: Respond,
        *,
        use_rewrite: bool,
    ) -> None:
        record = clicked.record
        view = add_modal_for(
            self._deps,
            record.team_id,
            prefill=prefill_from_review(clicked.review, use_rewrite=use_rewrite),
            channel_id=record.channel_id,
            review_id=record.id,
            response_url=body.get("response_url") if _from_details(body) else None,
            rewrite=use_rewrite,
        )
        open_modal(client, body["trigger_id"], view, lambda m: tell(body, client, respond, m))

    # -- listeners --------------------------------------------------------------------------

    def save_as_okr(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        clicked = self._clicked(body, context, client, respond)
        if clicked is None or self._already_saved(clicked, body, client, respond):
            return
        self._open_add_form(clicked, body, client, respond, use_rewrite=False)

    def use_rewrite(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        # The button carries the fingerprint of the rewrite it showed: act only on that one.
        clicked = self._clicked(body, context, client, respond, drawn_for=_rewrite)
        if clicked is None or self._already_saved(clicked, body, client, respond):
            return
        self._open_add_form(clicked, body, client, respond, use_rewrite=True)

    def show_details(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        clicked = self._clicked(
            body, context, client, respond, not_yours=DETAILS_NOT_YOURS, shows_only=True
        )
        if clicked is not None:
            show_privately(body, client, respond, self._details(clicked))

    def mark_routine(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        clicked = self._clicked(body, context, client, respond)
        if clicked is None:
            return
        record = clicked.record
        self._reviews.set_outcome(record.team_id, record.author_id, record.id, "routine")
        tell(body, client, respond, plain_message(THANKS_ROUTINE))

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
        clicked = self._clicked(
            body, context, client, respond, not_yours=DETAILS_NOT_YOURS, shows_only=True
        )
        if clicked is not None:
            tell(body, client, respond, all_findings_message(clicked.review, clicked.record.id))


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
    app.action(ids.ACTION_SHOW_DETAILS)(review.show_details)
    app.action(ids.ACTION_SHOW_REWRITE)(review.show_details)
    app.action(ids.ACTION_MARK_ROUTINE)(review.mark_routine)
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
