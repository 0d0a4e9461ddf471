"""Separate thread pools for Events API work and for interactive acks.

Bolt hands every listener to one executor. Events are acknowledged before their listener
runs, but slash commands, buttons and modals are acknowledged *inside* theirs: when slow
event listeners (each waiting on Slack's Web API) fill a shared pool, the next command
waits in the queue past Slack's 3-second deadline. Routing events to their own pool keeps
interactive acks immediate however busy the event side is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest

# Threads per worker running event listeners: each mostly waits, on its turn in the reply pace
# or on chat.postMessage. On the load benchmark 16 completed more replies than 8 or 12, with
# Slack answering at once and after 100 ms (README, Benchmarks).
EVENT_THREADS = 16
INTERACTIVE_THREADS = 16

# The gunicorn (or test) thread running Bolt's dispatch for the current request.
_current = threading.local()


class MarkRequestKind(Middleware):
    """Global middleware: remember on this thread whether the request is an event.

    Bolt submits the listener from this same thread right after the middleware chain.
    """

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        body = req.body if isinstance(req.body, dict) else {}
        _current.is_event = body.get("type") == "event_callback"
        return next()


class RequestRoutingExecutor(Executor):
    def __init__(
        self, *, event_threads: int = EVENT_THREADS, interactive_threads: int = INTERACTIVE_THREADS
    ) -> None:
        self.events = ThreadPoolExecutor(event_threads, thread_name_prefix="okr-events")
        self.interactive = ThreadPoolExecutor(
            interactive_threads, thread_name_prefix="okr-interactive"
        )

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        pool = self.events if getattr(_current, "is_event", False) else self.interactive
        return pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.events.shutdown(wait=wait, cancel_futures=cancel_futures)
        self.interactive.shutdown(wait=wait, cancel_futures=cancel_futures)
