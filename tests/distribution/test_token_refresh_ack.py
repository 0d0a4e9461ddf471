"""The ack never waits on Slack for a token refresh.

Slack wants every request acknowledged within 3 seconds. Here the fake Slack takes 3 s to
answer ``oauth.v2.access``: a request whose token is due but still valid is served at once
with it while the refresh runs on a worker thread, and one whose token has expired waits
under a second before Slack is asked to come back. The margins are wide on purpose (under
1.5 s against 3 s), so a slow machine cannot fail them.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import select

from bot.installations import REFRESH_MARGIN
from bot.models import Installation
from handlers.errors import TOKEN_RENEWING
from tests.db_fixtures import Database
from tests.distribution.conftest import Distributed, make_distributed
from tests.distribution.test_oauth import draft_in
from tests.fakeslack import FakeSlack
from tests.slack_requests import slash_command_body

SLOW_REFRESH = 3.0
FAST_ACK = 1.5


def rotating(db: Database, fake: FakeSlack) -> tuple[Distributed, str]:
    fake.token_rotation = True
    d = make_distributed(db, fake)
    return d, d.install("T0100")


def expiry(d: Distributed) -> timedelta:
    with d.harness.deps.session_factory() as session:
        expires = session.scalars(select(Installation)).one().bot_token_expires_at
    assert expires is not None
    return expires - d.harness.clock()


def wait_for_refresh(d: Distributed, timeout: float = 15.0) -> None:
    """Until the worker thread has stored the new token (Slack answered, the row changed)."""
    before = token_row(d)
    deadline = time.monotonic() + timeout
    while token_row(d) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert token_row(d) != before


def token_row(d: Distributed) -> str | None:
    with d.harness.deps.session_factory() as session:
        return session.scalars(select(Installation.bot_token_encrypted)).one()


def timed(action) -> tuple[object, float]:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def test_a_due_token_is_used_while_it_refreshes_in_the_background(
    db: Database, fake_slack: FakeSlack
) -> None:
    d, first = rotating(db, fake_slack)
    d.harness.clock.advance(seconds=(expiry(d) - REFRESH_MARGIN).total_seconds() + 60)
    fake_slack.delay("oauth.v2.access", SLOW_REFRESH)

    response, took = timed(lambda: d.harness.dispatch(draft_in("T0100")))

    assert response.status == 200  # type: ignore[attr-defined]
    assert took < FAST_ACK
    assert fake_slack.last("chat.postMessage").token == first
    wait_for_refresh(d)
    d.harness.dispatch(draft_in("T0100", "Objective: Grow partner revenue across Europe"))
    assert fake_slack.last("chat.postMessage").token != first
    assert fake_slack.refresh_count == 1


def test_concurrent_requests_start_exactly_one_refresh(db: Database, fake_slack: FakeSlack) -> None:
    d, _ = rotating(db, fake_slack)
    d.harness.clock.advance(seconds=(expiry(d) - REFRESH_MARGIN).total_seconds() + 60)
    fake_slack.delay("oauth.v2.access", SLOW_REFRESH)
    barrier = threading.Barrier(6)
    took: list[float] = []

    def request(n: int) -> None:
        barrier.wait()
        _, seconds = timed(
            lambda: d.harness.dispatch(draft_in("T0100", f"Objective: Grow region {n} sales"))
        )
        took.append(seconds)

    threads = [threading.Thread(target=request, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(took) == 6 and max(took) < FAST_ACK + 1.0
    assert len(fake_slack.calls_to("chat.postMessage")) == 6
    wait_for_refresh(d)
    assert fake_slack.refresh_count == 1


def test_an_expired_token_asks_slack_to_deliver_the_event_again(
    db: Database, fake_slack: FakeSlack
) -> None:
    d, first = rotating(db, fake_slack)
    d.harness.clock.advance(days=30)
    fake_slack.delay("oauth.v2.access", SLOW_REFRESH)
    body = draft_in("T0100")

    response, took = timed(lambda: d.harness.dispatch(body))

    assert response.status == 503  # type: ignore[attr-defined]
    assert took < FAST_ACK
    assert fake_slack.calls_to("chat.postMessage") == []
    wait_for_refresh(d)
    retry = d.harness.dispatch(body, headers={"X-Slack-Retry-Num": "1"})
    assert retry.status == 200
    (reply,) = fake_slack.calls_to("chat.postMessage")
    assert reply.token not in {first, None}
    assert fake_slack.refresh_count == 1


def test_a_command_while_the_token_refreshes_gets_a_private_note(
    db: Database, fake_slack: FakeSlack
) -> None:
    d, _ = rotating(db, fake_slack)
    d.harness.clock.advance(days=30)
    fake_slack.delay("oauth.v2.access", SLOW_REFRESH)
    body = slash_command_body("list", team_id="T0100")

    response, took = timed(lambda: d.harness.dispatch(body))

    assert response.status == 200  # type: ignore[attr-defined]
    assert TOKEN_RENEWING in response.body  # type: ignore[attr-defined]
    assert took < FAST_ACK
    wait_for_refresh(d)
