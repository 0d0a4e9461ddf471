"""Settings read from the environment, by entry points only (never at import time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///okr_coach.db"
DEFAULT_PORT = 3000
DEFAULT_BOT_SCOPES = (
    "app_mentions:read,channels:history,groups:history,im:history,mpim:history,"
    "chat:write,commands,im:write,users:read,channels:read,groups:read"
)
DATA_RETENTION_CHOICES = ("keep", "delete")


# Exit status of a command stopped by a ConfigError: fix the environment, a token or the
# database, then run it again.
EXIT_CONFIG = 2


class ConfigError(Exception):
    """The environment is missing or misstating something the bot needs."""


def normalise_database_url(url: str) -> str:
    """Accept Heroku-style ``postgres://`` URLs and pick the psycopg 3 driver for PostgreSQL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _normalise_api_url(url: str) -> str:
    # slack_sdk joins base_url and method name by plain concatenation.
    return url if url.endswith("/") else url + "/"


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _parse_int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _parse_positive_int(name: str, raw: str) -> int:
    value = _parse_int(name, raw)
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, not {raw!r}")
    return value


def _parse_positive_float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None
    if not (value > 0 and value < float("inf")):
        raise ConfigError(f"{name} must be a positive number, not {raw!r}")
    return value


def _parse_choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    value = raw.strip().lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return value


def _parse_ids(raw: str) -> frozenset[str]:
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    slack_signing_secret: str
    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    # Connections each engine of each worker keeps open, and seconds to wait for a free one.
    database_pool_size: int = 10
    database_pool_timeout: int = 10
    slack_api_url: str = DEFAULT_SLACK_API_URL
    port: int = DEFAULT_PORT
    # Channels where every top-level message is read as a draft, not only prefixed ones.
    okr_channel_ids: frozenset[str] = field(default_factory=frozenset)
    # Default for new workspaces: keep the text of drafts nobody saved, or only the verdict.
    keep_draft_text: bool = True
    log_level: str = "INFO"
    # Seconds before a Web API call gives up; Slack's own answers take well under one.
    slack_timeout: int = 10
    # Threads per worker for event listeners: the replies to drafts in flight at once.
    event_threads: int = 16
    # The pace of replies to drafts, shared by every worker through the database: Slack
    # allows about one message a second in a channel and several hundred a minute in a
    # workspace, and answers 429 past that. A tenth of a second to spare per channel: two
    # turns exactly 1.0 s apart reach Slack a few milliseconds closer than that whenever the
    # first post is a little late, and each such 429 holds the whole workspace back 1 s.
    reply_seconds_per_channel: float = 1.1
    replies_per_minute: int = 300
    # Distributed mode (OAuth install into any workspace) when client id and secret are set.
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_state_secret: str | None = None
    slack_scopes: str = DEFAULT_BOT_SCOPES
    slack_redirect_uri: str | None = None
    token_encryption_key: str | None = None
    # What happens to a workspace's OKR data when it uninstalls the app.
    data_retention: str = "keep"

    @property
    def distributed(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def secrets(self) -> tuple[str, ...]:
        """Every secret value, so the log formatter can redact them verbatim."""
        keys = tuple((self.token_encryption_key or "").split(","))
        values = (
            self.slack_signing_secret,
            self.slack_bot_token,
            self.slack_app_token,
            self.slack_client_secret,
            self.slack_state_secret,
            *keys,
        )
        return tuple(v.strip() for v in values if v and v.strip())

    def describe(self) -> dict[str, object]:
        """The effective configuration with every secret left out, for startup logs."""
        return {
            "mode": "socket" if self.socket_mode else "http",
            "database": redact_url(self.database_url),
            "database_pool": {
                "size": self.database_pool_size,
                "timeout": self.database_pool_timeout,
            },
            "slack_api_url": self.slack_api_url,
            "port": self.port,
            "okr_channels": sorted(self.okr_channel_ids),
            "keep_draft_text": self.keep_draft_text,
            "log_level": self.log_level,
            "event_threads": self.event_threads,
            "reply_pace": {
                "seconds_per_channel": self.reply_seconds_per_channel,
                "per_minute": self.replies_per_minute,
            },
            "distributed": self.distributed,
            "data_retention": self.data_retention,
            "bot_token_set": bool(self.slack_bot_token),
            "app_token_set": bool(self.slack_app_token),
        }


def redact_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is reported by the engine itself, later
        return "<unparsable>"


def load_settings(
    environ: Mapping[str, str] | None = None, *, require_slack: bool = True
) -> Settings:
    """Build settings from ``environ`` (default ``os.environ``).

    Every missing variable is named in one error so an operator fixes them all in one go.
    """
    env = os.environ if environ is None else environ

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    missing: list[str] = []
    signing_secret = get("SLACK_SIGNING_SECRET")
    bot_token = get("SLACK_BOT_TOKEN")
    distributed = bool(get("SLACK_CLIENT_ID") or get("SLACK_CLIENT_SECRET"))
    if require_slack:
        required = ["SLACK_SIGNING_SECRET"]
        if distributed:
            required += [
                "SLACK_CLIENT_ID",
                "SLACK_CLIENT_SECRET",
                "SLACK_STATE_SECRET",
                "TOKEN_ENCRYPTION_KEY",
            ]
        else:
            required.append("SLACK_BOT_TOKEN")
        missing = [name for name in required if not get(name)]
    if missing:
        raise ConfigError(
            "Missing required environment variables: "
            + ", ".join(missing)
            + ". See the Configuration section of README.md."
        )

    database_url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
    return Settings(
        slack_signing_secret=signing_secret or "",
        slack_bot_token=bot_token,
        slack_app_token=get("SLACK_APP_TOKEN"),
        database_url=normalise_database_url(database_url),
        database_pool_size=_parse_positive_int(
            "DATABASE_POOL_SIZE", get("DATABASE_POOL_SIZE") or "10"
        ),
        database_pool_timeout=_parse_positive_int(
            "DATABASE_POOL_TIMEOUT", get("DATABASE_POOL_TIMEOUT") or "10"
        ),
        slack_api_url=_normalise_api_url(get("SLACK_API_URL") or DEFAULT_SLACK_API_URL),
        port=_parse_int("PORT", get("PORT") or str(DEFAULT_PORT)),
        okr_channel_ids=_parse_ids(get("OKR_CHANNELS") or ""),
        keep_draft_text=_parse_bool("KEEP_DRAFT_TEXT", get("KEEP_DRAFT_TEXT") or "true"),
        log_level=(get("LOG_LEVEL") or "INFO").upper(),
        slack_timeout=_parse_int("SLACK_API_TIMEOUT", get("SLACK_API_TIMEOUT") or "10"),
        event_threads=_parse_positive_int("EVENT_THREADS", get("EVENT_THREADS") or "16"),
        reply_seconds_per_channel=_parse_positive_float(
            "REPLY_SECONDS_PER_CHANNEL", get("REPLY_SECONDS_PER_CHANNEL") or "1.1"
        ),
        replies_per_minute=_parse_positive_int(
            "REPLIES_PER_MINUTE", get("REPLIES_PER_MINUTE") or "300"
        ),
        slack_client_id=get("SLACK_CLIENT_ID"),
        slack_client_secret=get("SLACK_CLIENT_SECRET"),
        slack_state_secret=get("SLACK_STATE_SECRET"),
        slack_scopes=get("SLACK_SCOPES") or DEFAULT_BOT_SCOPES,
        slack_redirect_uri=get("SLACK_REDIRECT_URI"),
        token_encryption_key=get("TOKEN_ENCRYPTION_KEY"),
        data_retention=_parse_choice(
            "DATA_RETENTION", get("DATA_RETENTION") or "keep", DATA_RETENTION_CHOICES
        ),
    )


def sqlite_path(database_url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)
