"""Reading a Slack message the way a person does: its lines of text, and what they must not say."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Internal rule ids ("scope.recurring", "kr.measurable") never belong in public.
RULE_ID = re.compile(r"\b(?:scope|impact|alignment|kr|okr|objective|draft)\.[a-z_]+\b")
# How sure the coach is, said only when it is not (and then as a question).
CERTAINTY = re.compile(r"\b(?:sure|certain|certainly|likely|probably|confidence of)\b", re.I)


def _texts(value: Any) -> Iterator[str]:
    """Every mrkdwn and plain_text string in blocks, elements and accessories, in order."""
    if isinstance(value, dict):
        if value.get("type") in {"mrkdwn", "plain_text"} and isinstance(value.get("text"), str):
            yield value["text"]
            return
        for key, inner in value.items():
            if key not in {"action_id", "block_id", "value", "style", "type"}:
                yield from _texts(inner)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def text_lines(blocks: list[dict[str, Any]]) -> list[str]:
    """Each line of text a reader sees, buttons included (one line per label)."""
    return [line for text in _texts(blocks) for line in text.splitlines() if line.strip()]


def word_count(blocks: list[dict[str, Any]]) -> int:
    return sum(len(line.split()) for line in text_lines(blocks))


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    found += [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "button"]
    return found


def primary_count(blocks: list[dict[str, Any]]) -> int:
    return sum(1 for b in buttons(blocks) if b.get("style") == "primary")
