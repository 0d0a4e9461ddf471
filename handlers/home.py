"""App Home: published on ``app_home_opened`` and after every change to a member's OKRs."""

from __future__ import annotations

import logging
from datetime import timedelta

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.cycles import cycle_bounds, cycle_of
from bot.deps import Deps
from bot.objectives import ObjectiveService
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
    )
    client.views_publish(user_id=user_id, view=view)


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict, context: BoltContext, client: WebClient) -> None:
        if event.get("tab", "home") != "home" or not context.team_id or not context.user_id:
            return
        publish_home(client, deps, context.team_id, context.user_id)
