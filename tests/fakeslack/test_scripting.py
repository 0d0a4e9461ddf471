"""Scripted misbehaviour, waiting, response_url and the teardown check."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from tests.fakeslack import FakeSlack
from tests.fakeslack.fixtures import checked_fake_slack


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake_slack.base_url)


def test_fail_answers_the_error_n_times_then_recovers(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    fake_slack.fail("chat.postMessage", error="channel_not_found", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel="C404", text="x")
        assert raised.value.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel="C404", text="x")["ok"]
    assert [c.ok for c in fake_slack.calls_to("chat.postMessage")] == [False, False, True]


def test_fail_can_target_one_team(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.register_token("xoxb-two", "T0002")
    fake_slack.fail("auth.test", error="account_inactive", team_id="T0002")
    assert client.auth_test()["ok"]  # T0001 unaffected, script not consumed
    other = WebClient(token="xoxb-two", base_url=fake_slack.base_url)
    with pytest.raises(SlackApiError) as raised:
        other.auth_test()
    assert raised.value.response["error"] == "account_inactive"


def test_rate_limit_answers_429_with_retry_after(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.rate_limit("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="x")
    response = raised.value.response
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response["error"] == "ratelimited"
    assert fake_slack.count_429 == 1


def test_retry_handler_retries_after_429_and_succeeds(fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", retry_after=0)  # the handler adds < 1 s jitter
    client = WebClient(
        token="xoxb-test",
        base_url=fake_slack.base_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert [c.status for c in fake_slack.calls_to("chat.postMessage")] == [429, 200]


def test_http_error(fake_slack: FakeSlack, client: WebClient) -> None:
    fake_slack.http_error("users.info", status=503)
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U0001")
    assert raised.value.response.status_code == 503
    assert client.users_info(user="U0001")["ok"]


def test_delay_makes_a_short_client_timeout_fire(fake_slack: FakeSlack) -> None:
    fake_slack.delay("chat.postMessage", 0.5)
    impatient = WebClient(token="xoxb-test", base_url=fake_slack.base_url, timeout=0.1)
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        impatient.chat_postMessage(channel="C1", text="x")
    # The call still reached Slack: exactly the ambiguity a timeout leaves the bot with.
    assert fake_slack.wait_for("chat.postMessage", timeout=1)


def test_steady_rate_limit_is_per_team_and_method(fake_slack: FakeSlack) -> None:
    fake_slack.register_token("xoxb-two", "T0002")
    fake_slack.set_rate_limit("chat.postMessage", per_minute=3)
    one = WebClient(token="xoxb-test", base_url=fake_slack.base_url)
    two = WebClient(token="xoxb-two", base_url=fake_slack.base_url)
    for _ in range(3):
        one.chat_postMessage(channel="C1", text="x")
    with pytest.raises(SlackApiError) as raised:
        one.chat_postMessage(channel="C1", text="x")
    assert raised.value.response.status_code == 429
    assert int(raised.value.response.headers["Retry-After"]) >= 1
    assert two.chat_postMessage(channel="C1", text="x")["ok"]  # another team has its own
    assert one.auth_test()["ok"]  # another method is not limited
    assert fake_slack.count_429 == 1


def test_time_scale_compresses_the_refill(fake_slack: FakeSlack, client: WebClient) -> None:
    # A clock the test moves itself: two HTTP calls take what they take on a busy machine.
    real = [1000.0]
    fake_slack.use_clock(lambda: real[0])
    fake_slack.time_scale = 600.0  # one real second is ten simulated minutes
    fake_slack.set_rate_limit("chat.postMessage", per_minute=60, burst=1)
    client.chat_postMessage(channel="C1", text="x")
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="x")
    real[0] += 0.01  # six simulated seconds: at 1/s the bucket holds a token again
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert fake_slack.count_429 == 1


def test_wait_for_returns_at_once_when_the_call_already_happened(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    client.chat_postMessage(channel="C1", text="x")
    started = time.monotonic()
    found = fake_slack.wait_for("chat.postMessage", channel="C1", timeout=5)
    assert time.monotonic() - started < 0.5
    assert [c.params["text"] for c in found] == ["x"]


def test_wait_for_wakes_on_a_call_from_another_thread(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    worker = threading.Timer(0.1, lambda: client.chat_postMessage(channel="C2", text="later"))
    worker.start()
    try:
        found = fake_slack.wait_for("chat.postMessage", channel="C2", timeout=5)
    finally:
        worker.join()
    assert found[0].params["text"] == "later"


def test_wait_for_timeout_lists_what_arrived(fake_slack: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="wrong channel")
    with pytest.raises(AssertionError) as raised:
        fake_slack.wait_for("chat.postMessage", channel="C9", timeout=0.2)
    message = str(raised.value)
    assert "timed out after 0.2s" in message
    assert "channel='C9'" in message
    assert "wrong channel" in message  # the calls received are listed


def test_filters_accept_predicates(fake_slack: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="Draft looks routine")
    client.chat_postMessage(channel="C1", text="Strong objective")
    hits = fake_slack.calls_to("chat.postMessage", text=lambda t: "routine" in t)
    assert [c.params["text"] for c in hits] == ["Draft looks routine"]
    with pytest.raises(AssertionError, match=r"no call to chat\.update"):
        fake_slack.last("chat.update")


def test_response_url_is_recorded_and_validated(fake_slack: FakeSlack) -> None:
    url = fake_slack.response_url("cmd1")
    assert url == f"{fake_slack.url}response/cmd1"
    webhook = WebhookClient(url)
    block = {"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}
    ok = webhook.send(text="Hi", blocks=[block], response_type="ephemeral")
    assert ok.status_code == 200
    call = fake_slack.last("response_url")
    assert call.params["blocks"] == [block]
    assert call.params["response_type"] == "ephemeral"
    assert call.team_id == "T0001"

    fake_slack.expect_violations("response_url")
    bad = webhook.send(text="Hi", blocks=[{"type": "header", "text": "not an object"}])
    assert bad.status_code == 400
    assert fake_slack.violations[0].method == "response_url"


def test_response_url_delete_original_needs_no_text(fake_slack: FakeSlack) -> None:
    response = WebhookClient(fake_slack.response_url()).send_dict({"delete_original": True})
    assert response.status_code == 200
    assert fake_slack.violations == []


def test_reset_forgets_calls_and_scripts_but_keeps_users_and_tokens(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    fake_slack.add_user("T0001", "U0777", tz="Asia/Tokyo")
    fake_slack.register_token("xoxb-kept", "T0003")
    fake_slack.fail("users.info", error="fatal_error")
    client.auth_test()
    fake_slack.reset()
    assert fake_slack.calls == []
    assert client.users_info(user="U0777")["user"]["tz"] == "Asia/Tokyo"
    kept = WebClient(token="xoxb-kept", base_url=fake_slack.base_url)
    assert kept.auth_test()["team_id"] == "T0003"


def test_checked_fake_fails_on_unexpected_violation_and_names_the_param() -> None:
    with pytest.raises(AssertionError) as raised, checked_fake_slack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        with pytest.raises(SlackApiError):
            client.api_call("chat.postEphemeral", json={"channel": "C1", "text": "x"})
    message = str(raised.value)
    assert "chat.postEphemeral" in message
    assert "'user'" in message


def test_checked_fake_passes_when_violations_are_expected() -> None:
    with checked_fake_slack() as fake:
        fake.expect_violations("chat.postEphemeral")
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        with pytest.raises(SlackApiError):
            client.api_call("chat.postEphemeral", json={"channel": "C1", "text": "x"})
    assert len(fake.violations) == 1


def test_expecting_one_method_does_not_excuse_another() -> None:
    fake = FakeSlack().start()
    try:
        fake.expect_violations("chat.postEphemeral")
        client = WebClient(token="xoxb-test", base_url=fake.base_url)
        with pytest.raises(SlackApiError):
            client.api_call("chat.postMessage", json={"text": "x"})
        assert [v.method for v in fake.unexpected_violations()] == ["chat.postMessage"]
    finally:
        fake.stop()


def test_stop_frees_the_port() -> None:
    fake = FakeSlack().start()
    port = fake.port
    fake.stop()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_changing_time_scale_does_not_refill_buckets(
    fake_slack: FakeSlack, client: WebClient
) -> None:
    fake_slack.set_rate_limit("chat.postMessage", per_minute=1, burst=1)
    client.chat_postMessage(channel="C1", text="x")
    before = fake_slack.sim_now()
    fake_slack.time_scale = 100.0  # only time elapsed from now on is compressed
    assert fake_slack.sim_now() - before < 1.0
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="x")


def test_concurrent_clients_get_unique_ts_and_every_call_is_recorded(
    fake_slack: FakeSlack,
) -> None:
    def worker(n: int) -> list[str]:
        client = WebClient(token="xoxb-test", base_url=fake_slack.base_url)
        return [client.chat_postMessage(channel=f"C{n}", text="x")["ts"] for _ in range(25)]

    with ThreadPoolExecutor(max_workers=16) as pool:
        stamps = [ts for batch in pool.map(worker, range(16)) for ts in batch]
    assert len(set(stamps)) == 16 * 25
    assert len(fake_slack.wait_for("chat.postMessage", count=400, timeout=1)) == 400
