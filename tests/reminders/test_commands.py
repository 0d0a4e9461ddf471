"""`okr-coach remind-now` end to end: settings from the environment, the bot token's team."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.cli import main
from bot.models import Member, ReminderDelivery
from bot.reminders import CLAIMED, SENT, SKIPPED
from tests.db_fixtures import Database
from tests.fakeslack import DEFAULT_TEAM, DEFAULT_TOKEN, FakeSlack
from tests.reminders.helpers import World


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, db: Database, fake_slack: FakeSlack) -> None:
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv("SLACK_BOT_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.setenv("SLACK_API_URL", fake_slack.base_url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("env")
def test_remind_now_runs_one_pass_for_the_bot_tokens_workspace(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    world.member("U0002")

    assert main(["remind-now", "--at", "2026-11-23T09:00:00"]) == 0
    assert main(["remind-now", "--at", "2026-11-23T09:05:00+00:00"]) == 0

    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert (first["sent"], second["sent"]) == (1, 0)
    assert [w["team_id"] for w in first["workspaces"]] == ["T0001"]
    assert len(world.fake.calls_to("auth.test")) == 2
    assert [c.params["channel"] for c in world.dms()] == ["DU0002"]


@pytest.mark.usefixtures("env")
def test_remind_now_reports_a_revoked_token_with_exit_1(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    world.member("U0002", slack_dm_channel_id="DU0002", profile_synced_at=world.clock.now)
    world.fake.fail("chat.postMessage", "token_revoked")

    assert main(["remind-now", "--at", "2026-11-23T09:00:00"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["workspaces"][0]["error"] == "token_revoked"


@pytest.mark.usefixtures("env")
def test_remind_now_at_judges_every_rule_at_that_time(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    """The weekly cap, the claim lease and "checked in within three days" read --at too, not
    the machine's clock; so do the rows the pass writes."""
    at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # a Monday: 10:00 in Berlin, everyone is due
    for user in ("U0002", "U0003", "U0004", "U0005", "U0006", "U0007"):
        world.member(user, slack_dm_channel_id=f"D{user}", profile_synced_at=at)
    with world.deps.session_factory.begin() as s:
        # A claim older than the lease at --at is taken over; a younger one is left alone.
        s.add(delivery("U0002", "weekly", "2026-W50", CLAIMED, at - timedelta(minutes=11)))
        s.add(delivery("U0003", "weekly", "2026-W50", CLAIMED, at - timedelta(minutes=5)))
        # Three DMs in the seven days before --at reach the cap; three before that do not.
        for n in range(3):
            s.add(delivery("U0006", "weekly", f"2026-W4{n}", SENT, at - timedelta(days=2)))
            s.add(delivery("U0007", "weekly", f"2026-W4{n}", SENT, at - timedelta(days=10)))
        for user, days in (("U0004", 2), ("U0005", 4)):
            s.execute(
                update(Member)
                .where(Member.slack_user_id == user)
                .values(last_checkin_at=at - timedelta(days=days))
            )

    assert main(["remind-now", "--at", at.isoformat()]) == 0

    report = json.loads(capsys.readouterr().out)
    assert sorted(c.params["channel"] for c in world.dms()) == ["DU0002", "DU0005", "DU0007"]
    assert (report["sent"], report["skipped"]) == (3, 1)
    (skipped,) = world.deliveries(status=SKIPPED)
    assert skipped.slack_user_id == "U0004"
    stamped = [r for r in world.deliveries(period="2026-W50") if r.slack_user_id != "U0003"]
    assert all(timedelta(0) <= r.claimed_at - at < timedelta(minutes=1) for r in stamped)
    assert all(timedelta(0) <= r.sent_at - at < timedelta(minutes=1) for r in stamped)


def delivery(user_id: str, kind: str, period: str, status: str, at: datetime) -> ReminderDelivery:
    return ReminderDelivery(
        slack_team_id=DEFAULT_TEAM,
        slack_user_id=user_id,
        kind=kind,
        period=period,
        status=status,
        attempts=0 if status == CLAIMED else 1,
        claimed_at=at,
        sent_at=at if status == SENT else None,
    )
