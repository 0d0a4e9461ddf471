"""Echoed user text is inert (no tags, no broadcasts) and loses nothing but its defusing."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.text import ELLIPSIS, escape, truncate
from tests.property.strategies import slack_text

LIVE_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
ENTITY = re.compile(r"&(lt|gt|amp);")
ZWJ = "\u200d"


def unescape(text: str) -> str:
    # One pass, so "&amp;lt;" decodes to "&lt;" and not on to "<".
    decoded = ENTITY.sub(lambda m: {"lt": "<", "gt": ">", "amp": "&"}[m.group(1)], text)
    return decoded.replace(ZWJ, "")


def entities_whole(text: str) -> bool:
    """Every & starts one of the three entities escape() writes."""
    return all(ENTITY.match(text, m.start()) for m in re.finditer("&", text))


@settings(max_examples=150, deadline=None)
@given(slack_text)
def test_escape_leaves_no_tags_and_no_live_broadcasts(text: str) -> None:
    escaped = escape(text)

    assert "<" not in escaped and ">" not in escaped
    assert not LIVE_BROADCAST.search(escaped)
    assert entities_whole(escaped)


@settings(max_examples=150, deadline=None)
@given(slack_text)
def test_unescaping_round_trips(text: str) -> None:
    assert unescape(escape(text)) == text.replace(ZWJ, "")


@settings(max_examples=150, deadline=None)
@given(slack_text, st.integers(min_value=1, max_value=400))
def test_truncate_respects_the_limit_and_never_splits_an_entity(text: str, limit: int) -> None:
    escaped = escape(text)
    cut = truncate(escaped, limit)

    assert len(cut) <= limit
    if len(escaped) <= limit:
        assert cut == escaped
    else:
        assert cut.endswith(ELLIPSIS)
        body = cut.removesuffix(ELLIPSIS)
        assert escaped.startswith(body)
        assert entities_whole(body)
