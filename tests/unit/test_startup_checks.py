"""The checks a server runs once before it starts, and the app its workers build afterwards."""

from __future__ import annotations

import logging

import pytest
from slack_sdk import WebClient

from bot.app import BOLT_LOGGER, create_app
from bot.config import ConfigError, Settings
from bot.crypto import generate_key
from bot.db import Migration
from bot.deps import Deps
from bot.schema import SchemaState, describe_migration, describe_state, read_schema_state
from bot.slack_check import check_bot_token
from tests.app_fixtures import make_settings
from tests.db_fixtures import Database
from tests.fakeslack import DEFAULT_TOKEN, FakeSlack
from tests.slack_requests import bolt_request, message_event_body

BOLT_NOTICE = "As you gave `client` as well, `token` will be unused."


def bolt_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith(BOLT_LOGGER) and r.levelno >= logging.WARNING
    ]


@pytest.fixture
def settings(db: Database, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """As in production: the bot token is in the environment too, where Bolt reads it."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", DEFAULT_TOKEN)
    return make_settings(db, fake_slack)


def test_a_worker_builds_its_app_without_warnings_or_a_call_to_slack(
    settings: Settings, db: Database, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    app = create_app(
        settings,
        deps=Deps(settings=settings, session_factory=db.session_factory),
        process_before_response=True,
    )

    assert bolt_warnings(caplog) == []
    assert fake_slack.calls == []  # the master asked already; workers do not ask again
    assert app.dispatch(bolt_request(message_event_body("Objective: Grow revenue"))).status == 200
    # The first request learns the bot's own user id (to ignore its own messages), once.
    assert [c.method for c in fake_slack.calls][:1] == ["auth.test"]
    app.dispatch(bolt_request(message_event_body("Objective: Grow margins")))
    assert len(fake_slack.calls_to("auth.test")) == 1


def test_a_distributed_app_starts_without_warnings(
    db: Database,
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    settings = make_settings(
        db,
        fake_slack,
        slack_bot_token=None,
        slack_client_id="1.2",
        slack_client_secret="client-secret",
        slack_state_secret="state-secret",
        token_encryption_key=generate_key(),
    )

    create_app(settings, deps=Deps(settings=settings, session_factory=db.session_factory))

    assert bolt_warnings(caplog) == []


def test_a_client_with_some_other_token_still_gets_bolts_warning(
    settings: Settings, db: Database, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """Only the notice that says nothing is dropped: here the two tokens really differ."""
    other = WebClient(token="xoxb-another-app", base_url=fake_slack.base_url)

    create_app(
        settings, client=other, deps=Deps(settings=settings, session_factory=db.session_factory)
    )

    assert bolt_warnings(caplog) == [BOLT_NOTICE]


def test_a_slack_that_answers_with_a_server_error_is_named_with_what_to_try(
    db: Database, fake_slack: FakeSlack
) -> None:
    fake_slack.http_error("auth.test", status=503)

    with pytest.raises(ConfigError) as raised:
        check_bot_token(make_settings(db, fake_slack))

    assert str(raised.value) == (
        f"Slack's auth.test at {fake_slack.base_url} failed (fatal_error): try again in a "
        "minute, or check SLACK_API_URL if you set it"
    )


def test_an_address_that_is_not_slacks_api_is_named_too(
    db: Database, fake_slack: FakeSlack
) -> None:
    settings = make_settings(db, fake_slack, slack_api_url=fake_slack.url)  # missing /api/

    with pytest.raises(ConfigError) as raised:
        check_bot_token(settings)

    assert "failed (not_found)" in str(raised.value)


def test_a_migrated_database_reads_as_at_head(db: Database) -> None:
    state = read_schema_state(db.url)

    assert state.at_head and not state.behind
    assert describe_state(state) == f"{state.head} (head)"


def test_how_each_schema_state_and_migration_reads() -> None:
    known = frozenset({"0001", "0002", "0003"})

    assert describe_state(SchemaState(None, "0003", known)) == (
        "no migrations applied yet (run okr-coach db upgrade)"
    )
    assert describe_state(SchemaState("0001", "0003", known)) == (
        "0001 (head is 0003: run okr-coach db upgrade)"
    )
    newer = SchemaState("0009", "0003", known)
    assert (
        describe_state(newer) == "0009 (a migration this version does not know; its head is 0003)"
    )
    assert not newer.behind  # newer code migrated it: not ours to refuse

    head = read_schema_state("sqlite:///does/not/exist.db").head
    assert describe_migration(Migration(head, "0001"), down=True) == (
        f"downgraded from {head} (head) to 0001"
    )
    assert describe_migration(Migration("0001", None), down=True) == (
        "downgraded from 0001 to base (no migrations applied)"
    )
    assert describe_migration(Migration("0001", "0001")) == "already at 0001"
