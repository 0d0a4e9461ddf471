"""A real Bolt app from ``create_app``, wired to a real database and the fake Slack."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.app import create_app
from bot.config import Settings
from bot.deps import Deps
from bot.slack_client import create_web_client
from coaching import DraftReview, review_draft
from tests.db_fixtures import Database
from tests.fakeslack import DEFAULT_TOKEN, FakeSlack
from tests.slack_requests import (
    SIGNING_SECRET,
    block_actions_payload,
    bolt_request,
    interactive_body,
    slash_command_body,
    view_submission_payload,
)

_serial = itertools.count(1)


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Harness:
    app: App
    deps: Deps
    db: Database
    fake: FakeSlack
    clock: FakeClock

    def dispatch(self, body: str | dict[str, Any], **kwargs: Any) -> BoltResponse:
        return self.app.dispatch(bolt_request(body, SIGNING_SECRET, **kwargs))

    def command(self, text: str, **fields: Any) -> BoltResponse:
        """``/okr text`` from U0001 in C0001, answering through the fake's response_url."""
        fields.setdefault("response_url", self.fake.response_url(f"cmd{next(_serial)}"))
        return self.dispatch(slash_command_body(text, **fields))

    def click(self, action_id: str, value: str | None = None, **overrides: Any) -> BoltResponse:
        overrides.setdefault("response_url", self.fake.response_url(f"act{next(_serial)}"))
        return self.dispatch(interactive_body(block_actions_payload(action_id, value, **overrides)))

    def submit(
        self, callback_id: str, values: dict[str, dict[str, Any]], **kwargs: Any
    ) -> BoltResponse:
        payload = view_submission_payload(callback_id, values, **kwargs)
        return self.dispatch(interactive_body(payload))

    def ephemeral_texts(self) -> list[str]:
        """Texts of everything said privately: response_url answers and postEphemeral."""
        calls = self.fake.calls_to("response_url") + self.fake.calls_to("chat.postEphemeral")
        return [str(call.params.get("text", "")) for call in calls]


def make_settings(db: Database, fake: FakeSlack, **overrides: Any) -> Settings:
    settings = Settings(
        slack_signing_secret=SIGNING_SECRET,
        slack_bot_token=DEFAULT_TOKEN,
        database_url=db.url,
        slack_api_url=fake.base_url,
        # Tests post many drafts in one channel in quick succession: a pace of Slack's real
        # one a second would only make them slow. The burst tests set the pace they test.
        reply_seconds_per_channel=0.005,
        replies_per_minute=60_000,
    )
    return settings.with_overrides(**overrides) if overrides else settings


def make_harness(
    db: Database,
    fake: FakeSlack,
    *,
    process_before_response: bool = True,
    coach: Callable[[str], DraftReview] = review_draft,
    **setting_overrides: Any,
) -> Harness:
    settings = make_settings(db, fake, **setting_overrides)
    clock = FakeClock()
    deps = Deps(settings=settings, session_factory=db.session_factory, clock=clock, coach=coach)
    client: WebClient = create_web_client(settings)
    app = create_app(
        settings,
        client=client,
        deps=deps,
        # Listeners finish before dispatch returns, so tests never sleep.
        process_before_response=process_before_response,
        raise_error_for_unhandled_request=True,
    )
    return Harness(app=app, deps=deps, db=db, fake=fake, clock=clock)


@pytest.fixture
def harness(db: Database, fake_slack: FakeSlack) -> Iterator[Harness]:
    yield make_harness(db, fake_slack)
