"""The weekly reminder pass against the fake Slack and a real database."""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import timedelta

from slack_sdk import WebClient

from bot.pacing import RATE_LIMIT_RETRIES
from bot.reminders import CLAIMED, FAILED, GAVE_UP, SENT, SKIPPED, ReminderConfig
from handlers import ids
from handlers.checkin_blocks import REMINDER_TEXT
from tests.fakeslack import DEFAULT_TEAM, DEFAULT_TOKEN
from tests.reminders.helpers import World


def test_a_due_member_gets_one_dm_listing_objectives_with_a_check_in_button(
    world: World,
) -> None:
    (objective,) = world.member("U0001")

    report = world.make_pass().run()

    assert report.total("sent") == 1
    (open_call,) = world.fake.calls_to("conversations.open")
    assert open_call.params["users"] == "U0001"
    (dm,) = world.dms()
    assert dm.params["channel"] == "DU0001"
    assert dm.params["text"] == REMINDER_TEXT
    blocks = dm.params["blocks"]
    button = blocks[1]["accessory"]
    assert (button["action_id"], button["value"]) == (ids.ACTION_OPEN_CHECKIN, str(objective.id))
    assert objective.title in blocks[1]["text"]["text"]
    assert "░░░░░░░░░░ 0%" in blocks[1]["text"]["text"]
    assert "every Monday at 09:00" in json.dumps(blocks)
    (row,) = world.deliveries()
    assert (row.slack_team_id, row.slack_user_id, row.kind, row.period, row.status) == (
        DEFAULT_TEAM,
        "U0001",
        "weekly",
        "2026-W48",
        SENT,
    )
    assert row.slack_message_ts == dm.response["ts"]
    assert world.member_row("U0001").slack_dm_channel_id == "DU0001"
    assert world.objective_row(objective.id).reminders_ignored == 1


def test_running_the_pass_again_sends_nothing_more(world: World) -> None:
    world.member("U0001")
    world.member("U0002")
    world.make_pass().run()
    world.advance(minutes=5)
    again = world.make_pass().run()
    world.advance(hours=3)
    world.make_pass().run()

    assert again.total("sent") == 0
    assert sorted(c.params["channel"] for c in world.dms()) == ["DU0001", "DU0002"]
    assert [r.status for r in world.deliveries()] == [SENT, SENT]


def test_two_passes_at_once_open_each_dm_channel_once_and_send_each_dm_once(
    world: World,
) -> None:
    users = [f"U{n:04d}" for n in range(2, 14)]
    for user in users:
        world.member(user, profile_synced_at=world.clock.now)
    # Slow opens keep both passes inside the opening stage at the same time.
    world.fake.delay("conversations.open", 0.02)
    barrier = threading.Barrier(2)
    reports = []

    def run() -> None:
        barrier.wait()
        reports.append(world.make_pass(ReminderConfig(senders_per_workspace=3)).run())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Each delivery is claimed before any Slack call made for it, conversations.open included.
    opened = Counter(c.params["users"] for c in world.fake.calls_to("conversations.open"))
    assert opened == Counter(users)
    channels = [c.params["channel"] for c in world.dms()]
    assert sorted(channels) == sorted(f"D{u}" for u in users)
    assert sum(r.total("sent") for r in reports) == len(users)
    assert len(world.deliveries(status=SENT)) == len(users)


def test_second_week_reuses_the_cached_dm_channel(world: World) -> None:
    world.member("U0001")
    world.make_pass().run()
    world.advance(days=7)

    world.make_pass().run()

    assert len(world.fake.calls_to("conversations.open")) == 1
    assert [c.params["channel"] for c in world.dms()] == ["DU0001", "DU0001"]
    assert [r.period for r in world.deliveries()] == ["2026-W48", "2026-W49"]


def test_time_zones_come_from_one_users_list_page_not_users_info(world: World) -> None:
    world.member("U0002", tz="America/Los_Angeles")  # Monday 01:00 there: not yet
    world.member("U0003", tz="Asia/Tokyo")  # Monday 18:00 there: due
    with world.deps.session_factory.begin() as s:
        from sqlalchemy import update

        from bot.models import Member

        # The database does not know the zones yet: only Slack does.
        s.execute(update(Member).values(tz=None))

    world.make_pass().run()

    assert len(world.fake.calls_to("users.list")) == 1
    assert world.fake.calls_to("users.info") == []
    assert world.member_row("U0002").tz == "America/Los_Angeles"
    assert [c.params["channel"] for c in world.dms()] == ["DU0003"]


def test_members_who_checked_in_recently_turned_reminders_off_or_left_are_skipped(
    world: World,
) -> None:
    (recent,) = world.member("U0002")
    world.clock.now -= timedelta(days=2)
    world.check_in("U0002", recent)
    world.clock.now += timedelta(days=2)
    world.member("U0003", reminders_enabled=False)
    world.member("U0004", in_slack=False)  # left: absent from users.list altogether
    world.fake.add_user(DEFAULT_TEAM, "U0005", deleted=True)
    world.member("U0005", in_slack=False)  # deactivated in Slack: users.list says so
    world.member("U0006", dm_blocked_reason="user_disabled")
    world.member("U0007")

    report = world.make_pass().run()

    assert [c.params["channel"] for c in world.dms()] == ["DU0007"]
    assert report.total("skipped") == 1
    (skipped,) = world.deliveries(status=SKIPPED)
    assert skipped.slack_user_id == "U0002"
    assert world.member_row("U0004").deleted is True
    assert world.member_row("U0005").deleted is True


def test_no_dm_before_the_local_reminder_time_or_in_quiet_hours(world: World) -> None:
    world.member("U0002", tz="Europe/Berlin", reminder_minute=11 * 60)  # 10:00 there now
    world.member("U0003", tz="Asia/Tokyo", reminder_weekday=0, reminder_minute=9 * 60)

    world.at(world.clock.now.replace(hour=8, minute=59))  # 09:59 Berlin, 17:59 Tokyo
    world.make_pass().run()
    assert [c.params["channel"] for c in world.dms()] == ["DU0003"]

    world.at(world.clock.now.replace(hour=12, minute=30))  # 13:30 Berlin, 21:30 Tokyo
    world.fake.reset()
    world.make_pass().run()
    assert [c.params["channel"] for c in world.dms()] == ["DU0002"]


def test_a_transient_error_is_retried_later_and_given_up_after_the_last_attempt(
    world: World,
) -> None:
    world.member("U0001")
    world.fake.fail("chat.postMessage", "internal_error", times=2)
    config = ReminderConfig(max_attempts=3)

    world.make_pass(config).run()
    (row,) = world.deliveries()
    assert (row.status, row.attempts, row.last_error) == (FAILED, 1, "internal_error")
    assert row.next_attempt_at == world.clock.now + config.retry_backoff

    world.make_pass(config).run()  # too early: the backoff has not passed
    assert world.deliveries()[0].attempts == 1

    world.advance(minutes=5)
    world.make_pass(config).run()
    assert world.deliveries()[0].attempts == 2
    world.advance(minutes=10)
    world.make_pass(config).run()

    (row,) = world.deliveries()
    assert (row.status, row.attempts) == (SENT, 3)
    assert len(world.dms()) == 1


def test_a_reminder_that_keeps_failing_is_recorded_as_given_up(world: World) -> None:
    world.member("U0001")
    world.fake.fail("chat.postMessage", "internal_error", times=10)
    config = ReminderConfig(max_attempts=2)
    world.make_pass(config).run()
    world.advance(hours=1)
    report = world.make_pass(config).run()
    world.advance(hours=1)
    world.make_pass(config).run()

    assert report.total("gave_up") == 1
    (row,) = world.deliveries()
    assert (row.status, row.attempts, row.last_error) == (GAVE_UP, 2, "internal_error")
    assert len(world.fake.calls_to("chat.postMessage")) == 2


def test_a_permanent_dm_failure_marks_the_member_and_is_not_retried(world: World) -> None:
    world.member("U0001")
    world.member("U0002")
    world.fake.fail("chat.postMessage", "user_disabled", times=1)

    report = world.make_pass().run()
    world.advance(days=7)
    world.make_pass().run()

    assert report.total("blocked") == 1
    blocked = [u for u in ("U0001", "U0002") if world.member_row(u).dm_blocked_reason]
    assert len(blocked) == 1
    assert world.member_row(blocked[0]).dm_blocked_reason == "user_disabled"
    assert world.member_row(blocked[0]).slack_dm_channel_id is None
    assert all(c.params["channel"] != f"D{blocked[0]}" for c in world.dms())
    assert len(world.dms()) == 2  # the other member, both weeks


def test_a_failed_conversations_open_is_retried_after_its_backoff(world: World) -> None:
    world.member("U0001")
    world.fake.fail("conversations.open", "internal_error")
    world.make_pass().run()
    assert world.dms() == []
    (row,) = world.deliveries()  # claimed before the open, so the failure is on record
    assert (row.status, row.attempts, row.last_error) == (FAILED, 1, "internal_error")
    world.advance(minutes=5)
    world.make_pass().run()
    assert len(world.dms()) == 1
    assert len(world.fake.calls_to("conversations.open")) == 2


def test_a_429_storm_pauses_the_whole_workspace_and_loses_nothing(world: World) -> None:
    users = [f"U{n:04d}" for n in range(2, 12)]
    for user in users:
        world.member(user)
    # Fewer 429s in a row than the retries one call gets: every DM goes out in this pass.
    world.fake.rate_limit("chat.postMessage", retry_after=7, times=RATE_LIMIT_RETRIES)
    world.fake.rate_limit("conversations.open", retry_after=3, times=2)

    report = world.make_pass(ReminderConfig(senders_per_workspace=4)).run()

    assert report.total("sent") == len(users)
    assert report.total("rate_limited") == RATE_LIMIT_RETRIES + 2
    assert sorted(c.params["channel"] for c in world.dms()) == sorted(f"D{u}" for u in users)
    # The waits were Retry-After long, in the pacer's (fake) time, shared by every thread.
    assert 7 in [round(s) for s in world.time.slept]
    assert len(world.deliveries(status=SENT)) == len(users)


def test_a_revoked_token_stops_the_workspace_and_keeps_reminders_for_later(world: World) -> None:
    world.member("U0001")
    world.member("U0002", slack_dm_channel_id="DU0002")
    world.fake.fail("chat.postMessage", "invalid_auth", times=1)

    report = world.make_pass(ReminderConfig(senders_per_workspace=1)).run()

    assert report.workspaces[0].error == "invalid_auth"
    world.advance(minutes=10)
    world.make_pass().run()
    assert sorted(c.params["channel"] for c in world.dms()) == ["DU0001", "DU0002"]


def test_a_claim_left_by_a_crash_is_checked_in_slack_before_resending(world: World) -> None:
    world.member("U0001", slack_dm_channel_id="DU0001")
    world.member("U0002", slack_dm_channel_id="DU0002")
    world.make_pass().run()
    # Simulate a clock killed between chat.postMessage and writing the outcome (U0001), and
    # one killed between the claim and the call (U0002).
    from sqlalchemy import update

    from bot.models import Objective, ReminderDelivery

    with world.deps.session_factory.begin() as s:
        s.execute(update(ReminderDelivery).values(status=CLAIMED, sent_at=None))
        s.execute(update(Objective).values(reminders_ignored=0))
    sent_before = [c for c in world.dms() if c.params["channel"] == "DU0001"]
    # U0002's message never reached Slack: take it out of the fake's history.
    ts2 = next(c.response["ts"] for c in world.dms() if c.params["channel"] == "DU0002")
    WebClient(token=DEFAULT_TOKEN, base_url=world.fake.base_url).chat_delete(
        channel="DU0002", ts=ts2
    )

    world.make_pass().run()  # lease not over: nothing happens
    assert len(world.dms()) == 2
    world.advance(minutes=11)
    report = world.make_pass().run()

    assert report.total("reconciled") == 1
    assert report.total("sent") == 1
    assert [c.params["channel"] for c in world.dms()].count("DU0001") == len(sent_before) == 1
    assert [c.params["channel"] for c in world.dms()].count("DU0002") == 2
    assert [r.status for r in world.deliveries()] == [SENT, SENT]
    history = world.fake.calls_to("conversations.history")
    assert {c.params["channel"] for c in history} == {"DU0001", "DU0002"}
