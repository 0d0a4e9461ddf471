"""`/okr list @someone` and `/okr digest #channel` with every form Slack may send, and a digest
channel that is checked before it is saved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.models import Workspace
from bot.objectives import KeyResultInput, ObjectiveInput, ObjectiveService
from handlers.commands import LIST_USAGE
from handlers.digest import (
    DIGEST_ARCHIVED,
    DIGEST_CANT_SEE,
    DIGEST_NOT_A_CHANNEL,
    DIGEST_NOT_MEMBER,
    DIGEST_ON,
)
from handlers.lookup import CHANNEL_UNKNOWN, USER_AMBIGUOUS, USER_UNKNOWN
from handlers.notice_blocks import MISSING_SCOPE
from tests.app_fixtures import Harness

CYCLE = "2026-Q4"
BOT = "UBOT"
MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def last_private(h: Harness) -> str:
    call = h.fake.last("response_url")
    assert call.params.get("response_type") == "ephemeral"
    return str(call.params["text"])


@pytest.fixture
def bob(harness: Harness) -> str:
    harness.fake.add_user("T0001", "U0002", name="bob", real_name="Bob Builder")
    data = ObjectiveInput(
        title="Bob's objective: delight customers",
        cycle=CYCLE,
        key_results=(KeyResultInput("NPS", baseline=30, target=45),),
    )
    ObjectiveService(harness.deps).create("T0001", "U0002", data)
    return "U0002"


@pytest.mark.parametrize(
    "mention", ["<@U0002|bob>", "<@U0002>", "@bob", "@Bob Builder", "@BOB", "  @bob  "]
)
def test_list_someone_in_every_form_slack_sends(harness: Harness, bob: str, mention: str) -> None:
    harness.command(f"list {mention}")
    blocks = json.dumps(harness.fake.last("response_url").params["blocks"], ensure_ascii=False)
    assert "Bob's objective: delight customers" in blocks


def test_an_escaped_mention_needs_no_lookup(harness: Harness, bob: str) -> None:
    harness.command("list <@U0002|bob>")
    assert harness.fake.calls_to("users.list") == []


def test_a_raw_name_is_looked_up_page_by_page(harness: Harness, bob: str) -> None:
    for n in range(450):
        harness.fake.add_user("T0001", f"UX{n:04d}", name=f"someone{n}")
    harness.command("list @bob")
    assert "Bob's objective" in json.dumps(harness.fake.last("response_url").params["blocks"])
    assert len(harness.fake.calls_to("users.list")) == 3  # 452 members, 200 a page


def test_an_unknown_name_says_so_privately(harness: Harness, bob: str) -> None:
    harness.command("list @nobody")
    assert last_private(harness) == USER_UNKNOWN.format(name="nobody")
    harness.fake.add_user("T0001", "U0005", name="gone", deleted=True)
    harness.command("list @gone")
    assert last_private(harness) == USER_UNKNOWN.format(name="gone")


def test_an_ambiguous_name_names_the_candidates(harness: Harness) -> None:
    harness.fake.add_user("T0001", "U0007", name="sam.lee", real_name="Sam")
    harness.fake.add_user("T0001", "U0008", name="sam.ray", real_name="Sam")
    harness.command("list @Sam")
    assert last_private(harness) == USER_AMBIGUOUS.format(name="Sam", people="<@U0007>, <@U0008>")


def test_typed_markup_in_a_name_is_never_echoed(harness: Harness) -> None:
    harness.command("list @bob&<!here>")
    text = last_private(harness)
    assert "<!here>" not in text
    harness.command("list whoever")
    assert last_private(harness) == LIST_USAGE


def digest_channel(h: Harness) -> str | None:
    with h.deps.session_factory() as session:
        return session.scalars(select(Workspace.digest_channel_id)).one_or_none()


@pytest.fixture
def admin(harness: Harness) -> Harness:
    harness.fake.add_user("T0001", "U0001", name="alex", is_admin=True)
    harness.fake.add_channel("T0001", "C0042", "team-okrs", members=["U0001", BOT])
    return harness


@pytest.mark.parametrize("where", ["<#C0042|team-okrs>", "<#C0042>", "<#C0042|>", "#team-okrs"])
def test_digest_channel_in_every_form_slack_sends(admin: Harness, where: str) -> None:
    admin.command(f"digest {where}")
    assert last_private(admin) == DIGEST_ON.format(channel="C0042")
    assert digest_channel(admin) == "C0042"
    assert admin.fake.last("conversations.info").params["channel"] == "C0042"


def test_an_unknown_channel_name_changes_nothing(admin: Harness) -> None:
    admin.command("digest #nowhere")
    assert last_private(admin) == CHANNEL_UNKNOWN.format(name="nowhere")
    assert digest_channel(admin) is None


def test_a_channel_the_bot_is_not_in_is_refused_with_how_to_fix_it(admin: Harness) -> None:
    admin.fake.add_channel("T0001", "C0050", "general", members=["U0001"])
    admin.command("digest <#C0050|general>")
    text = last_private(admin)
    assert text == DIGEST_NOT_MEMBER.format(channel="C0050")
    assert "/invite @OKR Coach" in text
    assert digest_channel(admin) is None

    admin.fake.add_channel("T0001", "C0050", "general", members=["U0001", BOT])  # invited
    admin.command("digest <#C0050|general>")
    assert digest_channel(admin) == "C0050"


def test_here_checks_the_channel_it_is_run_in(admin: Harness) -> None:
    admin.fake.add_channel("T0001", "C0051", "random", members=["U0001"])
    admin.command("digest here", channel_id="C0051")
    assert last_private(admin) == DIGEST_NOT_MEMBER.format(channel="C0051")
    admin.command("digest here", channel_id="DU0001")
    assert last_private(admin) == DIGEST_NOT_A_CHANNEL
    assert digest_channel(admin) is None


def test_archived_and_hidden_private_channels_are_refused(admin: Harness) -> None:
    admin.fake.add_channel("T0001", "C0060", "old-okrs", members=[BOT], is_archived=True)
    admin.command("digest <#C0060|old-okrs>")
    assert last_private(admin) == DIGEST_ARCHIVED.format(channel="C0060")
    admin.fake.add_channel("T0001", "G0061", "secret", members=["U0001"], is_private=True)
    admin.command("digest <#G0061|secret>")
    assert last_private(admin) == DIGEST_CANT_SEE
    admin.command("digest #secret")  # a private channel the bot is not in is not listed
    assert last_private(admin) == CHANNEL_UNKNOWN.format(name="secret")
    assert digest_channel(admin) is None


def test_an_install_without_channels_read_is_told_to_reinstall(admin: Harness) -> None:
    admin.fake.fail("conversations.list", "missing_scope", needed="channels:read")
    admin.command("digest #team-okrs")
    assert last_private(admin) == MISSING_SCOPE.format(needed="`channels:read`")
    admin.fake.fail("conversations.info", "missing_scope", needed="channels:read")
    admin.command("digest <#C0042|team-okrs>")
    assert last_private(admin) == MISSING_SCOPE.format(needed="`channels:read`")
    assert digest_channel(admin) is None


def test_the_manifest_asks_slack_for_ids_and_for_the_scopes_lookups_need() -> None:
    manifest = MANIFEST.read_text(encoding="utf-8")
    assert "should_escape: true" in manifest and "should_escape: false" not in manifest
    for scope in ("users:read", "channels:read", "groups:read"):
        assert f"      - {scope}\n" in manifest
