"""How a rewrite is written out: the objective, its key results, the author's confidence."""

from __future__ import annotations

from collections.abc import Sequence

from coaching.craft import kr_label

CONFIDENCE_LINE = "Confidence: {n}/10"
CONFIDENCE_UNKNOWN = "Confidence: ?/10"


def confidence_lines(level: int | None, *, ask: bool) -> list[str]:
    """The author's confidence kept; without one, a "?/10" to fill in when ``ask``."""
    if level is not None:
        return [CONFIDENCE_LINE.format(n=level)]
    return [CONFIDENCE_UNKNOWN] if ask else []


def okr_text(
    objective: str, key_results: Sequence[str], confidence_level: int | None, *, ask: bool
) -> str:
    """ "Objective: ...", a "KR1: ..." line for each key result, then the confidence line."""
    lines = [f"Objective: {objective}"]
    lines += [f"{kr_label(i)}: {kr}" for i, kr in enumerate(key_results)]
    return "\n".join(lines + confidence_lines(confidence_level, ask=ask))
