"""Whatever the draft, both faces of its review are messages Slack accepts that ping nobody."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from coaching import review_draft
from handlers.blocks import review_reply
from handlers.public_blocks import public_reply
from tests.property.strategies import slack_text

MAX_MESSAGE_BLOCKS = 50
BROADCASTS = ("<!channel>", "<!here>", "<!everyone>", "<!subteam^")


@settings(max_examples=80, deadline=None)
@given(slack_text, st.one_of(st.none(), st.integers(min_value=1, max_value=2**31)))
def test_replies_are_valid_block_kit_and_echo_no_broadcast(
    text: str, review_id: int | None
) -> None:
    review = review_draft(text)
    for message in (
        review_reply(review, review_id=review_id),
        public_reply(review, review_id=review_id, edited=True),
    ):
        assert message.text.strip()
        assert 0 < len(message.blocks) <= MAX_MESSAGE_BLOCKS
        parsed = Block.parse_all(message.blocks)
        assert len(parsed) == len(message.blocks)
        for block in parsed:
            block.validate_json()  # raises SlackObjectFormationError past Slack's limits
        sent = json.dumps(message.as_kwargs(), ensure_ascii=False)
        for broadcast in BROADCASTS:
            assert broadcast not in sent
