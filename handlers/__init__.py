"""Bolt listeners. ``register`` wires every submodule onto an app with its dependencies."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps


def register(app: App, deps: Deps) -> None:
    from handlers import errors, events, home

    errors.register(app)
    home.register(app, deps)
    # Events last: its catch-all must come after every specific event listener.
    events.register(app, deps)
