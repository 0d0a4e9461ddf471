"""Saved objectives and key results: create, read as plain views, change only your own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.deps import Deps
from bot.models import CheckIn, KeyResult, Objective
from bot.progress import kr_progress, objective_progress
from bot.workspaces import ensure_member, ensure_workspace

COMMITMENTS = ("committed", "aspirational")
ACTIVE = "active"


class ObjectiveNotFound(LookupError):
    """No such objective in this workspace (or it was deleted)."""


class NotOwner(PermissionError):
    """Only the owner may change an objective."""


@dataclass(frozen=True)
class KeyResultInput:
    text: str
    metric: str | None = None
    baseline: float | None = None
    target: float | None = None
    unit: str | None = None


@dataclass(frozen=True)
class ObjectiveInput:
    title: str
    cycle: str
    key_results: tuple[KeyResultInput, ...] = ()
    commitment: str = "committed"
    parent_id: int | None = None


@dataclass(frozen=True)
class KeyResultView:
    id: int
    position: int
    text: str
    metric: str | None
    unit: str | None
    baseline: float | None
    target: float | None
    current: float | None
    confidence: int | None
    progress: float | None


@dataclass(frozen=True)
class ObjectiveView:
    id: int
    team_id: str
    owner_id: str
    title: str
    cycle: str
    commitment: str
    status: str
    parent_id: int | None
    grade: float | None
    last_checkin_at: datetime | None
    reminders_ignored: int
    key_results: tuple[KeyResultView, ...] = field(default_factory=tuple)
    # Objective-level confidence over the last two check-ins, oldest first (e.g. (7, 5)).
    confidence_trend: tuple[int, ...] = ()

    @property
    def progress(self) -> float | None:
        return objective_progress([kr.progress for kr in self.key_results])

    @property
    def confidence(self) -> int | None:
        return self.confidence_trend[-1] if self.confidence_trend else None


def _kr_view(kr: KeyResult) -> KeyResultView:
    return KeyResultView(
        id=kr.id,
        position=kr.position,
        text=kr.text,
        metric=kr.metric,
        unit=kr.unit,
        baseline=kr.baseline,
        target=kr.target,
        current=kr.current,
        confidence=kr.confidence,
        progress=kr_progress(kr.baseline, kr.target, kr.current),
    )


def _confidence_trends(
    session: Session, objective_ids: Sequence[int]
) -> dict[int, tuple[int, ...]]:
    """Mean confidence of each of the last two check-ins per objective, oldest first."""
    if not objective_ids:
        return {}
    rows = session.execute(
        select(CheckIn.objective_id, CheckIn.created_at, func.avg(CheckIn.confidence))
        .where(CheckIn.objective_id.in_(objective_ids), CheckIn.confidence.is_not(None))
        .group_by(CheckIn.objective_id, CheckIn.created_at)
        .order_by(CheckIn.objective_id, CheckIn.created_at.desc())
    ).all()
    latest: dict[int, list[int]] = defaultdict(list)
    for objective_id, _, mean in rows:
        if len(latest[objective_id]) < 2:
            latest[objective_id].append(round(float(mean)))
    return {key: tuple(reversed(values)) for key, values in latest.items()}


def to_views(session: Session, objectives: Iterable[Objective]) -> list[ObjectiveView]:
    items = list(objectives)
    trends = _confidence_trends(session, [o.id for o in items])
    return [
        ObjectiveView(
            id=o.id,
            team_id=o.slack_team_id,
            owner_id=o.owner_slack_user_id,
            title=o.title,
            cycle=o.cycle,
            commitment=o.commitment,
            status=o.status,
            parent_id=o.parent_id,
            grade=o.grade,
            last_checkin_at=o.last_checkin_at,
            reminders_ignored=o.reminders_ignored,
            key_results=tuple(_kr_view(kr) for kr in o.key_results),
            confidence_trend=trends.get(o.id, ()),
        )
        for o in items
    ]


def _base_query(team_id: str) -> Select[tuple[Objective]]:
    return (
        select(Objective)
        .where(Objective.slack_team_id == team_id)
        .options(selectinload(Objective.key_results))
        .order_by(Objective.created_at, Objective.id)
    )


class ObjectiveService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._sessions = deps.session_factory

    def create(
        self,
        team_id: str,
        owner_id: str,
        data: ObjectiveInput,
        *,
        source_review_id: int | None = None,
    ) -> ObjectiveView:
        """Save an objective. One per reviewed draft: saving a review again (a second
        click, an old copy of the form, two submissions racing) returns the first."""
        if source_review_id is not None:
            existing = self.from_review(team_id, source_review_id)
            if existing is not None:
                return existing
        try:
            return self._insert(team_id, owner_id, data, source_review_id)
        except IntegrityError:
            existing = self.from_review(team_id, source_review_id) if source_review_id else None
            if existing is None:
                raise
            return existing

    def from_review(self, team_id: str, review_id: int) -> ObjectiveView | None:
        """The objective saved from a reviewed draft, if any."""
        with self._sessions() as session:
            found = session.scalar(
                _base_query(team_id).where(Objective.source_review_id == review_id)
            )
            return to_views(session, [found])[0] if found is not None else None

    def _insert(
        self, team_id: str, owner_id: str, data: ObjectiveInput, source_review_id: int | None
    ) -> ObjectiveView:
        now = self._deps.clock()
        with self._sessions.begin() as session:
            ensure_workspace(session, team_id, keep_draft_text=self._deps.settings.keep_draft_text)
            ensure_member(session, team_id, owner_id)
            if data.parent_id is not None:
                parent = session.get(Objective, data.parent_id)
                if parent is None or parent.slack_team_id != team_id:
                    raise ObjectiveNotFound(data.parent_id)
            objective = Objective(
                slack_team_id=team_id,
                owner_slack_user_id=owner_id,
                title=data.title,
                cycle=data.cycle,
                commitment=data.commitment,
                status=ACTIVE,
                parent_id=data.parent_id,
                source_review_id=source_review_id,
                created_at=now,
                updated_at=now,
            )
            objective.key_results = [
                KeyResult(
                    slack_team_id=team_id,
                    position=index,
                    text=kr.text,
                    metric=kr.metric,
                    unit=kr.unit,
                    baseline=kr.baseline,
                    target=kr.target,
                    current=kr.baseline,
                    created_at=now,
                    updated_at=now,
                )
                for index, kr in enumerate(data.key_results)
            ]
            session.add(objective)
            session.flush()
            return to_views(session, [objective])[0]

    def get(self, team_id: str, objective_id: int) -> ObjectiveView:
        with self._sessions() as session:
            found = session.scalar(_base_query(team_id).where(Objective.id == objective_id))
            if found is None:
                raise ObjectiveNotFound(objective_id)
            return to_views(session, [found])[0]

    def get_owned(self, team_id: str, user_id: str, objective_id: int) -> ObjectiveView:
        view = self.get(team_id, objective_id)
        if view.owner_id != user_id:
            raise NotOwner(objective_id)
        return view

    def list_for_owner(
        self, team_id: str, owner_id: str, cycle: str | None = None, *, active_only: bool = False
    ) -> list[ObjectiveView]:
        query = _base_query(team_id).where(Objective.owner_slack_user_id == owner_id)
        if cycle:
            query = query.where(Objective.cycle == cycle)
        if active_only:
            query = query.where(Objective.status == ACTIVE)
        with self._sessions() as session:
            return to_views(session, session.scalars(query))

    def list_for_team(
        self, team_id: str, cycle: str, owner_ids: Iterable[str] | None = None
    ) -> list[ObjectiveView]:
        query = _base_query(team_id).where(Objective.cycle == cycle)
        if owner_ids is not None:
            query = query.where(Objective.owner_slack_user_id.in_(list(owner_ids)))
        with self._sessions() as session:
            return to_views(session, session.scalars(query))

    def parent_choices(self, team_id: str, cycle: str) -> list[tuple[int, str]]:
        """Active objectives of the workspace an objective can align to, each title once.

        The same title saved twice (two clicks, two people writing the company objective)
        would otherwise be two identical options; the oldest one stands for both.
        """
        query = (
            select(Objective.id, Objective.title)
            .where(
                Objective.slack_team_id == team_id,
                Objective.cycle == cycle,
                Objective.status == ACTIVE,
            )
            .order_by(Objective.created_at, Objective.id)
        )
        seen: set[str] = set()
        choices: list[tuple[int, str]] = []
        with self._sessions() as session:
            for objective_id, title in session.execute(query):
                key = " ".join(title.split()).casefold()
                if key not in seen:
                    seen.add(key)
                    choices.append((objective_id, title))
        return choices

    def delete(self, team_id: str, user_id: str, objective_id: int) -> None:
        with self._sessions.begin() as session:
            found = self._owned_row(session, team_id, user_id, objective_id)
            session.delete(found)

    def set_status(self, team_id: str, user_id: str, objective_id: int, status: str) -> None:
        if status not in {"active", "paused", "closed"}:
            raise ValueError(status)
        with self._sessions.begin() as session:
            found = self._owned_row(session, team_id, user_id, objective_id)
            found.status = status
            found.reminders_ignored = 0
            found.updated_at = self._deps.clock()

    @staticmethod
    def _owned_row(session: Session, team_id: str, user_id: str, objective_id: int) -> Objective:
        found = session.scalar(
            select(Objective).where(
                Objective.id == objective_id, Objective.slack_team_id == team_id
            )
        )
        if found is None:
            raise ObjectiveNotFound(objective_id)
        if found.owner_slack_user_id != user_id:
            raise NotOwner(objective_id)
        return found
