"""The one scheduler: APScheduler with its jobs in the app's database.

Only the ``clock`` process starts it (``serve`` never does). Jobs are a handful of periodic
ticks with stable ids, never one job per member: a burst of per-member jobs due at the same
instant would mostly be skipped past APScheduler's misfire grace time, silently.
"""

from __future__ import annotations

import logging
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobExecutionEvent,
    SchedulerEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine

logger = logging.getLogger(__name__)

TICK_MINUTES = 5
SWEEP_MINUTES = 2
# A tick that could not start on time (clock restarted, machine asleep) still runs if it is
# at most this late; coalescing folds a backlog of missed ticks into one run.
MISFIRE_GRACE_SECONDS = 10 * 60
JOBSTORE_TABLE = "apscheduler_jobs"


def job_specs(tick_minutes: int = TICK_MINUTES) -> list[dict[str, Any]]:
    """Every job the clock runs: textual references, stable ids, no arguments to pickle."""
    return [
        {
            "func": "bot.jobs:reminder_tick",
            "id": "reminder_tick",
            "name": "weekly reminders, nudges and digests",
            "trigger": "interval",
            "minutes": tick_minutes,
        },
        {
            "func": "bot.jobs:sweep_drafts",
            "id": "draft_sweep",
            "name": "finish drafts whose worker died; forget old event claims",
            "trigger": "interval",
            "minutes": SWEEP_MINUTES,
        },
        {
            "func": "bot.jobs:sync_members",
            "id": "member_sync",
            "name": "time zones and deactivations from users.list",
            "trigger": "cron",
            "hour": 3,
            "minute": 17,
        },
    ]


def _on_event(event: SchedulerEvent) -> None:
    job_id = getattr(event, "job_id", None)
    if event.code == EVENT_JOB_MISSED:
        logger.warning(
            "job %s missed its run at %s",
            job_id,
            getattr(event, "scheduled_run_time", None),
            extra={"job": job_id},
        )
    elif event.code == EVENT_JOB_MAX_INSTANCES:
        logger.warning("job %s still running; this run was skipped", job_id, extra={"job": job_id})
    elif event.code == EVENT_JOB_ERROR and isinstance(event, JobExecutionEvent):
        logger.error(
            "job %s failed: %s",
            job_id,
            event.exception,
            exc_info=event.exception,
            extra={"job": job_id},
        )


def configure(scheduler: BaseScheduler, engine: Engine) -> BaseScheduler:
    scheduler.configure(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBSTORE_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=2)},
        job_defaults={
            "coalesce": True,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
            "max_instances": 1,
        },
        timezone="UTC",
    )
    scheduler.add_listener(_on_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR | EVENT_JOB_MAX_INSTANCES)
    return scheduler


def add_jobs(scheduler: BaseScheduler, tick_minutes: int = TICK_MINUTES) -> None:
    """Idempotent: a restart replaces each job in place instead of adding a copy."""
    for spec in job_specs(tick_minutes):
        scheduler.add_job(replace_existing=True, **spec)


def create_scheduler(engine: Engine) -> BaseScheduler:
    """Runs in its own thread: the clock's main thread only waits, where Ctrl-C reaches it."""
    return configure(BackgroundScheduler(), engine)


def start_in_process(runtime: Any, engine: Engine) -> BaseScheduler:
    """Socket Mode development only, behind an explicit flag: the clock inside ``serve``.

    Never in web workers: with gunicorn every worker would run its own scheduler. (The
    delivery rows would still stop duplicate DMs, but every pass would run N times.)
    """
    from bot.jobs import install

    install(runtime)
    scheduler = create_scheduler(engine)
    scheduler.start()
    add_jobs(scheduler)
    return scheduler
