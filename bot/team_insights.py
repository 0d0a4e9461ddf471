"""The team's coaching picture for a cycle: where coaching helps, and where it does not.

For a team lead on App Home: which rules fire most on the team's drafts, how many drafts
became saved OKRs, how many of the coach's rewrites were taken up, and which rules people
mark "Not helpful" most (findings and progress warnings alike). Scoped to one workspace.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import func, select

from bot.cycles import cycle_bounds
from bot.deps import Deps
from bot.models import CoachingReview, FindingFeedback, WarningFeedback
from bot.reviews import SAVED_OUTCOMES, SAVED_REWRITE

TOP = 5


@dataclass(frozen=True)
class TeamPicture:
    cycle: str
    drafts: int
    saved: int
    rewrites_taken: int
    # (rule id, how many drafts it fired on), most first.
    top_rules: tuple[tuple[str, int], ...]
    # (rule id, how many "Not helpful"), most first.
    least_helpful: tuple[tuple[str, int], ...]

    @property
    def saved_share(self) -> float | None:
        return self.saved / self.drafts if self.drafts else None

    @property
    def rewrite_share(self) -> float | None:
        """Of the drafts reviewed (each gets a rewrite), how many were saved from it."""
        return self.rewrites_taken / self.drafts if self.drafts else None


def team_picture(deps: Deps, team_id: str, cycle: str) -> TeamPicture:
    first, last = cycle_bounds(cycle)
    start = datetime.combine(first, time.min, tzinfo=UTC)
    end = datetime.combine(last, time.max, tzinfo=UTC)
    in_cycle = (CoachingReview.slack_team_id == team_id) & CoachingReview.created_at.between(
        start, end
    )
    with deps.session_factory() as session:
        rows = session.execute(
            select(CoachingReview.rule_ids, CoachingReview.outcome).where(in_cycle)
        ).all()
        feedback: Counter[str] = Counter()
        for model in (FindingFeedback, WarningFeedback):
            counted = session.execute(
                select(model.rule_id, func.count())
                .where(model.slack_team_id == team_id, model.created_at.between(start, end))
                .group_by(model.rule_id)
            ).all()
            feedback.update({rule: int(n) for rule, n in counted})
    fired: Counter[str] = Counter()
    for rule_ids, _ in rows:
        fired.update(set(rule_ids or ()))
    return TeamPicture(
        cycle=cycle,
        drafts=len(rows),
        saved=sum(1 for _, outcome in rows if outcome in SAVED_OUTCOMES),
        rewrites_taken=sum(1 for _, outcome in rows if outcome == SAVED_REWRITE),
        top_rules=_top(fired),
        least_helpful=_top(feedback),
    )


def _top(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    # Ties broken by rule id, so the picture does not reshuffle between two looks.
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP])
