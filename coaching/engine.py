"""Review a draft: parse it, classify each objective, check its craft, suggest a rewrite."""

from __future__ import annotations

from collections.abc import Sequence

from coaching import messages as msg
from coaching.classify import Classification, reason
from coaching.craft import check_confidence, check_key_results, check_objective, quote
from coaching.features import Cue
from coaching.learned import VerdictModel, default_model, model_inputs
from coaching.model import Dimension, DraftReview, Finding, ObjectiveReview, Severity, Verdict
from coaching.parsing import MAX_OBJECTIVES, ParsedObjective, parse_draft
from coaching.rewrite import key_result_rewrite, routine_rewrite, strategic_rewrite

# At most this many reasons in a summary line and classification findings per objective.
MAX_REASONS = 3
# Below this confidence the coach asks instead of telling. Grouped cross-validation puts
# accuracy near 60% under it and near 85% or more above it (README, "How sure the coach is").
UNSURE_BELOW = 0.8


def review_draft(text: str, model: VerdictModel | None = None) -> DraftReview:
    """Review every objective in a Slack message. Total: any string gives a review."""
    model = model or default_model()
    parsed = parse_draft(text)
    objectives = tuple(review_objective(o, model) for o in parsed.objectives)
    notes: tuple[Finding, ...] = ()
    if parsed.truncated:
        message, suggestion = msg.DRAFT_TRUNCATED
        notes = (
            Finding(
                "draft.truncated",
                Severity.LOW,
                message.format(n=min(len(objectives), MAX_OBJECTIVES), c=parsed.chars_read),
                suggestion,
                None,
            ),
        )
    return DraftReview(text=text, objectives=objectives, notes=notes, truncated=parsed.truncated)


def review_objective(parsed: ParsedObjective, model: VerdictModel) -> ObjectiveReview:
    """The learned layer decides the verdict and how sure it is; the rules explain it."""
    inputs = model_inputs(parsed)
    probability = model.predict(inputs).probability
    verdict = Verdict.STRATEGIC if probability >= 0.5 else Verdict.ROUTINE
    confidence = max(probability, 1.0 - probability)
    verdict_of = inputs.rules.decided(verdict, confidence)
    unsure = confidence < UNSURE_BELOW or inputs.rules.rules_verdict is not verdict
    findings: list[Finding] = []
    if verdict_of.verdict is Verdict.ROUTINE:
        findings += _routine_findings(verdict_of, parsed.text)
    if verdict_of.verdict is Verdict.STRATEGIC or parsed.lone_key_result:
        findings += check_objective(parsed.text, lone_key_result=parsed.lone_key_result)
    if parsed.lone_key_result:
        findings += check_key_results([parsed.text], lone_key_result=True)
    elif parsed.key_results or verdict_of.verdict is Verdict.STRATEGIC:
        findings += check_key_results(parsed.key_results, written=parsed.key_result_count)
    if verdict_of.verdict is Verdict.STRATEGIC:
        findings += check_confidence(parsed.confidence_level)
    findings.sort(key=lambda f: f.severity.rank)

    if parsed.lone_key_result:
        rewrite = key_result_rewrite(
            parsed.text, findings, confidence_level=parsed.confidence_level
        )
    elif verdict_of.verdict is Verdict.ROUTINE:
        rewrite = routine_rewrite(
            parsed.text, parsed.key_results, findings, confidence_level=parsed.confidence_level
        )
    else:
        rewrite = strategic_rewrite(
            parsed.text,
            parsed.key_results,
            findings,
            confidence_level=parsed.confidence_level,
        )
    return ObjectiveReview(
        objective=parsed.text,
        key_results=parsed.key_results,
        verdict=verdict_of.verdict,
        confidence=verdict_of.confidence,
        score=verdict_of.score,
        dimensions=verdict_of.dimensions,
        findings=tuple(findings),
        rewrite=rewrite,
        summary=_summary(verdict_of, unsure=unsure),
        confidence_level=parsed.confidence_level,
        lone_key_result=parsed.lone_key_result,
        unsure=unsure,
    )


def _summary(c: Classification, *, unsure: bool) -> str:
    if unsure:
        return msg.UNSURE_QUESTION
    reasons = [reason(cue) for cue in _distinct(c.drivers())[:MAX_REASONS]]
    head = msg.headline(c.verdict)
    if not reasons:
        return head + "."
    return f"{head}: " + "; ".join(reasons) + "."


def _distinct(cues: Sequence[Cue]) -> list[Cue]:
    """One cue per rule, so a reply never gives the same reason twice."""
    seen: set[str] = set()
    out: list[Cue] = []
    for cue in cues:
        if cue.rule_id not in seen:
            seen.add(cue.rule_id)
            out.append(cue)
    return out


def _routine_findings(c: Classification, objective: str) -> list[Finding]:
    """The reasons it reads as routine, each with a fix; the first says the work matters."""
    out: list[Finding] = []
    for cue in _distinct(c.drivers()):
        fix = msg.CUE_FIXES.get(cue.rule_id)
        if fix is None:
            continue
        severity = Severity.HIGH if not out else Severity.MEDIUM
        suggestion = fix.format(e=cue.evidence.strip(), o=quote(objective))
        if not out:
            suggestion = f"{msg.ROUTINE_IS_NECESSARY} {suggestion}"
        out.append(Finding(cue.rule_id, severity, _cap(reason(cue)), suggestion, "objective"))
        if len(out) >= MAX_REASONS:
            break
    if not out:
        out.append(
            Finding(
                "impact.no_change",
                Severity.HIGH,
                _cap(msg.DEFAULT_DIMENSION_LINES[Dimension.IMPACT, Verdict.ROUTINE]),
                f"{msg.ROUTINE_IS_NECESSARY} {msg.OUTCOME_HINT}",
                "objective",
            )
        )
    return out


def _cap(line: str) -> str:
    line = line.strip()
    return (line[:1].upper() + line[1:]).rstrip(".") + "."
