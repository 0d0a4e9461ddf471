"""/okr and its subcommands, through a real Bolt app, asserting on what Slack received."""

from __future__ import annotations

import json

import pytest

from bot.objectives import KeyResultInput, ObjectiveInput, ObjectiveService
from handlers import forms, ids
from handlers.commands import LIST_USAGE
from handlers.digest import DIGEST_ADMINS_ONLY, PERMISSION_UNKNOWN
from handlers.list_blocks import HELP_TEXT, NOTHING_LISTED_MINE
from handlers.notice_blocks import EXPIRED_TRIGGER
from tests.app_fixtures import Harness
from tests.slack_requests import slash_command_body

CYCLE = "2026-Q4"  # the harness clock starts on 2026-11-23


def save(h: Harness, title: str, *, team: str = "T0001", owner: str = "U0001") -> int:
    data = ObjectiveInput(
        title=title,
        cycle=CYCLE,
        key_results=(
            KeyResultInput("Weekly active teams", baseline=120, target=300, unit="teams"),
            KeyResultInput("Churn", baseline=8, target=4, unit="%"),
        ),
    )
    return ObjectiveService(h.deps).create(team, owner, data).id


def last_ephemeral(h: Harness) -> dict:
    call = h.fake.last("response_url")
    assert call.params.get("response_type") == "ephemeral"
    return call.params


@pytest.mark.parametrize("text", ["", "help", "HELP", "  help  "])
def test_help(harness: Harness, text: str) -> None:
    response = harness.command(text)
    assert response.status == 200
    assert last_ephemeral(harness)["text"] == HELP_TEXT


def test_unknown_subcommand_says_so_and_shows_help(harness: Harness) -> None:
    harness.command("frobnicate <!channel>")
    text = last_ephemeral(harness)["text"]
    assert text.startswith("I don't know `/okr frobnicate`")
    assert HELP_TEXT in text


def test_the_command_is_acknowledged_with_an_empty_200(harness: Harness) -> None:
    response = harness.command("help")
    assert response.status == 200
    assert response.body == ""


def test_review_text_answers_ephemerally_without_buttons(harness: Harness) -> None:
    harness.command("review Answer support emails within 24 hours every day")
    params = last_ephemeral(harness)
    assert params["text"].startswith("This reads like routine work")
    assert ids.ACTION_SAVE_AS_OKR not in json.dumps(params["blocks"], ensure_ascii=False)
    assert harness.fake.calls_to("chat.postMessage") == []


def test_review_without_text_opens_the_paste_modal(harness: Harness) -> None:
    harness.command("review", trigger_id="T-123")
    call = harness.fake.last("views.open")
    assert call.params["trigger_id"] == "T-123"
    assert call.params["view"]["callback_id"] == ids.VIEW_REVIEW_DRAFT


def test_review_mine_coaches_saved_objectives(harness: Harness) -> None:
    harness.command("review mine")
    assert last_ephemeral(harness)["text"] == NOTHING_LISTED_MINE.format(cycle=CYCLE)
    save(harness, "Make onboarding effortless for new teams")
    harness.command("review mine")
    blocks = json.dumps(last_ephemeral(harness)["blocks"], ensure_ascii=False)
    assert "Make onboarding effortless for new teams" in blocks


def test_add_opens_the_modal_with_cycles_and_parents(harness: Harness) -> None:
    save(harness, "Company: win the mid-market", owner="U0002")
    harness.command("add Grow the community")
    view = harness.fake.last("views.open").params["view"]
    assert view["callback_id"] == ids.VIEW_ADD_OBJECTIVE
    by_block = {b.get("block_id"): b for b in view["blocks"]}
    assert by_block[forms.TITLE_BLOCK]["element"]["initial_value"] == "Grow the community"
    cycles = [o["value"] for o in by_block[forms.CYCLE_BLOCK]["element"]["options"]]
    assert cycles == [CYCLE, "2027-Q1"]
    parents = by_block[forms.PARENT_BLOCK]["element"]["options"]
    assert [p["text"]["text"] for p in parents] == ["Company: win the mid-market"]
    assert json.loads(view["private_metadata"])["channel_id"] == "C0001"


def test_expired_trigger_gets_a_kind_word(harness: Harness) -> None:
    harness.fake.fail("views.open", error="expired_trigger_id")
    harness.command("add")
    assert last_ephemeral(harness)["text"] == EXPIRED_TRIGGER


def test_list_mine_someone_and_team(harness: Harness) -> None:
    save(harness, "Mine: grow revenue")
    save(harness, "Theirs: delight customers", owner="U0002")
    harness.command("list")
    mine = json.dumps(last_ephemeral(harness)["blocks"], ensure_ascii=False)
    assert "Mine: grow revenue" in mine and "Theirs" not in mine
    assert "▓" in mine or "░" in mine  # progress bars

    harness.command("list <@U0002|sam>")
    theirs = json.dumps(last_ephemeral(harness)["blocks"], ensure_ascii=False)
    assert "Theirs: delight customers" in theirs and "Mine" not in theirs

    harness.command("list team")
    team = json.dumps(last_ephemeral(harness)["blocks"], ensure_ascii=False)
    assert "Mine: grow revenue" in team and "Theirs: delight customers" in team
    assert "<@U0002>" in team

    harness.command("list whoever")
    assert last_ephemeral(harness)["text"] == LIST_USAGE


def test_lists_never_show_another_workspaces_objectives(harness: Harness) -> None:
    save(harness, "Other workspace secret", team="T0002", owner="U0001")
    harness.command("list")
    assert "Other workspace secret" not in json.dumps(last_ephemeral(harness), ensure_ascii=False)
    harness.command("list team")
    assert "Other workspace secret" not in json.dumps(last_ephemeral(harness), ensure_ascii=False)


def test_an_unknown_command_gets_a_helpful_ack(harness: Harness) -> None:
    response = harness.dispatch(slash_command_body("x", command="/okrs"))
    assert response.status == 200
    assert "/okr help" in response.body


def test_remind_shows_changes_and_turns_off_and_on(harness: Harness) -> None:
    harness.command("remind")
    assert "Monday at 09:00" in last_ephemeral(harness)["text"]
    harness.command("remind friday 16:30")
    assert "Friday at 16:30" in last_ephemeral(harness)["text"]
    harness.command("remind off")
    assert "*off*" in last_ephemeral(harness)["text"]
    harness.command("remind on")
    assert "Friday at 16:30" in last_ephemeral(harness)["text"]


def test_remind_rejects_nonsense_without_echoing_markup(harness: Harness) -> None:
    harness.command("remind <!subteam^S123|@devs>99")
    text = last_ephemeral(harness)["text"]
    assert "<!subteam" not in text
    harness.command("remind 03:00")
    assert "quiet hours" in last_ephemeral(harness)["text"]


def test_checkin_without_objectives_says_so(harness: Harness) -> None:
    harness.command("checkin")
    assert last_ephemeral(harness)["text"] == NOTHING_LISTED_MINE.format(cycle=CYCLE)
    assert harness.fake.calls_to("views.open") == []


def test_checkin_opens_the_modal_for_the_owner(harness: Harness) -> None:
    save(harness, "Make onboarding effortless")
    harness.command("checkin", trigger_id="TRIG-9")
    call = harness.fake.last("views.open")
    assert call.params["trigger_id"] == "TRIG-9"
    assert call.params["view"]["callback_id"] == ids.VIEW_CHECKIN


def digest_channel(harness: Harness) -> str | None:
    from sqlalchemy import select

    from bot.models import Workspace

    with harness.deps.session_factory() as session:
        return session.scalars(select(Workspace.digest_channel_id)).one_or_none()


def test_digest_channel_is_set_here_by_link_and_turned_off(harness: Harness) -> None:
    harness.fake.add_user("T0001", "U0001", is_admin=True)

    def digest() -> str | None:
        return digest_channel(harness)

    harness.command("digest here", channel_id="C0042")
    assert digest() == "C0042"
    assert "<#C0042>" in last_ephemeral(harness)["text"]
    harness.command("digest <#C0777|okrs>")
    assert digest() == "C0777"
    harness.command("digest off")
    assert digest() is None
    harness.command("digest please")
    assert "/okr digest here" in last_ephemeral(harness)["text"]


def test_only_admins_and_owners_choose_the_digest_channel(harness: Harness) -> None:
    harness.fake.add_user("T0001", "U0001", is_admin=True)
    harness.command("digest here", channel_id="C0042")
    assert digest_channel(harness) == "C0042"

    harness.fake.add_user("T0001", "U0002")  # a member: may not move it, nor turn it off
    for attempt in ("digest <#C0777|okrs>", "digest off"):
        harness.command(attempt, user_id="U0002")
        assert last_ephemeral(harness)["text"] == DIGEST_ADMINS_ONLY
        assert digest_channel(harness) == "C0042"
    assert harness.fake.last("users.info").params["user"] == "U0002"

    harness.fake.add_user("T0001", "U0003", is_owner=True)
    harness.command("digest off", user_id="U0003")
    assert digest_channel(harness) is None


def test_digest_permission_check_failing_changes_nothing(harness: Harness) -> None:
    harness.fake.fail("users.info", "user_not_visible")
    harness.command("digest here", channel_id="C0042")
    assert last_ephemeral(harness)["text"] == PERMISSION_UNKNOWN
    assert digest_channel(harness) is None


def test_digest_usage_needs_no_permission_check(harness: Harness) -> None:
    harness.command("digest please")
    assert "/okr digest here" in last_ephemeral(harness)["text"]
    assert harness.fake.calls_to("users.info") == []
