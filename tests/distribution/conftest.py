"""Distributed mode: OAuth installs into several workspaces, through the fake Slack."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import pytest

from bot.crypto import generate_key
from bot.wsgi import OkrCoachWsgi
from tests.app_fixtures import Harness, make_harness
from tests.db_fixtures import Database
from tests.fakeslack import FakeSlack
from tests.wsgi_client import call_wsgi

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-for-tests"
STATE_SECRET = "state-secret-for-tests"


@dataclass
class Distributed:
    harness: Harness
    wsgi: OkrCoachWsgi
    key: str

    @property
    def fake(self) -> FakeSlack:
        return self.harness.fake

    def install(self, team_id: str, code: str | None = None, user_id: str = "UINSTALLER") -> str:
        """Run the whole "Add to Slack" round trip; returns the new bot token."""
        code = code or f"code-{team_id}-{len(self.fake.calls)}"
        self.fake.add_oauth_code(code, team_id, team_name=f"Team {team_id}", user_id=user_id)
        page = call_wsgi(self.wsgi, "GET", "/slack/install")
        assert page.status == 200, page.body
        link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.body)
        assert link, page.body
        state = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)["state"][0]
        cookie = page.headers["set-cookie"].split(";")[0]
        done = call_wsgi(
            self.wsgi,
            "GET",
            "/slack/oauth_redirect",
            query=f"code={code}&state={state}",
            headers={"Cookie": cookie},
        )
        assert done.status == 200, done.body
        exchange = [c for c in self.fake.calls_to("oauth.v2.access") if c.ok][-1]
        return str(exchange.response["access_token"])


def make_distributed(db: Database, fake: FakeSlack, **overrides: object) -> Distributed:
    fake.set_oauth_client(CLIENT_ID, CLIENT_SECRET)
    key = str(overrides.pop("token_encryption_key", generate_key()))
    harness = make_harness(
        db,
        fake,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_state_secret=STATE_SECRET,
        token_encryption_key=key,
        **overrides,
    )
    return Distributed(harness, OkrCoachWsgi(harness.app, harness.deps), key)


@pytest.fixture
def distributed(db: Database, fake_slack: FakeSlack) -> Iterator[Distributed]:
    yield make_distributed(db, fake_slack)
