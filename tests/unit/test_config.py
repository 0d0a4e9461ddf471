"""Settings come from the environment, with one error naming everything missing."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings, normalise_database_url

REQUIRED = {"SLACK_SIGNING_SECRET": "s3cret-signing", "SLACK_BOT_TOKEN": "xoxb-1"}


def test_every_missing_variable_is_named_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({})
    assert "SLACK_SIGNING_SECRET" in str(caught.value)
    assert "SLACK_BOT_TOKEN" in str(caught.value)


def test_defaults() -> None:
    settings = load_settings(REQUIRED)
    assert settings.database_url == "sqlite:///okr_coach.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.port == 3000
    assert not settings.socket_mode


def test_overrides_and_normalisation() -> None:
    settings = load_settings(
        {
            **REQUIRED,
            "SLACK_API_URL": "http://127.0.0.1:9999/api",
            "DATABASE_URL": "postgres://u:p@h:5432/db",
            "PORT": "8080",
            "SLACK_APP_TOKEN": "xapp-1",
            "OKR_CHANNELS": "C1, C2,,",
            "KEEP_DRAFT_TEXT": "false",
        }
    )
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"
    assert settings.database_url == "postgresql+psycopg://u:p@h:5432/db"
    assert settings.port == 8080
    assert settings.socket_mode
    assert settings.okr_channel_ids == frozenset({"C1", "C2"})
    assert settings.keep_draft_text is False


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgres://a@b/c", "postgresql+psycopg://a@b/c"),
        ("postgresql://a@b/c", "postgresql+psycopg://a@b/c"),
        ("postgresql+psycopg://a@b/c", "postgresql+psycopg://a@b/c"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls(raw: str, expected: str) -> None:
    assert normalise_database_url(raw) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "eighty"),
        ("KEEP_DRAFT_TEXT", "maybe"),
        ("DATABASE_POOL_SIZE", "0"),
        ("DATABASE_POOL_TIMEOUT", "soon"),
        ("EVENT_THREADS", "-2"),
    ],
)
def test_bad_values_are_named(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({**REQUIRED, name: value})


def test_describe_leaves_secrets_out() -> None:
    settings = load_settings(
        {**REQUIRED, "DATABASE_URL": "postgres://user:hunter2@db/okr", "SLACK_APP_TOKEN": "xapp-9"}
    )
    described = repr(settings.describe())
    for secret in ("s3cret-signing", "xoxb-1", "xapp-9", "hunter2"):
        assert secret not in described


def test_distributed_mode_needs_its_own_variables_and_no_bot_token() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1.2"})
    message = str(caught.value)
    for name in ("SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET", "TOKEN_ENCRYPTION_KEY"):
        assert name in message
    assert "SLACK_BOT_TOKEN" not in message
    settings = load_settings(
        {
            "SLACK_SIGNING_SECRET": "s",
            "SLACK_CLIENT_ID": "1.2",
            "SLACK_CLIENT_SECRET": "c",
            "SLACK_STATE_SECRET": "st",
            "TOKEN_ENCRYPTION_KEY": "k1,k2",
            "DATA_RETENTION": "Delete",
        }
    )
    assert settings.distributed and settings.data_retention == "delete"
    assert {"c", "st", "k1", "k2"} <= set(settings.secrets())
    with pytest.raises(ConfigError, match="DATA_RETENTION"):
        load_settings({**REQUIRED, "DATA_RETENTION": "forever"})


def test_database_pool_settings() -> None:
    settings = load_settings({**REQUIRED, "DATABASE_POOL_SIZE": "4", "DATABASE_POOL_TIMEOUT": "3"})
    assert (settings.database_pool_size, settings.database_pool_timeout) == (4, 3)
    assert settings.describe()["database_pool"] == {"size": 4, "timeout": 3}
    assert load_settings(REQUIRED).database_pool_size == 10


def test_event_threads_setting() -> None:
    settings = load_settings({**REQUIRED, "EVENT_THREADS": "3"})
    assert settings.event_threads == 3
    assert settings.describe()["event_threads"] == 3
    assert load_settings(REQUIRED).event_threads == 16
