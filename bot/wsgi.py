"""The production WSGI application: Bolt's adapter plus a health check and a body cap.

gunicorn loads it with ``bot.wsgi:create_wsgi_app()`` so settings are read in each worker
at start-up, never at import time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy import text

from bot.app import build_deps, create_app
from bot.config import Settings, load_settings
from bot.deps import Deps
from bot.logging_setup import configure_logging
from handlers.payload_guard import NO_RETRY

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
# Slack's largest payloads (a 40,000-character message with its blocks) fit well under this.
MAX_BODY_BYTES = 1024 * 1024
MALFORMED_BODY = '{"ok": false, "error": "malformed_body"}'

StartResponse = Callable[..., Any]


def _respond(
    start_response: StartResponse, status: str, payload: dict[str, Any], *, retry: bool = True
) -> Iterable[bytes]:
    body = json.dumps(payload).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    if not retry:
        headers.append(("X-Slack-No-Retry", "1"))
    start_response(status, headers)
    return [body]


class _TolerantSlackRequestHandler(SlackRequestHandler):
    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        try:
            bolt_request = BoltRequest(
                body=request.get_body(), query=request.query_string, headers=request.get_headers()
            )
        except (ValueError, AttributeError, TypeError, RecursionError):
            # Bolt parses the body before it checks the signature; a body that is not the
            # JSON or form data it claims to be (or nests thousands deep) is the sender's
            # mistake, not our crash.
            logger.warning("malformed request body refused")
            return BoltResponse(status=400, body=MALFORMED_BODY, headers=NO_RETRY)
        return self.app.dispatch(bolt_request)


class OkrCoachWsgi:
    def __init__(self, app: App, deps: Deps) -> None:
        self.bolt_app = app
        self.deps = deps
        self._slack = _TolerantSlackRequestHandler(app)

    def database_ok(self) -> bool:
        try:
            with self.deps.session_factory() as session:
                session.execute(text("SELECT 1"))
            return True
        except Exception:
            logger.exception("health check: database unreachable")
            return False

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH and environ.get("REQUEST_METHOD") in {"GET", "HEAD"}:
            if self.database_ok():
                return _respond(start_response, "200 OK", {"ok": True, "database": "ok"})
            return _respond(
                start_response, "503 Service Unavailable", {"ok": False, "database": "down"}
            )
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            return _respond(
                start_response,
                "413 Content Too Large",
                {"ok": False, "error": "body_too_large"},
                retry=False,
            )
        return self._slack(environ, start_response)


def build_wsgi_app(settings: Settings) -> OkrCoachWsgi:
    deps = build_deps(settings)
    return OkrCoachWsgi(create_app(settings, deps=deps), deps)


def create_wsgi_app() -> OkrCoachWsgi:
    settings = load_settings()
    configure_logging(settings.log_level, secrets=settings.secrets())
    logger.info("starting OKR Coach worker: %s", json.dumps(settings.describe()))
    return build_wsgi_app(settings)
