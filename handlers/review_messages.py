"""The messages that show a review: its draft read back, and both faces redrawn once saved."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.deps import Deps
from bot.objectives import ObjectiveView
from bot.reviews import ReviewRecord
from bot.slack_client import slack_error_code
from coaching import DraftReview
from handlers.blocks import Message, review_reply
from handlers.public_blocks import public_reply
from handlers.triggers import draft_text

logger = logging.getLogger(__name__)

SAVED_DETAILS = "Saved as your OKR for {cycle}: *{title}*. Check in weekly with `/okr checkin`."


def saved_details(review: DraftReview, review_id: int, saved: ObjectiveView) -> Message:
    """The full review once saved: its buttons give way to what was saved."""
    note = SAVED_DETAILS.format(cycle=saved.cycle, title=saved.title)
    return review_reply(review, review_id=review_id, saved_note=note)


class ReviewMessages:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    def coached(
        self, record: ReviewRecord, client: WebClient, bot_user_id: str | None
    ) -> DraftReview | None:
        """The review of the draft as it is now; None when its text is gone."""
        text = record.draft_text or self._fetch_text(record, client, bot_user_id)
        return self._deps.coach(text) if text else None

    @staticmethod
    def _fetch_text(record: ReviewRecord, client: WebClient, bot_user_id: str | None) -> str | None:
        """Drafts whose text we did not keep are read back from Slack, never stored."""
        try:
            # A draft may itself sit in a thread; Slack then lists the thread's first message
            # before it, so ask from the draft on and pick it by its ts.
            response = client.conversations_replies(
                channel=record.channel_id,
                ts=record.message_ts,
                oldest=record.message_ts,
                inclusive=True,
                limit=2,
            )
        except SlackApiError as error:
            logger.info(
                "draft text unavailable: %s",
                slack_error_code(error),
                extra={"team_id": record.team_id, "channel_id": record.channel_id},
            )
            return None
        for message in response.get("messages") or []:
            text = message.get("text")
            if message.get("ts") == record.message_ts and isinstance(text, str):
                return draft_text(text, bot_user_id) or None
        return None

    def show_saved(
        self,
        client: WebClient,
        record: ReviewRecord,
        saved: ObjectiveView,
        *,
        response_url: str | None,
        bot_user_id: str | None,
    ) -> None:
        """Turn the public reply, and the full review the save came from, into "Saved".

        Best effort: the objective is saved whatever Slack answers here.
        """
        review = self.coached(record, client, bot_user_id)
        if review is None:
            return
        extra = {"team_id": record.team_id, "channel_id": record.channel_id}
        if record.reply_ts:
            reply = public_reply(review, review_id=record.id, saved=True)
            try:
                client.chat_update(
                    channel=record.channel_id, ts=record.reply_ts, **reply.as_kwargs()
                )
            except SlackApiError as error:
                logger.warning(
                    "could not mark the reply saved: %s", slack_error_code(error), extra=extra
                )
        if response_url:
            details = saved_details(review, record.id, saved)
            webhook = WebhookClient(response_url, proxy=client.proxy, ssl=client.ssl)
            try:
                answer = webhook.send(replace_original=True, **details.as_kwargs())
            except OSError as error:
                logger.warning("could not mark the full review saved: %r", error, extra=extra)
                return
            if answer.status_code != 200:
                logger.warning(
                    "could not mark the full review saved: HTTP %s", answer.status_code, extra=extra
                )
