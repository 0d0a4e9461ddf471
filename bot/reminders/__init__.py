"""Weekly reminders, nudges and the digest, as a package of small modules.

One pass (run by the clock's tick, or ``okr-coach remind-now``) looks at our own tables,
works out which members' local reminder time has come, claims one delivery row per
(workspace, member, kind, period) and sends the DMs, paced per workspace and method. The
claim comes before the send, so a rerun, a retry or a second clock never DMs anyone twice.

- ``settings``: pacing and politeness (``ReminderConfig``), read from the environment
- ``schedule``: pure time arithmetic: local slots across time zones and DST, quiet hours
- ``prefs``: a member's reminder day, time and on/off; the digest channel
- ``planning``: who is due at a moment, from our own tables only
- ``deliveries``: delivery rows, claimed before any Slack call, and their outcomes
- ``messages``: what each reminder says
- ``digest``: the weekly digest's data
- ``sending``: one workspace's run: open, post, reconcile, paced
- ``passes``: a pass over every workspace and its report
- ``tokens``: the workspaces a pass serves and their clients
"""

from bot.reminders.deliveries import (
    CLAIMED,
    DIGEST,
    FAILED,
    FOLLOW_UP,
    GAVE_UP,
    GRADE,
    PAUSE_PROMPT,
    SENT,
    SKIPPED,
    WEEKLY,
)
from bot.reminders.digest import DigestData
from bot.reminders.messages import Renderers
from bot.reminders.passes import PassReport, ReminderPass
from bot.reminders.prefs import ReminderPrefs, get_prefs, set_digest_channel, set_prefs
from bot.reminders.sending import WorkspaceReport
from bot.reminders.settings import ReminderConfig
from bot.reminders.tokens import TokenProvider, token_provider

__all__ = [
    "CLAIMED",
    "DIGEST",
    "FAILED",
    "FOLLOW_UP",
    "GAVE_UP",
    "GRADE",
    "PAUSE_PROMPT",
    "SENT",
    "SKIPPED",
    "WEEKLY",
    "DigestData",
    "PassReport",
    "ReminderConfig",
    "ReminderPass",
    "ReminderPrefs",
    "Renderers",
    "TokenProvider",
    "WorkspaceReport",
    "get_prefs",
    "set_digest_channel",
    "set_prefs",
    "token_provider",
]
