"""Check-ins in plain words: a DM read into a draft check-in, then Save, Edit or Cancel.

Also the "Not helpful" on a progress warning, wherever the warning was shown.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.checkins import NotOwner, ObjectiveNotFound
from bot.deps import Deps
from bot.objectives import ObjectiveService, ObjectiveView
from bot.plain_checkins import PlainCheckIns, Plan, Understood
from bot.progress_warnings import not_helpful, warnings_for
from handlers import checkin_blocks, ids
from handlers import checkin_talk_blocks as blocks
from handlers.blocks import plain_message
from handlers.home import publish_home
from handlers.replies import tell

logger = logging.getLogger(__name__)

NOT_YOURS = "Those key results aren't yours, so nothing was saved."
GONE = "That objective no longer exists, so nothing was saved."
STALE = "That button is from an older version of the app. Reply with your check-in again."
THANKS = "Thanks, noted. I won't raise that again for this key result."
ALREADY = "You told me that already. Noted once is enough."

# A message in a DM that names an objective is a draft to review, not a check-in.
DRAFT_PREFIXES = ("objective", "okr", "goal", "o:", "o1", "o2", "o3")


def reads_as_draft(text: str) -> bool:
    return text.strip().lower().lstrip("*_>` ").startswith(DRAFT_PREFIXES)


def understand_dm(deps: Deps, team_id: str, user_id: str, text: str) -> Understood | None:
    """What a DM says as a check-in, when the member has key results and it says anything
    about them; None otherwise (the message is then help or a draft, as before)."""
    if reads_as_draft(text):
        return None
    return PlainCheckIns(deps).understand(team_id, user_id, text)


def answer(reading: Understood) -> dict[str, Any]:
    return blocks.understood(reading) if reading.ready else blocks.not_placed(reading)


def _plan(body: dict[str, Any]) -> Plan | None:
    action = (body.get("actions") or [{}])[0]
    return Plan.parse(str(action.get("value") or ""))


def _once_key(body: dict[str, Any]) -> str:
    container = body.get("container") or {}
    return f"plain-checkin:{container.get('channel_id')}:{container.get('message_ts')}"


def _with_plan(objective: ObjectiveView, plan: Plan) -> ObjectiveView:
    """The objective as the form should open: the numbers the person wrote, filled in."""
    entries = {e.key_result_id: e for e in plan.entries.get(objective.id, ())}
    krs = []
    for kr in objective.key_results:
        entry = entries.get(kr.id)
        if entry is None:
            krs.append(kr)
            continue
        krs.append(
            replace(
                kr,
                current=kr.current if entry.value is None else entry.value,
                confidence=kr.confidence if entry.confidence is None else entry.confidence,
            )
        )
    return replace(objective, key_results=tuple(krs))


class CheckInTalk:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._plain = PlainCheckIns(deps)
        self._objectives = ObjectiveService(deps)

    def save(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        plan = _plan(body)
        team_id, user_id = context.team_id or "", context.user_id or ""
        if plan is None:
            tell(body, client, respond, plain_message(STALE))
            return
        try:
            results = self._plain.save(team_id, user_id, plan, once_key=_once_key(body))
        except NotOwner:
            tell(body, client, respond, plain_message(NOT_YOURS))
            return
        except ObjectiveNotFound:
            tell(body, client, respond, plain_message(GONE))
            return
        if results is None:
            respond(replace_original=True, **blocks.done(blocks.ALREADY_SAVED_TEXT))
            return
        found = warnings_for(
            self._deps, team_id, [r.after for r in results], self._deps.clock(), for_user=user_id
        )
        respond(replace_original=True, **blocks.saved(results, found))
        publish_home(client, self._deps, team_id, user_id)

    def edit(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        plan = _plan(body)
        team_id, user_id = context.team_id or "", context.user_id or ""
        if plan is None or not plan.entries:
            tell(body, client, respond, plain_message(STALE))
            return
        try:
            objective = self._objectives.get_owned(team_id, user_id, next(iter(plan.entries)))
        except NotOwner:
            tell(body, client, respond, plain_message(NOT_YOURS))
            return
        except ObjectiveNotFound:
            tell(body, client, respond, plain_message(GONE))
            return
        view = checkin_blocks.checkin_modal(_with_plan(objective, plan), note=plan.note)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def cancel(self, ack: Ack, respond: Respond) -> None:
        ack()
        respond(replace_original=True, **blocks.done(blocks.CANCELLED_TEXT))

    def warning_not_helpful(
        self, ack: Ack, body: dict, context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        action = (body.get("actions") or [{}])[0]
        parsed = blocks.parse_warning_feedback(
            str((action.get("selected_option") or {}).get("value") or "")
        )
        if parsed is None:
            tell(body, client, respond, plain_message(STALE))
            return
        key_result_id, rule_id = parsed
        fresh = not_helpful(
            self._deps,
            context.team_id or "",
            context.user_id or "",
            key_result_id,
            rule_id,
            self._deps.clock(),
        )
        tell(body, client, respond, plain_message(THANKS if fresh else ALREADY))


def register(app: App, deps: Deps) -> None:
    talk = CheckInTalk(deps)
    app.action(ids.ACTION_PLAIN_CHECKIN_SAVE)(talk.save)
    app.action(ids.ACTION_PLAIN_CHECKIN_EDIT)(talk.edit)
    app.action(ids.ACTION_PLAIN_CHECKIN_CANCEL)(talk.cancel)
    app.action(ids.ACTION_WARNING_NOT_HELPFUL)(talk.warning_not_helpful)
