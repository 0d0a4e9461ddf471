"""Burst benchmark: drafts arriving faster than Slack lets a bot reply, at the shipped defaults.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_burst.py [--scenario both]

Runs the Procfile's ``web`` line (gunicorn, 2 workers) with nothing overridden (the reply pace
is the shipped one: a reply a second per channel, 300 a minute per workspace) against a fresh
PostgreSQL database and a fake Slack in its own process that enforces Slack's limits on
``chat.postMessage``: about one a second per channel (burst 1) and 300 a minute per workspace
(burst 10), answering 429 with Retry-After past them. The clock is not running, so every reply
comes from the web workers; the sweeper is only a backstop.

Scenarios:
- ``one-channel``: 40 drafts in one channel, one a second (a team's planning session). The
  limit itself imposes 40 s from the first draft to the last reply. Target: at most 1.5 x.
  Beside it, 8 drafts in a quiet channel, one every 4 s: they must not wait behind the burst.
- ``many-channels``: 200 drafts over 20 channels, all sent at once by 16 senders. The
  workspace limit allows them in (200 - burst) / 5 per second = 38 s. Target: at most 1.2 x.

For each: wall time from the first draft sent to the last reply, the ratio to the floor,
replies per draft (exactly one each: no duplicate, none missing), the 429s Slack answered,
the p50/p99 time from each draft to its reply, and ERROR lines in the server log (an
expected rate limit is a WARNING, never an ERROR). Exits 1 when a correctness check fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.load_db import create_migrated_database, drop_database
from benchmarks.load_fake import FakeSlackProcess
from benchmarks.load_senders import (
    Outcome,
    Place,
    percentile,
    send_all,
    send_at_rate,
    signed_drafts,
)
from benchmarks.load_server import free_port, procfile_command, running, web_env

SECRET = "bench-signing-secret-0123456789abcdef"
REPLY = "chat.postMessage"
PER_CHANNEL_PER_MINUTE, CHANNEL_BURST = 60.0, 1.0
PER_WORKSPACE_PER_MINUTE, WORKSPACE_BURST = 300.0, 10.0
TEAM = "T0001"  # the fake Slack counts the benchmark's token against this workspace


@dataclass(frozen=True)
class Scenario:
    name: str
    drafts: int
    channels: int
    interval: float  # seconds between drafts; 0 sends them all at once
    target_ratio: float
    # A quiet channel beside the burst: drafts there should not wait behind it.
    quiet_drafts: int = 0
    quiet_every: float = 0.0

    def floor(self) -> float:
        """Seconds Slack's limits impose from the first draft to the last reply."""
        per_channel = self.drafts / self.channels * 60 / PER_CHANNEL_PER_MINUTE
        per_workspace = max(0.0, self.drafts - WORKSPACE_BURST) * 60 / PER_WORKSPACE_PER_MINUTE
        arrivals = (self.drafts - 1) * self.interval
        return max(per_channel, per_workspace, arrivals + 60 / PER_CHANNEL_PER_MINUTE)


SCENARIOS = {
    "one-channel": Scenario(
        "one-channel",
        drafts=40,
        channels=1,
        interval=1.0,
        target_ratio=1.5,
        quiet_drafts=8,
        quiet_every=4.0,
    ),
    "many-channels": Scenario(
        "many-channels", drafts=200, channels=20, interval=0.0, target_ratio=1.2
    ),
}


@dataclass
class BurstResult:
    scenario: Scenario
    wall: float
    answered: int
    duplicates: int
    missing: int
    rate_limited: int
    p50: float
    p99: float
    quiet_p50: float
    quiet_p99: float
    acks_not_200: int
    log_errors: list[str]
    log_warnings: int

    @property
    def ratio(self) -> float:
        return self.wall / self.scenario.floor()

    @property
    def correct(self) -> bool:
        return (
            self.duplicates == 0
            and self.missing == 0
            and self.acks_not_200 == 0
            and not self.log_errors
        )


def _place(channels: int) -> Place:
    return lambda n: (TEAM, f"CBURST{n % channels:03d}")


def _log_lines(log_path: Path) -> tuple[list[str], int]:
    lines = log_path.read_text(errors="replace").splitlines()
    errors = [
        line[:200]
        for line in lines
        if '"level": "error"' in line or "Traceback" in line or "[ERROR]" in line
    ]
    warnings = sum('"level": "warning"' in line for line in lines)
    return errors, warnings


def run(scenario: Scenario, max_seconds: float) -> BurstResult:
    limits = {REPLY: (PER_WORKSPACE_PER_MINUTE, WORKSPACE_BURST)}
    channel_limits = {REPLY: (PER_CHANNEL_PER_MINUTE, CHANNEL_BURST)}
    with (
        FakeSlackProcess.start(limits=limits, channel_limits=channel_limits) as fake,
        tempfile.TemporaryDirectory() as tmp,
    ):
        database_url, _ = create_migrated_database()
        log_path = Path(tmp) / "web.log"
        try:
            port = free_port()
            env = web_env(
                port=port,
                workers=2,
                threads=8,
                database_url=database_url,
                api_url=fake.base_url,
                secret=SECRET,
            )
            with log_path.open("wb") as log, running(procfile_command(), env, port, log):
                requests = signed_drafts(scenario.drafts, SECRET, _place(scenario.channels))
                quiet = signed_drafts(scenario.quiet_drafts, SECRET, lambda n: (TEAM, "CQUIET"))
                quiet_outcomes: list[Outcome] = []
                beside = threading.Thread(
                    target=lambda: quiet_outcomes.extend(
                        send_at_rate(port, quiet, rate=1 / scenario.quiet_every, start_in=2.0)
                        if quiet
                        else []
                    )
                )
                beside.start()
                if scenario.interval > 0:
                    outcomes = send_at_rate(port, requests, rate=1 / scenario.interval)
                else:
                    outcomes = send_all(port, requests, senders=16, deadline_seconds=max_seconds)
                beside.join()
                outcomes += quiet_outcomes
                expected = scenario.drafts + scenario.quiet_drafts
                deadline = time.monotonic() + max_seconds
                while time.monotonic() < deadline:
                    if fake.stats()["distinct_threads"] >= expected:
                        break
                    time.sleep(0.25)
                time.sleep(2.0)  # a late duplicate would land here
                stats = fake.checked_stats()
                replies = fake.reply_times()
        finally:
            drop_database(database_url)
        log_errors, log_warnings = _log_lines(log_path)
    sent_at = {o.ts: o.sent_at for o in outcomes}
    quiet_ts = {o.ts for o in quiet_outcomes}

    def delays(quiet_channel: bool) -> list[float]:
        return [
            min(replies[ts]) - sent
            for ts, sent in sent_at.items()
            if ts in replies and (ts in quiet_ts) is quiet_channel
        ]

    first_sent = min(sent_at.values())
    last_reply = max((max(times) for times in replies.values()), default=first_sent)
    return BurstResult(
        scenario=scenario,
        wall=last_reply - first_sent,
        answered=sum(1 for ts in sent_at if ts in replies),
        duplicates=sum(len(times) - 1 for times in replies.values()),
        missing=sum(1 for ts in sent_at if ts not in replies),
        rate_limited=int(stats["rate_limited"]),
        p50=percentile(delays(False), 0.50),
        p99=percentile(delays(False), 0.99),
        quiet_p50=percentile(delays(True), 0.50),
        quiet_p99=percentile(delays(True), 0.99),
        acks_not_200=sum(1 for o in outcomes if o.status != 200),
        log_errors=log_errors + [f"fake Slack: {v}" for v in stats["violations"]],
        log_warnings=log_warnings,
    )


def _report(result: BurstResult) -> str:
    s = result.scenario
    mark = "met" if result.ratio <= s.target_ratio else "MISSED"
    lines = [
        f"{s.name}: {s.drafts} drafts over {s.channels} channel(s), "
        + (f"one every {s.interval:g} s" if s.interval else "all at once"),
        f"  last reply after {result.wall:.1f} s; floor {s.floor():.1f} s; "
        f"ratio {result.ratio:.3f} (target <= {s.target_ratio}): {mark}",
        f"  answered {result.answered}/{s.drafts + s.quiet_drafts}, "
        f"duplicates {result.duplicates}, "
        f"missing {result.missing}, acks not 200: {result.acks_not_200}",
        f"  draft to reply p50 {result.p50:.2f} s, p99 {result.p99:.2f} s; "
        f"429s from Slack {result.rate_limited}; server log: {len(result.log_errors)} ERROR "
        f"lines, {result.log_warnings} WARNING lines",
    ]
    if s.quiet_drafts:
        lines.append(
            f"  beside it, {s.quiet_drafts} drafts in a quiet channel, one every "
            f"{s.quiet_every:g} s: draft to reply p50 {result.quiet_p50:.2f} s, "
            f"p99 {result.quiet_p99:.2f} s"
        )
    lines += [f"  error: {line}" for line in result.log_errors[:5]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scenario", choices=(*SCENARIOS, "both"), default="both", help="which burst (both)"
    )
    parser.add_argument("--max-seconds", type=float, default=180.0, help="bound per run (180)")
    args = parser.parse_args(argv)
    chosen = list(SCENARIOS.values()) if args.scenario == "both" else [SCENARIOS[args.scenario]]
    print(
        "Procfile web line at the shipped defaults, PostgreSQL, fake Slack enforcing "
        f"{PER_CHANNEL_PER_MINUTE:g}/min per channel (burst {CHANNEL_BURST:g}) and "
        f"{PER_WORKSPACE_PER_MINUTE:g}/min per workspace (burst {WORKSPACE_BURST:g})",
        flush=True,
    )
    correct = True
    for scenario in chosen:
        result = run(scenario, args.max_seconds)
        print(_report(result), flush=True)
        correct = correct and result.correct
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
