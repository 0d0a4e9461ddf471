"""Block Kit checks run with slack_sdk's own models, so limits are Slack's, not ours."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT_CHARS = 40_000


# slack_sdk's models quietly coerce a bare string into a text object where Slack answers
# invalid_blocks, so these fields are checked by hand: block/element type -> object fields.
_OBJECT_FIELDS = {
    "section": ("text",),
    "header": ("text",),
    "button": ("text",),
    "input": ("label", "hint"),
}


def _bare_strings(node: Any, path: str) -> list[str]:
    problems: list[str] = []
    if isinstance(node, dict):
        fields = (*_OBJECT_FIELDS.get(str(node.get("type")), ()), "placeholder")
        for key in fields:
            if isinstance(node.get(key), str):
                problems.append(f"{path}.{key} must be a text object, not a string")
        for key, value in node.items():
            problems.extend(_bare_strings(value, f"{path}.{key}"))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            problems.extend(_bare_strings(item, f"{path}[{index}]"))
    return problems


def check_blocks(blocks: Any, limit: int = MAX_MESSAGE_BLOCKS) -> list[str]:
    """Problems with a list of blocks; empty when Slack would accept it."""
    if not isinstance(blocks, list):
        return [f"blocks must be a JSON array, got {type(blocks).__name__}"]
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"{len(blocks)} blocks exceed the limit of {limit}")
    try:
        parsed = Block.parse_all(blocks)
    except Exception as exc:  # any parse failure is a malformed payload, whatever its type
        return [*problems, f"blocks do not parse: {type(exc).__name__}: {exc}"]
    for index, (raw, block) in enumerate(zip(blocks, parsed, strict=True)):
        # parse_all silently drops unknown types to None; Slack rejects them.
        if block is None:
            kind = raw.get("type") if isinstance(raw, dict) else type(raw).__name__
            problems.append(f"block[{index}]: unknown block type {kind!r}")
            continue
        try:
            block.validate_json()
        except Exception as exc:
            problems.append(f"block[{index}] ({raw.get('type')}): {exc}")
        problems.extend(_bare_strings(raw, f"block[{index}]"))
    return problems


def check_message(params: dict[str, Any], *, require_content: bool) -> list[str]:
    """Problems with a message payload (chat.* or response_url)."""
    problems: list[str] = []
    text = params.get("text")
    blocks = params.get("blocks")
    if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
        problems.append(f"text has {len(text)} chars, over Slack's {MAX_TEXT_CHARS}")
    if blocks is not None:
        problems.extend(check_blocks(blocks))
    has_content = any(params.get(k) for k in ("text", "blocks", "attachments", "markdown_text"))
    if require_content and not has_content:
        problems.append("message has neither text nor blocks (Slack answers no_text)")
    return problems


def check_view(view: Any) -> list[str]:
    """Problems with a modal or Home tab view."""
    if not isinstance(view, dict):
        return [f"view must be a JSON object, got {type(view).__name__}"]
    problems: list[str] = []
    try:
        View(**view).validate_json()
    except Exception as exc:
        problems.append(f"view: {type(exc).__name__}: {exc}")
    # View.validate_json checks the count but not the blocks themselves.
    problems.extend(check_blocks(view.get("blocks", []), limit=MAX_VIEW_BLOCKS))
    if view.get("type") == "modal" and not view.get("title"):
        problems.append("view: a modal needs a title")
    return problems
