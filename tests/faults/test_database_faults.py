"""The database goes away and comes back: the bot keeps answering and recovers by itself."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.db import create_db_engine, create_session_factory
from bot.models import CoachingReview
from bot.wsgi import OkrCoachWsgi
from handlers import ids
from handlers.blocks import HEADLINE_ROUTINE
from handlers.errors import DATABASE_DOWN
from handlers.public_blocks import ROUTINE_LEAD
from tests.app_fixtures import Harness, make_harness
from tests.db_fixtures import Database
from tests.fakeslack import FakeSlack
from tests.netproxy import TcpProxy
from tests.slack_requests import message_event_body
from tests.wsgi_client import call_wsgi

DRAFT = "Objective: Answer every support email within 24 hours"


@pytest.fixture
def proxied(
    postgres_migrated_url: str, fake_slack: FakeSlack
) -> Iterator[tuple[Harness, TcpProxy]]:
    url = make_url(postgres_migrated_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied_url = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    engine = create_db_engine(proxied_url, pool_size=2, max_overflow=0)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "TRUNCATE coaching_review, processed_event, member, workspace RESTART IDENTITY CASCADE"
        )
    db = Database("postgres", proxied_url, engine, create_session_factory(engine))
    yield make_harness(db, fake_slack), proxy
    proxy.close()
    engine.dispose()


def stored(h: Harness) -> int:
    with h.deps.session_factory() as session:
        return session.scalar(select(func.count()).select_from(CoachingReview)) or 0


def has_buttons(call_params: dict) -> bool:
    return ids.ACTION_SAVE_AS_OKR in json.dumps(call_params.get("blocks", []))


@pytest.mark.postgres
def test_outage_and_recovery_without_restart(
    proxied: tuple[Harness, TcpProxy], caplog: pytest.LogCaptureFixture
) -> None:
    h, proxy = proxied
    wsgi = OkrCoachWsgi(h.app, h.deps)

    h.dispatch(message_event_body(DRAFT))
    assert stored(h) == 1
    assert has_buttons(h.fake.last("chat.postMessage").params)

    proxy.cut()
    with caplog.at_level(logging.ERROR):
        assert h.dispatch(message_event_body(DRAFT)).status == 200
    # The author is still coached, without buttons since nothing could be stored.
    during = h.fake.last("chat.postMessage").params
    assert during["text"] == ROUTINE_LEAD
    assert not has_buttons(during)
    # Nothing stored, so no button to open the full review: it goes to the author now.
    details = h.fake.last("chat.postEphemeral").params
    assert (details["user"], details["text"]) == ("U0001", HEADLINE_ROUTINE)
    assert "database unavailable" in caplog.text
    h.command("list")
    assert h.fake.last("response_url").params["text"] == DATABASE_DOWN
    assert call_wsgi(wsgi, "GET", "/healthz").status == 503

    proxy.restore()
    assert call_wsgi(wsgi, "GET", "/healthz").status == 200
    h.dispatch(message_event_body(DRAFT))
    assert has_buttons(h.fake.last("chat.postMessage").params)
    assert stored(h) == 2


def test_health_check_reports_the_database(db: Database, fake_slack: FakeSlack) -> None:
    h = make_harness(db, fake_slack)
    response = call_wsgi(OkrCoachWsgi(h.app, h.deps), "GET", "/healthz")
    assert (response.status, json.loads(response.body)) == (200, {"ok": True, "database": "ok"})
