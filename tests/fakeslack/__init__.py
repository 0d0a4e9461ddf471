"""A local stand-in for Slack's Web API for tests: records, checks against Slack's spec and
Block Kit limits, and can be scripted to fail, throttle or stall.

    def test_reply(fake_slack: FakeSlack) -> None:      # fixture from .fixtures
        client = WebClient(token="xoxb-test", base_url=fake_slack.base_url)
        ...                                             # drive the bot
        call = fake_slack.wait_for("chat.postMessage", channel="C0001")[0]
        assert call.params["blocks"][0]["type"] == "section"

Defaults match tests/fixtures/*.json: token xoxb-test -> team T0001, bot user UBOT, bot BBOT,
app A0001; user U0001 (Europe/Berlin) exists unless FakeSlack(default_user=False).
`enable_socket_mode()` makes `apps.connections.open` hand app token xapp-test a live WebSocket.
"""

from .models import Call, Violation
from .server import FakeSlack
from .state import DEFAULT_APP_TOKEN, DEFAULT_TEAM, DEFAULT_TOKEN, DEFAULT_USER

__all__ = [
    "DEFAULT_APP_TOKEN",
    "DEFAULT_TEAM",
    "DEFAULT_TOKEN",
    "DEFAULT_USER",
    "Call",
    "FakeSlack",
    "Violation",
]
