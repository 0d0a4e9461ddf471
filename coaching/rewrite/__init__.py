"""A rewrite built from the author's own words, never a canned example.

Routine work becomes the outcome it protects (support replies: customers get answers; a
meeting: decisions made; upkeep: fewer incidents...), worded around the draft's own object
and audience, with key results that keep every number the author wrote. A strategic draft
changes only where a finding asked: numbers leave the objective for a key result, a long
objective is cut back to its head, offending key results are rewritten, the author's
confidence is kept.
"""

from coaching.rewrite.grammar import gerund, participle
from coaching.rewrite.key_results import fix_key_result, key_result_rewrite
from coaching.rewrite.measures import metric
from coaching.rewrite.people import audience
from coaching.rewrite.routine import routine_rewrite
from coaching.rewrite.shorten import SHORT_OBJECTIVE_MAX_WORDS, shorten
from coaching.rewrite.strategic import strategic_rewrite
from coaching.rewrite.verb_object import topic

__all__ = [
    "SHORT_OBJECTIVE_MAX_WORDS",
    "audience",
    "fix_key_result",
    "gerund",
    "key_result_rewrite",
    "metric",
    "participle",
    "routine_rewrite",
    "shorten",
    "strategic_rewrite",
    "topic",
]
