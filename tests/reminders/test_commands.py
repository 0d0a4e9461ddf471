"""`okr-coach remind-now` end to end: settings from the environment, the bot token's team."""

from __future__ import annotations

import json
import logging

import pytest

from bot.cli import main
from tests.db_fixtures import Database
from tests.fakeslack import DEFAULT_TOKEN, FakeSlack
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
