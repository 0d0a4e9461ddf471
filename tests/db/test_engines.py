"""The engines a process builds: pool limits, idle pings, and the draft path's fast commits."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import Engine, exc, text

from bot.app import build_deps, create_app
from bot.config import Settings
from bot.db import DATABASE_UNAVAILABLE, create_db_engine, create_session_factory
from bot.slack_client import create_web_client
from handlers.errors import DATABASE_DOWN
from handlers.public_blocks import ROUTINE_LEAD
from tests.app_fixtures import make_harness
from tests.db_fixtures import Database
from tests.fakeslack import FakeSlack
from tests.fakeslack.state import DEFAULT_TOKEN
from tests.slack_requests import SIGNING_SECRET, bolt_request, message_event_body


def backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def terminate(admin: Engine, pid: int) -> None:
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        connection.commit()


@pytest.mark.postgres
def test_only_the_draft_engine_skips_the_wal_flush_wait(postgres_migrated_url: str) -> None:
    deps = build_deps(Settings("secret", database_url=postgres_migrated_url))
    main = deps.session_factory.kw["bind"]
    drafts = deps.engine_for_drafts()
    try:
        assert drafts is not main
        with drafts.connect() as connection:
            assert connection.execute(text("SHOW synchronous_commit")).scalar() == "off"
            assert connection.execute(text("SHOW statement_timeout")).scalar() == "500ms"
        with main.connect() as connection:
            assert connection.execute(text("SHOW synchronous_commit")).scalar() == "on"
            assert connection.execute(text("SHOW statement_timeout")).scalar() == "0"
        # Draft claims happen before Slack's 3-second ack: they never wait 10 s for a connection.
        assert (drafts.pool.timeout(), main.pool.timeout()) == (0.5, 10)  # type: ignore[attr-defined]
    finally:
        drafts.dispose()
        main.dispose()


def test_sqlite_keeps_one_engine_for_everything(tmp_path) -> None:  # type: ignore[no-untyped-def]
    deps = build_deps(Settings("secret", database_url=f"sqlite:///{tmp_path / 'one.db'}"))
    assert deps.engine_for_drafts() is deps.session_factory.kw["bind"]


@pytest.mark.postgres
def test_a_connection_that_idled_is_pinged_and_replaced_if_dead(
    postgres_migrated_url: str,
) -> None:
    engine = create_db_engine(postgres_migrated_url, pool_size=1, ping_after_idle=0.0)
    admin = create_db_engine(postgres_migrated_url, pool_size=1)
    try:
        first = backend_pid(engine)
        terminate(admin, first)  # say, the database restarted while the pool sat idle
        # The ping on checkout finds it dead; the pool reconnects and the query just works.
        assert backend_pid(engine) != first
    finally:
        engine.dispose()
        admin.dispose()


@pytest.mark.postgres
def test_a_recently_used_connection_skips_the_ping(postgres_migrated_url: str) -> None:
    engine = create_db_engine(postgres_migrated_url, pool_size=1, ping_after_idle=3600.0)
    admin = create_db_engine(postgres_migrated_url, pool_size=1)
    try:
        first = backend_pid(engine)
        terminate(admin, first)
        # No ping within the window: the dead connection is only found by using it...
        with pytest.raises(DATABASE_UNAVAILABLE):
            backend_pid(engine)
        # ...and SQLAlchemy's disconnect handling replaces it for the next request.
        assert backend_pid(engine) != first
    finally:
        engine.dispose()
        admin.dispose()


@pytest.mark.postgres
def test_the_pool_waits_instead_of_opening_extra_connections(postgres_migrated_url: str) -> None:
    engine = create_db_engine(postgres_migrated_url, pool_size=2, pool_timeout=1)
    try:
        held = [engine.connect(), engine.connect()]
        with pytest.raises(exc.TimeoutError):
            engine.connect()
        for connection in held:
            connection.close()
        assert engine.pool.checkedout() == 0
        with engine.connect() as connection:  # a returned connection is handed out again
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_command_with_every_connection_busy_says_so(
    postgres_migrated_url: str, fake_slack: FakeSlack
) -> None:
    engine = create_db_engine(postgres_migrated_url, pool_size=1, pool_timeout=1)
    db = Database("postgres", postgres_migrated_url, engine, create_session_factory(engine))
    harness = make_harness(db, fake_slack)
    try:
        with engine.connect():  # every pooled connection is busy past the timeout
            harness.command("list")
        assert fake_slack.last("response_url").params["text"] == DATABASE_DOWN
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_draft_with_every_draft_connection_busy_is_still_acked_and_answered(
    postgres_migrated_url: str, fake_slack: FakeSlack
) -> None:
    from bot.app import create_app
    from bot.deps import Deps
    from bot.slack_client import create_web_client
    from tests.app_fixtures import make_settings
    from tests.slack_requests import bolt_request, message_event_body

    main = create_db_engine(postgres_migrated_url, pool_size=2)
    drafts = create_db_engine(postgres_migrated_url, pool_size=1, pool_timeout=1)
    db = Database("postgres", postgres_migrated_url, main, create_session_factory(main))
    settings = make_settings(db, fake_slack)
    deps = Deps(settings=settings, session_factory=db.session_factory, draft_engine=drafts)
    app = create_app(
        settings, client=create_web_client(settings), deps=deps, process_before_response=True
    )
    try:
        with drafts.connect():  # the draft path's only connection is busy
            response = app.dispatch(
                bolt_request(message_event_body("Objective: Attend the weekly design sync"))
            )
        assert response.status == 200
        # Coached all the same, without buttons since nothing could be stored.
        reply = fake_slack.last("chat.postMessage")
        assert reply.params["text"] == ROUTINE_LEAD
        assert "metadata" not in reply.params
    finally:
        drafts.dispose()
        main.dispose()


@pytest.mark.postgres
def test_a_locked_table_does_not_hold_the_ack_and_the_author_still_gets_a_reply(
    postgres_migrated_url: str, fake_slack: FakeSlack
) -> None:
    """Someone holds a lock the claim needs (a migration, a long report): the draft path's
    statements give up after their timeout, Slack gets its 200 while the lock is still held,
    and the draft is answered without being stored (so without buttons)."""
    settings = Settings(
        SIGNING_SECRET,
        slack_bot_token=DEFAULT_TOKEN,
        database_url=postgres_migrated_url,
        slack_api_url=fake_slack.base_url,
        reply_seconds_per_channel=0.005,
        replies_per_minute=60_000,
    )
    deps = build_deps(settings)
    app = create_app(
        settings,
        client=create_web_client(settings),
        deps=deps,
        process_before_response=True,
    )
    locker = create_db_engine(postgres_migrated_url, pool_size=1)
    answered: list[int] = []
    try:
        with locker.connect() as connection:
            connection.execute(text("LOCK TABLE processed_event IN ACCESS EXCLUSIVE MODE"))
            request = bolt_request(
                message_event_body("Objective: Grow partner revenue in the Nordics"),
                SIGNING_SECRET,
            )
            worker = threading.Thread(
                target=lambda: answered.append(app.dispatch(request).status), daemon=True
            )
            worker.start()
            worker.join(timeout=30)
            # Still inside the lock: without the timeouts the dispatch could not finish here.
            assert answered == [200]
            connection.rollback()
        (reply,) = fake_slack.calls_to("chat.postMessage")
        assert not _buttons(reply.params.get("blocks", []))
    finally:
        deps.engine_for_drafts().dispose()
        deps.session_factory.kw["bind"].dispose()
        locker.dispose()


def _buttons(blocks: object) -> list[object]:
    text_of = json.dumps(blocks)
    return [text_of] if '"type": "button"' in text_of else []
