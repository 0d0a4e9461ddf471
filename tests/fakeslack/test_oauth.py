"""OAuth v2 install and token rotation against the fake, through slack_sdk."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakeslack import FakeSlack

CLIENT = {"client_id": "111.222", "client_secret": "s3cret"}


@pytest.fixture
def oauth(fake_slack: FakeSlack) -> WebClient:
    fake_slack.set_oauth_client(CLIENT["client_id"], CLIENT["client_secret"])
    fake_slack.add_oauth_code("code-1", "T0100", team_name="Acme", user_id="U0100")
    return WebClient(base_url=fake_slack.base_url)  # no token: client credentials instead


def test_code_exchange_returns_a_v2_install_and_registers_the_token(
    fake_slack: FakeSlack, oauth: WebClient
) -> None:
    install = oauth.oauth_v2_access(**CLIENT, code="code-1")
    assert install["token_type"] == "bot"
    assert install["access_token"].startswith("xoxb-")
    assert install["team"] == {"id": "T0100", "name": "Acme"}
    assert install["authed_user"] == {"id": "U0100"}
    assert install["enterprise"] is None
    assert "refresh_token" not in install.data  # rotation is off by default
    assert fake_slack.last("oauth.v2.access").team_id == "T0100"

    bot = WebClient(token=install["access_token"], base_url=fake_slack.base_url)
    assert bot.auth_test()["team_id"] == "T0100"
    assert install["access_token"] in fake_slack.tokens_for("T0100")


def test_codes_are_single_use_and_client_is_checked(oauth: WebClient) -> None:
    with pytest.raises(SlackApiError) as wrong:
        oauth.oauth_v2_access(client_id="111.222", client_secret="nope", code="code-1")
    assert wrong.value.response["error"] == "invalid_client_id"
    oauth.oauth_v2_access(**CLIENT, code="code-1")
    with pytest.raises(SlackApiError) as reused:
        oauth.oauth_v2_access(**CLIENT, code="code-1")
    assert reused.value.response["error"] == "invalid_code"


def test_rotation_issues_single_use_refresh_tokens(fake_slack: FakeSlack, oauth: WebClient) -> None:
    fake_slack.token_rotation = True
    install = oauth.oauth_v2_access(**CLIENT, code="code-1")
    first_refresh = install["refresh_token"]
    assert first_refresh.startswith("xoxe-1-")
    assert install["expires_in"] > 0

    refreshed = oauth.oauth_v2_access(
        **CLIENT, grant_type="refresh_token", refresh_token=first_refresh
    )
    assert refreshed["access_token"] != install["access_token"]
    assert refreshed["refresh_token"] != first_refresh
    bot = WebClient(token=refreshed["access_token"], base_url=fake_slack.base_url)
    assert bot.auth_test()["team_id"] == "T0100"

    with pytest.raises(SlackApiError) as reused:
        oauth.oauth_v2_access(**CLIENT, grant_type="refresh_token", refresh_token=first_refresh)
    assert reused.value.response["error"] == "invalid_refresh_token"
    assert fake_slack.refresh_count == 2
    assert fake_slack.violations == []  # a refresh needs no `code`, despite the 2020 spec


def test_expired_token_answers_token_expired(fake_slack: FakeSlack) -> None:
    fake_slack.register_token("xoxb-old", "T0001")
    fake_slack.expire_token("xoxb-old")
    with pytest.raises(SlackApiError) as raised:
        WebClient(token="xoxb-old", base_url=fake_slack.base_url).auth_test()
    assert raised.value.response["error"] == "token_expired"


def test_apps_uninstall_revokes_the_teams_tokens(fake_slack: FakeSlack) -> None:
    fake_slack.set_oauth_client(CLIENT["client_id"], CLIENT["client_secret"])
    client = WebClient(token="xoxb-test", base_url=fake_slack.base_url)
    assert client.apps_uninstall(**CLIENT)["ok"]
    with pytest.raises(SlackApiError) as raised:
        client.auth_test()
    assert raised.value.response["error"] == "invalid_auth"
