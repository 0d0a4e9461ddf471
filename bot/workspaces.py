"""Workspaces and members, created the first time the bot meets them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.models import Member, Workspace


def ensure_workspace(session: Session, team_id: str, *, keep_draft_text: bool) -> Workspace:
    """The workspace row for ``team_id``, inserted with the deployment's defaults if new."""
    found = session.scalar(select(Workspace).where(Workspace.slack_team_id == team_id))
    if found is not None:
        return found
    try:
        # A savepoint, so losing the insert race to another worker keeps our transaction.
        with session.begin_nested():
            workspace = Workspace(slack_team_id=team_id, keep_draft_text=keep_draft_text)
            session.add(workspace)
        return workspace
    except IntegrityError:
        return session.scalars(select(Workspace).where(Workspace.slack_team_id == team_id)).one()


def ensure_member(session: Session, team_id: str, user_id: str) -> Member:
    found = session.scalar(
        select(Member).where(Member.slack_team_id == team_id, Member.slack_user_id == user_id)
    )
    if found is not None:
        return found
    try:
        with session.begin_nested():
            member = Member(slack_team_id=team_id, slack_user_id=user_id)
            session.add(member)
        return member
    except IntegrityError:
        return session.scalars(
            select(Member).where(Member.slack_team_id == team_id, Member.slack_user_id == user_id)
        ).one()
