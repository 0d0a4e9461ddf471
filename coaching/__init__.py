"""Pure coaching logic: draft text in, a typed review out. No Slack, SQL or ``bot`` here."""

from coaching.engine import review_draft
from coaching.evaluation import EvalReport, evaluate, load_jsonl
from coaching.model import (
    Dimension,
    DimensionJudgement,
    DraftReview,
    Finding,
    ObjectiveReview,
    Severity,
    Verdict,
)
from coaching.parsing import ParsedDraft, ParsedObjective, parse_draft, strip_slack_markup

__all__ = [
    "Dimension",
    "DimensionJudgement",
    "DraftReview",
    "EvalReport",
    "Finding",
    "ObjectiveReview",
    "ParsedDraft",
    "ParsedObjective",
    "Severity",
    "Verdict",
    "evaluate",
    "load_jsonl",
    "parse_draft",
    "review_draft",
    "strip_slack_markup",
]
