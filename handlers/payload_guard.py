"""Refuse signed payloads whose shape no Slack request has, before Bolt reads into them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest

MALFORMED = '{"ok": false, "error": "malformed_payload"}'
# Slack retries failed event deliveries; a malformed one would fail the same way again.
NO_RETRY = {"X-Slack-No-Retry": "1", "Content-Type": "application/json"}


def _malformed(body: Any) -> bool:
    if not isinstance(body, dict):
        return True
    if body.get("type") == "event_callback":
        event = body.get("event")
        return not (isinstance(event, dict) and isinstance(event.get("type"), str))
    for key in ("team", "user", "channel", "view", "container"):
        if key in body and not isinstance(body[key], dict | str | type(None)):
            return True
    return "actions" in body and not isinstance(body["actions"], list)


class RejectMalformedPayloads(Middleware):
    """Runs after the signature check (Bolt's ``before_authorize`` slot).

    A ``Middleware`` subclass rather than a function: Bolt calls it directly, without
    working out which arguments a function middleware wants on every request.
    """

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if _malformed(req.body):
            return BoltResponse(status=400, body=MALFORMED, headers=NO_RETRY)
        return next()
