"""One pass over every workspace, in parallel, and its report."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.deps import Deps
from bot.pacing import REAL_TIME, Timing
from bot.reminders.messages import Renderers
from bot.reminders.sending import WorkspaceReport, WorkspaceRun
from bot.reminders.settings import ReminderConfig
from bot.reminders.tokens import TokenProvider, paced_client, workspace_pacer

logger = logging.getLogger(__name__)


@dataclass
class PassReport:
    workspaces: list[WorkspaceReport] = field(default_factory=list)
    seconds: float = 0.0

    def total(self, name: str) -> int:
        return sum(int(getattr(w, name)) for w in self.workspaces)

    def as_dict(self) -> dict[str, Any]:
        names = (
            "planned",
            "sent",
            "failed",
            "gave_up",
            "skipped",
            "blocked",
            "already_claimed",
            "reconciled",
            "opened",
            "rate_limited",
        )
        return {
            "seconds": round(self.seconds, 3),
            **{n: self.total(n) for n in names},
            "workspaces": [w.__dict__ for w in self.workspaces],
        }


def clock_from(at: datetime, base: Callable[[], datetime]) -> Callable[[], datetime]:
    """A clock that reads ``at`` now and moves on as ``base`` does."""
    offset = at - base()
    return lambda: base() + offset


class ReminderPass:
    """One pass over every workspace, in parallel. Safe to run twice, or twice at once."""

    def __init__(
        self,
        deps: Deps,
        tokens: TokenProvider,
        config: ReminderConfig,
        render: Renderers,
        *,
        timing: Timing = REAL_TIME,
    ) -> None:
        """``render`` builds the messages (the composition root hands in Block Kit)."""
        self.deps = deps
        self.tokens = tokens
        self.config = config
        self.render = render
        self._timing = timing  # the pacers' clock: fake in tests, scaled in benchmarks

    def run_workspace(self, team_id: str, clock: Callable[[], datetime]) -> WorkspaceReport:
        pacer = workspace_pacer(self.config, team_id, self._timing)
        try:
            token = self.tokens.token_for(team_id)
        except LookupError as error:
            return WorkspaceReport(team_id, error=str(error))
        client = paced_client(self.deps, token, pacer)
        report = WorkspaceRun(
            self.deps, team_id, client, pacer, self.config, self.render, clock
        ).run()
        logger.info(
            "reminder pass: %d sent, %d failed, %d skipped, %d blocked in %.1fs",
            report.sent,
            report.failed,
            report.skipped,
            report.blocked,
            report.seconds,
            extra={"team_id": team_id},
        )
        return report

    def run(self, at: datetime | None = None) -> PassReport:
        """One pass now, or as if it were ``at`` (``remind-now --at``): then every rule, and
        every row written, reads a clock that starts at ``at`` and runs on from there."""
        started = time.monotonic()
        clock = self.deps.clock if at is None else clock_from(at, self.deps.clock)
        teams = self.tokens.team_ids()
        report = PassReport()
        if teams:
            workers = max(1, min(len(teams), self.config.parallel_workspaces))
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="remind") as pool:
                report.workspaces = list(pool.map(lambda t: self.run_workspace(t, clock), teams))
        report.seconds = time.monotonic() - started
        return report
