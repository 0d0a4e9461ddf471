"""Check-ins written in plain words: understood now, stored only when the person confirms.

``understand`` reads a DM against the member's own active key results (so only their words
can ever name their key results) and plans the check-in rows it would store; ``save``
stores that plan once, through the same ``CheckInService.record`` the modal uses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.checkins import CheckInEntry, CheckInResult, CheckInService, NoObjectives
from bot.deps import Deps
from bot.event_claims import EventClaims
from bot.objectives import KeyResultView, ObjectiveView
from coaching.checkins import CheckInDraft, KeyResultRef, read_check_in

# A button value holds the plan; Slack allows 2,000 characters in it.
MAX_NOTE_IN_PLAN = 1000


@dataclass(frozen=True)
class PlannedUpdate:
    objective_id: int
    key_result: KeyResultView
    # "KR2", or "O2 KR1" when the person has several objectives.
    label: str
    value: float | None
    confidence: int | None


@dataclass(frozen=True)
class Understood:
    """What a message says, placed on the member's key results."""

    draft: CheckInDraft
    updates: tuple[PlannedUpdate, ...]
    note: str
    # Key results the person can name, for the answer when something could not be placed.
    labels: tuple[tuple[str, str], ...]

    @property
    def ready(self) -> bool:
        """Everything said has a place and something would change: offer to save it."""
        return self.draft.complete and bool(self.updates)

    def plan(self) -> dict[str, Any]:
        """The plan as the Save and Edit buttons carry it (ids and numbers only)."""
        return {
            "u": [[u.objective_id, u.key_result.id, u.value, u.confidence] for u in self.updates],
            "n": self.note[:MAX_NOTE_IN_PLAN],
        }


@dataclass(frozen=True)
class Plan:
    entries: Mapping[int, tuple[CheckInEntry, ...]]
    note: str

    @classmethod
    def parse(cls, raw: str) -> Plan | None:
        """A plan back from a button value; None when it is not one we wrote."""
        try:
            data = json.loads(raw)
            rows = [
                (int(o), int(k), None if v is None else float(v), None if c is None else int(c))
                for o, k, v, c in data["u"]
            ]
            note = str(data.get("n") or "")
        except (ValueError, TypeError, KeyError):
            return None
        entries: dict[int, list[CheckInEntry]] = {}
        for objective_id, kr_id, value, confidence in rows:
            entries.setdefault(objective_id, []).append(CheckInEntry(kr_id, value, confidence))
        return cls({o: tuple(e) for o, e in entries.items()}, note)


def _refs(objectives: Sequence[ObjectiveView]) -> list[tuple[KeyResultRef, ObjectiveView, str]]:
    several = len(objectives) > 1
    out = []
    for o_number, objective in enumerate(objectives, start=1):
        for kr_number, kr in enumerate(objective.key_results, start=1):
            label = f"O{o_number} KR{kr_number}" if several else f"KR{kr_number}"
            ref = KeyResultRef(
                key=kr.id,
                number=kr_number,
                text=kr.text,
                unit=kr.unit,
                baseline=kr.baseline,
                target=kr.target,
                objective=o_number,
            )
            out.append((ref, objective, label))
    return out


class PlainCheckIns:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._service = CheckInService(deps)
        self._claims = EventClaims(deps.session_factory)

    def understand(self, team_id: str, user_id: str, text: str) -> Understood | None:
        """None when the member has nothing to check in on or the text is no check-in."""
        try:
            objectives = self._service.active_objectives(team_id, user_id)
        except NoObjectives:
            return None
        refs = _refs(objectives)
        draft = read_check_in(text, [ref for ref, _, _ in refs])
        if draft is None:
            return None
        by_key = {ref.key: (objective, label) for ref, objective, label in refs}
        krs = {kr.id: kr for o in objectives for kr in o.key_results}
        updates = [
            PlannedUpdate(
                objective_id=by_key[u.key][0].id,
                key_result=krs[u.key],
                label=by_key[u.key][1],
                value=u.value,
                confidence=u.confidence if u.confidence is not None else draft.confidence,
            )
            for u in draft.updates
        ]
        if not updates and draft.confidence is not None and len(objectives) == 1:
            # "All on track, 7/10" with one objective: said of each of its key results.
            (objective,) = objectives
            updates = [
                PlannedUpdate(objective.id, kr, by_key[kr.id][1], None, draft.confidence)
                for kr in objective.key_results
            ]
        labels = tuple((label, ref.text) for ref, _, label in refs)
        return Understood(draft, tuple(updates), draft.note, labels)

    def save(
        self, team_id: str, user_id: str, plan: Plan, *, once_key: str
    ) -> list[CheckInResult] | None:
        """Store the plan (one check-in row per key result); None when it was saved before.

        The owner check is ``record``'s: a plan naming someone else's objective stores
        nothing and raises NotOwner.
        """
        for objective_id in plan.entries:
            self._service.owned(team_id, user_id, objective_id)  # NotOwner before any write
        if not self._claims.claim(team_id, once_key, self._deps.clock()):
            return None
        try:
            results = [
                self._service.record(team_id, user_id, objective_id, entries, plan.note)
                for objective_id, entries in plan.entries.items()
            ]
        except Exception:
            self._claims.release(team_id, once_key, self._deps.clock())
            raise
        self._claims.complete(team_id, once_key, self._deps.clock())
        return results
