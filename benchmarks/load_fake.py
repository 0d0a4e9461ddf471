"""The fake Slack in its own process, so its threads never share a GIL with the senders.

    python -m benchmarks.load_fake [LATENCY_SECONDS]

Prints one JSON line with ``base_url``, then answers commands read from stdin, one per line:
``stats`` (a JSON line of counters), ``check`` (check every call answered so far against
Slack's spec and Block Kit, then the counters), ``reset`` and ``quit``. The fake answers
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
        "first_reply_at": min((c.at for c in replies), default=None),
        "last_reply_at": max((c.at for c in replies), default=None),
    }


def serve(latency: float = 0.0) -> None:
    with FakeSlack(check_later=True) as fake:
        if latency > 0:
            fake.delay("*", latency)  # every answer, as Slack's own round trip would take
        print(json.dumps({"base_url": fake.base_url}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                print(json.dumps(stats(fake)), flush=True)
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
    def start(cls, latency: float = 0.0) -> FakeSlackProcess:
        process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.load_fake", str(latency)],
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

    def _ask(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stats(self) -> dict[str, Any]:
        return self._ask("stats")

    def checked_stats(self) -> dict[str, Any]:
        return self._ask("check")

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
    serve(float(sys.argv[1]) if len(sys.argv) > 1 else 0.0)
