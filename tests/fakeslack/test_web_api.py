"""FakeSlack through a real slack_sdk WebClient: recording, spec oracle, Block Kit checks."""

from __future__ import annotations

import json
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakeslack import DEFAULT_TEAM, DEFAULT_USER, FakeSlack

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "Hello *there*"}}


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake_slack.base_url)


def test_base_url_ends_with_slash_and_points_at_api(fake_slack: FakeSlack) -> None:
    assert fake_slack.base_url.endswith("/api/")
    assert fake_slack.base_url.startswith("http://127.0.0.1:")
    assert fake_slack.port > 0


def test_post_message_is_recorded_with_decoded_blocks(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    response = client.chat_postMessage(channel="C1", text="Hello there", blocks=[SECTION])

    call = fake_slack.last("chat.postMessage")
    assert call.params["blocks"] == [SECTION]
    assert call.params["channel"] == "C1"
    assert call.token == "xoxb-test"
    assert call.team_id == DEFAULT_TEAM
    assert call.ok
    assert response["channel"] == "C1"
    assert response["message"]["blocks"] == [SECTION]
    assert response["message"]["user"] == "UBOT"


def test_form_encoded_blocks_string_is_decoded(fake_slack: FakeSlack, client: WebClient) -> None:
    # api_call(data=...) sends a form body, where Slack expects blocks as a JSON string.
    client.api_call(
        "chat.postMessage",
        data={"channel": "C1", "text": "x", "blocks": json.dumps([SECTION]), "unfurl_links": 0},
    )
    call = fake_slack.last("chat.postMessage")
    assert call.params["blocks"] == [SECTION]
    assert call.params["unfurl_links"] == "0"  # form values stay strings


def test_ts_values_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(3)]
    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == 3
    assert all(len(ts.split(".")[1]) == 6 for ts in stamps)


def test_thread_reply_echoes_thread_ts_and_update_keeps_ts(client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C1", text="draft")["ts"]
    reply = client.chat_postMessage(channel="C1", text="review", thread_ts=parent)
    assert reply["message"]["thread_ts"] == parent
    updated = client.chat_update(channel="C1", ts=reply["ts"], text="new review")
    assert updated["ts"] == reply["ts"]
    assert updated["message"]["text"] == "new review"


def test_unknown_method_is_a_violation(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.expect_violations()
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.postMesage", json={"channel": "C1", "text": "typo"})
    assert raised.value.response["error"] == "unknown_method"
    assert [(v.method, v.kind) for v in fake_slack.violations] == [
        ("chat.postMesage", "unknown_method")
    ]


def test_missing_required_param_names_it(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.expect_violations()
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.postMessage", json={"text": "nowhere to go"})
    assert raised.value.response["error"] == "invalid_arguments"
    (violation,) = fake_slack.violations
    assert violation.kind == "missing_param"
    assert "'channel'" in str(violation)
    assert "chat.postMessage" in str(violation)


def test_required_params_the_2020_spec_forgot_are_enforced(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    fake_slack.expect_violations()
    with pytest.raises(SlackApiError):
        client.api_call("users.info", params={})
    assert "'user'" in fake_slack.violations[0].detail


def test_unknown_param_is_only_a_warning(fake_slack: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="x", frobnicate="yes", metadata={"event_type": "e"})
    assert fake_slack.violations == []
    assert any("frobnicate" in w for w in fake_slack.warnings)
    assert not any("metadata" in w for w in fake_slack.warnings)


def test_section_text_over_3000_chars_is_invalid_blocks(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    fake_slack.expect_violations()
    too_long = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="x", blocks=[too_long])
    assert raised.value.response["error"] == "invalid_blocks"
    (violation,) = fake_slack.violations
    assert "3000" in violation.detail


def test_51_blocks_is_a_violation_50_is_not(fake_slack: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="x", blocks=[{"type": "divider"}] * 50)
    assert fake_slack.violations == []
    fake_slack.expect_violations()
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="x", blocks=[{"type": "divider"}] * 51)
    assert "51 blocks exceed the limit of 50" in fake_slack.violations[0].detail


def test_unknown_block_type_is_a_violation(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.expect_violations()
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="x", blocks=[{"type": "sectoin"}])
    assert "sectoin" in fake_slack.violations[0].detail


def test_message_without_text_or_blocks_answers_no_text(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    fake_slack.expect_violations()
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.postMessage", json={"channel": "C1"})
    assert raised.value.response["error"] == "no_text"


def test_text_over_40000_chars_is_a_violation(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.expect_violations()
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="y" * 40_001)
    assert raised.value.response["error"] == "msg_too_long"


def test_require_text_flags_blocks_without_text() -> None:
    with FakeSlack(require_text=True) as fake:
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        with pytest.warns(UserWarning), pytest.raises(SlackApiError):
            client.chat_postMessage(channel="C1", blocks=[SECTION])
        assert [v.kind for v in fake.violations] == ["missing_text"]


def test_views_are_validated_with_a_100_block_limit(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    home = {"type": "home", "blocks": [{"type": "divider"}] * 100}
    published = client.views_publish(user_id=DEFAULT_USER, view=home)
    assert published["view"]["id"].startswith("V")
    assert fake_slack.violations == []

    fake_slack.expect_violations()
    with pytest.raises(SlackApiError) as raised:
        client.views_publish(user_id=DEFAULT_USER, view={**home, "blocks": home["blocks"] * 2})
    assert raised.value.response["error"] == "invalid_blocks"
    bad_title = {"type": "modal", "title": {"type": "plain_text", "text": "t" * 25}}
    with pytest.raises(SlackApiError):
        client.views_open(trigger_id="123.456", view={**bad_title, "blocks": [SECTION]})
    assert any("title" in v.detail for v in fake_slack.violations)


def test_views_open_then_update_keeps_root_and_echoes(client: WebClient) -> None:
    modal = {
        "type": "modal",
        "callback_id": "edit_okr",
        "title": {"type": "plain_text", "text": "Edit OKR"},
        "blocks": [SECTION],
    }
    opened = client.views_open(trigger_id="123.456", view=modal)["view"]
    assert opened["callback_id"] == "edit_okr"
    updated = client.views_update(view_id=opened["id"], view=modal)["view"]
    assert updated["id"] == opened["id"]
    assert updated["root_view_id"] == opened["root_view_id"]


def test_unregistered_token_is_invalid_auth(fake_slack: FakeSlack) -> None:
    stranger = WebClient(token="xoxb-nope", base_url=fake_slack.base_url)
    with pytest.raises(SlackApiError) as raised:
        stranger.auth_test()
    assert raised.value.response["error"] == "invalid_auth"
    assert fake_slack.last("auth.test").team_id is None


def test_auth_test_per_token(fake_slack: FakeSlack) -> None:
    fake_slack.register_token("xoxb-other", "T0002", bot_user_id="UBOT2", bot_id="BBOT2")
    other = WebClient(token="xoxb-other", base_url=fake_slack.base_url)
    answer = other.auth_test()
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == ("T0002", "UBOT2", "BBOT2")
    assert answer["url"].startswith("https://")
    assert fake_slack.last("auth.test").team_id == "T0002"


def test_users_info_from_table(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.add_user("T0001", "U0042", tz="America/New_York", real_name="Sam Doe")
    user = client.users_info(user="U0042")["user"]
    assert (user["tz"], user["tz_offset"], user["real_name"]) == (
        "America/New_York",
        -18000,
        "Sam Doe",
    )
    assert user["profile"]["real_name"] == "Sam Doe"
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U404")
    assert raised.value.response["error"] == "user_not_found"


def test_users_list_paginates_with_cursor(fake_slack: FakeSlack, client: WebClient) -> None:
    for i in range(4):
        fake_slack.add_user("T0001", f"U10{i}", deleted=(i == 3))
    fake_slack.add_user("T0002", "U999")  # another workspace never leaks in
    # SlackResponse iteration mutates one object in place, so copy each page's data.
    pages = [dict(page.data) for page in client.users_list(limit=2)]
    assert [len(p["members"]) for p in pages] == [2, 2, 1]
    ids = [m["id"] for p in pages for m in p["members"]]
    assert ids == [DEFAULT_USER, "U100", "U101", "U102", "U103"]
    assert pages[-1]["response_metadata"]["next_cursor"] == ""
    assert [c.params.get("cursor") for c in fake_slack.calls_to("users.list")] == [None, "2", "4"]


def test_conversations_open_is_stable_per_user(client: WebClient) -> None:
    first = client.conversations_open(users="U0001")["channel"]["id"]
    again = client.conversations_open(users=["U0001"])["channel"]["id"]
    other = client.conversations_open(users="U0002")["channel"]["id"]
    assert first == again == "DU0001"
    assert other != first


def test_conversations_info_and_members(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.add_channel("T0001", "C0001", "okrs", members=["U0001", "U0002"])
    info = client.conversations_info(channel="C0001")["channel"]
    assert (info["name"], info["is_member"]) == ("okrs", False)
    assert client.conversations_members(channel="C0001")["members"] == ["U0001", "U0002"]
    fake_slack.add_channel("T0001", "C0002", "bots", members=["UBOT"])
    assert client.conversations_info(channel="C0002")["channel"]["is_member"] is True
    assert client.conversations_info(channel="C0404")["channel"]["is_member"] is True  # undeclared


def test_declared_channels_refuse_posts_as_slack_does(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    fake_slack.add_channel("T0001", "C0001", "okrs", members=["U0001"])
    fake_slack.add_channel("T0001", "G0001", "secret", members=["U0001"], is_private=True)
    fake_slack.add_channel("T0001", "C0002", "old", members=["UBOT"], is_archived=True)
    for channel, error in [("C0001", "not_in_channel"), ("G0001", "channel_not_found")]:
        with pytest.raises(SlackApiError) as raised:
            client.chat_postEphemeral(channel=channel, user="U0001", text="psst")
        assert raised.value.response["error"] == error
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0002", text="hello")
    assert raised.value.response["error"] == "is_archived"
    with pytest.raises(SlackApiError) as raised:
        client.conversations_info(channel="G0001")
    assert raised.value.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel="C0404", text="undeclared posts fine")["ok"]


def test_conversations_list_pages_and_hides_private_channels_of_others(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    for n in range(5):
        fake_slack.add_channel("T0001", f"C000{n}", f"public-{n}", members=["U0001"])
    fake_slack.add_channel("T0001", "G0001", "mine", members=["UBOT"], is_private=True)
    fake_slack.add_channel("T0001", "G0002", "theirs", members=["U0001"], is_private=True)
    fake_slack.add_channel("T0001", "C0009", "old", is_archived=True)
    fake_slack.add_channel("T0002", "C0100", "elsewhere")
    pages = client.conversations_list(
        types="public_channel,private_channel", exclude_archived=True, limit=2
    )
    names = [c["name"] for page in pages for c in page["channels"]]
    assert names == [f"public-{n}" for n in range(5)] + ["mine"]
    assert len(fake_slack.calls_to("conversations.list")) == 3
    public = client.conversations_list()["channels"]
    assert [c["name"] for c in public][-1] == "old"


def test_a_scripted_failure_carries_slacks_extra_fields(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    fake_slack.fail("conversations.list", "missing_scope", needed="channels:read", provided="x")
    with pytest.raises(SlackApiError) as raised:
        client.conversations_list()
    response = raised.value.response
    assert (response["error"], response["needed"], response["provided"]) == (
        "missing_scope",
        "channels:read",
        "x",
    )


def test_other_canned_methods(client: WebClient) -> None:
    assert client.chat_postEphemeral(channel="C1", user="U0001", text="psst")["message_ts"]
    link = client.chat_getPermalink(channel="C1", message_ts="1700000000.000100")
    assert link["permalink"].endswith("/archives/C1/p1700000000000100")
    assert client.reactions_add(channel="C1", name="eyes", timestamp="1700000000.000100")["ok"]
    assert client.team_info()["team"]["id"] == "T0001"
    assert client.chat_delete(channel="C1", ts="1700000000.000100")["ts"] == "1700000000.000100"
    # A spec-valid method without a canned answer still says ok.
    assert client.api_call("conversations.join", params={"channel": "C1"})["ok"]


def test_get_with_query_string_is_accepted(fake_slack: FakeSlack) -> None:
    url = fake_slack.base_url + "users.info?user=U0001"
    request = urllib.request.Request(url, headers={"Authorization": "Bearer xoxb-test"})
    with urllib.request.urlopen(request, timeout=5) as response:
        body = json.loads(response.read())
    assert body["user"]["id"] == "U0001"
    assert fake_slack.last("users.info").params == {"user": "U0001"}


def test_token_param_authenticates_like_the_header(fake_slack: FakeSlack) -> None:
    data = b"token=xoxb-test&channel=C1&text=hi"
    request = urllib.request.Request(fake_slack.base_url + "chat.postMessage", data=data)
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read())["ok"] is True
    assert fake_slack.last("chat.postMessage").token == "xoxb-test"


def test_update_retains_blocks_and_thread_like_slack(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    parent = fake_slack.add_message("C1", "Fix the login bug")
    reply = client.chat_postMessage(channel="C1", text="v1", blocks=[SECTION], thread_ts=parent)
    client.chat_update(channel="C1", ts=reply["ts"], text="v2")
    current = fake_slack.message("C1", reply["ts"])
    assert current is not None
    assert (current["text"], current["blocks"], current["thread_ts"]) == ("v2", [SECTION], parent)
    client.chat_delete(channel="C1", ts=reply["ts"])
    assert fake_slack.message("C1", reply["ts"]) is None


def test_history_and_replies_come_from_the_message_store(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    parent = fake_slack.add_message("C1", "Draft OKR")
    client.chat_postMessage(channel="C1", text="Review", thread_ts=parent)
    client.chat_postMessage(channel="C2", text="elsewhere")
    replies = client.conversations_replies(channel="C1", ts=parent)["messages"]
    assert [m["text"] for m in replies] == ["Draft OKR", "Review"]
    history = client.conversations_history(channel="C1")["messages"]
    assert [m["text"] for m in history] == ["Review", "Draft OKR"]  # newest first


def test_multipart_bodies_are_parsed(fake_slack: FakeSlack, client: WebClient) -> None:
    client.api_call(
        "files.upload", data={"channels": "C1", "title": "okrs"}, files={"file": b"a,b\n1,2\n"}
    )
    call = fake_slack.last("files.upload")
    assert call.params["title"] == "okrs"
    assert call.params["file"] == b"a,b\n1,2\n"


def test_a_bug_in_the_fake_becomes_a_violation(
    fake_slack: FakeSlack, client: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(request: object) -> dict[str, object]:
        raise KeyError("boom")

    monkeypatch.setattr(fake_slack._state, "answer", broken)
    fake_slack.expect_violations()
    with pytest.raises(SlackApiError) as raised:
        client.auth_test()
    assert raised.value.response.status_code == 500
    assert fake_slack.violations[0].kind == "fake_error"
    assert "boom" in fake_slack.violations[0].detail


def test_check_later_answers_first_and_still_finds_the_violation() -> None:
    with FakeSlack(check_later=True) as fake:
        fake.expect_violations()
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        bad_block = {"type": "section"}  # a section needs text or fields
        client.chat_postMessage(channel="C1", text="fine")
        client.chat_postMessage(channel="C1", text="review", blocks=[bad_block])
        assert fake.violations == []  # nothing checked yet: both answered ok
        assert fake.check_pending() == 2
        assert [(v.method, v.kind) for v in fake.violations] == [
            ("chat.postMessage", "invalid_blocks")
        ]
        assert fake.check_pending() == 0
