"""Members' time zones, names and deactivation, read in pages from ``users.list``.

One ``users.list`` page carries 200 members, so a workspace of 10,000 costs 50 calls instead
of 10,000 ``users.info`` calls (both are Tier 2 or worse).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import select, update

from bot.deps import Deps
from bot.models import Member
from bot.pacing import WorkspacePacer

logger = logging.getLogger(__name__)

PAGE_SIZE = 200
USERS_LIST = "users.list"


@dataclass(frozen=True)
class SyncReport:
    pages: int = 0
    seen: int = 0
    updated: int = 0
    deactivated: int = 0
    complete: bool = False


def _profile(user: dict[str, Any]) -> tuple[str | None, str | None, bool]:
    profile = user.get("profile") or {}
    name = profile.get("display_name") or user.get("real_name") or user.get("name")
    gone = bool(user.get("deleted")) or bool(user.get("is_bot"))
    return user.get("tz") or None, (str(name)[:255] if name else None), gone


def sync_members(
    deps: Deps,
    client: WebClient,
    team_id: str,
    *,
    pacer: WorkspacePacer | None = None,
    now: datetime | None = None,
) -> SyncReport:
    """Update the members we know from ``users.list``; never inserts strangers.

    Members absent from a complete listing left the workspace and are marked deleted.
    """
    now = now or deps.clock()
    with deps.session_factory() as session:
        known = {
            row.slack_user_id: (row.id, row.tz, row.display_name, row.deleted)
            for row in session.execute(
                select(
                    Member.id, Member.slack_user_id, Member.tz, Member.display_name, Member.deleted
                ).where(Member.slack_team_id == team_id)
            )
        }
    if not known:
        return SyncReport(complete=True)
    seen: set[str] = set()
    changes: list[dict[str, Any]] = []
    pages = deactivated = 0
    cursor: str | None = None
    while True:
        if pacer is not None:
            pacer.acquire(USERS_LIST)
        response = (
            client.users_list(limit=PAGE_SIZE, cursor=cursor)
            if cursor
            else (client.users_list(limit=PAGE_SIZE))
        )
        pages += 1
        for user in response.get("members") or []:
            user_id = user.get("id")
            if user_id not in known:
                continue
            seen.add(user_id)
            member_id, tz, name, deleted = known[user_id]
            new_tz, new_name, gone = _profile(user)
            row: dict[str, Any] = {"id": member_id, "profile_synced_at": now}
            if new_tz and new_tz != tz:
                row["tz"] = new_tz
            if new_name and new_name != name:
                row["display_name"] = new_name
            if gone != deleted:
                row["deleted"] = gone
                deactivated += int(gone)
            changes.append(row)
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            break
    missing = [known[u][0] for u in known.keys() - seen if not known[u][3]]
    with deps.session_factory.begin() as session:
        if changes:
            # ORM bulk UPDATE by primary key: one statement per distinct column set.
            session.execute(update(Member), changes)
        if missing:
            session.execute(
                update(Member)
                .where(Member.id.in_(missing))
                .values(deleted=True, profile_synced_at=now)
            )
    report = SyncReport(
        pages=pages,
        seen=len(seen),
        updated=len(changes),
        deactivated=deactivated + len(missing),
        complete=True,
    )
    logger.info(
        "members synced: %d pages, %d seen, %d deactivated",
        report.pages,
        report.seen,
        report.deactivated,
        extra={"team_id": team_id},
    )
    return report
