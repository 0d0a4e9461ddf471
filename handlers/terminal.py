"""The full review as plain text for the terminal (`okr-coach coach`), in the order the
private review uses: the same words as the Block Kit builders, without the blocks."""

from __future__ import annotations

from coaching import DraftReview, Verdict
from handlers.blocks import ROUTINE_NOTE, fix_of, headline, rewrite_offered, said_under_why


def render_review(review: DraftReview) -> str:
    lines = [headline(review)]
    primary = review.primary
    if primary is None:
        return lines[0]
    if primary.verdict is Verdict.ROUTINE and not primary.unsure:
        lines.append(ROUTINE_NOTE)
    for objective in review.objectives if len(review.objectives) > 1 else ():
        lines.append(f"  - {objective.objective} [{objective.verdict.value}]")
    if primary.dimensions:
        lines.append("")
        lines.append("Why:")
        for judgement in primary.dimensions:
            lines.append(f"  {judgement.dimension.value:<9} {judgement.explanation}")
    why = tuple(j.explanation for j in primary.dimensions)
    if review.findings:
        lines.append("")
        lines.append("Findings:")
        for finding in review.findings:
            if said_under_why(finding, why):
                lines.append(f"  [{finding.rule_id}] -> {fix_of(finding)}")
                continue
            target = f"{finding.target}: " if finding.target else ""
            lines.append(f"  [{finding.rule_id}] {target}{finding.message}")
            lines.append(f"      -> {fix_of(finding)}")
    rewrite = rewrite_offered(primary)
    if rewrite:
        lines.append("")
        lines.append("A possible rewrite:")
        lines.extend(f"  {line}" for line in rewrite.splitlines())
    return "\n".join(lines)
