"""Run the Procfile's ``web`` line (or the anchor through the same line) on a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PRODUCTION_APP = "'bot.wsgi:create_wsgi_app()'"
ANCHOR_APP = "'benchmarks.load_anchor:create_wsgi_app()'"


def procfile_command(process: str = "web") -> str:
    for line in (REPO / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise RuntimeError(f"no {process} line in Procfile")


def anchor_command() -> str:
    """The web line with only the WSGI app swapped: same worker class, workers, threads."""
    command = procfile_command()
    if command.count(PRODUCTION_APP) != 1:
        raise RuntimeError(f"cannot find {PRODUCTION_APP} in the web line: {command}")
    return command.replace(PRODUCTION_APP, ANCHOR_APP)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def web_env(
    *, port: int, workers: int, threads: int, database_url: str, api_url: str, secret: str
) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "WEB_THREADS": str(threads),
        "DATABASE_URL": database_url,
        "SLACK_API_URL": api_url,
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_BOT_TOKEN": "xoxb-test",
    }


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the web process exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the web process never answered /healthz within {timeout}s")


@contextmanager
def running(
    command: str, env: dict[str, str], port: int, log: IO[bytes], timeout: float = 60.0
) -> Iterator[subprocess.Popen[bytes]]:
    """The command in its own session (gunicorn forks workers), stopped by its group id."""
    process = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=log,  # a file, not a pipe: a full pipe would stall the server mid-benchmark
        start_new_session=True,
    )
    try:
        wait_healthy(port, process, timeout)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
