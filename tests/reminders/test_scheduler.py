"""The clock's scheduler with a real SQLAlchemyJobStore on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.events import EVENT_JOB_MISSED
from sqlalchemy import text

import bot.jobs
from bot.reminders import ReminderConfig
from bot.scheduler import MISFIRE_GRACE_SECONDS, add_jobs, create_scheduler
from handlers.checkin_blocks import reminder_renderers
from tests.db_fixtures import Database
from tests.fakeslack import DEFAULT_TEAM, DEFAULT_TOKEN
from tests.reminders.helpers import World
from tests.reminders.tokens import StaticTokens


def make_runtime(world: World) -> bot.jobs.Runtime:
    tokens = StaticTokens({DEFAULT_TEAM: DEFAULT_TOKEN})
    return bot.jobs.Runtime(world.deps, tokens, ReminderConfig(), reminder_renderers())


def stored_job_ids(db: Database) -> list[str]:
    with db.engine.connect() as connection:
        return sorted(connection.execute(text("SELECT id FROM apscheduler_jobs")).scalars())


def test_jobs_live_in_the_database_with_stable_ids_and_survive_a_restart(db: Database) -> None:
    first = create_scheduler(db.engine)
    first.start(paused=True)
    add_jobs(first)
    assert stored_job_ids(db) == ["draft_sweep", "member_sync", "reminder_tick"]
    tick = first.get_job("reminder_tick")
    assert tick is not None
    assert tick.func_ref == "bot.jobs:reminder_tick"
    assert (tick.coalesce, tick.misfire_grace_time, tick.max_instances) == (
        True,
        MISFIRE_GRACE_SECONDS,
        1,
    )
    assert tick.args == () and tick.kwargs == {}
    first.shutdown(wait=False)

    # A restart (or a second clock by mistake) replaces the jobs instead of adding copies.
    second = create_scheduler(db.engine)
    second.start(paused=True)
    add_jobs(second, tick_minutes=3)
    assert stored_job_ids(db) == ["draft_sweep", "member_sync", "reminder_tick"]
    restored = second.get_job("reminder_tick")
    assert restored is not None and restored.trigger.interval == timedelta(minutes=3)
    second.shutdown(wait=False)


def test_a_missed_run_is_reported_and_logged(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler = create_scheduler(db.engine)
    missed = threading.Event()
    scheduler.add_listener(lambda event: missed.set(), EVENT_JOB_MISSED)
    scheduler.add_job(
        "bot.jobs:reminder_tick",
        trigger="date",
        run_date=datetime.now(UTC) - timedelta(hours=1),
        id="late_tick",
        misfire_grace_time=1,
        replace_existing=True,
    )
    with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
        scheduler.start()
        try:
            assert missed.wait(timeout=10)
        finally:
            scheduler.shutdown(wait=True)
    assert any("late_tick missed its run" in r.getMessage() for r in caplog.records)


def test_the_tick_job_runs_a_reminder_pass(world: World) -> None:
    world.member("U0002")
    bot.jobs.install(make_runtime(world))
    try:
        report = bot.jobs.reminder_tick()
    finally:
        bot.jobs._runtime = None
    assert report is not None and report.total("sent") == 1
    assert [c.params["channel"] for c in world.dms()] == ["DU0002"]


def test_jobs_refuse_to_run_without_the_clock_runtime() -> None:
    bot.jobs._runtime = None
    with pytest.raises(RuntimeError, match="okr-coach clock"):
        bot.jobs.reminder_tick()


def test_the_in_process_clock_for_socket_mode_installs_the_runtime(world: World) -> None:
    from bot.scheduler import start_in_process

    runtime = make_runtime(world)
    scheduler = start_in_process(runtime, world.db.engine)
    try:
        assert bot.jobs._runtime is runtime
        assert sorted(job.id for job in scheduler.get_jobs()) == [
            "draft_sweep",
            "member_sync",
            "reminder_tick",
        ]
    finally:
        scheduler.shutdown(wait=True)
        bot.jobs._runtime = None


def test_the_daily_member_sync_job_reads_users_list_pages(world: World) -> None:
    for n in range(2, 5):
        world.member(f"U000{n}", tz="America/Los_Angeles")
    from sqlalchemy import update

    from bot.models import Member

    with world.deps.session_factory.begin() as s:
        s.execute(update(Member).values(tz="UTC", display_name=None))
    bot.jobs.install(make_runtime(world))
    try:
        bot.jobs.sync_members()
    finally:
        bot.jobs._runtime = None
    assert [world.member_row(f"U000{n}").tz for n in range(2, 5)] == ["America/Los_Angeles"] * 3
    assert world.member_row("U0002").display_name == "u0002"
    assert world.member_row("U0002").profile_synced_at == world.clock.now
    assert world.fake.calls_to("users.info") == []
    assert [c.params.get("limit") for c in world.fake.calls_to("users.list")] == ["200"]
