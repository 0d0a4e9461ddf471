"""Bolt listeners. ``register`` wires every submodule onto an app with its dependencies."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps


def register(app: App, deps: Deps) -> None:
    from handlers import actions, checkin, checkin_talk, commands, errors, events, home, views

    errors.register(app)
    # Bolt tries listeners in order; channel messages are by far the most frequent request,
    # so their listeners come first.
    events.register(app, deps)
    home.register(app, deps)
    commands.register(app, deps)
    actions.register(app, deps)
    views.register(app, deps)
    checkin.register(app, deps)
    checkin_talk.register(app, deps)
    # Catch-alls last: Bolt runs the first listener that matches, so these only see what no
    # specific listener claimed (stale buttons, old views, unknown event types).
    actions.register_fallbacks(app)
    views.register_fallbacks(app)
    events.register_fallbacks(app)
