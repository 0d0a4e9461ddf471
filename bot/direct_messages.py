"""A member's direct-message channel with the bot: cached on the member row, opened once."""

from __future__ import annotations

from slack_sdk import WebClient
from sqlalchemy import select, update

from bot.deps import Deps
from bot.models import Member


def cached_dm_channel(deps: Deps, team_id: str, user_id: str) -> str | None:
    with deps.session_factory() as session:
        return session.scalar(
            select(Member.slack_dm_channel_id).where(
                Member.slack_team_id == team_id, Member.slack_user_id == user_id
            )
        )


def remember_dm_channel(deps: Deps, team_id: str, user_id: str, channel_id: str) -> None:
    with deps.session_factory.begin() as session:
        session.execute(
            update(Member)
            .where(Member.slack_team_id == team_id, Member.slack_user_id == user_id)
            .values(slack_dm_channel_id=channel_id)
        )


def dm_channel(deps: Deps, client: WebClient, team_id: str, user_id: str) -> str:
    """The member's DM channel: cached, or opened once and cached (conversations.open is slow)."""
    cached = cached_dm_channel(deps, team_id, user_id)
    if cached:
        return cached
    channel = str(client.conversations_open(users=user_id)["channel"]["id"])
    remember_dm_channel(deps, team_id, user_id, channel)
    return channel
