"""Load benchmark: the Procfile's ``web`` command against a minimal Bolt app, side by side.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_load.py \
        [--events 2000] [--senders 16] [--workers 2] [--threads 8] [--rounds 1] \
        [--latencies-ms 100,0]

Each target runs the Procfile's gunicorn line on a free 127.0.0.1 port with a fresh PostgreSQL
database (created here, migrated with ``okr-coach db upgrade``) and a fresh fake Slack in its
own process, once with Slack answering after 100 ms (its real round trip) and once at once
(CPU-bound on this machine). Concurrent senders post pre-signed channel drafts spread over 800
channels in 200 workspaces (one workspace could not take more than Slack's 300 replies a
minute); every workspace and channel is seen once before the clock starts. The tables report
acks and completed replies per second, ack p50/p99, the time from each draft to its reply,
CPU per reply by party, and each web worker's resident memory after the run.

Targets (OKR Coach against the anchor): with a 100 ms Slack at least 1.5x the anchor's
replies per second; with an instant Slack at least 0.6x; ack p99 under 100 ms in both; each
worker at most 120 MB; zero errors and duplicate replies, one stored review with its reply_ts
per event. Exits 1 when a correctness check fails (speed is reported, not enforced).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.load_cpu import machine_busy_share, per_reply_ms, snapshot, worker_rss_mb
from benchmarks.load_db import create_migrated_database, drop_database, wait_stored
from benchmarks.load_fake import FakeSlackProcess
from benchmarks.load_senders import (
    PLACES,
    Outcome,
    percentile,
    send_all,
    send_at_rate,
    signed_drafts,
    spread,
)
from benchmarks.load_server import (
    anchor_command,
    free_port,
    procfile_command,
    running,
    web_env,
)

SECRET = "bench-signing-secret-0123456789abcdef"
# Replies per second against the anchor's, by Slack's answer time in ms.
TARGET_RATIOS = {100.0: 1.5, 0.0: 0.6}
TARGET_P99_MS = 100.0
TARGET_RSS_MB = 120.0
ANCHOR = "anchor"
OKR_COACH = "okr-coach"


@dataclass
class RunResult:
    target: str
    latency_ms: float
    events: int
    acked: int
    ack_rate: float
    reply_rate: float
    p50_ms: float
    p99_ms: float
    replies: int
    duplicates: int
    stored: int | None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cpu_ms: dict[str, float] = field(default_factory=dict)
    machine_busy: float = 0.0
    reply_p50_ms: float = float("nan")  # from sending a draft to its reply reaching Slack
    reply_p99_ms: float = float("nan")
    worker_rss_mb: list[float] = field(default_factory=list)


def _wait_replies(fake: FakeSlackProcess, expected: int, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    stats = fake.stats()
    while stats["replies"] < expected and time.monotonic() < deadline:
        time.sleep(0.25)  # each poll costs the fake a pass over its call log
        stats = fake.stats()
    return stats


def _log_errors(log_path: Path) -> list[str]:
    lines = log_path.read_text(errors="replace").splitlines()
    bad = [
        line
        for line in lines
        if '"level": "error"' in line or "Traceback" in line or "[ERROR]" in line
    ]
    return [f"server log: {line[:200]}" for line in bad[:3]] + (
        [f"server log: {len(bad)} error lines in all"] if bad else []
    )


def run_target(target: str, args: argparse.Namespace, latency_ms: float) -> RunResult:
    command = anchor_command() if target == ANCHOR else procfile_command()
    # Every worker warm (imports, auth.test, pools) and every workspace and channel seen
    # once (its rows and its place in the pace exist), as on a server that has been up.
    warmup = PLACES
    latency = latency_ms / 1000
    with FakeSlackProcess.start(latency) as fake, tempfile.TemporaryDirectory() as tmp:
        database_url, note = create_migrated_database()
        log_path = Path(tmp) / "web.log"
        try:
            port = free_port()
            env = web_env(
                port=port,
                workers=args.workers,
                threads=args.threads,
                database_url=database_url,
                api_url=fake.base_url,
                secret=SECRET,
            )
            with log_path.open("wb") as log, running(command, env, port, log) as server:
                send_all(
                    port,
                    signed_drafts(warmup, SECRET, spread),
                    senders=args.senders,
                    deadline_seconds=args.max_seconds,
                )
                _wait_replies(fake, warmup, args.max_seconds)
                requests = signed_drafts(args.events, SECRET, spread)
                cpu_before = snapshot(server_group=server.pid, fake_pid=fake.process.pid)
                started = time.time()
                if args.rate:
                    outcomes = send_at_rate(port, requests, rate=args.rate)
                else:
                    outcomes = send_all(
                        port,
                        requests,
                        senders=args.senders,
                        deadline_seconds=args.max_seconds,
                        keepalive=args.keepalive,
                    )
                stats = _wait_replies(fake, warmup + args.events, args.max_seconds)
                cpu_after = snapshot(server_group=server.pid, fake_pid=fake.process.pid)
                rss = worker_rss_mb(server.pid)
                stats = fake.checked_stats()  # the spec and Block Kit checks, off the clock
                reply_times = fake.reply_times()
                stored = None
                if target == OKR_COACH:
                    stored, _ = wait_stored(database_url, warmup + args.events, 15.0)
                    stored -= warmup
        finally:
            drop_database(database_url)
        result = _result(target, args, started, outcomes, stats, stored, warmup, log_path)
        result.latency_ms = latency_ms
        delays = [
            (min(reply_times[o.ts]) - o.sent_at) * 1000 for o in outcomes if o.ts in reply_times
        ]
        result.reply_p50_ms = percentile(delays, 0.50)
        result.reply_p99_ms = percentile(delays, 0.99)
        result.worker_rss_mb = rss
        result.notes += [note] if note else []
        result.cpu_ms = per_reply_ms(cpu_before, cpu_after, stats["replies"] - warmup)
        result.machine_busy = machine_busy_share(cpu_before, cpu_after)
        return result


def _result(
    target: str,
    args: argparse.Namespace,
    started: float,
    outcomes: list[Outcome],
    stats: dict[str, Any],
    stored: int | None,
    warmup: int,
    log_path: Path,
) -> RunResult:
    acked = [o for o in outcomes if o.status == 200]
    latencies = [o.latency for o in acked]
    last_ack = max((o.done_at for o in acked), default=started)
    replies = stats["replies"] - warmup
    last_reply = stats["last_reply_at"] or started
    errors: list[str] = []
    if len(outcomes) < args.events:
        errors.append(f"only {len(outcomes)} of {args.events} events sent before the deadline")
    failed = [o.status for o in outcomes if o.status != 200]
    if failed:
        errors.append(f"{len(failed)} acks were not 200 (statuses {sorted(set(failed))})")
    if replies < args.events:
        errors.append(f"{args.events - replies} events never got a reply")
    if stats["failed_calls"]:
        errors.append(f"{stats['failed_calls']} failed Slack calls: {stats['failed_examples']}")
    if stats["violation_count"]:
        errors.append(f"{stats['violation_count']} fake Slack violations: {stats['violations']}")
    if stored is not None and stored != args.events:
        errors.append(f"{stored} reviews stored with reply_ts for {args.events} events")
    errors += _log_errors(log_path)
    return RunResult(
        target=target,
        latency_ms=0.0,
        events=args.events,
        acked=len(acked),
        ack_rate=len(acked) / max(last_ack - started, 1e-9),
        reply_rate=replies / max(last_reply - started, 1e-9),
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        replies=replies,
        duplicates=stats["duplicates"],
        stored=stored,
        errors=errors,
    )


def _table(results: list[RunResult]) -> str:
    header = (
        f"{'Slack':>6} {'target':<10} {'acked/s':>8} {'replies/s':>9} {'ack p50':>8} "
        f"{'ack p99':>8} {'reply p50':>9} {'reply p99':>9} {'worker RSS':>14} "
        f"{'replies':>7} {'dups':>4} {'stored':>6} {'errors':>6}"
    )
    rows = [header, "-" * len(header)]
    for r in results:
        stored = "-" if r.stored is None else str(r.stored)
        rss = "/".join(f"{mb:.0f}" for mb in r.worker_rss_mb) + " MB"
        rows.append(
            f"{r.latency_ms:>4.0f}ms {r.target:<10} {r.ack_rate:>8.1f} {r.reply_rate:>9.1f} "
            f"{r.p50_ms:>6.1f}ms {r.p99_ms:>6.1f}ms {r.reply_p50_ms:>7.0f}ms "
            f"{r.reply_p99_ms:>7.0f}ms {rss:>14} {r.replies:>7} {r.duplicates:>4} "
            f"{stored:>6} {len(r.errors):>6}"
        )
    return "\n".join(rows)


def _cpu_table(results: list[RunResult]) -> str:
    """CPU milliseconds per completed reply, by party: where a gap between targets comes from."""
    parties = ("server", "postgres", "fake Slack", "senders")
    header = (
        f"{'CPU ms/reply':<12} "
        + " ".join(f"{p:>10}" for p in parties)
        + f" {'total':>7} {'all cores busy':>14}"
    )
    rows = [header, "-" * len(header)]
    for r in results:
        if not r.cpu_ms:
            continue
        cells = " ".join(f"{r.cpu_ms[p]:>10.2f}" for p in parties)
        label = f"{r.target} {r.latency_ms:.0f}ms"
        rows.append(f"{label:<12} {cells} {sum(r.cpu_ms.values()):>7.2f} {r.machine_busy:>13.0%}")
    return "\n".join(rows)


def _verdict(
    results: list[RunResult], load: str, *, compare_rates: bool = True
) -> tuple[list[str], bool]:
    """Against the targets. In the open loop replies per second is the rate offered, so the
    comparison with the anchor says nothing and is left out."""
    lines: list[str] = []
    correct = all(not r.errors and r.duplicates == 0 for r in results)
    for latency in sorted({r.latency_ms for r in results}, reverse=True):
        here = [r for r in results if r.latency_ms == latency]
        anchor = [r.reply_rate for r in here if r.target == ANCHOR]
        okr = [r for r in here if r.target == OKR_COACH]
        target = TARGET_RATIOS.get(latency)
        if anchor and okr and compare_rates:
            ratio = statistics.median(r.reply_rate for r in okr) / statistics.median(anchor)
            mark = (
                ""
                if target is None
                else f" (target >= {target}x): " + ("met" if ratio >= target else "MISSED")
            )
            lines.append(
                f"Slack at {latency:g} ms: replies/s vs anchor (median) {ratio:.2f}x{mark}"
            )
        for r in okr:
            mark = "met" if r.p99_ms < TARGET_P99_MS else "MISSED"
            lines.append(
                f"Slack at {latency:g} ms: okr-coach ack p99, {load}: "
                f"{r.p99_ms:.1f} ms (target < {TARGET_P99_MS:.0f} ms): {mark}; "
                f"draft to reply p99 {r.reply_p99_ms:.0f} ms"
            )
    rss = [mb for r in results if r.target == OKR_COACH for mb in r.worker_rss_mb]
    if rss:
        mark = "met" if max(rss) <= TARGET_RSS_MB else "MISSED"
        lines.append(
            f"okr-coach worker RSS after the runs: at most {max(rss):.0f} MB "
            f"(target <= {TARGET_RSS_MB:.0f} MB): {mark}"
        )
    lines.append(f"errors, duplicates, stored reviews: {'all clean' if correct else 'FAILED'}")
    for r in results:
        lines += [f"  {r.target} at {r.latency_ms:g} ms: {e}" for e in r.errors]
    for note in sorted({n for r in results for n in r.notes}):
        lines.append(f"note: {note}")
    return lines, correct


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2000, help="events per run (2000)")
    parser.add_argument("--senders", type=int, default=16, help="concurrent senders (16)")
    parser.add_argument("--workers", type=int, default=2, help="WEB_CONCURRENCY (2)")
    parser.add_argument("--threads", type=int, default=8, help="WEB_THREADS (8)")
    parser.add_argument("--rounds", type=int, default=1, help="anchor/okr-coach pairs (1)")
    parser.add_argument(
        "--only", choices=(ANCHOR, OKR_COACH), help="run one target (for profiling)"
    )
    parser.add_argument(
        "--latencies-ms",
        default="100,0",
        help="the fake Slack's delays before each answer, one set of runs each (100,0)",
    )
    parser.add_argument("--keepalive", action="store_true", help="reuse one connection per sender")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="open loop: send this many events a second, as Slack delivers them, instead of "
        "16 closed-loop senders (0: closed loop)",
    )
    parser.add_argument(
        "--max-seconds", type=float, default=120.0, help="bound on each phase (120)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    targets = [args.only] if args.only else [ANCHOR, OKR_COACH]
    latencies = [float(v) for v in args.latencies_ms.split(",") if v.strip()]
    traffic = f"open loop at {args.rate:g} events/s" if args.rate else f"{args.senders} senders"
    print(
        f"{args.events} events, {traffic}, gunicorn gthread "
        f"{args.workers} workers x {args.threads} threads, PostgreSQL, fake Slack in its own "
        f"process answering after {' and '.join(f'{v:g}' for v in latencies)} ms, "
        f"keep-alive {'on' if args.keepalive else 'off'}",
        flush=True,
    )
    results: list[RunResult] = []
    for latency in latencies:
        for round_number in range(args.rounds):
            for target in targets:
                results.append(run_target(target, args, latency))
                print(
                    f"Slack at {latency:g} ms, round {round_number + 1}: {target} done",
                    file=sys.stderr,
                    flush=True,
                )
    cores, load = os.cpu_count(), os.getloadavg()[0]
    print(f"machine: {cores} cores, 1-minute load average {load:.1f} at the end of the run")
    print(_table(results))
    print(_cpu_table(results))
    lines, correct = _verdict(results, traffic, compare_rates=not args.rate)
    print("\n".join(lines))
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
