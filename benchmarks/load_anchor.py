"""The anchor for the load benchmark: the smallest Bolt app that answers a draft in its thread.

Served by the Procfile's own gunicorn line (only the app spec differs), against the same fake
Slack, so the gap between it and OKR Coach is the cost of OKR Coach's own work.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

HEALTH_PATH = "/healthz"


def create_bolt_app() -> App:
    app = App(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
    )

    @app.event("message")
    def reply(event: dict[str, Any], client: WebClient) -> None:
        client.chat_postMessage(channel=event["channel"], thread_ts=event["ts"], text="ok")

    return app


def create_wsgi_app() -> Callable[..., Iterable[bytes]]:
    slack = SlackRequestHandler(create_bolt_app())

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        # The benchmark waits for /healthz before it sends; Bolt alone would answer 404.
        if environ.get("PATH_INFO") == HEALTH_PATH:
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"ok": true}']
        return slack(environ, start_response)

    return wsgi
