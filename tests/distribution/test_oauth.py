"""Install with "Add to Slack", rotate tokens, uninstall and reinstall, isolate workspaces."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from bot.crypto import TokenCipher, TokenCipherError, generate_key
from bot.installations import REFRESH_MARGIN
from bot.models import CoachingReview, Installation, Objective
from bot.oauth import build_token_service
from bot.objectives import KeyResultInput, ObjectiveInput, ObjectiveService
from handlers import ids
from handlers.actions import STALE
from tests.db_fixtures import Database
from tests.distribution.conftest import Distributed, make_distributed
from tests.fakeslack import FakeSlack
from tests.slack_requests import event_body, message_event_body

DRAFT = "Objective: Answer every support email within 24 hours"


def draft_in(team_id: str, text: str = DRAFT) -> dict:
    body = message_event_body(text, team=team_id)
    body["team_id"] = team_id
    body["authorizations"][0]["team_id"] = team_id
    return body


def raw_database_text(d: Distributed) -> str:
    """Every installation column as the database stores it, without our decryption."""
    with d.harness.deps.session_factory() as session:
        rows = session.execute(text("SELECT * FROM installation")).all()
    return json.dumps([list(map(str, row)) for row in rows])


def test_install_round_trip_stores_encrypted_tokens_and_authorises_requests(
    distributed: Distributed,
) -> None:
    token = distributed.install("T0100")
    raw = raw_database_text(distributed)
    assert "T0100" in raw
    assert "xoxb-" not in raw and "xoxe-" not in raw

    distributed.harness.dispatch(draft_in("T0100"))
    reply = distributed.fake.last("chat.postMessage")
    assert reply.token == token
    assert reply.team_id == "T0100"


def test_install_page_and_a_forged_state(distributed: Distributed) -> None:
    from tests.wsgi_client import call_wsgi

    page = call_wsgi(distributed.wsgi, "GET", "/slack/install")
    assert "slack.com/oauth/v2/authorize" in page.body
    assert "client_id=1111.2222" in page.body
    forged = call_wsgi(
        distributed.wsgi, "GET", "/slack/oauth_redirect", query="code=x&state=forged.state"
    )
    assert forged.status >= 400
    with distributed.harness.deps.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Installation)) == 0


def test_requests_from_a_workspace_that_never_installed_are_not_served(
    distributed: Distributed,
) -> None:
    distributed.harness.dispatch(draft_in("T0404"))
    assert distributed.fake.calls_to("chat.postMessage") == []


def test_rotation_under_eight_concurrent_requests_refreshes_exactly_once(
    db: Database, fake_slack: FakeSlack
) -> None:
    fake_slack.token_rotation = True
    d = make_distributed(db, fake_slack)
    first = d.install("T0100")
    with d.harness.deps.session_factory() as session:
        expires = session.scalars(select(Installation)).one().bot_token_expires_at
    assert expires is not None
    d.harness.clock.now = expires - REFRESH_MARGIN + timedelta(seconds=30)

    tokens = build_token_service(
        d.harness.deps.settings, d.harness.deps.session_factory, d.harness.clock
    )
    barrier = threading.Barrier(8)
    seen: list[str] = []
    errors: list[BaseException] = []

    def request() -> None:
        try:
            barrier.wait()
            seen.append(tokens.token_for("T0100"))
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert fake_slack.refresh_count == 1
    assert len(set(seen)) == 1 and seen[0] != first
    # An incoming request now uses the refreshed token, without another refresh.
    d.harness.dispatch(draft_in("T0100"))
    assert fake_slack.last("chat.postMessage").token == seen[0]
    assert fake_slack.refresh_count == 1
    assert "xoxe-" not in raw_database_text(d)


def test_an_incoming_request_refreshes_a_token_about_to_expire(
    db: Database, fake_slack: FakeSlack
) -> None:
    fake_slack.token_rotation = True
    d = make_distributed(db, fake_slack)
    first = d.install("T0100")
    d.harness.clock.advance(days=30)
    d.harness.dispatch(draft_in("T0100"))
    assert fake_slack.refresh_count == 1
    assert fake_slack.last("chat.postMessage").token not in {first, None}


def save_objective(d: Distributed, team_id: str, owner: str = "U0001") -> int:
    data = ObjectiveInput(
        title=f"Objective in {team_id}",
        cycle="2026-Q4",
        key_results=(KeyResultInput("Active teams", baseline=1, target=2),),
    )
    return ObjectiveService(d.harness.deps).create(team_id, owner, data).id


def uninstall(d: Distributed, team_id: str) -> None:
    body = event_body("app_uninstalled", team_id=team_id)
    body["authorizations"][0]["team_id"] = team_id
    assert d.harness.dispatch(body).status == 200


def objectives_of(d: Distributed, team_id: str) -> int:
    with d.harness.deps.session_factory() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Objective)
                .where(Objective.slack_team_id == team_id)
            )
            or 0
        )


def test_uninstall_keeps_data_by_default_and_a_reinstall_picks_it_up(
    distributed: Distributed,
) -> None:
    distributed.install("T0100")
    save_objective(distributed, "T0100")
    uninstall(distributed, "T0100")
    with distributed.harness.deps.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Installation)) == 0
    assert objectives_of(distributed, "T0100") == 1

    distributed.harness.dispatch(draft_in("T0100"))
    assert distributed.fake.calls_to("chat.postMessage") == []  # no sends after uninstall

    distributed.install("T0100")
    distributed.harness.command("list", team_id="T0100")
    assert "Objective in T0100" in json.dumps(distributed.fake.last("response_url").params)


def test_uninstall_with_delete_retention_removes_the_workspace_data(
    db: Database, fake_slack: FakeSlack
) -> None:
    d = make_distributed(db, fake_slack, data_retention="delete")
    d.install("T0100")
    d.install("T0200")
    d.harness.dispatch(draft_in("T0100"))
    save_objective(d, "T0100")
    save_objective(d, "T0200")
    uninstall(d, "T0100")
    assert objectives_of(d, "T0100") == 0
    assert objectives_of(d, "T0200") == 1
    with d.harness.deps.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(CoachingReview)) == 0


def test_tokens_revoked_forgets_the_bot_token(distributed: Distributed) -> None:
    distributed.install("T0100")
    body = event_body("tokens_revoked", team_id="T0100")
    body["authorizations"][0]["team_id"] = "T0100"
    distributed.harness.dispatch(body)
    with distributed.harness.deps.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Installation)) == 0


def test_workspaces_with_overlapping_ids_never_see_each_other(distributed: Distributed) -> None:
    token_a = distributed.install("T0A")
    token_b = distributed.install("T0B")
    # Same user id and channel id in both workspaces.
    distributed.harness.dispatch(draft_in("T0A"))
    distributed.harness.dispatch(draft_in("T0B"))
    replies = distributed.fake.calls_to("chat.postMessage")
    assert [(c.team_id, c.token) for c in replies] == [("T0A", token_a), ("T0B", token_b)]
    save_objective(distributed, "T0A")

    distributed.harness.command("list team", team_id="T0B")
    assert "Objective in T0A" not in json.dumps(distributed.fake.last("response_url").params)

    with distributed.harness.deps.session_factory() as session:
        review_a = session.scalars(
            select(CoachingReview).where(CoachingReview.slack_team_id == "T0A")
        ).one()
    distributed.harness.click(
        ids.ACTION_MARK_ROUTINE,
        str(review_a.id),
        team={"id": "T0B", "domain": "b"},
        user={"id": "U0001", "team_id": "T0B"},
    )
    assert distributed.harness.ephemeral_texts()[-1] == STALE

    home = event_body("app_home_opened", team_id="T0B")
    home["authorizations"][0]["team_id"] = "T0B"
    distributed.harness.dispatch(home)
    published = distributed.fake.last("views.publish")
    assert published.token == token_b
    assert "Objective in T0A" not in json.dumps(published.params)


def test_encryption_key_rotation_keeps_tokens_readable(distributed: Distributed) -> None:
    token = distributed.install("T0100")
    deps = distributed.harness.deps
    new_key = generate_key()
    rotated_settings = deps.settings.with_overrides(
        token_encryption_key=f"{new_key},{distributed.key}"
    )
    assert (
        build_token_service(rotated_settings, deps.session_factory, deps.clock).rotate_encryption()
        == 1
    )
    only_new = deps.settings.with_overrides(token_encryption_key=new_key)
    assert (
        build_token_service(only_new, deps.session_factory, deps.clock).token_for("T0100") == token
    )
    with pytest.raises(TokenCipherError), deps.session_factory() as session:
        TokenCipher(distributed.key).decrypt(
            session.scalars(select(Installation)).one().bot_token_encrypted
        )


def test_a_quiet_workspace_gets_its_token_refreshed_before_the_reminder_fan_out(
    db: Database, fake_slack: FakeSlack
) -> None:
    from sqlalchemy import update

    from bot.reminders import ReminderConfig, ReminderPass, token_provider
    from handlers.checkin_blocks import reminder_renderers

    fake_slack.token_rotation = True
    d = make_distributed(db, fake_slack)
    first = d.install("T0001")  # the fake's default team, where U0001 lives
    deps = d.harness.deps
    save_objective(d, "T0001")
    with deps.session_factory.begin() as session:  # nobody wrote for a day: nearly expired
        session.execute(
            update(Installation).values(
                bot_token_expires_at=d.harness.clock.now + timedelta(minutes=3)
            )
        )

    report = ReminderPass(deps, token_provider(deps), ReminderConfig(), reminder_renderers()).run()

    assert report.total("sent") == 1
    assert fake_slack.refresh_count == 1
    dm = [c for c in fake_slack.calls_to("chat.postMessage") if c.ok][-1]
    assert dm.token not in {first, None}


def test_states_of_installs_never_finished_are_purged(distributed: Distributed) -> None:
    from bot.models import OAuthState
    from bot.oauth import STATE_TTL, DatabaseStateStore

    deps = distributed.harness.deps
    store = DatabaseStateStore(deps.session_factory, "secret", distributed.harness.clock)
    abandoned = [store.issue() for _ in range(3)]
    distributed.harness.clock.advance(seconds=STATE_TTL.total_seconds() + 1)
    fresh = store.issue()
    with deps.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(OAuthState)) == 1
    assert not any(store.consume(state) for state in abandoned)
    assert store.consume(fresh)
