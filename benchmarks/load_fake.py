"""The fake Slack in its own process, so its threads never share a GIL with the senders.

    python -m benchmarks.load_fake [CONFIG_JSON]

CONFIG_JSON (all optional): ``latency`` (seconds before every answer, as Slack's own round
trip), ``limits`` and ``channel_limits`` (``{method: [per_minute, burst]}``, Slack's
per-workspace and per-channel limits, answered with 429 and Retry-After past them).

Prints one JSON line with ``base_url``, then answers commands read from stdin, one per line:
``stats`` (a JSON line of counters), ``check`` (check every call answered so far against
Slack's spec and Block Kit, then the counters), ``replies`` (``[thread_ts, at]`` for every
reply posted), ``reset`` and ``quit``. The fake answers
first and checks on ``check``, after the timed window, so its checking never takes CPU
from the server under test; a bad call still counts as a violation.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.fakeslack import FakeSlack

REPO = Path(__file__).resolve().parent.parent
REPLY_METHOD = "chat.postMessage"


def stats(fake: FakeSlack) -> dict[str, Any]:
    calls = fake.calls
    replies = [c for c in calls if c.method == REPLY_METHOD and c.ok]
    threads = Counter((c.params.get("channel"), c.params.get("thread_ts")) for c in replies)
    failed = [c for c in calls if not c.ok]
    return {
        "replies": len(replies),
        "distinct_threads": len(threads),
        "duplicates": sum(n - 1 for n in threads.values()),
        "failed_calls": len(failed),
        "failed_examples": [f"{c.method}: {c.status} {c.error}" for c in failed[:5]],
        "violations": [str(v) for v in fake.violations[:5]],
        "violation_count": len(fake.violations),
        "methods": dict(Counter(c.method for c in calls)),
        "rate_limited": fake.count_429,
        "first_reply_at": min((c.at for c in replies), default=None),
        "last_reply_at": max((c.at for c in replies), default=None),
    }


def replies(fake: FakeSlack) -> list[tuple[str, float]]:
    return [
        (str(c.params.get("thread_ts")), c.at)
        for c in fake.calls
        if c.method == REPLY_METHOD and c.ok
    ]


def serve(config: dict[str, Any]) -> None:
    with FakeSlack(check_later=True) as fake:
        latency = float(config.get("latency", 0.0))
        if latency > 0:
            fake.delay("*", latency)  # every answer, as Slack's own round trip would take
        for method, (per_minute, burst) in config.get("limits", {}).items():
            fake.set_rate_limit(method, per_minute, burst)
        for method, (per_minute, burst) in config.get("channel_limits", {}).items():
            fake.set_channel_rate_limit(method, per_minute, burst)
        print(json.dumps({"base_url": fake.base_url}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                print(json.dumps(stats(fake)), flush=True)
            elif command == "replies":
                print(json.dumps(replies(fake)), flush=True)
            elif command == "check":
                fake.check_pending()
                print(json.dumps(stats(fake)), flush=True)
            elif command == "reset":
                fake.reset()
                print(json.dumps({"ok": True}), flush=True)
            elif command == "quit":
                break


@dataclass
class FakeSlackProcess:
    """Parent side: start the child, ask it for counters, stop it."""

    process: subprocess.Popen[str]
    base_url: str

    @classmethod
    def start(
        cls,
        latency: float = 0.0,
        *,
        limits: dict[str, tuple[float, float | None]] | None = None,
        channel_limits: dict[str, tuple[float, float | None]] | None = None,
    ) -> FakeSlackProcess:
        config = {
            "latency": latency,
            "limits": limits or {},
            "channel_limits": channel_limits or {},
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.load_fake", json.dumps(config)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        first = process.stdout.readline()
        if not first:
            process.kill()
            raise RuntimeError("the fake Slack process exited before it started")
        return cls(process, json.loads(first)["base_url"])

    def _ask(self, command: str) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stats(self) -> dict[str, Any]:
        return self._ask("stats")

    def checked_stats(self) -> dict[str, Any]:
        return self._ask("check")

    def reply_times(self) -> dict[str, list[float]]:
        """Every reply's time, by the thread (the draft's ts) it went to."""
        times: dict[str, list[float]] = {}
        for thread_ts, at in self._ask("replies"):
            times.setdefault(thread_ts, []).append(at)
        return times

    def reset(self) -> None:
        self._ask("reset")

    def stop(self) -> None:
        if self.process.poll() is None and self.process.stdin is not None:
            try:
                self.process.stdin.write("quit\n")
                self.process.stdin.flush()
            except BrokenPipeError:
                pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> FakeSlackProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":
    serve(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})
