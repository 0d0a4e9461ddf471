"""Weekly reminders to 10,000 members in 3 workspaces against a rate-limited fake Slack.

    .venv/bin/python benchmarks/bench_reminders.py [--members 10000] [--postgres] [--no-kill]

The fake Slack enforces Slack's published limits as per-method, per-workspace token buckets in
simulated time (429 with Retry-After past them); ``--scale`` simulated seconds pass per real
second. Each pass runs in its own process, as the clock would, with the shipped defaults
(``ReminderConfig()``: nothing overridden but the time scale, which the pacer applies to its
rates as the fake applies it to its limits). Reported:

- week 1 (every DM channel still to open) and week 2 (all cached): wall time against the
  floor the limits impose (target: within 1.15x), 429s (target 0), conversations.open calls
  in week 2 (must be 0), peak memory of the pass process (target < 200 MB);
- a fresh week 1 killed halfway with SIGKILL and restarted: duplicate and lost reminders
  (both must be 0).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from bot.db import create_db_engine, upgrade_database  # noqa: E402
from bot.models import KeyResult, Member, Objective, ReminderDelivery, Workspace  # noqa: E402
from bot.reminders import ReminderConfig  # noqa: E402
from handlers.checkin_blocks import REMINDER_TEXT  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402

# Slack's published tiers: conversations.open Tier 3 (50+/min), users.list Tier 2 (20+/min),
# conversations.history Tier 3. chat.postMessage is special: "several hundred" a minute per
# workspace (300 here) and about one a second per channel.
LIMITS = {
    "conversations.open": 50.0,
    "chat.postMessage": 300.0,
    "users.list": 20.0,
    "conversations.history": 50.0,
}
FAKE_BURST = 10.0
NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # a Monday
ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "Africa/Lagos",
)
TARGET_RATIO, TARGET_MB = 1.15, 200


def seed(engine: Any, teams: dict[str, int], now: datetime) -> None:
    """Members due now (their local 07:00-13:00 slot has passed), one objective each."""
    with engine.begin() as c:
        c.execute(insert(Workspace), [{"slack_team_id": t, "name": t} for t in teams])
    for team, count in teams.items():
        members, objectives = [], []
        for n in range(count):
            tz = ZONES[n % len(ZONES)]
            local = now.astimezone(ZoneInfo(tz))
            minute = max(7 * 60, local.hour * 60 + local.minute - 1 - n % 60)
            members.append(
                {
                    "slack_team_id": team,
                    "slack_user_id": f"U{team}{n:05d}",
                    "tz": None,
                    "reminder_weekday": local.weekday(),
                    "reminder_minute": minute,
                }
            )
            objectives.append(
                {
                    "slack_team_id": team,
                    "owner_slack_user_id": f"U{team}{n:05d}",
                    "title": f"Grow adoption in segment {n}",
                    "cycle": "2026-Q4",
                    "status": "active",
                    "commitment": "committed",
                }
            )
        with engine.begin() as c:
            c.execute(insert(Member), members)
            ids = (
                c.execute(
                    insert(Objective).returning(Objective.id, sort_by_parameter_order=True),
                    objectives,
                )
                .scalars()
                .all()
            )
            c.execute(
                insert(KeyResult),
                [
                    {
                        "slack_team_id": team,
                        "objective_id": i,
                        "position": p,
                        "text": text,
                        "baseline": b,
                        "target": t,
                        "current": b + (t - b) * (i % 7) / 10,
                    }
                    for i in ids
                    for p, (text, b, t) in enumerate(
                        (
                            ("Weekly active teams from 40 to 90", 40.0, 90.0),
                            ("Churn from 8% to 4%", 8.0, 4.0),
                        )
                    )
                ],
            )


def shipped_rates() -> dict[str, str]:
    config = ReminderConfig()
    rates = {m: f"{r.per_minute:g}/min burst {r.burst:g}" for m, r in config.rates().items()}
    for method, rate in config.channel_rates().items():
        rates[f"{method} per channel"] = f"{rate.per_minute:g}/min"
    return rates


def floor_seconds(per_team: int, scale: float, opens: bool) -> float:
    """Real seconds the limits impose on the slowest workspace (after the initial burst)."""
    sim = (per_team - FAKE_BURST) / LIMITS["chat.postMessage"] * 60
    if opens:
        sim = max(sim, (per_team - FAKE_BURST) / LIMITS["conversations.open"] * 60)
    return sim / scale


def run_worker(
    fake: FakeSlack,
    db_url: str,
    tokens: dict[str, str],
    now: datetime,
    scale: float,
    lease: float = 600,
) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "reminders_worker.py"),
        "--db",
        db_url,
        "--api",
        fake.base_url,
        "--tokens",
        ",".join(f"{t}={k}" for t, k in tokens.items()),
        "--now",
        now.isoformat(),
        "--time-scale",
        str(scale),
        "--lease-seconds",
        str(lease),
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)


def finish(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"worker failed with {process.returncode}")
    return json.loads(out.strip().splitlines()[-1])


def weekly_posts(fake: FakeSlack) -> Counter[tuple[str | None, str]]:
    return Counter(
        (c.team_id, c.params["channel"])
        for c in fake.calls_to("chat.postMessage", text=REMINDER_TEXT)
        if c.ok
    )


def make_fake(teams: dict[str, int], scale: float) -> tuple[FakeSlack, dict[str, str]]:
    fake = FakeSlack(time_scale=scale, default_user=False).start()
    tokens = {}
    for team, count in teams.items():
        tokens[team] = f"xoxb-{team}"
        fake.register_token(tokens[team], team)
        for n in range(count):
            fake.add_user(team, f"U{team}{n:05d}", tz=ZONES[n % len(ZONES)])
    for method, per_minute in LIMITS.items():
        fake.set_rate_limit(method, per_minute, burst=FAKE_BURST)
    return fake, tokens


def new_database(postgres: bool, workdir: Path, name: str) -> str:
    if postgres:
        from tests.db_fixtures import create_postgres_database

        url = create_postgres_database()
    else:
        url = f"sqlite:///{workdir / name}.db"
    engine = create_db_engine(url)
    upgrade_database(engine)
    engine.dispose()
    return url


def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        from tests.db_fixtures import drop_postgres_database

        drop_postgres_database(url)


def db_counts(url: str) -> dict[str, int]:
    engine = create_db_engine(url)
    with engine.connect() as c:
        rows = c.execute(
            select(ReminderDelivery.status, func.count()).group_by(ReminderDelivery.status)
        ).all()
    engine.dispose()
    return {status: count for status, count in rows}


@contextmanager
def seeded(
    args: argparse.Namespace, teams: dict[str, int], workdir: Path, name: str
) -> Iterator[tuple[str, FakeSlack, dict[str, str]]]:
    """A migrated database with every member due, and a fake Slack that knows them."""
    url = new_database(args.postgres, workdir, name)
    seed(create_db_engine(url), teams, NOW)
    fake, tokens = make_fake(teams, args.scale)
    try:
        yield url, fake, tokens
    finally:
        fake.stop()
        drop_database(url)


def scenario_weeks(args: argparse.Namespace, teams: dict[str, int], workdir: Path) -> None:
    per_team = max(teams.values())
    with seeded(args, teams, workdir, "weeks") as (url, fake, tokens):
        for week, scale, opens in ((1, args.scale, True), (2, args.scale2, False)):
            fake.time_scale = scale
            fake.set_rate_limit("chat.postMessage", LIMITS["chat.postMessage"], FAKE_BURST)
            fake.set_rate_limit("conversations.open", LIMITS["conversations.open"], FAKE_BURST)
            before_opens = len(fake.calls_to("conversations.open"))
            before_429 = fake.count_429
            now = NOW + timedelta(days=7 * (week - 1))
            started = time.monotonic()
            result = finish(run_worker(fake, url, tokens, now, scale))
            wall = time.monotonic() - started
            floor = floor_seconds(per_team, scale, opens)
            report = result["report"]
            print(
                f"week {week}: {report['sent']} sent in {wall:.1f}s wall "
                f"(pass {result['seconds']:.1f}s), floor {floor:.1f}s, "
                f"ratio {wall / floor:.3f} (target <= {TARGET_RATIO}); "
                f"429s {fake.count_429 - before_429} (target 0); "
                f"conversations.open {len(fake.calls_to('conversations.open')) - before_opens}; "
                f"peak RSS {result['peak_rss_mb']} MB (target < {TARGET_MB}); "
                f"time scale {scale:g}x",
                flush=True,
            )
        posts = weekly_posts(fake)
        print(
            f"weeks 1+2: members with 2 weekly DMs {sum(1 for v in posts.values() if v == 2)}"
            f" of {sum(teams.values())}; deliveries {db_counts(url)}",
            flush=True,
        )


def scenario_kill(args: argparse.Namespace, teams: dict[str, int], workdir: Path) -> None:
    total = sum(teams.values())
    with seeded(args, teams, workdir, "kill") as (url, fake, tokens):
        started = time.monotonic()
        first = run_worker(fake, url, tokens, NOW, args.scale)
        while len(weekly_posts(fake)) < total // 2 and first.poll() is None:
            time.sleep(0.2)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        killed_at = len(weekly_posts(fake))
        # The restart runs later on the same timeline: its clock starts where the first one
        # would be now, past every claim it stamped. The killed process is gone, so its
        # claims may be taken over at once (lease 0).
        later = NOW + timedelta(seconds=time.monotonic() - started)
        result = finish(run_worker(fake, url, tokens, later, args.scale, lease=0))
        wall = time.monotonic() - started
        posts = weekly_posts(fake)
        expected = {(team, f"DU{team}{n:05d}") for team, c in teams.items() for n in range(c)}
        duplicates = sum(v - 1 for v in posts.values() if v > 1)
        lost = len(expected - set(posts))
        report = result["report"]
        print(
            f"kill -9 after {killed_at} of {total} DMs, restart: {report['sent']} more sent, "
            f"{report['reconciled']} interrupted claims found already sent via "
            f"conversations.history; duplicates {duplicates} (must be 0), lost {lost} "
            f"(must be 0); {wall:.1f}s wall; deliveries {db_counts(url)}",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--workspaces", type=int, default=3)
    parser.add_argument("--scale", type=float, default=60.0, help="week 1 time scale")
    parser.add_argument("--scale2", type=float, default=15.0, help="week 2 time scale")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL, not SQLite")
    parser.add_argument("--no-kill", action="store_true", help="skip the kill/restart run")
    parser.add_argument("--only-kill", action="store_true")
    args = parser.parse_args()
    per, extra = divmod(args.members, args.workspaces)
    teams = {f"T{n + 1}": per + (1 if n < extra else 0) for n in range(args.workspaces)}
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print("$ " + " ".join(["python", *sys.argv]), flush=True)
    print(
        f"{args.members} members in {len(teams)} workspaces ({backend}); Slack's limits per "
        f"workspace per simulated minute: {LIMITS}, burst {FAKE_BURST:g}; our pace: the "
        f"shipped defaults, {shipped_rates()}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        if not args.only_kill:
            scenario_weeks(args, teams, Path(tmp))
        if not args.no_kill:
            scenario_kill(args, teams, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
