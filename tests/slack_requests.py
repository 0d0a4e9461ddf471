"""Requests as Slack sends them: fixture payloads, per-test overrides, and real signatures.

Payloads live in tests/fixtures/*.json, shaped like Slack's. The ids in them match FakeSlack's
defaults: team T0001, bot user UBOT / bot BBOT, app A0001, human U0001 in channel C0001.
"""

from __future__ import annotations

import copy
import itertools
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # the example secret from Slack's docs
TEAM_ID = "T0001"
USER_ID = "U0001"
CHANNEL_ID = "C0001"
BOT_USER_ID = "UBOT"
APP_ID = "A0001"


class _Delete:
    def __repr__(self) -> str:
        return "DELETE"


DELETE: Any = _Delete()
"""Override value that removes a key, e.g. event_body(event={"channel_type": DELETE})."""

_serial = itertools.count(1)
_EVENT_KINDS = {
    "message": "event_message.json",
    "app_mention": "event_app_mention.json",
    "message_changed": "event_message_changed.json",
    "app_home_opened": "event_app_home_opened.json",
    "app_uninstalled": "event_app_uninstalled.json",
    "tokens_revoked": "event_tokens_revoked.json",
    "url_verification": "url_verification.json",
}


# ---- fixtures and merging ------------------------------------------------------------------


def load_fixture(name: str) -> dict[str, Any]:
    """A fresh copy of tests/fixtures/<name> (".json" optional)."""
    filename = name if name.endswith(".json") else f"{name}.json"
    return json.loads((FIXTURES / filename).read_text(encoding="utf-8"))


def deep_merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """A copy of base with overrides merged in: dicts recursively, anything else replaced."""
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if value is DELETE:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _unique() -> tuple[int, str]:
    """A fresh (unix seconds, Slack ts) pair; ts values increase within the process."""
    n = next(_serial)
    now = int(time.time())
    return now, f"{now}.{n:06d}"


def _rich_text(text: str) -> list[dict[str, Any]]:
    # Slack sends the draft twice, as text and as rich_text blocks; keep both in step.
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return [{"type": "rich_text", "block_id": "rt0", "elements": [section]}]


# ---- Events API ----------------------------------------------------------------------------


def event_body(kind: str = "message", **overrides: Any) -> dict[str, Any]:
    """An Events API envelope for `kind` (message, app_mention, message_changed,
    app_home_opened, app_uninstalled, tokens_revoked, url_verification).

    event_id, event_time and the event's ts/event_ts are fresh on every call unless overridden.
    If an override sets a message text but not its blocks, the blocks follow the text.
    """
    body = load_fixture(_EVENT_KINDS[kind])
    event = body.get("event")
    if isinstance(event, dict):
        now, ts = _unique()
        body["event_id"] = f"Ev{next(_serial):010d}"
        body["event_time"] = now
        event["event_ts"] = ts
        if "ts" in event:
            event["ts"] = ts
    merged = deep_merge(body, overrides)
    event_overrides = overrides.get("event")
    if isinstance(event_overrides, dict):
        if "ts" in event_overrides and "event_ts" not in event_overrides:
            merged["event"]["event_ts"] = event_overrides["ts"]  # equal for new messages
        _sync_blocks(merged["event"], event_overrides)
        inner = event_overrides.get("message")
        if isinstance(inner, dict):
            _sync_blocks(merged["event"]["message"], inner)
    return merged


def _sync_blocks(target: dict[str, Any], given: dict[str, Any]) -> None:
    if "text" in given and "blocks" not in given and "blocks" in target:
        target["blocks"] = _rich_text(str(given["text"]))


def message_event_body(text: str, **event_fields: Any) -> dict[str, Any]:
    """Shortcut: a channel message from U0001 with `text`; keyword args go into `event`."""
    return event_body("message", event={"text": text, **event_fields})


# ---- slash commands and interactivity -------------------------------------------------------


def slash_command_fields(text: str = "help", **overrides: Any) -> dict[str, str]:
    fields = load_fixture("slash_command")
    fields["trigger_id"] = f"{_unique()[1]}.{next(_serial)}.trigger"
    fields["text"] = text
    return {k: str(v) for k, v in deep_merge(fields, overrides).items()}


def slash_command_body(text: str = "help", **overrides: Any) -> str:
    """The urlencoded form body Slack posts for /okr `text`."""
    return urlencode(slash_command_fields(text, **overrides))


def interactive_body(payload: dict[str, Any]) -> str:
    """The urlencoded `payload=<json>` body Slack posts for interactions."""
    return urlencode({"payload": json.dumps(payload)})


def block_actions_payload(
    action_id: str, value: str | None = None, **overrides: Any
) -> dict[str, Any]:
    """A block_actions payload for a button click on the bot's message."""
    payload = load_fixture("block_actions")
    _, ts = _unique()
    payload["trigger_id"] = f"{ts}.{next(_serial)}.trigger"
    action = payload["actions"][0]
    action["action_id"] = action_id
    action["action_ts"] = ts
    if value is not None:
        action["value"] = value
    return deep_merge(payload, overrides)


def plain_input(value: str | None) -> dict[str, Any]:
    """State value of a plain_text_input, as in view.state.values[block][action]."""
    return {"type": "plain_text_input", "value": value}


def view_submission_payload(
    callback_id: str,
    values: dict[str, dict[str, Any]],
    private_metadata: str = "",
    **overrides: Any,
) -> dict[str, Any]:
    """A view_submission payload; `values` is {block_id: {action_id: state}} where a bare str
    state is shorthand for plain_input(str)."""
    payload = load_fixture("view_submission")
    payload["trigger_id"] = f"{_unique()[1]}.{next(_serial)}.trigger"
    state = {
        block_id: {
            action_id: plain_input(v) if isinstance(v, str) or v is None else v
            for action_id, v in actions.items()
        }
        for block_id, actions in values.items()
    }
    view = payload["view"]
    view["callback_id"] = callback_id
    view["private_metadata"] = private_metadata
    view["state"] = {"values": state}
    return deep_merge(payload, overrides)


# ---- signing and delivery -------------------------------------------------------------------


def _text(body: str | bytes | dict[str, Any]) -> str:
    if isinstance(body, dict):
        return json.dumps(body)
    return body.decode("utf-8") if isinstance(body, bytes) else body


def sign(
    body: str | bytes | dict[str, Any],
    secret: str = SIGNING_SECRET,
    timestamp: int | str | None = None,
) -> dict[str, str]:
    """Headers Slack sends with `body`: timestamp, v0 signature and content type.

    A dict body is JSON-encoded (as event_body's result must be); pass the exact same text to
    the server. `timestamp` defaults to now; pass an old one to test replay protection.
    """
    text = _text(body)
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=text)
    content_type = (
        "application/json" if text.lstrip().startswith("{") else "application/x-www-form-urlencoded"
    )
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": str(signature),
        "Content-Type": content_type,
    }


def bolt_request(
    body: str | bytes | dict[str, Any],
    secret: str = SIGNING_SECRET,
    headers: dict[str, str] | None = None,
    timestamp: int | str | None = None,
) -> BoltRequest:
    """A signed BoltRequest for `app.dispatch(req)`; extra headers override the signed ones."""
    text = _text(body)
    all_headers = {**sign(text, secret, timestamp), **(headers or {})}
    return BoltRequest(body=text, headers=all_headers)


def post_signed(
    url: str,
    body: str | bytes | dict[str, Any],
    secret: str = SIGNING_SECRET,
    extra_headers: dict[str, str] | None = None,
    timestamp: int | str | None = None,
    timeout: float = 10.0,
) -> tuple[int, dict[str, str], str]:
    """POST a signed body over HTTP; return (status, headers, body text), never raising on
    4xx/5xx so tests can assert on rejections."""
    text = _text(body)
    headers = {**sign(text, secret, timestamp), **(extra_headers or {})}
    request = urllib.request.Request(url, data=text.encode("utf-8"), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")
