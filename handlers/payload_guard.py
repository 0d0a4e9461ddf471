"""Refuse signed payloads whose shape no Slack request has, before Bolt reads into them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest

MALFORMED = '{"ok": false, "error": "malformed_payload"}'
# Slack retries failed event deliveries; a malformed one would fail the same way again.
NO_RETRY = {"X-Slack-No-Retry": "1", "Content-Type": "application/json"}
# No Slack payload nests anywhere near this deep (a modal's state is about 6 levels).
MAX_DEPTH = 64
# JSON may carry half of a UTF-16 pair ("\ud83d"); Python keeps it as a lone surrogate,
# which no encoder will write back out (to Slack, the database or a log line).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def clean_strings(body: Any) -> bool:
    """Replace lone surrogates in every string of ``body`` in place; False if too deep.

    Iterative, so a hostile depth costs a refusal, not a stack overflow.
    """
    stack: list[tuple[Any, int]] = [(body, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(node, dict):
            items: Any = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        for key, value in list(items):
            if isinstance(value, str):
                if _LONE_SURROGATE.search(value):
                    node[key] = _LONE_SURROGATE.sub(REPLACEMENT, value)
            elif isinstance(value, dict | list):
                stack.append((value, depth + 1))
        if isinstance(node, dict) and any(
            isinstance(k, str) and _LONE_SURROGATE.search(k) for k in node
        ):
            return False
    return True


# Fields Bolt and the listeners read as strings (matching, routing, formatting): a payload
# carrying anything else in them is not one Slack sends.
_EVENT_STRINGS = ("type", "subtype", "text", "channel", "user", "ts", "thread_ts", "bot_id")
_ACTION_STRINGS = ("action_id", "block_id", "value", "type")
_VIEW_STRINGS = ("callback_id", "id", "hash", "private_metadata")


def _strings(node: Any, fields: tuple[str, ...]) -> bool:
    return isinstance(node, dict) and all(isinstance(node.get(f), str | type(None)) for f in fields)


def _malformed(body: Any) -> bool:
    if not isinstance(body, dict) or not clean_strings(body):
        return True
    if body.get("type") == "event_callback":
        event = body.get("event")
        return not (
            _strings(event, _EVENT_STRINGS)
            and isinstance(event.get("type"), str)
            and isinstance(event.get("blocks", []), list)
        )
    for key in ("team", "user", "channel", "view", "container"):
        if key in body and not isinstance(body[key], dict | str | type(None)):
            return True
    if isinstance(body.get("user"), dict) and not _strings(body["user"], ("id", "team_id")):
        return True
    if "actions" in body:
        actions = body["actions"]
        if not isinstance(actions, list) or not all(_strings(a, _ACTION_STRINGS) for a in actions):
            return True
    view = body.get("view")
    if isinstance(view, dict):
        state = view.get("state", {})
        if not _strings(view, _VIEW_STRINGS) or not isinstance(state, dict):
            return True
        if not isinstance(state.get("values", {}), dict):
            return True
    return False


class RequestGuard(Middleware):
    """Refuses payloads whose shape no Slack request has (Bolt's ``before_authorize`` slot,
    right after the signature check).

    A ``Middleware`` subclass rather than a function: Bolt calls it directly, without
    working out which arguments a function middleware wants on every request.
    """

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if _malformed(req.body):
            return BoltResponse(status=400, body=MALFORMED, headers=NO_RETRY)
        return next()
