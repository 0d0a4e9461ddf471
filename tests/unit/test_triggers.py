"""What the bot does with each message: the rules in handlers/triggers.py, table by table."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.triggers import Action, Route, TriggerReason, is_small_talk, route_message

BOT = "UBOT"
TS = "1700000000.000100"


def detect_draft(event: dict[str, Any], **kwargs: Any) -> Route | None:
    """The route when it is a review (the old question: "is this a draft?")."""
    route = route_message(event, **kwargs)
    return route if route is not None and route.action is Action.REVIEW else None


def message(**overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "message",
        "channel": "C1",
        "channel_type": "channel",
        "user": "U1",
        "text": "Objective: Make onboarding delightful",
        "ts": TS,
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


def test_a_bare_mention_gets_help_not_a_review() -> None:
    route = route_message(message(text=f"<@{BOT}>"), bot_user_id=BOT)
    assert route == Route(Action.HELP, TriggerReason.MENTION, "", TS)


def test_okr_channels_take_every_top_level_message() -> None:
    event = message(text="Grow the community", channel="COKR")
    assert detect_draft(event, bot_user_id=BOT) is None
    trigger = detect_draft(event, bot_user_id=BOT, okr_channel_ids=frozenset({"COKR"}))
    assert trigger is not None and trigger.reason is TriggerReason.OKR_CHANNEL


def test_direct_messages_to_the_bot_are_drafts_answered_in_the_dm() -> None:
    event = message(text="grow revenue", channel_type="im", channel="D1")
    route = route_message(event, bot_user_id=BOT)
    assert route == Route(Action.REVIEW, TriggerReason.DIRECT_MESSAGE, "grow revenue", None)


def test_other_users_mentions_do_not_trigger() -> None:
    assert detect_draft(message(text="<@U777> can you look?"), bot_user_id=BOT) is None


@pytest.mark.parametrize(
    "text",
    [
        "help",
        "Help!",
        "hi",
        "Hello",
        "hey there :wave:",
        "thanks",
        "Thank you so much!",
        "thx 🙏",
        "?",
        "??",
        ":wave:",
        "👍",
        "ok cool",
        "good morning team",
        "what's up",
        "what\u2019s up",
        "what can you do?",
        "How does this work?",
        "help me write an OKR",
        "Hi coach, help please",
    ],
)
def test_small_talk_in_a_dm_gets_help_not_a_review(text: str) -> None:
    route = route_message(message(text=text, channel_type="im", channel="D1"), bot_user_id=BOT)
    assert route is not None
    assert (route.action, route.thread_ts) == (Action.HELP, None)


@pytest.mark.parametrize(
    "text",
    [
        "grow revenue",
        "Grow paying teams from 40 to 90 this quarter",
        "Objective: hi",
        "Make onboarding effortless",
        "Good onboarding for every new team",
        "Answer support emails within 24h",
        "Should we double revenue in Europe by the end of the year?",
        "Hello, here is my draft: Grow the community to 500 members",
        "Attend the weekly sync",
        "Stabilize the platform",
    ],
)
def test_drafts_in_a_dm_get_a_review(text: str) -> None:
    route = route_message(message(text=text, channel_type="im", channel="D1"), bot_user_id=BOT)
    assert route is not None
    assert (route.action, route.thread_ts) == (Action.REVIEW, None)
    assert not is_small_talk(text)


def test_a_mention_in_a_channel_thread_is_answered_in_that_thread() -> None:
    event = message(
        text=f"<@{BOT}> Objective: Grow the community", ts="1700000009.000200", thread_ts=TS
    )
    route = route_message(event, bot_user_id=BOT)
    assert route == Route(Action.REVIEW, TriggerReason.MENTION, "Objective: Grow the community", TS)


def test_an_app_mention_in_a_thread_is_answered_in_that_thread() -> None:
    event = message(type="app_mention", text=f"<@{BOT}> thanks!", ts="1700000009.1", thread_ts=TS)
    event.pop("channel_type")
    assert route_message(event, bot_user_id=BOT) == Route(
        Action.HELP, TriggerReason.MENTION, "thanks!", TS
    )


def test_a_top_level_mention_is_answered_in_its_own_thread() -> None:
    route = route_message(message(text=f"<@{BOT}> hello"), bot_user_id=BOT)
    assert route == Route(Action.HELP, TriggerReason.MENTION, "hello", TS)


def test_a_mention_in_a_dm_is_answered_in_the_dm() -> None:
    event = message(text=f"<@{BOT}> Grow the community", channel_type="im", channel="D1")
    route = route_message(event, bot_user_id=BOT)
    assert route is not None and (route.action, route.thread_ts) == (Action.REVIEW, None)


def test_thread_replies_in_a_channel_without_a_mention_stay_quiet() -> None:
    event = message(text="Objective: Grow", channel_type="channel", thread_ts="1699999999.1")
    assert route_message(event, bot_user_id=BOT) is None


def test_a_reply_in_a_dm_thread_is_answered_in_that_thread() -> None:
    """Replying to the weekly reminder in its thread is talking to the bot."""
    event = message(text="KR2 now 45%", channel_type="im", channel="D1", thread_ts="1699999999.1")
    route = route_message(event, bot_user_id=BOT)
    assert route is not None
    assert (route.reason, route.thread_ts) == (TriggerReason.DIRECT_MESSAGE, "1699999999.1")


def test_small_talk_in_an_okr_channel_is_not_reviewed_nor_answered() -> None:
    okr = frozenset({"COKR"})
    assert (
        route_message(message(text="thanks!", channel="COKR"), bot_user_id=BOT, okr_channel_ids=okr)
        is None
    )
    route = route_message(
        message(text="Grow the community", channel="COKR"), bot_user_id=BOT, okr_channel_ids=okr
    )
    assert route is not None and route.action is Action.REVIEW


def test_chatter_in_a_channel_is_ignored_even_when_it_is_small_talk() -> None:
    assert route_message(message(text="thanks!"), bot_user_id=BOT) is None
