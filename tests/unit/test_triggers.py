"""Which messages read as drafts: the rules in handlers/triggers.py, table by table."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.triggers import TriggerReason, detect_draft

BOT = "UBOT"


def message(**overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "message",
        "channel": "C1",
        "channel_type": "channel",
        "user": "U1",
        "text": "Objective: Make onboarding delightful",
        "ts": "1700000000.000100",
    }
    event.update(overrides)
    return {k: v for k, v in event.items() if v is not None}


@pytest.mark.parametrize(
    "text",
    [
        "Objective: Grow the community",
        "objective - Grow the community",
        "O: Grow the community",
        "O1: Grow the community",
        "OKR: Grow the community",
        "Goal: Grow the community",
        "Goal \u2013 Grow the community",
        "KR1: Raise weekly actives from 10k to 15k",
        "*Objective:* Grow the community",
        "> Objective: Grow the community",
        "Key results: double signups",
    ],
)
def test_prefixed_messages_are_drafts(text: str) -> None:
    trigger = detect_draft(message(text=text), bot_user_id=BOT)
    assert trigger is not None
    assert trigger.reason is TriggerReason.PREFIX
    assert trigger.text == text.strip()


@pytest.mark.parametrize(
    "text",
    [
        "lunch anyone?",
        "Our objective today is lunch",  # the word alone, not a prefix
        "Oops: wrong channel",
        "Goalkeeper: me",
        "OKRs are due Friday",
    ],
)
def test_ordinary_chatter_is_not_a_draft(text: str) -> None:
    assert detect_draft(message(text=text), bot_user_id=BOT) is None


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"subtype": "message_changed"}, "edit"),
        ({"subtype": "message_deleted"}, "deletion"),
        ({"subtype": "bot_message", "bot_id": "B9"}, "bot message"),
        ({"bot_id": "B9"}, "message from an app"),
        ({"user": BOT}, "the bot's own message"),
        ({"thread_ts": "1699999999.000001"}, "reply in a thread"),
        ({"subtype": "channel_join"}, "join notice"),
        ({"text": ""}, "empty"),
        ({"text": "   \n\t "}, "whitespace only"),
        ({"user": None}, "no author"),
        ({"type": "reaction_added"}, "other event"),
    ],
)
def test_ignored_messages(overrides: dict[str, Any], why: str) -> None:
    assert detect_draft(message(**overrides), bot_user_id=BOT) is None, why


def test_thread_parent_with_its_own_ts_is_still_top_level() -> None:
    event = message(thread_ts="1700000000.000100")
    assert detect_draft(event, bot_user_id=BOT) is not None


def test_mention_makes_any_text_a_draft_and_strips_the_mention() -> None:
    trigger = detect_draft(message(text=f"<@{BOT}> Ship the mobile app"), bot_user_id=BOT)
    assert trigger is not None
    assert trigger.reason is TriggerReason.MENTION
    assert trigger.text == "Ship the mobile app"


def test_app_mention_event_is_a_draft() -> None:
    event = message(type="app_mention", text=f"hey <@{BOT}|okr-coach> grow revenue 20%")
    event.pop("channel_type")
    trigger = detect_draft(event, bot_user_id=BOT)
    assert trigger is not None and trigger.text == "hey grow revenue 20%"


def test_a_bare_mention_has_nothing_to_review() -> None:
    assert detect_draft(message(text=f"<@{BOT}>"), bot_user_id=BOT) is None


def test_okr_channels_take_every_top_level_message() -> None:
    event = message(text="Grow the community", channel="COKR")
    assert detect_draft(event, bot_user_id=BOT) is None
    trigger = detect_draft(event, bot_user_id=BOT, okr_channel_ids=frozenset({"COKR"}))
    assert trigger is not None and trigger.reason is TriggerReason.OKR_CHANNEL


def test_direct_messages_to_the_bot_are_drafts() -> None:
    trigger = detect_draft(message(text="grow revenue", channel_type="im"), bot_user_id=BOT)
    assert trigger is not None and trigger.reason is TriggerReason.DIRECT_MESSAGE


def test_other_users_mentions_do_not_trigger() -> None:
    assert detect_draft(message(text="<@U777> can you look?"), bot_user_id=BOT) is None
