"""The draft path's writes on both backends: single statements on PostgreSQL, same outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event, select

from bot.config import Settings
from bot.deps import Deps
from bot.drafts import DraftMessage, DraftService
from bot.event_claims import LEASE
from bot.models import CoachingReview, ProcessedEvent
from tests.app_fixtures import FakeClock
from tests.db_fixtures import Database

DRAFT = "Objective: Answer every support email within 24 hours"


def message(ts: str, event_id: str, user: str = "U0001") -> DraftMessage:
    return DraftMessage("T0001", "C0001", user, ts, DRAFT, event_id)


def service_for(db: Database) -> tuple[DraftService, FakeClock]:
    clock = FakeClock()
    settings = Settings("secret", database_url=db.url)
    deps = Deps(settings=settings, session_factory=db.session_factory, clock=clock)
    return DraftService(deps), clock


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Every SQL statement sent to the database inside the block (round trips, roughly)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        seen.append(sql)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def reviews(db: Database) -> list[CoachingReview]:
    with db.session_factory() as session:
        return list(session.scalars(select(CoachingReview).order_by(CoachingReview.id)))


def claim(db: Database, event_id: str) -> ProcessedEvent:
    with db.session_factory() as session:
        return session.scalars(
            select(ProcessedEvent).where(ProcessedEvent.slack_event_id == event_id)
        ).one()


def warm(service: DraftService) -> None:
    """A first draft makes the workspace and member rows known to the service."""
    first = message("1000.000001", "Ev-warm")
    started = service.begin(first)
    assert started is not None
    service.finish(first, started, "1000.000002")


def test_a_known_author_costs_one_statement_per_write_on_postgres(db: Database) -> None:
    service, _ = service_for(db)
    warm(service)
    draft = message("1000.000100", "Ev-1")
    with statements(db) as begin_sql:
        started = service.begin(draft)
    assert started is not None
    with statements(db) as finish_sql:
        service.finish(draft, started, "1000.000101")

    if db.backend == "postgres":
        assert (len(begin_sql), len(finish_sql)) == (1, 1)
    else:  # SQLite has no data-modifying CTEs: claim and review, reply and claim
        assert (len(begin_sql), len(finish_sql)) == (2, 2)
    stored = [r for r in reviews(db) if r.message_ts == draft.ts]
    assert [(r.id, r.reply_ts, r.draft_text) for r in stored] == [
        (started.review_id, "1000.000101", DRAFT)
    ]
    done = claim(db, "Ev-1")
    assert done.completed_at is not None and done.payload is None


def test_a_retried_delivery_is_ignored(db: Database) -> None:
    service, _ = service_for(db)
    warm(service)
    draft = message("1000.000200", "Ev-2")
    started = service.begin(draft)
    assert started is not None
    assert service.begin(draft) is None  # Slack's retry while the first is still replying
    service.finish(draft, started, "1000.000201")
    assert service.begin(draft) is None  # and once it is done
    assert len([r for r in reviews(db) if r.message_ts == draft.ts]) == 1


def test_the_same_message_under_a_second_event_id_is_answered_once(db: Database) -> None:
    service, _ = service_for(db)
    warm(service)
    as_message = message("1000.000300", "Ev-message")
    as_mention = message("1000.000300", "Ev-mention")  # a mention arrives as both kinds
    started = service.begin(as_message)
    assert started is not None
    assert service.begin(as_mention) is None
    # The second delivery's claim is closed, so the sweeper never re-drives it.
    assert claim(db, "Ev-mention").completed_at is not None
    assert len([r for r in reviews(db) if r.message_ts == as_message.ts]) == 1


def test_work_whose_worker_died_is_taken_over_after_the_lease(db: Database) -> None:
    service, clock = service_for(db)
    warm(service)
    draft = message("1000.000400", "Ev-4")
    started = service.begin(draft)
    assert started is not None  # ...and the worker dies before replying

    assert service.begin(draft) is None  # within the lease: still someone else's
    clock.advance(seconds=LEASE.total_seconds() + 1)
    retried = service.begin(draft)
    assert retried is not None and retried.review_id == started.review_id
    service.finish(draft, retried, "1000.000401")
    assert claim(db, "Ev-4").attempts == 2
    assert [r.reply_ts for r in reviews(db) if r.message_ts == draft.ts] == ["1000.000401"]


def test_an_old_unanswered_review_is_taken_over_by_a_new_delivery(db: Database) -> None:
    service, clock = service_for(db)
    warm(service)
    started = service.begin(message("1000.000500", "Ev-5a"))
    assert started is not None  # the worker dies; later the same message comes as a mention
    clock.advance(seconds=(LEASE + timedelta(seconds=1)).total_seconds())
    mention = message("1000.000500", "Ev-5b")
    retried = service.begin(mention)
    assert retried is not None and retried.review_id == started.review_id
    service.finish(mention, retried, "1000.000501")
    assert claim(db, "Ev-5b").completed_at is not None


def test_a_claim_from_the_single_statement_keeps_what_the_sweeper_needs(db: Database) -> None:
    service, clock = service_for(db)
    warm(service)
    draft = message("1000.000600", "Ev-6")
    with statements(db) as sql:
        assert service.begin(draft) is not None  # the worker dies before replying
    assert len(sql) == (1 if db.backend == "postgres" else 2)
    assert service.stale_messages() == []  # leased
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert service.stale_messages() == [draft]
