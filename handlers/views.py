"""Modal submissions: validate inline, save, then tell the person and refresh their Home."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.deps import Deps
from bot.objectives import ObjectiveNotFound, ObjectiveService
from bot.reviews import (
    SAVED_AS_WRITTEN,
    SAVED_REWRITE,
    NotAuthor,
    ReviewNotFound,
    ReviewRecord,
    ReviewService,
)
from bot.slack_client import slack_error_code
from handlers import forms, ids
from handlers.actions import SAVED
from handlers.blocks import Message, plain_message
from handlers.home import publish_home
from handlers.modal_blocks import DRAFT_BLOCK, review_result_modal
from handlers.notice_blocks import saved_elsewhere
from handlers.review_messages import ReviewMessages

logger = logging.getLogger(__name__)

ERROR_EMPTY_DRAFT = "Paste a draft objective, with its key results on the lines below."
ERROR_PARENT_GONE = "That objective no longer exists. Pick another, or leave it empty."
# chat.postEphemeral's answers in a channel the bot is not in or may not post in.
CANNOT_POST_THERE = frozenset({"not_in_channel", "channel_not_found", "restricted_action"})


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        value = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _state(view: dict[str, Any]) -> dict[str, Any]:
    return ((view.get("state") or {}).get("values")) or {}


class ModalSubmissions:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._objectives = ObjectiveService(deps)
        self._reviews = ReviewService(deps)
        self._review_messages = ReviewMessages(deps)

    def review_draft(self, ack: Ack, view: dict[str, Any]) -> None:
        draft = forms.text_value(_state(view), DRAFT_BLOCK)
        if not draft:
            ack(response_action="errors", errors={DRAFT_BLOCK: ERROR_EMPTY_DRAFT})
            return
        ack(response_action="update", view=review_result_modal(self._deps.coach(draft)))

    def add_objective(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        context: BoltContext,
        client: WebClient,
    ) -> None:
        result = forms.read_objective_form(_state(view))
        if result.value is None:
            ack(response_action="errors", errors=result.errors)
            return
        team_id = context.team_id or ""
        user_id = str((body.get("user") or {}).get("id", ""))
        meta = _metadata(view)
        review_id = meta.get("review_id") if isinstance(meta.get("review_id"), int) else None
        outcome = SAVED_REWRITE if meta.get("rewrite") is True else SAVED_AS_WRITTEN
        source = self._own_review(team_id, user_id, review_id, outcome)
        try:
            saved = self._objectives.create(
                team_id, user_id, result.value, source_review_id=source.id if source else None
            )
        except ObjectiveNotFound:
            ack(response_action="errors", errors={forms.PARENT_BLOCK: ERROR_PARENT_GONE})
            return
        ack()
        if source is not None:
            response_url = meta.get("response_url")
            self._review_messages.show_saved(
                client,
                source,
                saved,
                response_url=response_url if isinstance(response_url, str) else None,
                bot_user_id=context.bot_user_id,
            )
        count = len(saved.key_results)
        message = plain_message(
            SAVED.format(
                title=saved.title, count=count, s="" if count == 1 else "s", cycle=saved.cycle
            )
        )
        # Confirm first: the save is what the person waits for; Home follows.
        self._confirm(client, user_id, meta, message)
        publish_home(client, self._deps, team_id, user_id)

    def _own_review(
        self, team_id: str, user_id: str, review_id: int | None, outcome: str
    ) -> ReviewRecord | None:
        """Link the saved objective to its review, and mark it saved, when it is the author's."""
        if review_id is None:
            return None
        try:
            self._reviews.set_outcome(team_id, user_id, review_id, outcome)
        except (ReviewNotFound, NotAuthor):
            return None
        return self._reviews.get(team_id, review_id)

    @staticmethod
    def _confirm(client: WebClient, user_id: str, meta: dict[str, Any], message: Message) -> None:
        """Ephemeral in the channel the form came from; where the bot cannot post, through the
        slash command's response_url, else in the app's DM, saying how to fix it."""
        channel_id = meta.get("channel_id")
        if isinstance(channel_id, str) and channel_id and not channel_id.startswith("D"):
            try:
                client.chat_postEphemeral(channel=channel_id, user=user_id, **message.as_kwargs())
                return
            except SlackApiError as error:
                code = slack_error_code(error)
                if code not in CANNOT_POST_THERE:
                    raise
            message = saved_elsewhere(message, channel_id, code)
            if _answered_at(meta.get("response_url"), message):
                return
        client.chat_postMessage(channel=user_id, **message.as_kwargs())


def _answered_at(response_url: Any, message: Message) -> bool:
    """An ephemeral answer through a slash command's response_url (valid for 30 minutes)."""
    if not isinstance(response_url, str) or not response_url.startswith(("https://", "http://")):
        return False
    try:
        answer = WebhookClient(response_url).send(
            response_type="ephemeral", replace_original=False, **message.as_kwargs()
        )
    except OSError as error:
        logger.info("response_url unreachable: %r", error)
        return False
    return answer.status_code == 200


def _other_view(ack: Ack) -> None:
    """Views from older versions of the app: close them quietly."""
    ack()


def register(app: App, deps: Deps) -> None:
    modals = ModalSubmissions(deps)
    app.view(ids.VIEW_REVIEW_DRAFT)(modals.review_draft)
    app.view(ids.VIEW_ADD_OBJECTIVE)(modals.add_objective)


def register_fallbacks(app: App) -> None:
    app.view(re.compile(r".*"))(_other_view)
