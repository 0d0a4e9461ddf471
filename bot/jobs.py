"""Job functions the scheduler calls by name (``bot.jobs:reminder_tick``).

They take no arguments, so nothing has to be pickled into the job store; the clock process
installs its dependencies once with ``install`` before the scheduler starts.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from bot.deps import Deps
from bot.draft_replies import DraftRenderers
from bot.reminders import PassReport, ReminderConfig, ReminderPass, Renderers, TokenProvider

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    deps: Deps
    tokens: TokenProvider
    config: ReminderConfig
    # Block Kit for the reminders, from the composition root (bot/ never imports handlers/).
    render: Renderers
    # How the sweeper's replies to drafts read, from the composition root as well.
    draft_render: DraftRenderers | None = None


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
        report = ReminderPass(runtime.deps, runtime.tokens, runtime.config, runtime.render).run()
    finally:
        _pass_lock.release()
    logger.info(
        "reminder tick: %s",
        report.as_dict() | {"workspaces": len(report.workspaces)},
        extra={"job": "reminder_tick"},
    )
    return report


def sync_members() -> None:
    from slack_sdk.errors import SlackApiError

    from bot.member_sync import sync_members as sync
    from bot.reminders.tokens import paced_client, workspace_pacer
    from bot.slack_client import slack_error_code

    runtime = _current()
    for team_id in runtime.tokens.team_ids():
        context = {"team_id": team_id, "job": "member_sync"}
        pacer = workspace_pacer(runtime.config, team_id)
        client = paced_client(runtime.deps, runtime.tokens.token_for(team_id), pacer)
        try:
            sync(runtime.deps, client, team_id, pacer=pacer)
        except SlackApiError as error:
            # Slack said no (a rate limit that outlasted its retries, a revoked token): one
            # line, no traceback; tomorrow's run, or a tick meeting new members, tries again.
            logger.warning("member sync failed: %s", slack_error_code(error), extra=context)
        except Exception:
            logger.exception("member sync failed", extra=context)


# Completed claims are kept this long, far beyond Slack's last retry (about 5 minutes).
CLAIM_RETENTION = timedelta(days=7)


def sweep_drafts() -> int:
    """Finish drafts whose web worker died after claiming them, then prune old claims."""
    from bot.draft_replies import DraftReplies
    from bot.event_claims import prune
    from bot.slack_client import create_web_client

    runtime = _current()
    deps = runtime.deps
    if runtime.draft_render is None:
        raise RuntimeError("the clock was installed without the draft renderers")
    finished = DraftReplies(deps, runtime.draft_render).redrive_stale(
        lambda team_id: create_web_client(deps.settings, runtime.tokens.token_for(team_id))
    )
    pruned = prune(deps.session_factory, deps.clock() - CLAIM_RETENTION)
    if finished or pruned:
        logger.info(
            "draft sweep: %d finished, %d old claims pruned",
            finished,
            pruned,
            extra={"job": "draft_sweep"},
        )
    return finished
