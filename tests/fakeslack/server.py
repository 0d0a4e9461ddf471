"""FakeSlack: a local, recording, spec-checking stand-in for Slack's Web API over real HTTP."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .blockkit import check_message, check_view
from .models import Call, Script, Violation
from .ratelimit import TokenBucket, retry_after_header
from .socket_mode import SocketModeEndpoint
from .spec import NO_TOKEN_METHODS, SpecOracle, load_oracle
from .state import (
    DEFAULT_APP_ID,
    DEFAULT_APP_TOKEN,
    DEFAULT_TEAM,
    DEFAULT_TOKEN,
    DEFAULT_USER,
    OAuthGrant,
    Request,
    SlackError,
    SlackState,
)
from .wire import ParsedRequest, parse_request

RESPONSE_URL = "response_url"
MESSAGE_METHODS = frozenset(
    {"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage"}
)
VIEW_METHODS = frozenset({"views.open", "views.update", "views.publish", "views.push"})
# Slack's error code for each kind of violation.
_ERROR_FOR = {"missing_param": "invalid_arguments"}

Filter = Any  # an expected value, or a predicate called with the param's value


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # benchmarks open many connections at once; 5 would refuse some
    fake: FakeSlack


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # test output stays clean; the fake's records are the log

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        path, _, query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fake = self.server.fake
        try:
            status, headers, payload, delay = fake._handle(
                path, query, self.headers.get("Content-Type", ""), body, self.headers
            )
        except Exception as exc:
            # A bug in the fake must fail the test that hit it, not vanish into stderr.
            fake._record_internal_error(path, exc)
            status, headers, payload, delay = 500, {}, {"ok": False, "error": "fake_error"}, 0.0
        if delay > 0:
            time.sleep(delay)  # outside the lock: other calls keep flowing meanwhile
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class FakeSlack:
    """A threaded HTTP server on 127.0.0.1:0 that answers like Slack and records every call.

    Use as a context manager, or start()/stop(). Point clients at `base_url`.
    """

    def __init__(
        self,
        *,
        specs_dir: Path | None = None,
        time_scale: float = 1.0,
        token_rotation: bool = False,
        default_user: bool = True,
        require_text: bool = False,
        check_later: bool = False,
    ) -> None:
        self._oracle: SpecOracle = load_oracle(specs_dir)
        self._cond = threading.Condition(threading.RLock())
        self._state = SlackState(token_rotation=token_rotation)
        self._calls: list[Call] = []
        self._violations: list[Violation] = []
        self._warnings: list[str] = []
        self._expected: set[str] | None = set()  # None = every violation expected
        self._scripts: list[Script] = []
        self._delays: dict[str, float] = {}
        self._limits: dict[str, tuple[float, float | None]] = {}
        self._channel_limits: dict[str, tuple[float, float | None]] = {}
        self._buckets: dict[tuple[str | None, str], TokenBucket] = {}
        self._channel_buckets: dict[tuple[str | None, str, str], TokenBucket] = {}
        self._response_urls: dict[str, str | None] = {}
        # Real time for the rate limits; a test that must not depend on the machine's speed
        # injects a clock it advances itself (`use_clock`).
        self._monotonic: Callable[[], float] = time.monotonic
        self._real_base = self._monotonic()
        self._sim_base = 0.0
        self._time_scale = time_scale
        self.count_429 = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._socket_mode: SocketModeEndpoint | None = None
        # DESIGN.md wants a top-level text beside blocks; opt in to make its absence a violation.
        self.require_text = require_text
        # Load runs: answer at once and check later (check_pending), so the checking never
        # competes with the server under test for CPU. A bad call still ends up a violation.
        self._check_later = check_later
        self._unchecked: list[tuple[str, str, ParsedRequest]] = []
        self.register_token(DEFAULT_TOKEN, DEFAULT_TEAM)
        if default_user:
            # The human in the payload fixtures (tests/fixtures/*.json).
            self.add_user(DEFAULT_TEAM, DEFAULT_USER, real_name="Alex Example", name="alex")

    # ---- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._server is not None:
            return self
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._socket_mode is not None:
            self._socket_mode.stop()
            self._socket_mode = None
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def base_url(self) -> str:
        """WebClient base_url; ends with '/' as slack_sdk requires."""
        return f"{self.url}api/"

    # ---- workspace setup -------------------------------------------------------------------

    def register_token(
        self,
        token: str,
        team_id: str,
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        app_id: str = DEFAULT_APP_ID,
    ) -> None:
        with self._cond:
            self._state.register_token(token, team_id, bot_user_id, bot_id, app_id)

    def enable_socket_mode(
        self, app_token: str = DEFAULT_APP_TOKEN, team_id: str = DEFAULT_TEAM
    ) -> SocketModeEndpoint:
        """Answer ``apps.connections.open`` for ``app_token`` with a live WebSocket endpoint."""
        if self._socket_mode is None:
            self._socket_mode = SocketModeEndpoint().start()
        with self._cond:
            self._state.app_tokens[app_token] = team_id
            self._state.socket_mode_url = self._socket_mode.url
        return self._socket_mode

    def expire_token(self, token: str) -> None:
        """Make a token answer `token_expired` (rotation tests)."""
        with self._cond:
            self._state.tokens.pop(token, None)
            self._state.expired_tokens.add(token)

    def add_user(
        self,
        team_id: str,
        user_id: str,
        tz: str = "Europe/Berlin",
        real_name: str | None = None,
        deleted: bool = False,
        is_bot: bool = False,
        *,
        name: str | None = None,
        email: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
    ) -> dict[str, Any]:
        with self._cond:
            return self._state.add_user(
                team_id,
                user_id,
                tz=tz,
                real_name=real_name,
                name=name,
                deleted=deleted,
                is_bot=is_bot,
                email=email,
                is_admin=is_admin,
                is_owner=is_owner,
            )

    def add_channel(
        self,
        team_id: str,
        channel_id: str,
        name: str | None = None,
        members: list[str] | tuple[str, ...] = (),
        is_private: bool = False,
        is_archived: bool = False,
    ) -> None:
        """Declare a channel. The bot is in it only if its user (UBOT) is among ``members``:
        posts there fail with ``not_in_channel`` otherwise, as in Slack."""
        with self._cond:
            self._state.add_channel(
                team_id,
                channel_id,
                name or channel_id.lower(),
                list(members),
                is_private,
                is_archived,
            )

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str = DEFAULT_USER,
        ts: str | None = None,
        thread_ts: str | None = None,
        team_id: str = DEFAULT_TEAM,
    ) -> str:
        """Seed a human message (for conversations.history/replies); returns its ts."""
        with self._cond:
            return self._state.add_message(team_id, channel, text, user, ts, thread_ts)

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The message as Slack now holds it (after updates; None once deleted)."""
        with self._cond:
            found = self._state.messages.get((channel, ts))
            return dict(found) if found is not None else None

    def set_team_name(self, team_id: str, name: str) -> None:
        with self._cond:
            self._state.team_names[team_id] = name

    # ---- OAuth -----------------------------------------------------------------------------

    def set_oauth_client(self, client_id: str, client_secret: str) -> None:
        with self._cond:
            self._state.oauth_client = (client_id, client_secret)

    def add_oauth_code(
        self,
        code: str,
        team_id: str,
        *,
        team_name: str | None = None,
        user_id: str = "UINSTALLER",
        scope: str = "chat:write,commands,im:write,users:read",
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
    ) -> None:
        with self._cond:
            self._state.oauth_codes[code] = OAuthGrant(
                team_id, team_name or f"Team {team_id}", user_id, scope, bot_user_id, bot_id
            )

    @property
    def token_rotation(self) -> bool:
        return self._state.token_rotation

    @token_rotation.setter
    def token_rotation(self, value: bool) -> None:
        with self._cond:
            self._state.token_rotation = value

    @property
    def refresh_count(self) -> int:
        with self._cond:
            return self._state.refresh_count

    def tokens_for(self, team_id: str) -> list[str]:
        """Tokens currently valid for a team (e.g. the one an install just issued)."""
        with self._cond:
            return [t for t, info in self._state.tokens.items() if info.team_id == team_id]

    # ---- scripting misbehaviour ------------------------------------------------------------

    def fail(
        self,
        method: str,
        error: str = "channel_not_found",
        times: int = 1,
        team_id: str | None = None,
        **fields: Any,
    ) -> None:
        """Answer the next `times` matching calls with {"ok": false, "error": error, **fields}
        (e.g. ``needed="channels:read"`` with ``missing_scope``, as Slack sends it).

        `method` may be "*" for any method, or "response_url"."""
        self._script(Script("fail", method, times, team_id, error=error, fields=fields))

    def rate_limit(
        self, method: str, retry_after: int = 1, times: int = 1, team_id: str | None = None
    ) -> None:
        """Answer the next `times` calls with HTTP 429, Retry-After and error ratelimited."""
        self._script(Script("rate_limit", method, times, team_id, retry_after=retry_after))

    def http_error(
        self, method: str, status: int = 500, times: int = 1, team_id: str | None = None
    ) -> None:
        self._script(Script("http_error", method, times, team_id, status=status))

    def delay(self, method: str, seconds: float) -> None:
        """Sleep before every answer to `method` (0 clears). The call is recorded first."""
        with self._cond:
            if seconds > 0:
                self._delays[method] = seconds
            else:
                self._delays.pop(method, None)

    def set_rate_limit(
        self, method: str, per_minute: float | None, burst: float | None = None
    ) -> None:
        """Token-bucket limit per (team, method) in simulated time (see `time_scale`).

        `burst` defaults to one minute's allowance; `per_minute=None` removes the limit."""
        with self._cond:
            if per_minute is None:
                self._limits.pop(method, None)
            else:
                self._limits[method] = (per_minute, burst)
            self._buckets = {k: v for k, v in self._buckets.items() if k[1] != method}

    def set_channel_rate_limit(
        self, method: str, per_minute: float | None, burst: float | None = 1.0
    ) -> None:
        """Token-bucket limit per (team, channel, method) in simulated time, like Slack's
        "about one message per second per channel" for chat.postMessage. `burst` is 1 by
        default: Slack tolerates brief bursts, but not a minute's worth in one channel."""
        with self._cond:
            if per_minute is None:
                self._channel_limits.pop(method, None)
            else:
                self._channel_limits[method] = (per_minute, burst)
            self._channel_buckets = {
                k: v for k, v in self._channel_buckets.items() if k[1] != method
            }

    def _script(self, script: Script) -> None:
        with self._cond:
            self._scripts.append(script)

    def _take_script(self, kind: str, method: str, team_id: str | None) -> Script | None:
        for script in self._scripts:
            if script.kind == kind and script.matches(method, team_id):
                script.times -= 1
                return script
        return None

    @property
    def time_scale(self) -> float:
        """Simulated seconds per real second for `set_rate_limit` (60.0: a second is a minute)."""
        return self._time_scale

    @time_scale.setter
    def time_scale(self, value: float) -> None:
        if value <= 0:
            raise ValueError("time_scale must be positive")
        with self._cond:
            # Re-base so simulated time stays continuous: buckets neither jump nor rewind.
            self._sim_base = self.sim_now()
            self._real_base = self._monotonic()
            self._time_scale = value

    def use_clock(self, monotonic: Callable[[], float]) -> None:
        """Measure real time for the rate limits with ``monotonic`` (e.g. a manual clock)."""
        with self._cond:
            self._sim_base = self.sim_now()
            self._monotonic = monotonic
            self._real_base = monotonic()

    def sim_now(self) -> float:
        """Simulated seconds since the fake was created."""
        return self._sim_base + (self._monotonic() - self._real_base) * self._time_scale

    # ---- response_url ----------------------------------------------------------------------

    def response_url(self, name: str = "r1", team_id: str | None = DEFAULT_TEAM) -> str:
        with self._cond:
            self._response_urls[name] = team_id
        return f"{self.url}response/{name}"

    # ---- violations ------------------------------------------------------------------------

    @property
    def violations(self) -> list[Violation]:
        with self._cond:
            return list(self._violations)

    @property
    def warnings(self) -> list[str]:
        """Unknown params (the spec is stale, so these never fail a test)."""
        with self._cond:
            return list(self._warnings)

    def expect_violations(self, *methods: str) -> None:
        """Declare violations expected: all of them, or only those on `methods`."""
        with self._cond:
            if not methods:
                self._expected = None
            elif self._expected is not None:
                self._expected.update(methods)

    def unexpected_violations(self) -> list[Violation]:
        with self._cond:
            expected = self._expected
            if expected is None:
                return []
            return [v for v in self._violations if v.method not in expected]

    def assert_no_violations(self) -> None:
        problems = self.unexpected_violations()
        if problems:
            lines = "\n".join(f"  - {v}" for v in problems)
            raise AssertionError(
                f"Fake Slack received {len(problems)} call(s) real Slack would reject:\n{lines}\n"
                "(call fake_slack.expect_violations(...) if the test provokes them on purpose)"
            )

    # ---- queries ---------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str, **filters: Filter) -> list[Call]:
        with self._cond:
            return [c for c in self._calls if _matches(c, method, filters)]

    def last(self, method: str, **filters: Filter) -> Call:
        found = self.calls_to(method, **filters)
        if not found:
            raise AssertionError(
                f"no call to {method}{_describe_filters(filters)}; {self._summary()}"
            )
        return found[-1]

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 5.0, **filters: Filter
    ) -> list[Call]:
        """Block until at least `count` matching calls arrived; return all matching calls."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._calls if _matches(c, method, filters)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {count} call(s) to "
                        f"{method}{_describe_filters(filters)}; {len(found)} matched. "
                        + self._summary()
                    )
                self._cond.wait(remaining)

    def _summary(self) -> str:
        with self._cond:
            lines = [f"Calls received ({len(self._calls)}):"]
            lines += [f"  - {_describe_call(c)}" for c in self._calls[-30:]]
            if self._violations:
                lines.append(f"Violations ({len(self._violations)}):")
                lines += [f"  - {v}" for v in self._violations]
            return "\n".join(lines)

    def reset(self) -> None:
        """Forget calls, scripts, limits and violations; keep users, channels and tokens."""
        with self._cond:
            self._calls.clear()
            self._unchecked.clear()
            self._violations.clear()
            self._warnings.clear()
            self._expected = set()
            self._scripts.clear()
            self._delays.clear()
            self._limits.clear()
            self._buckets.clear()
            self._channel_limits.clear()
            self._channel_buckets.clear()
            self.count_429 = 0
            self._state.refresh_count = 0

    # ---- request handling (server threads) -------------------------------------------------

    def _handle(
        self, path: str, query: str, content_type: str, body: bytes, headers: Any
    ) -> tuple[int, dict[str, str], dict[str, Any], float]:
        parsed = parse_request(query, content_type, body, headers.get("Authorization"))
        if path.startswith("/api/"):
            method, kind = path[len("/api/") :], "api"
        elif path.startswith("/response/"):
            method, kind = RESPONSE_URL, path[len("/response/") :]
        else:
            return 404, {}, {"ok": False, "error": "not_found"}, 0.0
        with self._cond:
            team_id = self._team_for(method, kind, parsed)
            if self._check_later:
                violations, warnings = [], []
                self._unchecked.append((method, kind, parsed))
            else:
                violations, warnings = self._check(method, kind, parsed)
            status, extra_headers, answer = self._answer(method, parsed, team_id, violations)
            call = Call(
                method=method,
                params=parsed.params,
                token=parsed.token,
                team_id=team_id,
                at=time.time(),
                status=status,
                response=answer,
            )
            self._calls.append(call)
            self._violations.extend(violations)
            self._warnings.extend(warnings)
            delay = self._delays.get(method, self._delays.get("*", 0.0))
            self._cond.notify_all()
        return status, extra_headers, answer, delay

    def check_pending(self) -> int:
        """With ``check_later``: check every call answered unchecked so far; returns how many."""
        with self._cond:
            pending, self._unchecked = self._unchecked, []
        results = [self._check(method, kind, parsed) for method, kind, parsed in pending]
        with self._cond:
            for violations, warnings in results:
                self._violations.extend(violations)
                self._warnings.extend(warnings)
            self._cond.notify_all()
        return len(pending)

    def _record_internal_error(self, path: str, exc: Exception) -> None:
        with self._cond:
            detail = f"the fake itself failed on {path}: {type(exc).__name__}: {exc}"
            self._violations.append(Violation(path, "fake_error", detail))
            self._cond.notify_all()

    def _team_for(self, method: str, kind: str, parsed: ParsedRequest) -> str | None:
        if kind != "api":
            return self._response_urls.get(kind, DEFAULT_TEAM)
        info = self._state.tokens.get(parsed.token or "")
        if info is not None:
            return info.team_id
        if parsed.token in self._state.app_tokens:
            return self._state.app_tokens[parsed.token]
        if method == "oauth.v2.access":
            code = str(parsed.params.get("code"))
            refresh = str(parsed.params.get("refresh_token"))
            grant = self._state.oauth_codes.get(code) or self._state.refresh_tokens.get(refresh)
            return grant.team_id if grant else None
        return None

    def _check(
        self, method: str, kind: str, parsed: ParsedRequest
    ) -> tuple[list[Violation], list[str]]:
        params = parsed.params
        found: list[Violation] = []
        warnings: list[str] = []

        def add(what: str, detail: str) -> None:
            found.append(Violation(method, what, detail, params))

        for problem in parsed.problems:
            add("invalid_arguments", problem)
        if kind == "api":
            spec = self._oracle.get(method)
            if spec is None:
                add("unknown_method", f"{method!r} is not a Slack Web API method")
            else:
                missing, unknown = spec.check(params)
                for name in missing:
                    add("missing_param", f"required param {name!r} missing")
                warnings += [f"{method}: param {name!r} not in the 2020 spec" for name in unknown]
        if method in MESSAGE_METHODS or method == RESPONSE_URL:
            deleting = method == RESPONSE_URL and _truthy(params.get("delete_original"))
            for problem in check_message(params, require_content=not deleting):
                add(_content_error(problem), problem)
            if (
                self.require_text
                and not deleting
                and params.get("blocks")
                and not params.get("text")
            ):
                add("missing_text", "blocks without a top-level text (require_text=True)")
        if method in VIEW_METHODS and "view" in params:
            for problem in check_view(params["view"]):
                add("invalid_blocks", problem)
        return found, warnings

    def _answer(
        self,
        method: str,
        parsed: ParsedRequest,
        team_id: str | None,
        violations: list[Violation],
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        script = self._take_script("http_error", method, team_id)
        if script is not None:
            return script.status, {}, {"ok": False, "error": "fatal_error"}
        script = self._take_script("rate_limit", method, team_id)
        if script is not None:
            return self._429(str(script.retry_after))
        wait = self._steady_limit(method, team_id)
        if wait is None:
            wait = self._channel_limit(method, team_id, parsed.params.get("channel"))
        if wait is not None:
            return self._429(str(wait))
        if violations:
            error = _ERROR_FOR.get(violations[0].kind, violations[0].kind)
            status = 400 if method == RESPONSE_URL else 200
            return status, {}, {"ok": False, "error": error}
        script = self._take_script("fail", method, team_id)
        if script is not None:
            status = 404 if method == RESPONSE_URL else 200
            return status, {}, {"ok": False, "error": script.error, **script.fields}
        if method == RESPONSE_URL:
            return 200, {}, {"ok": True}
        if method not in NO_TOKEN_METHODS and parsed.token is None:
            return 200, {}, {"ok": False, "error": "not_authed"}
        request = Request(
            method, parsed.params, parsed.token, team_id, parsed.client_id, parsed.client_secret
        )
        try:
            return 200, {}, self._state.answer(request)
        except SlackError as exc:
            return 200, {}, {"ok": False, "error": exc.error}

    def _429(self, retry_after: str) -> tuple[int, dict[str, str], dict[str, Any]]:
        self.count_429 += 1
        return 429, {"Retry-After": retry_after}, {"ok": False, "error": "ratelimited"}

    def _channel_limit(self, method: str, team_id: str | None, channel: Any) -> int | None:
        limit = self._channel_limits.get(method)
        if limit is None or not isinstance(channel, str):
            return None
        now = self.sim_now()
        key = (team_id, method, channel)
        bucket = self._channel_buckets.get(key)
        if bucket is None:
            bucket = self._channel_buckets[key] = TokenBucket.full(limit[0], limit[1], now)
        wait = bucket.take(now)
        return retry_after_header(wait, self.time_scale) if wait > 0 else None

    def _steady_limit(self, method: str, team_id: str | None) -> int | None:
        limit = self._limits.get(method)
        if limit is None:
            return None
        now = self.sim_now()
        key = (team_id, method)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket.full(limit[0], limit[1], now)
        wait = bucket.take(now)
        return retry_after_header(wait, self.time_scale) if wait > 0 else None


def _content_error(problem: str) -> str:
    if "neither text nor blocks" in problem:
        return "no_text"
    if problem.startswith("text has"):
        return "msg_too_long"
    return "invalid_blocks"


def _truthy(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")


def _matches(call: Call, method: str, filters: dict[str, Filter]) -> bool:
    if call.method != method:
        return False
    for key, expected in filters.items():
        if key not in call.params:
            return False
        actual = call.params[key]
        if callable(expected) and not isinstance(expected, type):
            if not expected(actual):
                return False
        elif actual != expected:
            return False
    return True


def _describe_filters(filters: dict[str, Filter]) -> str:
    if not filters:
        return ""
    return " with " + ", ".join(f"{k}={v!r}" for k, v in filters.items())


def _describe_call(call: Call) -> str:
    shown = json.dumps(call.params, default=repr, ensure_ascii=False)
    if len(shown) > 200:
        shown = shown[:197] + "..."
    outcome = "ok" if call.ok else f"{call.status} {call.error}"
    return f"{call.method} [{call.team_id}] {shown} -> {outcome}"
