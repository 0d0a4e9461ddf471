"""Signed request builders: signatures Slack's verifier accepts, fixtures shaped like Slack's,
and a real Bolt app dispatching them against the fake Web API."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs

import pytest
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from tests import slack_requests as sr
from tests.fakeslack import FakeSlack
from tests.fakeslack.spec import specs_dir


def test_sign_is_accepted_by_the_sdk_verifier() -> None:
    body = json.dumps(sr.event_body("message"))
    headers = sr.sign(body, sr.SIGNING_SECRET)
    verifier = SignatureVerifier(sr.SIGNING_SECRET)
    assert verifier.is_valid(
        body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )
    assert verifier.is_valid_request(body, headers)
    assert headers["Content-Type"] == "application/json"
    assert not verifier.is_valid(
        body.replace("U0001", "U0666"),
        headers["X-Slack-Request-Timestamp"],
        headers["X-Slack-Signature"],
    )
    assert not SignatureVerifier("other-secret").is_valid_request(body, headers)


def test_old_timestamp_is_rejected_by_the_verifier() -> None:
    body = sr.slash_command_body("help")
    headers = sr.sign(body, sr.SIGNING_SECRET, timestamp=int(time.time()) - 600)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert not SignatureVerifier(sr.SIGNING_SECRET).is_valid_request(body, headers)


def test_event_bodies_get_fresh_ids_and_merge_overrides() -> None:
    first = sr.event_body("message", event={"text": "Ship v2", "channel": "C0999"})
    second = sr.event_body("message")
    assert first["event_id"] != second["event_id"]
    assert first["event"]["ts"] != second["event"]["ts"]
    assert first["event"]["ts"] == first["event"]["event_ts"]
    assert first["event"]["channel"] == "C0999"
    assert first["event"]["user"] == "U0001"  # untouched keys survive the deep merge
    rich = first["event"]["blocks"][0]["elements"][0]["elements"][0]
    assert rich["text"] == "Ship v2"  # blocks follow an overridden text
    given = sr.event_body("message", event_id="EvFIXED", event={"ts": "1.000001"})
    assert given["event_id"] == "EvFIXED"
    assert given["event"]["event_ts"] == "1.000001"
    dropped = sr.event_body("message", event={"channel_type": sr.DELETE})
    assert "channel_type" not in dropped["event"]


def test_message_changed_keeps_the_original_ts() -> None:
    body = sr.event_body("message_changed", event={"message": {"text": "edited"}})
    assert body["event"]["subtype"] == "message_changed"
    assert body["event"]["message"]["ts"] == body["event"]["previous_message"]["ts"]
    assert body["event"]["message"]["text"] == "edited"
    assert body["event"]["ts"] != body["event"]["message"]["ts"]


@pytest.mark.parametrize(
    "kind",
    [
        "message",
        "app_mention",
        "message_changed",
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
    ],
)
def test_event_fixtures_match_the_published_envelope_schema(kind: str) -> None:
    schema = json.loads((specs_dir() / "slack_common_event_wrapper_schema.json").read_text())
    # authed_users is deprecated and gone from real payloads (see the specs README).
    required = [k for k in schema["required"] if k != "authed_users"]
    body = sr.event_body(kind)
    assert [k for k in required if k not in body] == []
    assert [k for k in schema["properties"]["event"]["required"] if k not in body["event"]] == []
    assert body["type"] == "event_callback"
    assert body["authorizations"][0]["is_bot"] is True
    assert body["event"]["type"] == ("message" if kind == "message_changed" else kind)


def test_slash_command_body_is_a_slack_form() -> None:
    fields = parse_qs(sr.slash_command_body("review Grow revenue", channel_id="C0042"))
    assert fields["command"] == ["/okr"]
    assert fields["text"] == ["review Grow revenue"]
    assert fields["channel_id"] == ["C0042"]
    for key in ("token", "team_id", "team_domain", "user_id", "user_name", "api_app_id"):
        assert fields[key][0]
    assert fields["trigger_id"] != parse_qs(sr.slash_command_body())["trigger_id"]


def test_interactive_payload_builders() -> None:
    click = sr.block_actions_payload("use_rewrite", value="draft-7", user={"id": "U0002"})
    assert click["actions"][0]["action_id"] == "use_rewrite"
    assert click["actions"][0]["value"] == "draft-7"
    assert click["user"] == {"id": "U0002", "username": "alex", "name": "alex", "team_id": "T0001"}
    body = parse_qs(sr.interactive_body(click))
    assert json.loads(body["payload"][0]) == click

    submit = sr.view_submission_payload(
        "edit_okr",
        {"objective": {"objective_input": "Delight users"}},
        private_metadata='{"draft": 7}',
    )
    assert submit["view"]["callback_id"] == "edit_okr"
    assert submit["view"]["private_metadata"] == '{"draft": 7}'
    state = submit["view"]["state"]["values"]["objective"]["objective_input"]
    assert state == {"type": "plain_text_input", "value": "Delight users"}


def test_bolt_request_carries_a_valid_signature() -> None:
    req = sr.bolt_request(sr.slash_command_body(), sr.SIGNING_SECRET)
    assert isinstance(req, BoltRequest)
    verifier = SignatureVerifier(sr.SIGNING_SECRET)
    assert verifier.is_valid(
        req.raw_body,
        req.headers["x-slack-request-timestamp"][0],
        req.headers["x-slack-signature"][0],
    )


def _app(fake: FakeSlack) -> App:
    return App(
        signing_secret=sr.SIGNING_SECRET,
        client=WebClient(token="xoxb-test", base_url=fake.base_url),
        process_before_response=True,
        raise_error_for_unhandled_request=True,
    )


def test_real_bolt_app_replies_in_thread_through_the_fake(fake_slack: FakeSlack) -> None:
    app = _app(fake_slack)

    @app.event("message")
    def reply(event: dict, say) -> None:  # type: ignore[no-untyped-def]
        say(text=f"Got: {event['text']}", thread_ts=event["ts"])

    body = sr.event_body("message", event={"text": "Grow revenue 20%"})
    response = app.dispatch(sr.bolt_request(body, sr.SIGNING_SECRET))
    assert response.status == 200
    call = fake_slack.wait_for("chat.postMessage", channel="C0001")[0]
    assert call.params["thread_ts"] == body["event"]["ts"]
    assert call.params["text"] == "Got: Grow revenue 20%"


def test_real_bolt_app_rejects_a_bad_signature(fake_slack: FakeSlack) -> None:
    app = _app(fake_slack)
    response = app.dispatch(sr.bolt_request(sr.slash_command_body(), "wrong-secret"))
    assert response.status == 401


def test_slash_command_respond_goes_to_the_fake_response_url(fake_slack: FakeSlack) -> None:
    app = _app(fake_slack)

    @app.command("/okr")
    def okr(ack, respond, command: dict) -> None:  # type: ignore[no-untyped-def]
        ack()
        respond(text=f"help for {command['user_id']}", response_type="ephemeral")

    body = sr.slash_command_body("help", response_url=fake_slack.response_url("cmd"))
    assert app.dispatch(sr.bolt_request(body, sr.SIGNING_SECRET)).status == 200
    call = fake_slack.wait_for("response_url")[0]
    assert call.params == {"text": "help for U0001", "response_type": "ephemeral"}


def test_post_signed_returns_status_without_raising(fake_slack: FakeSlack) -> None:
    status, _, text = sr.post_signed(fake_slack.url + "nowhere", "{}", sr.SIGNING_SECRET)
    assert status == 404
    assert json.loads(text)["error"] == "not_found"
    status, headers, _ = sr.post_signed(
        fake_slack.response_url(), {"text": "over the wire"}, sr.SIGNING_SECRET
    )
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert fake_slack.last("response_url").params["text"] == "over the wire"


def test_bolt_routes_interactive_fixtures(fake_slack: FakeSlack) -> None:
    app = _app(fake_slack)
    seen: list[str] = []

    @app.action("use_rewrite")
    def use_rewrite(ack, body: dict, respond) -> None:  # type: ignore[no-untyped-def]
        ack()
        seen.append(body["actions"][0]["value"])
        respond(text="Saved", replace_original=False)

    @app.view("edit_okr")
    def edit_okr(ack, view: dict) -> None:  # type: ignore[no-untyped-def]
        ack()
        seen.append(view["state"]["values"]["objective"]["objective_input"]["value"])

    click = sr.block_actions_payload(
        "use_rewrite", value="draft-7", response_url=fake_slack.response_url("act")
    )
    assert app.dispatch(sr.bolt_request(sr.interactive_body(click))).status == 200
    submit = sr.view_submission_payload("edit_okr", {"objective": {"objective_input": "Grow"}})
    assert app.dispatch(sr.bolt_request(sr.interactive_body(submit))).status == 200
    assert seen == ["draft-7", "Grow"]
    assert fake_slack.last("response_url").params["text"] == "Saved"


def test_bolt_publishes_home_on_app_home_opened(fake_slack: FakeSlack) -> None:
    app = _app(fake_slack)

    @app.event("app_home_opened")
    def home(event: dict, client: WebClient) -> None:
        view = {
            "type": "home",
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
        }
        client.views_publish(user_id=event["user"], view=view)

    assert app.dispatch(sr.bolt_request(sr.event_body("app_home_opened"))).status == 200
    call = fake_slack.wait_for("views.publish", user_id="U0001")[0]
    assert call.params["view"]["type"] == "home"
    assert call.token == "xoxb-test"


def test_url_verification_fixture_is_answered_by_bolt(fake_slack: FakeSlack) -> None:
    body = sr.event_body("url_verification")
    response = _app(fake_slack).dispatch(sr.bolt_request(body))
    assert response.status == 200
    assert body["challenge"] in response.body
