"""The composition root: settings and dependencies in, a wired Bolt ``App`` out."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

import handlers
from bot.config import Settings
from bot.db import create_db_engine, create_session_factory
from bot.deps import Deps
from bot.executors import MarkRequestKind, RequestRoutingExecutor
from bot.slack_client import create_web_client
from coaching.learned import default_model
from handlers.payload_guard import RequestGuard

# The draft path claims and stores before Slack gets its ack: a busy pool or a slow
# statement (a lock wait, a struggling disk) gives up after these, so the ack still leaves
# within about a second and the listener replies without storing instead.
ACK_POOL_TIMEOUT_SECONDS = 0.5
ACK_STATEMENT_TIMEOUT_MS = 500
BOLT_LOGGER = "okr_coach.bolt"


class _SameTokenNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def build_deps(settings: Settings) -> Deps:
    """The engines and services a process needs.

    On PostgreSQL the draft path gets an engine of its own whose commits don't wait for the
    WAL flush. What it writes (claims, reviews, reply records) can be rebuilt from Slack's
    retry or the claim's payload, and only a crash of the database server itself within a
    fraction of a second of a commit could lose one; what people type in modals and check-ins
    keeps fully durable commits on the main engine.
    """
    pool: dict[str, float] = {}
    if not settings.is_sqlite:
        pool = {
            "pool_size": settings.database_pool_size,
            "pool_timeout": settings.database_pool_timeout,
        }
    engine = create_db_engine(settings.database_url, **pool)
    draft_engine = None
    if engine.dialect.name == "postgresql":
        # The draft path claims before Slack's 3-second ack deadline: rather than wait longer
        # for a connection, ack without the claim and let the listener try again.
        draft_pool = {**pool, "pool_timeout": min(pool["pool_timeout"], ACK_POOL_TIMEOUT_SECONDS)}
        draft_engine = create_db_engine(
            settings.database_url,
            synchronous_commit=False,
            statement_timeout_ms=ACK_STATEMENT_TIMEOUT_MS,
            **draft_pool,
        )
    return Deps(
        settings=settings,
        session_factory=create_session_factory(engine),
        draft_engine=draft_engine,
    )


def create_app(
    settings: Settings,
    *,
    client: WebClient | None = None,
    deps: Deps | None = None,
    process_before_response: bool = False,
    raise_error_for_unhandled_request: bool = False,
) -> App:
    deps = deps or build_deps(settings)
    distributed: dict[str, object] = {}
    if settings.distributed:
        from bot.oauth import build_oauth

        flow, authorize, _ = build_oauth(settings, deps.session_factory, deps.clock)
        distributed = {"oauth_flow": flow, "authorize": authorize}
        # No fixed token: each request gets its own workspace's token from `authorize`.
        client = client or create_web_client(settings, token="")
    client = client or create_web_client(settings)
    bolt_logger = logging.getLogger(BOLT_LOGGER)
    # Bolt reads SLACK_BOT_TOKEN from the environment even when handed a client, then warns
    # that the client's token wins. Ours was built from that same variable: nothing to warn.
    notice = _SameTokenNotice() if client.token == settings.slack_bot_token else None
    if notice:
        bolt_logger.addFilter(notice)
    try:
        app = App(
            name="okr-coach",
            signing_secret=settings.slack_signing_secret,
            client=client,
            process_before_response=process_before_response,
            raise_error_for_unhandled_request=raise_error_for_unhandled_request,
            listener_executor=RequestRoutingExecutor(event_threads=settings.event_threads),
            logger=bolt_logger,
            before_authorize=RequestGuard(),
            # The entry point asked Slack once before starting workers (bot.slack_check);
            # each worker's first request still learns its bot user id from auth.test.
            token_verification_enabled=False,
            **distributed,  # type: ignore[arg-type]
        )
    finally:
        if notice:
            bolt_logger.removeFilter(notice)
    app.use(MarkRequestKind())
    handlers.register(app, deps)
    # Load the coach's model now, not on the first draft: the first ack stays fast, and a
    # broken or missing model stops the worker at boot with a clear error.
    default_model()
    return app
