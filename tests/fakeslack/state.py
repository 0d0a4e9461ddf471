"""Workspace data behind the fake and Slack's canned answers computed from it.

Not thread-safe by itself: FakeSlack calls in under its lock.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TOKEN = "xoxb-test"
DEFAULT_TEAM = "T0001"
DEFAULT_USER = "U0001"
DEFAULT_APP_ID = "A0001"
DEFAULT_APP_TOKEN = "xapp-test"
TOKEN_LIFETIME = 43_200  # seconds; what Slack gives rotated bot tokens
_BASE_TS = 1_700_000_000

TZ_OFFSETS = {
    "UTC": 0,
    "Europe/London": 0,
    "Europe/Berlin": 3600,
    "Europe/Paris": 3600,
    "America/New_York": -18000,
    "America/Los_Angeles": -28800,
    "Asia/Tokyo": 32400,
    "Asia/Kolkata": 19800,
    "Australia/Sydney": 36000,
}


@dataclass(frozen=True)
class TokenInfo:
    team_id: str
    bot_user_id: str
    bot_id: str
    app_id: str = DEFAULT_APP_ID


@dataclass(frozen=True)
class OAuthGrant:
    team_id: str
    team_name: str
    authed_user_id: str
    scope: str
    bot_user_id: str
    bot_id: str


@dataclass(frozen=True)
class Request:
    method: str
    params: dict[str, Any]
    token: str | None
    team_id: str | None
    client_id: str | None = None
    client_secret: str | None = None


class SlackError(Exception):
    """Raised by a canned method to answer {"ok": false, "error": ...}."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass
class SlackState:
    tokens: dict[str, TokenInfo] = field(default_factory=dict)
    team_names: dict[str, str] = field(default_factory=dict)
    users: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    channels: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    oauth_client: tuple[str, str] | None = None
    oauth_codes: dict[str, OAuthGrant] = field(default_factory=dict)
    refresh_tokens: dict[str, OAuthGrant] = field(default_factory=dict)
    used_refresh_tokens: set[str] = field(default_factory=set)
    token_rotation: bool = False
    refresh_count: int = 0
    uninstalled: set[str] = field(default_factory=set)
    expired_tokens: set[str] = field(default_factory=set)
    # Socket Mode: app-level tokens (token -> team) and the WebSocket URL handed out.
    app_tokens: dict[str, str] = field(default_factory=dict)
    socket_mode_url: str | None = None
    _serial: itertools.count = field(default_factory=lambda: itertools.count(1))

    # ---- scripting -------------------------------------------------------------------------

    def register_token(
        self, token: str, team_id: str, bot_user_id: str, bot_id: str, app_id: str
    ) -> None:
        self.tokens[token] = TokenInfo(team_id, bot_user_id, bot_id, app_id)
        self.team_names.setdefault(team_id, f"Team {team_id}")

    def add_user(
        self,
        team_id: str,
        user_id: str,
        *,
        tz: str,
        real_name: str | None,
        name: str | None,
        deleted: bool,
        is_bot: bool,
        email: str | None,
        is_admin: bool = False,
        is_owner: bool = False,
    ) -> dict[str, Any]:
        name = name or user_id.lower()
        real_name = real_name or name.title()
        offset = TZ_OFFSETS.get(tz, 0)
        user = {
            "id": user_id,
            "team_id": team_id,
            "name": name,
            "deleted": deleted,
            "color": "9f69e7",
            "real_name": real_name,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": offset,
            "is_admin": is_admin or is_owner,  # Slack reports owners as admins too
            "is_owner": is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": _BASE_TS,
            "profile": {
                "real_name": real_name,
                "real_name_normalized": real_name,
                "display_name": name,
                "display_name_normalized": name,
                "email": email or f"{name}@example.com",
                "image_72": f"https://avatars.example.com/{user_id}_72.png",
                "team": team_id,
            },
        }
        self.users[(team_id, user_id)] = user
        return user

    def add_channel(
        self,
        team_id: str,
        channel_id: str,
        name: str,
        members: list[str],
        is_private: bool,
        is_archived: bool = False,
    ) -> None:
        self.channels[(team_id, channel_id)] = {
            "id": channel_id,
            "name": name,
            "is_channel": not is_private,
            "is_group": False,
            "is_im": False,
            "is_mpim": False,
            "is_private": is_private,
            "is_archived": is_archived,
            "context_team_id": team_id,
            "created": _BASE_TS,
            "members": list(members),
        }

    def add_message(
        self,
        team_id: str,
        channel: str,
        text: str,
        user: str,
        ts: str | None,
        thread_ts: str | None,
    ) -> str:
        ts = ts or self.next_ts()
        message: dict[str, Any] = {
            "type": "message",
            "user": user,
            "text": text,
            "team": team_id,
            "ts": ts,
        }
        if thread_ts:
            message["thread_ts"] = thread_ts
        self.messages[(channel, ts)] = message
        return ts

    # ---- helpers ---------------------------------------------------------------------------

    def next_ts(self) -> str:
        n = next(self._serial) * 100
        return f"{_BASE_TS + n // 1_000_000}.{n % 1_000_000:06d}"

    def _bot(self, req: Request) -> TokenInfo:
        if req.token in self.expired_tokens:
            raise SlackError("token_expired")
        if req.token is None or req.token not in self.tokens:
            raise SlackError("invalid_auth")
        return self.tokens[req.token]

    def _team(self, req: Request) -> str:
        return req.team_id or DEFAULT_TEAM

    def _user(self, req: Request, user_id: Any) -> dict[str, Any]:
        user = self.users.get((self._team(req), str(user_id)))
        if user is None:
            raise SlackError("user_not_found")
        return user

    def _channel(self, req: Request, channel_id: str) -> dict[str, Any]:
        known = self.channels.get((self._team(req), channel_id))
        if known is not None:
            bot = self._bot(req)
            if known["is_private"] and bot.bot_user_id not in known["members"]:
                raise SlackError("channel_not_found")  # Slack hides private channels
            return self._public_view(known, bot)
        # Unknown channels are synthesised so tests need not declare every id they use.
        is_im = channel_id.startswith("D")
        return {
            "id": channel_id,
            "name": channel_id.lower(),
            "is_channel": channel_id.startswith("C"),
            "is_group": channel_id.startswith("G"),
            "is_im": is_im,
            "is_private": not channel_id.startswith("C"),
            "is_archived": False,
            "is_member": True,
            "context_team_id": self._team(req),
            "created": _BASE_TS,
            **({"user": "U" + channel_id[1:]} if is_im else {}),
        }

    @staticmethod
    def _public_view(channel: dict[str, Any], bot: TokenInfo) -> dict[str, Any]:
        shown = {k: v for k, v in channel.items() if k != "members"}
        shown["is_member"] = bot.bot_user_id in channel["members"]
        return shown

    def _check_can_post(self, req: Request, bot: TokenInfo, channel_id: str) -> None:
        """Declared channels refuse posts as Slack does when the bot is not in them."""
        known = self.channels.get((self._team(req), channel_id))
        if known is None:
            return  # undeclared ids post fine, so tests need not declare every channel
        if known["is_archived"]:
            raise SlackError("is_archived")
        if bot.bot_user_id not in known["members"]:
            raise SlackError("channel_not_found" if known["is_private"] else "not_in_channel")

    def _message(self, req: Request, bot: TokenInfo, ts: str) -> dict[str, Any]:
        p = req.params
        message: dict[str, Any] = {
            "type": "message",
            "subtype": "bot_message",
            "text": p.get("text", ""),
            "user": bot.bot_user_id,
            "bot_id": bot.bot_id,
            "app_id": bot.app_id,
            "team": bot.team_id,
            "ts": ts,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if key in p:
                message[key] = p[key]
        return message

    def _install_response(self, grant: OAuthGrant) -> dict[str, Any]:
        access = f"xoxb-{grant.team_id}-{secrets.token_hex(6)}"
        app_id = DEFAULT_APP_ID
        self.register_token(access, grant.team_id, grant.bot_user_id, grant.bot_id, app_id)
        self.team_names[grant.team_id] = grant.team_name
        self.uninstalled.discard(grant.team_id)
        answer: dict[str, Any] = {
            "ok": True,
            "access_token": access,
            "token_type": "bot",
            "scope": grant.scope,
            "bot_user_id": grant.bot_user_id,
            "app_id": app_id,
            "team": {"id": grant.team_id, "name": grant.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": grant.authed_user_id},
        }
        if self.token_rotation:
            refresh = f"xoxe-1-{secrets.token_hex(12)}"
            self.refresh_tokens[refresh] = grant
            answer["refresh_token"] = refresh
            answer["expires_in"] = TOKEN_LIFETIME
        return answer

    # ---- canned methods --------------------------------------------------------------------

    def answer(self, req: Request) -> dict[str, Any]:
        handler = _METHODS.get(req.method)
        if handler is None:
            # Spec-valid but uninteresting: Slack would say ok and return data we never read.
            self._bot(req)
            return {"ok": True}
        return handler(self, req)

    def auth_test(self, req: Request) -> dict[str, Any]:
        bot = self._bot(req)
        name = self.team_names.get(bot.team_id, bot.team_id)
        return {
            "ok": True,
            "url": f"https://{bot.team_id.lower()}.slack.com/",
            "team": name,
            "user": "okr-coach",
            "team_id": bot.team_id,
            "user_id": bot.bot_user_id,
            "bot_id": bot.bot_id,
            "is_enterprise_install": False,
        }

    def apps_connections_open(self, req: Request) -> dict[str, Any]:
        if req.token in self.tokens:
            raise SlackError("not_allowed_token_type")  # a bot token where an app token goes
        if req.token not in self.app_tokens or self.socket_mode_url is None:
            raise SlackError("invalid_auth")
        return {"ok": True, "url": self.socket_mode_url}

    def chat_post_message(self, req: Request) -> dict[str, Any]:
        bot = self._bot(req)
        channel = str(req.params["channel"])
        self._check_can_post(req, bot, channel)
        ts = self.next_ts()
        message = self._message(req, bot, ts)
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def chat_update(self, req: Request) -> dict[str, Any]:
        bot = self._bot(req)
        channel, ts = str(req.params["channel"]), str(req.params["ts"])
        message = self._message(req, bot, ts)
        previous = self.messages.get((channel, ts), {})
        # As in Slack: omitted blocks/attachments are retained; the thread never changes.
        for key in ("blocks", "attachments", "thread_ts"):
            if key in previous and key not in message:
                message[key] = previous[key]
        message["edited"] = {"user": bot.bot_user_id, "ts": self.next_ts()}
        # Lenient: a ts the fake never issued still updates, so tests can seed ids freely.
        self.messages[(channel, ts)] = message
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "text": message["text"],
            "message": message,
        }

    def chat_post_ephemeral(self, req: Request) -> dict[str, Any]:
        self._check_can_post(req, self._bot(req), str(req.params["channel"]))
        return {"ok": True, "message_ts": self.next_ts()}

    def chat_delete(self, req: Request) -> dict[str, Any]:
        self._bot(req)
        channel, ts = str(req.params["channel"]), str(req.params["ts"])
        self.messages.pop((channel, ts), None)
        return {"ok": True, "channel": channel, "ts": ts}

    def chat_get_permalink(self, req: Request) -> dict[str, Any]:
        bot = self._bot(req)
        channel, ts = str(req.params["channel"]), str(req.params["message_ts"])
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://{bot.team_id.lower()}.slack.com/archives/{channel}/p"
            + ts.replace(".", ""),
        }

    def views_open(self, req: Request) -> dict[str, Any]:
        bot = self._bot(req)
        view_id = f"V{next(self._serial):08d}"
        view = self._view(bot, view_id, req.params.get("view"), root=view_id)
        return {"ok": True, "view": view}

    def views_update(self, req: Request) -> dict[str, Any]:
        bot = self._bot(req)
        view_id = req.params.get("view_id")
        if view_id is None:
            external = req.params.get("external_id")
            matches = [v for v in self.views.values() if v.get("external_id") == external]
            if not matches:
                raise SlackError("not_found")
            view_id = matches[0]["id"]
        root = self.views.get(str(view_id), {}).get("root_view_id", view_id)
        view = self._view(bot, str(view_id), req.params.get("view"), root=str(root))
        return {"ok": True, "view": view}

    def views_publish(self, req: Request) -> dict[str, Any]:
        bot = self._bot(req)
        view_id = f"V{next(self._serial):08d}"
        view = self._view(bot, view_id, req.params.get("view"), root=view_id)
        return {"ok": True, "view": view}

    def _view(self, bot: TokenInfo, view_id: str, raw: Any, root: str) -> dict[str, Any]:
        body = raw if isinstance(raw, dict) else {}
        view = {
            "id": view_id,
            "team_id": bot.team_id,
            "app_id": bot.app_id,
            "bot_id": bot.bot_id,
            "callback_id": "",
            "private_metadata": "",
            "external_id": "",
            "clear_on_close": False,
            "notify_on_close": False,
            "state": {"values": {}},
            "hash": f"{_BASE_TS}.{secrets.token_hex(4)}",
            "root_view_id": root,
            "previous_view_id": None,
            **body,
        }
        self.views[view_id] = view
        return view

    def users_info(self, req: Request) -> dict[str, Any]:
        self._bot(req)
        return {"ok": True, "user": self._user(req, req.params["user"])}

    def users_list(self, req: Request) -> dict[str, Any]:
        self._bot(req)
        team = self._team(req)
        members = [u for (t, _), u in self.users.items() if t == team]
        limit = int(req.params.get("limit") or 0) or len(members) or 1
        start = int(req.params.get("cursor") or 0)
        page = members[start : start + limit]
        cursor = str(start + limit) if start + limit < len(members) else ""
        return {
            "ok": True,
            "members": page,
            "cache_ts": _BASE_TS,
            "response_metadata": {"next_cursor": cursor},
        }

    def conversations_open(self, req: Request) -> dict[str, Any]:
        self._bot(req)
        users = str(req.params.get("users") or "")
        if not users and "channel" in req.params:
            return {"ok": True, "channel": {"id": str(req.params["channel"])}}
        ids = [u for u in users.split(",") if u]
        if not ids:
            raise SlackError("users_list_not_supplied")
        # One DM per user is stable, as in Slack; group DMs get a G id from the member set.
        channel = "D" + ids[0] if len(ids) == 1 else "G" + "".join(sorted(ids))[:10]
        return {"ok": True, "channel": {"id": channel}}

    def conversations_info(self, req: Request) -> dict[str, Any]:
        self._bot(req)
        return {"ok": True, "channel": self._channel(req, str(req.params["channel"]))}

    def conversations_list(self, req: Request) -> dict[str, Any]:
        bot = self._bot(req)
        team = self._team(req)
        types = set(str(req.params.get("types") or "public_channel").split(","))
        skip_archived = str(req.params.get("exclude_archived")).lower() in {"1", "true"}
        found = [
            self._public_view(c, bot)
            for (t, _), c in self.channels.items()
            if t == team
            and ("private_channel" if c["is_private"] else "public_channel") in types
            # Private channels are listed only to their members, as in Slack.
            and (not c["is_private"] or bot.bot_user_id in c["members"])
            and not (skip_archived and c["is_archived"])
        ]
        limit = int(req.params.get("limit") or 0) or len(found) or 1
        start = int(req.params.get("cursor") or 0)
        cursor = str(start + limit) if start + limit < len(found) else ""
        return {
            "ok": True,
            "channels": found[start : start + limit],
            "response_metadata": {"next_cursor": cursor},
        }

    def conversations_members(self, req: Request) -> dict[str, Any]:
        self._bot(req)
        known = self.channels.get((self._team(req), str(req.params["channel"])))
        members = list(known["members"]) if known else []
        return {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}

    def _channel_messages(self, channel: str) -> list[dict[str, Any]]:
        found = [m for (c, _), m in self.messages.items() if c == channel]
        return sorted(found, key=lambda m: float(m["ts"]))

    def conversations_history(self, req: Request) -> dict[str, Any]:
        self._bot(req)
        newest_first = list(reversed(self._channel_messages(str(req.params["channel"]))))
        limit = int(req.params.get("limit") or 100)
        return {
            "ok": True,
            "messages": newest_first[:limit],
            "has_more": len(newest_first) > limit,
            "response_metadata": {"next_cursor": ""},
        }

    def conversations_replies(self, req: Request) -> dict[str, Any]:
        self._bot(req)
        ts = str(req.params["ts"])
        thread = [
            m
            for m in self._channel_messages(str(req.params["channel"]))
            if m["ts"] == ts or m.get("thread_ts") == ts
        ]
        if not thread:
            raise SlackError("thread_not_found")
        return {"ok": True, "messages": thread, "has_more": False}

    def reactions_add(self, req: Request) -> dict[str, Any]:
        self._bot(req)
        return {"ok": True}

    def team_info(self, req: Request) -> dict[str, Any]:
        bot = self._bot(req)
        team = str(req.params.get("team") or bot.team_id)
        return {
            "ok": True,
            "team": {
                "id": team,
                "name": self.team_names.get(team, team),
                "domain": team.lower(),
                "email_domain": "example.com",
                "icon": {"image_default": True},
            },
        }

    def oauth_v2_access(self, req: Request) -> dict[str, Any]:
        if self.oauth_client is None or (req.client_id, req.client_secret) != self.oauth_client:
            raise SlackError("invalid_client_id")
        grant_type = req.params.get("grant_type")
        if grant_type == "refresh_token":
            refresh = str(req.params.get("refresh_token"))
            self.refresh_count += 1
            if refresh in self.used_refresh_tokens or refresh not in self.refresh_tokens:
                raise SlackError("invalid_refresh_token")
            self.used_refresh_tokens.add(refresh)
            grant = self.refresh_tokens.pop(refresh)
            return self._install_response(grant)
        code = str(req.params.get("code"))
        grant = self.oauth_codes.pop(code, None)  # codes are single use too
        if grant is None:
            raise SlackError("invalid_code")
        return self._install_response(grant)

    def apps_uninstall(self, req: Request) -> dict[str, Any]:
        bot = self._bot(req)
        if (
            self.oauth_client is not None
            and (
                req.params.get("client_id"),
                req.params.get("client_secret"),
            )
            != self.oauth_client
        ):
            raise SlackError("invalid_client_id")
        self.uninstalled.add(bot.team_id)
        # Every token of the team stops working, as after a real uninstall.
        for token in [t for t, info in self.tokens.items() if info.team_id == bot.team_id]:
            del self.tokens[token]
        return {"ok": True}


_METHODS: dict[str, Callable[[SlackState, Request], dict[str, Any]]] = {
    "auth.test": SlackState.auth_test,
    "apps.connections.open": SlackState.apps_connections_open,
    "chat.postMessage": SlackState.chat_post_message,
    "chat.update": SlackState.chat_update,
    "chat.postEphemeral": SlackState.chat_post_ephemeral,
    "chat.delete": SlackState.chat_delete,
    "chat.getPermalink": SlackState.chat_get_permalink,
    "views.open": SlackState.views_open,
    "views.push": SlackState.views_open,
    "views.update": SlackState.views_update,
    "views.publish": SlackState.views_publish,
    "users.info": SlackState.users_info,
    "users.list": SlackState.users_list,
    "conversations.open": SlackState.conversations_open,
    "conversations.info": SlackState.conversations_info,
    "conversations.list": SlackState.conversations_list,
    "conversations.members": SlackState.conversations_members,
    "conversations.history": SlackState.conversations_history,
    "conversations.replies": SlackState.conversations_replies,
    "reactions.add": SlackState.reactions_add,
    "team.info": SlackState.team_info,
    "oauth.v2.access": SlackState.oauth_v2_access,
    "apps.uninstall": SlackState.apps_uninstall,
}
