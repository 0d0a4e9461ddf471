"""Whatever the draft, the threaded reply is a message Slack accepts and pings nobody."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from coaching import review_draft
from handlers.blocks import review_reply
from tests.property.strategies import slack_text

MAX_MESSAGE_BLOCKS = 50
BROADCASTS = ("<!channel>", "<!here>", "<!everyone>", "<!subteam^")


@settings(max_examples=80, deadline=None)
@given(slack_text, st.one_of(st.none(), st.integers(min_value=1, max_value=2**31)))
def test_review_reply_is_valid_block_kit_and_echoes_no_broadcast(
    text: str, review_id: int | None
) -> None:
    message = review_reply(review_draft(text), review_id=review_id)

    assert message.text.strip()
    assert 0 < len(message.blocks) <= MAX_MESSAGE_BLOCKS
    parsed = Block.parse_all(message.blocks)
    assert len(parsed) == len(message.blocks)
    for block in parsed:
        block.validate_json()  # raises SlackObjectFormationError past Slack's limits
    sent = json.dumps(message.as_kwargs(), ensure_ascii=False)
    for broadcast in BROADCASTS:
        assert broadcast not in sent
