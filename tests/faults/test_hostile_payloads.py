"""No signed input, however hostile, gets a 5xx: a clear 4xx with X-Slack-No-Retry, or a 200.

Slack retries 5xx answers, so a payload that crashes the app would come back three times
and page someone each time; one that cannot succeed must say so once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.wsgi import MAX_BODY_BYTES, OkrCoachWsgi
from tests.app_fixtures import Harness
from tests.slack_requests import SIGNING_SECRET, message_event_body
from tests.wsgi_client import WsgiResponse, call_wsgi


def signed_bytes(data: bytes) -> dict[str, str]:
    """Slack signs the raw bytes it sends, whether or not they decode."""
    ts = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + data, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest.hexdigest()}


def post(harness: Harness, data: bytes, content_type: str = "application/json") -> WsgiResponse:
    wsgi = OkrCoachWsgi(harness.app, harness.deps)
    headers = signed_bytes(data) | {"Content-Type": content_type}
    return call_wsgi(wsgi, "POST", "/slack/events", data, headers)


def refused_or_fine(response: WsgiResponse) -> bool:
    if response.status == 200:
        return True
    return 400 <= response.status < 500 and response.headers.get("x-slack-no-retry") == "1"


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def test_a_lone_surrogate_in_a_draft_is_answered_not_crashed(harness: Harness) -> None:
    body = message_event_body("Objective: Grow revenue PLACEHOLDER from our partners")
    raw = json.dumps(body).replace("PLACEHOLDER", "\\ud83d")
    response = post(harness, raw.encode("ascii"))
    assert response.status == 200, response.body
    (reply,) = harness.fake.calls_to("chat.postMessage")
    assert "\ufffd" not in reply.params["text"] or reply.params["text"].isprintable()


@pytest.mark.parametrize("depth", [200, 2_000, 20_000])
def test_deeply_nested_json_is_refused_once(harness: Harness, depth: int) -> None:
    response = post(harness, nested(depth).encode())
    assert response.status == 400, response.body
    assert response.headers.get("x-slack-no-retry") == "1"
    assert harness.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x00garbage",
        b'{"type": "event_callback", "event": {"type": "message", "text": "\xc3\x28"}}',
        b"payload=%E0%A4%A",
        b"payload=" + b"%7B%22a%22%3A" * 5000,
        b'{"type": "event_callback", "event": {"type": "message", "text": 1e999999}}',
        b'{"type": "event_callback", "event": {"type": "message", "channel": ["C1"]}}',
        b'{"type": "block_actions", "actions": [{"action_id": 5}], "user": {"id": 7}}',
        b'{"type": "view_submission", "view": {"state": {"values": []}}}',
        b"\x00" * 100,
    ],
)
def test_undecodable_or_misshapen_bodies_never_answer_5xx(harness: Harness, data: bytes) -> None:
    response = post(harness, data)
    assert refused_or_fine(response), (response.status, response.headers, response.body)


def test_an_oversize_body_is_refused_before_it_is_read(harness: Harness) -> None:
    response = post(harness, b"{" + b" " * MAX_BODY_BYTES + b"}")
    assert response.status == 413
    assert response.headers.get("x-slack-no-retry") == "1"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    event=st.dictionaries(
        st.sampled_from(
            ["type", "text", "channel", "user", "ts", "subtype", "blocks", "thread_ts"]
        ),
        JSON_VALUES,
        max_size=6,
    )
)
def test_any_signed_event_shape_gets_a_2xx_or_a_no_retry_4xx(
    harness: Harness, event: dict[str, Any]
) -> None:
    body = {"type": "event_callback", "team_id": "T0001", "event_id": "Ev1", "event": event}
    response = post(harness, json.dumps(body).encode())
    assert refused_or_fine(response), (response.status, response.body)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400))
def test_any_signed_bytes_get_a_2xx_or_a_no_retry_4xx(harness: Harness, data: bytes) -> None:
    response = post(harness, data)
    assert refused_or_fine(response), (response.status, response.body)
