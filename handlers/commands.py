"""The /okr slash command: ack at once, then one service call and one Slack call."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.checkins import NoObjectives
from bot.cycles import cycle_of, next_cycle
from bot.deps import Deps
from bot.objectives import ObjectiveService
from bot.slack_client import slack_error_code
from handlers import ids
from handlers.blocks import Message, plain_message, review_reply
from handlers.checkin import open_checkin_modal
from handlers.digest import digest_reply
from handlers.errors import TRIGGER_ERRORS
from handlers.list_blocks import (
    LIST_HEADING_MINE,
    LIST_HEADING_TEAM,
    LIST_HEADING_USER,
    NOTHING_LISTED_MINE,
    NOTHING_LISTED_TEAM,
    NOTHING_LISTED_USER,
    help_message,
    objectives_message,
    review_mine_message,
)
from handlers.lookup import resolve_user
from handlers.mentions import user_reference
from handlers.modal_blocks import ObjectivePrefill, add_objective_modal, review_draft_modal
from handlers.notice_blocks import EXPIRED_TRIGGER, expired_button
from handlers.remind import remind_reply

logger = logging.getLogger(__name__)

LIST_USAGE = "Try `/okr list`, `/okr list @someone` or `/okr list team`."
EXPIRED = plain_message(EXPIRED_TRIGGER)


def split_subcommand(text: str) -> tuple[str, str]:
    stripped = (text or "").strip()
    if not stripped:
        return "help", ""
    head, _, rest = stripped.partition(" ")
    if "\n" in head:
        head, _, more = head.partition("\n")
        rest = more + (" " + rest if rest else "")
    return head.lower(), rest.strip()


def metadata(**values: Any) -> str:
    return json.dumps({k: v for k, v in values.items() if v is not None})


def open_modal(
    client: WebClient,
    trigger_id: str,
    view: dict[str, Any],
    say_expired: Any,
    *,
    expired: Message | None = None,
) -> bool:
    """Open a modal; an expired trigger gets ``expired`` (by default: the button expired)."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as error:
        if slack_error_code(error) in TRIGGER_ERRORS:
            say_expired(expired or expired_button(None))
            return False
        raise
    return True


def add_modal_for(
    deps: Deps,
    team_id: str,
    *,
    prefill: ObjectivePrefill | None = None,
    channel_id: str | None = None,
    review_id: int | None = None,
    response_url: str | None = None,
    rewrite: bool = False,
) -> dict[str, Any]:
    """The add form; ``response_url`` (a slash command's) is where to confirm the save when
    the bot cannot post in ``channel_id``; ``rewrite`` when it holds the coach's rewrite (so
    the team's coaching picture can count rewrites taken up)."""
    cycle = cycle_of(deps.clock().date())
    return add_objective_modal(
        cycles=[cycle, next_cycle(cycle)],
        default_cycle=cycle,
        parents=ObjectiveService(deps).parent_choices(team_id, cycle),
        prefill=prefill,
        private_metadata=metadata(
            channel_id=channel_id,
            review_id=review_id,
            response_url=response_url,
            **({"rewrite": True} if rewrite else {}),
        ),
    )


class OkrCommand:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._objectives = ObjectiveService(deps)

    def handle(
        self,
        ack: Ack,
        command: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        ack()
        sub, rest = split_subcommand(command.get("text", ""))
        team_id = context.team_id or command.get("team_id", "")
        user_id = command["user_id"]

        def reply(message: Message) -> None:
            respond(response_type="ephemeral", **message.as_kwargs())

        if sub == "help":
            reply(help_message())
        elif sub == "review":
            self._review(rest, team_id, user_id, command, client, reply)
        elif sub == "add":
            view = add_modal_for(
                self._deps,
                team_id,
                prefill=ObjectivePrefill(title=rest) if rest else None,
                channel_id=command.get("channel_id"),
                response_url=command.get("response_url"),
            )
            open_modal(client, command["trigger_id"], view, reply, expired=EXPIRED)
        elif sub == "list":
            reply(self._list(rest, team_id, user_id, client))
        elif sub == "checkin":
            self._checkin(team_id, user_id, command["trigger_id"], client, reply)
        elif sub == "remind":
            reply(self._remind(rest, team_id, user_id))
        elif sub == "digest":
            reply(
                digest_reply(self._deps, client, team_id, user_id, rest, command.get("channel_id"))
            )
        else:
            reply(help_message(unknown=sub))

    def _review(
        self,
        rest: str,
        team_id: str,
        user_id: str,
        command: dict[str, Any],
        client: WebClient,
        reply: Any,
    ) -> None:
        if not rest:
            view = review_draft_modal(metadata(channel_id=command.get("channel_id")))
            open_modal(client, command["trigger_id"], view, reply, expired=EXPIRED)
            return
        if rest.lower() == "mine":
            cycle = cycle_of(self._deps.clock().date())
            mine = self._objectives.list_for_owner(team_id, user_id, cycle)
            reviewed = [(o, self._deps.coach(_as_draft(o))) for o in mine]
            reply(review_mine_message(cycle, reviewed))
            return
        reply(review_reply(self._deps.coach(rest), show_all=True))

    def _list(self, rest: str, team_id: str, user_id: str, client: WebClient) -> Message:
        cycle = cycle_of(self._deps.clock().date())
        target = rest.strip()
        if not target:
            return objectives_message(
                self._objectives.list_for_owner(team_id, user_id, cycle),
                heading=LIST_HEADING_MINE.format(cycle=cycle),
                empty=NOTHING_LISTED_MINE.format(cycle=cycle),
                show_owner=False,
            )
        if target.lower() == "team":
            return objectives_message(
                self._objectives.list_for_team(team_id, cycle),
                heading=LIST_HEADING_TEAM.format(cycle=cycle),
                empty=NOTHING_LISTED_TEAM.format(cycle=cycle),
                show_owner=True,
            )
        reference = user_reference(target)
        if reference is None:
            return plain_message(LIST_USAGE)
        other = resolve_user(client, reference)
        if isinstance(other, Message):
            return other
        return objectives_message(
            self._objectives.list_for_owner(team_id, other, cycle),
            heading=LIST_HEADING_USER.format(user=other, cycle=cycle),
            empty=NOTHING_LISTED_USER.format(user=other, cycle=cycle),
            show_owner=False,
        )

    def _checkin(
        self, team_id: str, user_id: str, trigger_id: str, client: WebClient, reply: Any
    ) -> None:
        try:
            open_checkin_modal(
                client, self._deps, team_id=team_id, user_id=user_id, trigger_id=trigger_id
            )
        except NoObjectives:
            reply(
                plain_message(NOTHING_LISTED_MINE.format(cycle=cycle_of(self._deps.clock().date())))
            )
        # An expired trigger is answered by handlers.errors, as for every other listener.

    def _remind(self, rest: str, team_id: str, user_id: str) -> Message:
        return remind_reply(self._deps, team_id, user_id, rest)


def _as_draft(objective: Any) -> str:
    lines = [f"Objective: {objective.title}"]
    lines.extend(f"KR{i}: {kr.text}" for i, kr in enumerate(objective.key_results, start=1))
    return "\n".join(lines)


def _unknown_command(ack: Ack, command: dict[str, Any]) -> None:
    ack(text=f"OKR Coach only knows `{ids.SLASH_COMMAND}`. Try `{ids.SLASH_COMMAND} help`.")


def register(app: App, deps: Deps) -> None:
    okr = OkrCommand(deps)
    app.command(ids.SLASH_COMMAND)(okr.handle)
    # A renamed or extra command in someone's manifest still gets a helpful answer.
    app.command(re.compile(r".*"))(_unknown_command)
