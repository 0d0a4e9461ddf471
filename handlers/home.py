"""App Home: published on ``app_home_opened`` and after every change to a member's OKRs."""

from __future__ import annotations

import logging
from datetime import timedelta

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.cycles import cycle_bounds, cycle_of
from bot.deps import Deps
from bot.objectives import ObjectiveService
from bot.progress_warnings import warnings_for
from bot.slack_client import slack_error_code
from bot.team_insights import team_picture
from handlers.digest import is_workspace_admin
from handlers.home_blocks import home_view

logger = logging.getLogger(__name__)

CHECKIN_DUE_AFTER = timedelta(days=6)


def publish_home(client: WebClient, deps: Deps, team_id: str, user_id: str) -> None:
    """Render the member's home tab from the database and publish it."""
    now = deps.clock()
    cycle = cycle_of(now.date())
    objectives = ObjectiveService(deps).list_for_owner(team_id, user_id, cycle)
    last = max((o.last_checkin_at for o in objectives if o.last_checkin_at), default=None)
    view = home_view(
        objectives,
        cycle=cycle,
        today=now.date(),
        cycle_end=cycle_bounds(cycle)[1],
        checkin_due=last is None or now - last >= CHECKIN_DUE_AFTER,
        warnings=warnings_for(deps, team_id, objectives, now, for_user=user_id),
        team=team_picture(deps, team_id, cycle) if _is_admin(client, user_id) else None,
    )
    client.views_publish(user_id=user_id, view=view)


def _is_admin(client: WebClient, user_id: str) -> bool:
    """Only admins see the team's picture; if Slack cannot say, the tab shows without it."""
    try:
        return is_workspace_admin(client, user_id)
    except SlackApiError as error:
        logger.warning("cannot tell whether %s is an admin: %s", user_id, slack_error_code(error))
        return False


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict, context: BoltContext, client: WebClient) -> None:
        if event.get("tab", "home") != "home" or not context.team_id or not context.user_id:
            return
        publish_home(client, deps, context.team_id, context.user_id)
