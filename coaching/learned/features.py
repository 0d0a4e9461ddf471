"""What the learned layer reads of one objective: its words, its characters and its cues.

Training and the running coach build features with these same functions, so a model is
always applied to exactly what it was fitted on.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from coaching.classify import Classification, classify
from coaching.features import Cue
from coaching.parsing import ParsedObjective

# Every rule id a cue may carry, in a fixed order: the columns of the cue vector.
CUE_RULES: tuple[str, ...] = (
    "alignment.personal",
    "alignment.role_duty",
    "alignment.shared",
    "impact.aspiration",
    "impact.change",
    "impact.kr_change",
    "impact.kr_measures",
    "impact.novelty",
    "impact.outcome",
    "impact.output",
    "impact.service_standard",
    "impact.status_quo",
    "impact.target",
    "impact.upkeep",
    "scope.admin",
    "scope.chore",
    "scope.key_results",
    "scope.new_capability",
    "scope.procedure",
    "scope.reach",
    "scope.recurring",
    "scope.time_box",
)
SHAPE_FEATURES: tuple[str, ...] = ("rule_score", "key_results", "lone_key_result", "log_words")
CUE_FEATURES: tuple[str, ...] = CUE_RULES + SHAPE_FEATURES
_CUE_INDEX = {rule: i for i, rule in enumerate(CUE_RULES)}

# The learned layer reads at most this much of one objective and its key results: enough
# for any real OKR, and a bound on the work a pasted document can cause.
MAX_UNIT_CHARS = 1200
_WORD = re.compile(r"\b\w\w+\b")
CHAR_NGRAMS = (2, 5)


def unit_text(objective: str, key_results: Sequence[str] = ()) -> str:
    """An objective and its key results as one text, one per line, capped."""
    return "\n".join((objective, *key_results))[:MAX_UNIT_CHARS]


def word_terms(text: str) -> Counter[str]:
    """Words and word pairs, lower case (words of one letter or digit left out)."""
    words = _WORD.findall(text.lower())
    terms = Counter(words)
    terms.update(f"{a} {b}" for a, b in pairwise(words))
    return terms


def char_terms(text: str) -> Counter[str]:
    """Character 2- to 5-grams inside each word padded with a space (sees stems, typos)."""
    low, high = CHAR_NGRAMS
    grams = [
        padded[i : i + n]
        for padded in (f" {word} " for word in text.lower().split())
        for n in range(low, min(high, len(padded)) + 1)
        for i in range(len(padded) - n + 1)
    ]
    return Counter(grams)


def cue_vector(
    cues: Sequence[Cue],
    score: float,
    *,
    key_results: int,
    lone_key_result: bool,
    words: int,
) -> list[float]:
    """The rules' evidence: summed weight per rule id, then the draft's shape."""
    vector = [0.0] * len(CUE_FEATURES)
    for cue in cues:
        vector[_CUE_INDEX[cue.rule_id]] += cue.weight
    offset = len(CUE_RULES)
    vector[offset] = score
    vector[offset + 1] = min(key_results, 5) / 5
    vector[offset + 2] = 1.0 if lone_key_result else 0.0
    vector[offset + 3] = math.log1p(words)
    return vector


@dataclass(frozen=True, slots=True)
class ModelInputs:
    """Everything the learned layer reads of one parsed objective."""

    unit: str
    cues: tuple[float, ...]
    rules: Classification


def model_inputs(parsed: ParsedObjective) -> ModelInputs:
    """The rules' classification of one objective and the inputs of the learned layer."""
    rules = classify(parsed.text, parsed.key_results)
    unit = unit_text(parsed.text, parsed.key_results)
    vector = cue_vector(
        rules.cues,
        rules.score,
        key_results=parsed.key_result_count,
        lone_key_result=parsed.lone_key_result,
        words=len(unit.split()),
    )
    return ModelInputs(unit, tuple(vector), rules)
