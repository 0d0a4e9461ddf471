"""A first run, as an operator meets it: `python -m bot ...` in a subprocess against the fake
Slack and a temporary database, judged by its exit code and by every line it prints."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.cli import SOCKET_MODE_RUNNING
from bot.crypto import generate_key
from bot.schema import read_schema_state
from bot.slack_check import BOT_TOKEN_FIX, BOT_TOKEN_REINSTALL
from tests.db_fixtures import create_postgres_database, drop_postgres_database
from tests.fakeslack import DEFAULT_APP_TOKEN, DEFAULT_TOKEN, FakeSlack
from tests.slack_requests import SIGNING_SECRET
from tests.wire.test_over_the_wire import free_port, procfile_command, wait_healthy

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BOLT_NOTICE = "As you gave `client` as well, `token` will be unused"
# What the operator's shell may carry that would change what these runs see.
_OURS = ("SLACK_", "DATABASE_", "TOKEN_ENCRYPTION_KEY", "OKR_CHANNELS", "PORT", "WEB_", "LOG_")


def run_env(fake: FakeSlack, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    return {
        **env,
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": DEFAULT_TOKEN,
        "SLACK_API_URL": fake.base_url,
        "DATABASE_URL": database_url,
        "PORT": str(free_port()),
        **extra,
    }


def distributed_env(fake: FakeSlack, database_url: str) -> dict[str, str]:
    env = run_env(fake, database_url)
    del env["SLACK_BOT_TOKEN"]
    return env | {
        "SLACK_CLIENT_ID": "1.2",
        "SLACK_CLIENT_SECRET": "client-secret",
        "SLACK_STATE_SECRET": "state-secret",
        "TOKEN_ENCRYPTION_KEY": generate_key(),
    }


def okr_coach(
    *args: str, env: dict[str, str], cwd: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def procfile_web(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The Procfile's web line exactly as written, run until it exits."""
    command = ["bash", "-c", f"exec {procfile_command('web')}"]
    return subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=60)


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single line a failed first run may print, on stderr, with nothing on stdout."""
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("okr-coach: ")
    return line.removeprefix("okr-coach: ")


class Running:
    """A command in its own process group whose stderr lines are collected as they come."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_for_line(
        self, wanted: Callable[[str], bool], *, count: int = 1, timeout: float = 30
    ) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while sum(1 for line in self.lines if wanted(line)) < count:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise AssertionError("never printed the line; got:\n" + "\n".join(self.lines))
                self._changed.wait(min(left, 0.2))

    def interrupt(self, timeout: float = 30) -> tuple[int, list[str]]:
        """Ctrl-C (SIGINT to the main process, as a terminal sends it); exit code and the
        lines printed after it."""
        with self._changed:
            before = len(self.lines)
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code, self.lines[before:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@contextmanager
def running(command: list[str], env: dict[str, str], cwd: Path) -> Iterator[Running]:
    started = Running(command, env, cwd)
    try:
        yield started
    finally:
        started.stop()


def records(lines: list[str]) -> list[dict[str, object]]:
    """Our JSON log lines (gunicorn's own lines are plain text)."""
    return [json.loads(line) for line in lines if line.startswith("{")]


def head_of(env: dict[str, str]) -> str:
    return f"{read_schema_state(env['DATABASE_URL']).head} (head)"


def assert_calm(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert "Traceback" not in text
    assert BOLT_NOTICE not in text
    assert [r for r in records(lines) if r["level"] != "info"] == []


# ---- a token Slack will not take, or a Slack nobody can reach ----------------------------


@pytest.mark.parametrize(
    ("error", "fix"),
    [
        ("invalid_auth", BOT_TOKEN_FIX),
        ("not_authed", BOT_TOKEN_FIX),
        ("account_inactive", BOT_TOKEN_REINSTALL),
    ],
)
def test_serve_with_a_rejected_bot_token_says_what_to_do_in_one_line(
    fake_slack: FakeSlack, tmp_path: Path, error: str, fix: str
) -> None:
    database = tmp_path / "okr_coach.db"
    env = run_env(fake_slack, f"sqlite:///{database}")
    if error == "invalid_auth":
        env["SLACK_BOT_TOKEN"] = "xoxb-copied-from-the-wrong-page"  # the fake answers for real
    else:
        fake_slack.fail("auth.test", error=error)

    line = one_line(okr_coach("serve", env=env, cwd=tmp_path))

    assert line == f"Slack rejected SLACK_BOT_TOKEN ({error}): {fix}"
    assert len(fake_slack.calls_to("auth.test")) == 1
    assert not database.exists()  # nothing was created for a run that could not work


def test_serve_with_slack_unreachable_says_so_in_one_line(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/api/"
    env = run_env(fake_slack, f"sqlite:///{tmp_path / 'okr_coach.db'}", SLACK_API_URL=nowhere)

    line = one_line(okr_coach("serve", env=env, cwd=tmp_path))

    assert line.startswith(f"cannot reach the Slack API at {nowhere} (")
    assert line.endswith("): check the network, or SLACK_API_URL if you set it")


def test_the_procfile_web_line_checks_the_token_once_before_any_worker_starts(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    env = run_env(fake_slack, f"sqlite:///{tmp_path / 'okr_coach.db'}", WEB_CONCURRENCY="3")
    env["SLACK_BOT_TOKEN"] = "xoxb-revoked"

    done = procfile_web(env)

    assert done.returncode == 2
    ours = [line for line in done.stderr.splitlines() if line.startswith("okr-coach: ")]
    assert ours == [f"okr-coach: Slack rejected SLACK_BOT_TOKEN (invalid_auth): {BOT_TOKEN_FIX}"]
    # gunicorn announces itself once; no worker ever boots, so none fails to.
    assert len(done.stderr.splitlines()) == 2
    assert "Booting worker" not in done.stderr and "Traceback" not in done.stderr
    assert len(fake_slack.calls_to("auth.test")) == 1


def test_the_procfile_web_line_refuses_a_database_nobody_migrated(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    database = tmp_path / "never-migrated.db"
    env = run_env(fake_slack, f"sqlite:///{database}")

    done = procfile_web(env)

    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f"okr-coach: the database at sqlite:///{database} has no tables yet: "
        "run okr-coach db upgrade"
    )
    assert "Traceback" not in done.stderr and not database.exists()


def test_socket_mode_with_a_rejected_app_token_says_what_to_do_in_one_line(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    fake_slack.enable_socket_mode()
    env = run_env(fake_slack, f"sqlite:///{tmp_path / 'okr_coach.db'}")
    env["SLACK_APP_TOKEN"] = "xapp-from-another-app"

    line = one_line(okr_coach("serve", env=env, cwd=tmp_path))

    assert line.startswith("Slack rejected SLACK_APP_TOKEN (invalid_auth): turn on Socket Mode")


# ---- a normal start is quiet, and Ctrl-C is one line ---------------------------------------


def test_a_normal_http_start_logs_no_warning(fake_slack: FakeSlack, tmp_path: Path) -> None:
    env = run_env(fake_slack, f"sqlite:///{tmp_path / 'okr_coach.db'}")
    command = [sys.executable, "-m", "bot", "serve", "--workers", "2", "--threads", "2"]

    with running(command, env, tmp_path) as server:
        wait_healthy(int(env["PORT"]), server.process)
        server.wait_for_line(lambda line: "starting OKR Coach worker" in line, count=2)
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)

    assert_calm(server.lines)
    messages = [str(r["message"]) for r in records(server.lines)]
    assert any(m.endswith(": upgraded from an empty database to " + head_of(env)) for m in messages)
    # The master asked Slack once; workers learn their bot id on their first request.
    assert len(fake_slack.calls_to("auth.test")) == 1


@pytest.mark.parametrize("flags", [[], ["--with-clock"]])
def test_ctrl_c_in_socket_mode_stops_with_one_line(
    fake_slack: FakeSlack, tmp_path: Path, flags: list[str]
) -> None:
    endpoint = fake_slack.enable_socket_mode()
    env = run_env(
        fake_slack, f"sqlite:///{tmp_path / 'okr_coach.db'}", SLACK_APP_TOKEN=DEFAULT_APP_TOKEN
    )

    with running([sys.executable, "-m", "bot", "serve", *flags], env, tmp_path) as bot:
        assert endpoint.connected.wait(30), "\n".join(bot.lines)
        # The last lines of a Socket Mode start, in either order: nothing is on its way after.
        bot.wait_for_line(lambda line: SOCKET_MODE_RUNNING in line)
        bot.wait_for_line(lambda line: "Starting to receive messages" in line)
        code, after = bot.interrupt()

    assert code == 0
    assert [r["message"] for r in records(after)] == ["stopped (Ctrl-C)"] and len(after) == 1
    assert_calm(bot.lines)


def test_ctrl_c_in_the_clock_stops_with_one_line(fake_slack: FakeSlack, tmp_path: Path) -> None:
    env = run_env(fake_slack, f"sqlite:///{tmp_path / 'okr_coach.db'}")

    with running([sys.executable, "-m", "bot", "clock"], env, tmp_path) as clock:
        clock.wait_for_line(lambda line: "clock started: reminder tick every" in line)
        code, after = clock.interrupt()

    assert code == 0
    assert [r["message"] for r in records(after)] == ["clock stopped (Ctrl-C)"] and len(after) == 1
    assert_calm(clock.lines)


def test_the_clock_checks_the_token_before_it_schedules_anything(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    fake_slack.fail("auth.test", error="account_inactive")
    env = run_env(fake_slack, f"sqlite:///{tmp_path / 'okr_coach.db'}")

    line = one_line(okr_coach("clock", env=env, cwd=tmp_path))

    assert line == f"Slack rejected SLACK_BOT_TOKEN (account_inactive): {BOT_TOKEN_REINSTALL}"


# ---- the database: what it holds, what a migration did -------------------------------------


def test_db_current_on_a_new_database_says_so_and_creates_nothing(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    database = tmp_path / "okr_coach.db"

    done = okr_coach(
        "db", "current", env=run_env(fake_slack, f"sqlite:///{database}"), cwd=tmp_path
    )

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == ["no migrations applied yet (run okr-coach db upgrade)"]
    assert not database.exists()


def test_db_upgrade_says_where_it_went_and_current_agrees(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    env = run_env(fake_slack, f"sqlite:///{tmp_path / 'okr_coach.db'}")
    head = read_schema_state(env["DATABASE_URL"]).head

    outputs = [
        okr_coach(*args, env=env, cwd=tmp_path)
        for args in (
            ("db", "upgrade", "0001"),
            ("db", "current"),
            ("db", "upgrade"),
            ("db", "upgrade"),
            ("db", "current"),
        )
    ]

    assert [(o.returncode, o.stderr) for o in outputs] == [(0, "")] * 5
    assert [o.stdout.splitlines() for o in outputs] == [
        ["upgraded from an empty database to 0001"],
        [f"0001 (head is {head}: run okr-coach db upgrade)"],
        [f"upgraded from 0001 to {head} (head)"],
        [f"already at head {head}"],
        [f"{head} (head)"],
    ]


def test_rotate_key_on_a_database_never_migrated_says_to_upgrade(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    database = tmp_path / "okr_coach.db"
    env = distributed_env(fake_slack, f"sqlite:///{database}")

    line = one_line(okr_coach("rotate-key", env=env, cwd=tmp_path))

    assert line == (
        f"the database at sqlite:///{database} has no tables yet: run okr-coach db upgrade"
    )
    assert not database.exists()


def test_rotate_key_on_a_database_behind_this_version_says_to_upgrade(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    env = distributed_env(fake_slack, f"sqlite:///{tmp_path / 'okr_coach.db'}")
    assert okr_coach("db", "upgrade", "0002", env=env, cwd=tmp_path).returncode == 0

    line = one_line(okr_coach("rotate-key", env=env, cwd=tmp_path))

    head = read_schema_state(env["DATABASE_URL"]).head
    assert line.endswith(
        f"is at migration 0002 and this version needs {head}: run okr-coach db upgrade"
    )


@pytest.mark.postgres
def test_commands_that_need_tables_say_so_on_a_new_postgresql_database(
    fake_slack: FakeSlack, tmp_path: Path, postgres_available: None
) -> None:
    url = create_postgres_database()
    try:
        env = distributed_env(fake_slack, url.replace("postgresql+psycopg://", "postgres://"))
        lines = [
            one_line(okr_coach(command, env=env, cwd=tmp_path))
            for command in ("rotate-key", "remind-now")
        ]
        serve = okr_coach("serve", env=run_env(fake_slack, url), cwd=tmp_path)
    finally:
        drop_postgres_database(url)

    assert all(line.endswith("has no tables yet: run okr-coach db upgrade") for line in lines)
    assert one_line(serve).endswith("has no tables yet: run okr-coach db upgrade")
    # The Heroku-style URL is named as the bot reads it: normalised, password hidden.
    assert f"postgresql+psycopg://{make_url(url).username}@" in lines[0]


def test_a_database_nobody_can_reach_is_one_line_too(fake_slack: FakeSlack, tmp_path: Path) -> None:
    url = f"postgresql://okr@127.0.0.1:{free_port()}/okr"

    line = one_line(okr_coach("db", "upgrade", env=run_env(fake_slack, url), cwd=tmp_path))

    assert line.startswith("cannot open the database at postgresql+psycopg://okr@127.0.0.1:")
    assert line.endswith("): check DATABASE_URL")
