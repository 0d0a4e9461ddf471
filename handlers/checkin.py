"""Check-in listeners: the DM button, the modal and its submission, pause/close/keep."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.checkins import (
    CheckInEntry,
    CheckInService,
    InvalidCheckIn,
    NoObjectives,
    NotOwner,
    ObjectiveNotFound,
    grade_objective,
    parse_confidence,
    parse_grade,
    parse_kr_value,
)
from bot.deps import Deps
from bot.direct_messages import dm_channel
from bot.objectives import ObjectiveService, ObjectiveView
from bot.progress_warnings import warnings_for
from handlers import checkin_blocks as blocks
from handlers import checkin_talk_blocks as talk_blocks
from handlers import ids
from handlers.home import publish_home
from handlers.home_blocks import grade_saved

logger = logging.getLogger(__name__)

NOT_YOURS = "Only the owner of an objective can check in on it or change it."
GONE = "That objective no longer exists."
NO_OBJECTIVES = (
    "You have no active objectives this cycle, so there is nothing to check in on. "
    "Add one with `/okr add`."
)
CHANGED = "The objective changed while you were checking in. Close this and try again."


def open_checkin_modal(
    client: WebClient,
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    trigger_id: str,
    objective_id: int | None = None,
) -> None:
    """Open the check-in modal (or an objective picker when there are several).

    Raises NoObjectives, NotOwner or ObjectiveNotFound for the caller to answer.
    """
    service = CheckInService(deps)
    if objective_id is not None:
        view = blocks.checkin_modal(service.owned(team_id, user_id, objective_id))
    else:
        objectives = service.active_objectives(team_id, user_id)
        view = (
            blocks.checkin_modal(objectives[0])
            if len(objectives) == 1
            else blocks.objective_picker_modal(objectives)
        )
    client.views_open(trigger_id=trigger_id, view=view)


def read_submission(
    objective: ObjectiveView, values: dict[str, Any]
) -> tuple[list[CheckInEntry], str | None, dict[str, str]]:
    """Entries, note and per-block errors from a submitted check-in modal."""
    entries: list[CheckInEntry] = []
    errors: dict[str, str] = {}
    for kr in objective.key_results[: blocks.MAX_KEY_RESULTS_IN_MODAL]:
        value_block = blocks.value_block_id(kr.id)
        confidence_block = blocks.confidence_block_id(kr.id)
        raw_value = (values.get(value_block, {}).get(blocks.VALUE_ACTION) or {}).get("value")
        selected = (values.get(confidence_block, {}).get(blocks.CONFIDENCE_ACTION) or {}).get(
            "selected_option"
        ) or {}
        value: float | None = None
        confidence = 0
        try:
            value = parse_kr_value(raw_value, kr)
        except ValueError as error:
            errors[value_block] = str(error)
        try:
            confidence = parse_confidence(selected.get("value"))
        except ValueError as error:
            errors[confidence_block] = str(error)
        if value_block not in errors and confidence_block not in errors:
            entries.append(CheckInEntry(kr.id, value, confidence))
    note_state = values.get(blocks.NOTE_BLOCK, {}).get(blocks.NOTE_ACTION) or {}
    return entries, note_state.get("value"), errors


def _objective_id(raw: Any) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


class CheckInListeners:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._service = CheckInService(deps)

    def _ephemeral(self, client: WebClient, body: dict[str, Any], text: str) -> None:
        channel = (body.get("container") or {}).get("channel_id") or (
            body.get("channel") or {}
        ).get("id")
        user = (body.get("user") or {}).get("id")
        if channel and user:
            client.chat_postEphemeral(channel=channel, user=user, text=text)

    def on_open(
        self, ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        action = body["actions"][0]
        try:
            open_checkin_modal(
                client,
                self._deps,
                team_id=context.team_id or "",
                user_id=context.user_id or "",
                trigger_id=body["trigger_id"],
                objective_id=_objective_id(action.get("value")),
            )
        except NotOwner:
            self._ephemeral(client, body, NOT_YOURS)
        except ObjectiveNotFound:
            self._ephemeral(client, body, GONE)
        except NoObjectives:
            self._ephemeral(client, body, NO_OBJECTIVES)

    def on_pick(
        self, ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        selected = body["actions"][0].get("selected_option") or {}
        objective_id = _objective_id(selected.get("value"))
        if objective_id is None:
            return
        objective = self._service.owned(context.team_id or "", context.user_id or "", objective_id)
        view = body["view"]
        client.views_update(
            view_id=view["id"], hash=view.get("hash"), view=blocks.checkin_modal(objective)
        )

    def on_submit(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        context: BoltContext,
        client: WebClient,
    ) -> None:
        team_id, user_id = context.team_id or "", context.user_id or ""
        try:
            objective_id = int(json.loads(view.get("private_metadata") or "{}")["objective_id"])
            objective = self._service.owned(team_id, user_id, objective_id)
        except (KeyError, TypeError, ValueError):
            ack()  # the picker modal has no submit button; anything else is not ours to save
            return
        except (NotOwner, ObjectiveNotFound) as error:
            first = next(iter(view.get("state", {}).get("values", {})), blocks.NOTE_BLOCK)
            ack(
                response_action="errors",
                errors={first: NOT_YOURS if isinstance(error, NotOwner) else GONE},
            )
            return
        entries, note, errors = read_submission(objective, view["state"]["values"])
        if errors:
            ack(response_action="errors", errors=errors)
            return
        try:
            result = self._service.record(team_id, user_id, objective.id, entries, note)
        except InvalidCheckIn:
            ack(response_action="errors", errors={blocks.NOTE_BLOCK: CHANGED})
            return
        ack()
        channel = dm_channel(self._deps, client, team_id, user_id)
        found = warnings_for(
            self._deps, team_id, [result.after], self._deps.clock(), for_user=user_id
        )
        client.chat_postMessage(channel=channel, **talk_blocks.saved([result], found))
        publish_home(client, self._deps, team_id, user_id)

    def _set_status(
        self, body: dict[str, Any], context: BoltContext, client: WebClient, status: str
    ) -> None:
        team_id, user_id = context.team_id or "", context.user_id or ""
        objective_id = _objective_id(body["actions"][0].get("value"))
        if objective_id is None:
            return
        objectives = ObjectiveService(self._deps)
        try:
            objective = objectives.get_owned(team_id, user_id, objective_id)
            objectives.set_status(team_id, user_id, objective_id, status)
        except NotOwner:
            self._ephemeral(client, body, NOT_YOURS)
            return
        except ObjectiveNotFound:
            self._ephemeral(client, body, GONE)
            return
        container = body.get("container") or {}
        if container.get("channel_id") and container.get("message_ts"):
            client.chat_update(
                channel=container["channel_id"],
                ts=container["message_ts"],
                **blocks.pause_outcome(objective.title, status if status != "active" else "kept"),
            )

    def on_pause(
        self, ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        self._set_status(body, context, client, "paused")

    def on_close(
        self, ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        self._set_status(body, context, client, "closed")

    def on_keep(
        self, ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        # set_status resets the ignored-reminder count, so weekly reminders resume.
        self._set_status(body, context, client, "active")

    def on_grade_open(
        self, ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        objective_id = _objective_id(body["actions"][0].get("value"))
        try:
            objective = self._service.owned(
                context.team_id or "", context.user_id or "", objective_id or 0
            )
        except NotOwner:
            self._ephemeral(client, body, NOT_YOURS)
            return
        except ObjectiveNotFound:
            self._ephemeral(client, body, GONE)
            return
        client.views_open(trigger_id=body["trigger_id"], view=blocks.grade_modal(objective))

    def on_grade_submit(
        self, ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        team_id, user_id = context.team_id or "", context.user_id or ""
        state = view["state"]["values"].get(blocks.GRADE_BLOCK, {}).get(blocks.GRADE_ACTION) or {}
        try:
            objective_id = int(json.loads(view.get("private_metadata") or "{}")["objective_id"])
        except (KeyError, TypeError, ValueError):
            ack(response_action="errors", errors={blocks.GRADE_BLOCK: GONE})
            return
        try:
            grade = parse_grade(state.get("value"))
            graded = grade_objective(self._deps, team_id, user_id, objective_id, grade)
        except ValueError as error:
            ack(response_action="errors", errors={blocks.GRADE_BLOCK: str(error)})
            return
        except (NotOwner, ObjectiveNotFound) as error:
            message = NOT_YOURS if isinstance(error, NotOwner) else GONE
            ack(response_action="errors", errors={blocks.GRADE_BLOCK: message})
            return
        ack()
        # The grade modal is opened from a DM, so the DM is where its confirmation belongs.
        channel = dm_channel(self._deps, client, team_id, user_id)
        client.chat_postMessage(channel=channel, **grade_saved(graded).as_kwargs())
        publish_home(client, self._deps, team_id, user_id)


def register(app: App, deps: Deps) -> None:
    listeners = CheckInListeners(deps)
    app.action(ids.ACTION_OPEN_CHECKIN)(listeners.on_open)
    app.action(ids.ACTION_CHECKIN_OBJECTIVE)(listeners.on_pick)
    app.view(ids.VIEW_CHECKIN)(listeners.on_submit)
    app.action(ids.ACTION_PAUSE_OBJECTIVE)(listeners.on_pause)
    app.action(ids.ACTION_CLOSE_OBJECTIVE)(listeners.on_close)
    app.action(ids.ACTION_KEEP_OBJECTIVE)(listeners.on_keep)
    app.action(ids.ACTION_GRADE_OBJECTIVE)(listeners.on_grade_open)
    app.view(ids.VIEW_GRADE)(listeners.on_grade_submit)
