"""Distributed mode: Bolt's OAuth flow over our tables, and an authorize that rotates tokens."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.context import BoltContext
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.state_store import OAuthStateStore
from sqlalchemy import delete
from sqlalchemy.orm import sessionmaker

from bot.config import Settings
from bot.crypto import TokenCipher
from bot.installations import DatabaseInstallationStore, RefreshFailed, TokenService
from bot.models import OAuthState
from bot.slack_client import create_web_client

logger = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_TTL = timedelta(minutes=10)


class DatabaseStateStore(OAuthStateStore):
    """One-time OAuth ``state`` values: signed with the state secret, consumed once."""

    def __init__(self, session_factory: sessionmaker, secret: str, clock: Any) -> None:
        self._sessions = session_factory
        self._secret = secret.encode()
        self._clock = clock

    @property
    def logger(self) -> logging.Logger:
        return logger

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._secret, nonce.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self, *args: Any, **kwargs: Any) -> str:
        nonce = secrets.token_urlsafe(24)
        now = self._clock()
        with self._sessions.begin() as session:
            # States of installs that were started and never finished: gone with each new one.
            session.execute(delete(OAuthState).where(OAuthState.expires_at <= now))
            session.add(OAuthState(nonce=nonce, expires_at=now + STATE_TTL))
        return f"{nonce}.{self._sign(nonce)}"

    def consume(self, state: str) -> bool:
        nonce, _, signature = state.partition(".")
        if not nonce or not hmac.compare_digest(signature, self._sign(nonce)):
            return False
        with self._sessions.begin() as session:
            result = session.execute(
                delete(OAuthState).where(
                    OAuthState.nonce == nonce, OAuthState.expires_at > self._clock()
                )
            )
            return bool(getattr(result, "rowcount", 0) == 1)


class RotatingAuthorize(Authorize):
    """Every request is authorised with its own workspace's token, refreshed when due."""

    def __init__(self, tokens: TokenService) -> None:
        super().__init__()
        self._tokens = tokens

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_: Any,
    ) -> AuthorizeResult | None:
        if not team_id:
            return None
        try:
            credentials = self._tokens.for_request(team_id)
        except RefreshFailed:
            logger.error("no usable token", extra={"team_id": team_id})
            return None
        if credentials is None:
            return None
        return AuthorizeResult(
            enterprise_id=credentials.enterprise_id,
            team_id=credentials.team_id,
            bot_token=credentials.bot_token,
            bot_id=credentials.bot_id,
            bot_user_id=credentials.bot_user_id,
            user_id=user_id,
        )


def build_token_service(
    settings: Settings, session_factory: sessionmaker, clock: Any
) -> TokenService:
    assert settings.slack_client_id and settings.slack_client_secret
    return TokenService(
        session_factory,
        TokenCipher(settings.token_encryption_key or ""),
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        oauth_client=create_web_client(settings, token=""),
        clock=clock,
    )


def build_oauth(
    settings: Settings, session_factory: sessionmaker, clock: Any
) -> tuple[OAuthFlow, RotatingAuthorize, TokenService]:
    cipher = TokenCipher(settings.token_encryption_key or "")
    tokens = build_token_service(settings, session_factory, clock)
    oauth_settings = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=settings.slack_scopes.split(","),
        installation_store=DatabaseInstallationStore(session_factory, cipher, clock),
        installation_store_bot_only=True,
        state_store=DatabaseStateStore(session_factory, settings.slack_state_secret or "", clock),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        redirect_uri=settings.slack_redirect_uri,
    )
    oauth_client: WebClient = create_web_client(settings, token="")
    return (
        OAuthFlow(client=oauth_client, settings=oauth_settings),
        RotatingAuthorize(tokens),
        tokens,
    )
