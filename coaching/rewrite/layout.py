"""How a rewrite is written out: its confidence line."""

from __future__ import annotations

CONFIDENCE_LINE = "Confidence: {n}/10"
CONFIDENCE_UNKNOWN = "Confidence: ?/10"
