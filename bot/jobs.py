"""Job functions the scheduler calls by name (``bot.jobs:reminder_tick``).

They take no arguments, so nothing has to be pickled into the job store; the clock process
installs its dependencies once with ``install`` before the scheduler starts.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from bot.deps import Deps
from bot.reminders import PassReport, ReminderConfig, ReminderPass, TokenProvider

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    deps: Deps
    tokens: TokenProvider
    config: ReminderConfig


_runtime: Runtime | None = None
# One pass at a time in this process, even if a tick and remind-now overlap.
_pass_lock = threading.Lock()


def install(runtime: Runtime) -> None:
    global _runtime
    _runtime = runtime


def _current() -> Runtime:
    if _runtime is None:
        raise RuntimeError("bot.jobs.install() was not called: run jobs from `okr-coach clock`")
    return _runtime


def reminder_tick() -> PassReport | None:
    runtime = _current()
    if not _pass_lock.acquire(blocking=False):
        logger.warning(
            "a reminder pass is still running; this tick is skipped", extra={"job": "reminder_tick"}
        )
        return None
    try:
        report = ReminderPass(runtime.deps, runtime.tokens, runtime.config).run()
    finally:
        _pass_lock.release()
    logger.info(
        "reminder tick: %s",
        report.as_dict() | {"workspaces": len(report.workspaces)},
        extra={"job": "reminder_tick"},
    )
    return report


def sync_members() -> None:
    from bot.member_sync import sync_members as sync
    from bot.pacing import WorkspacePacer
    from bot.reminders import paced_client

    runtime = _current()
    for team_id in runtime.tokens.team_ids():
        pacer = WorkspacePacer(team_id, runtime.config.rates())
        client = paced_client(runtime.deps, runtime.tokens.token_for(team_id), pacer)
        try:
            sync(runtime.deps, client, team_id, pacer=pacer)
        except Exception:
            logger.exception("member sync failed", extra={"team_id": team_id, "job": "member_sync"})
