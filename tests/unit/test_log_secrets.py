"""Secrets never reach the logs, even at DEBUG where Bolt and slack_sdk log what they send."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator

import pytest

from bot.app import create_app
from bot.deps import Deps
from bot.logging_setup import configure_logging
from bot.slack_client import create_web_client
from tests.app_fixtures import make_settings
from tests.db_fixtures import Database
from tests.fakeslack import FakeSlack
from tests.slack_requests import SIGNING_SECRET, TEAM_ID, bolt_request, message_event_body

BOT_TOKEN = "xoxb-2718281828-3141592653-AbCdEfGhIjKlMnOpQrStUvWx"
APP_TOKEN = "xapp-1-A0001-1618033988-0123456789abcdef0123456789abcdef"
USER_TOKEN = "xoxp-2718281828-1414213562-1732050807-0123456789abcdef"
REFRESH_TOKEN = "xoxe-1-My0xLTI3MTgyODE4MjgtMzE0MTU5MjY1My1BYkNk"
CLIENT_SECRET = "3c1e5d7f9b2a4c6e8f0a1b3d5e7f9a2c"
STATE_SECRET = "state-secret-6b1f0c2e9d8a7b6c"
ENCRYPTION_KEYS = (
    "k7pXf2Qm9Zr4Tt1Yw8Ub3Nc6Vd0He5Jg2La9Ms4Pq7=",
    "Zr4Tt1Yw8Ub3Nc6Vd0He5Jg2La9Ms4Pq7k7pXf2Qm9=",
)
SECRETS = (
    SIGNING_SECRET,
    BOT_TOKEN,
    APP_TOKEN,
    USER_TOKEN,
    REFRESH_TOKEN,
    CLIENT_SECRET,
    STATE_SECRET,
    *ENCRYPTION_KEYS,
)
# A token prefix followed by token characters rather than the redaction marker is a leak.
# (The coach's rewrite may echo a bare "xoxp-" whose digits it dropped; that is no token.)
LIVE_TOKEN = re.compile(r"(?:xox[abeprs]|xapp)-(?!\[redacted\])[A-Za-z0-9]")


@pytest.fixture
def debug_logs() -> Iterator[Callable[[tuple[str, ...]], io.StringIO]]:
    """The production logging set-up at DEBUG, its one root handler writing into a buffer."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)

    def capture(secrets: tuple[str, ...]) -> io.StringIO:
        configure_logging("DEBUG", secrets=secrets)
        (handler,) = root.handlers
        assert isinstance(handler, logging.StreamHandler)
        buffer = io.StringIO()
        handler.setStream(buffer)
        return buffer

    try:
        yield capture
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)


def test_debug_logs_of_a_real_app_carry_no_secret(
    debug_logs: Callable[[tuple[str, ...]], io.StringIO], db: Database, fake_slack: FakeSlack
) -> None:
    fake_slack.register_token(BOT_TOKEN, TEAM_ID)
    settings = make_settings(
        db,
        fake_slack,
        slack_bot_token=BOT_TOKEN,
        slack_app_token=APP_TOKEN,
        slack_client_secret=CLIENT_SECRET,
        slack_state_secret=STATE_SECRET,
        token_encryption_key=",".join(ENCRYPTION_KEYS),
    )
    # What the entry points pass: every secret the settings hold (user tokens have none;
    # only their prefix can catch them).
    logs = debug_logs(settings.secrets())
    deps = Deps(settings=settings, session_factory=db.session_factory)
    app = create_app(
        settings, client=create_web_client(settings), deps=deps, process_before_response=True
    )

    # A person pastes credentials into a draft: Bolt logs the body, the reply quotes it.
    pasted = f"Objective: Rotate {USER_TOKEN} and {REFRESH_TOKEN} and {APP_TOKEN} by Q3"
    assert app.dispatch(bolt_request(message_event_body(pasted))).status == 200
    fake_slack.wait_for("chat.postMessage", count=1)

    # A failing Slack call: the listener raises and the error handler logs the traceback.
    fake_slack.fail("chat.postMessage", error="internal_error")
    failing = message_event_body(f"Objective: Grow revenue with {BOT_TOKEN} in hand")
    assert app.dispatch(bolt_request(failing)).status == 500

    # A forged request, and code that logs settings or an exception by mistake.
    forged = bolt_request(message_event_body("Objective: forged"), secret="wrong-secret-123")
    assert app.dispatch(forged).status == 401
    logging.getLogger("slack_sdk.web.base_client").debug("settings: %r", settings)
    try:
        raise RuntimeError(f"token {BOT_TOKEN} refused, secret {SIGNING_SECRET}")
    except RuntimeError:
        logging.getLogger("urllib3").exception("third-party failure")

    output = logs.getvalue()
    # The paths that would leak really ran, at DEBUG, through this handler.
    assert "Sending a request" in output and "internal_error" in output
    assert "Traceback" in output and "[redacted]" in output
    for secret in SECRETS:
        assert secret not in output
    assert not LIVE_TOKEN.findall(output), [
        output[max(0, m.start() - 80) : m.end() + 40] for m in LIVE_TOKEN.finditer(output)
    ][:3]
