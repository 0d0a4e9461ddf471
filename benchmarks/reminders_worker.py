"""One reminder pass in its own process, as the clock runs it (driven by bench_reminders.py).

    python benchmarks/reminders_worker.py --db URL --api URL --tokens T1=xoxb-1,... \
        --now 2026-11-23T13:00:00+00:00 --time-scale 60

Runs the shipped defaults (``ReminderConfig()``); ``--time-scale`` tells the pacer how much
faster than the real clock the stand-in Slack's time runs. Prints one JSON line: the pass
report and the process's peak resident memory. With REMINDERS_TRACEMALLOC=1 it also prints
the largest live allocations to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import Settings
from bot.db import create_db_engine, create_session_factory
from bot.deps import Deps
from bot.pacing import Timing
from bot.reminders import ReminderConfig, ReminderPass
from handlers.checkin_blocks import reminder_renderers
from tests.reminders.tokens import StaticTokens


def peak_rss_kb() -> int:
    """This process's own peak: VmHWM belongs to the address space exec created, whereas
    ru_maxrss survives exec and would count the parent's pages at fork time."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--tokens", required=True)
    parser.add_argument("--now", required=True)
    parser.add_argument("--time-scale", type=float, default=1.0)
    # The kill run's restart takes over the dead process's claims at once.
    parser.add_argument("--lease-seconds", type=float, default=600)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    tokens = dict(pair.split("=", 1) for pair in args.tokens.split(","))
    settings = Settings(
        slack_signing_secret="unused",
        slack_bot_token=None,
        database_url=args.db,
        slack_api_url=args.api,
    )
    engine = create_db_engine(
        args.db, **({} if args.db.startswith("sqlite") else {"pool_size": 20, "max_overflow": 10})
    )
    deps = Deps(settings=settings, session_factory=create_session_factory(engine))
    config = ReminderConfig(claim_lease=timedelta(seconds=args.lease_seconds))
    trace = bool(os.environ.get("REMINDERS_TRACEMALLOC"))
    if trace:
        tracemalloc.start(5)
    started = time.monotonic()
    reminders = ReminderPass(
        deps,
        StaticTokens(tokens),
        config,
        reminder_renderers(),
        timing=Timing(scale=args.time_scale),
    )
    report = reminders.run(datetime.fromisoformat(args.now))
    if trace:
        snapshot = tracemalloc.take_snapshot()
        for stat in snapshot.statistics("traceback")[:8]:
            print(stat, *stat.traceback.format()[-6:], sep="\n  ", file=sys.stderr)
        print("traced peak MB", tracemalloc.get_traced_memory()[1] / 2**20, file=sys.stderr)
    peak_kb = peak_rss_kb()
    print(
        json.dumps(
            {
                "report": report.as_dict(),
                "seconds": time.monotonic() - started,
                "peak_rss_mb": round(peak_kb / 1024, 1),
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
