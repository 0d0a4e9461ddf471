"""CPU seconds used by each party to a load run, read from /proc (Linux only).

The load benchmark shares two cores between the server, PostgreSQL, the fake Slack and the
senders, so a target's replies per second depend on everyone's CPU cost per reply. Reading
it per party shows where a gap between two targets comes from.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

PROC = Path("/proc")
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(pid: str) -> list[str] | None:
    try:
        raw = (PROC / pid / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after the last ")".
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    return [pid, name, *raw[raw.rindex(")") + 2 :].split()]


def _machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds since boot over all cores, from the first line of /proc/stat."""
    fields = [int(v) for v in (PROC / "stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return (total - idle) / _TICKS, total / _TICKS


def snapshot(*, server_group: int, fake_pid: int) -> Counter[str]:
    """Cumulative CPU seconds (user + system) per party: server, postgres, fake, senders;
    plus the whole machine's busy and total seconds."""
    totals: Counter[str] = Counter()
    if not PROC.is_dir():
        return totals
    totals["machine busy"], totals["machine total"] = _machine_busy_seconds()
    me = os.getpid()
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(entry.name)
        if fields is None:
            continue
        pid, name, pgrp = int(fields[0]), fields[1], int(fields[4])
        seconds = (int(fields[13]) + int(fields[14])) / _TICKS
        if pgrp == server_group:
            totals["server"] += seconds
        elif pid == fake_pid:
            totals["fake Slack"] += seconds
        elif pid == me:
            totals["senders"] += seconds
        elif name == "postgres":
            totals["postgres"] += seconds
    return totals


def machine_busy_share(before: Counter[str], after: Counter[str]) -> float:
    """How busy all cores were between two snapshots, 0 to 1."""
    total = after["machine total"] - before["machine total"]
    return (after["machine busy"] - before["machine busy"]) / total if total > 0 else 0.0


def per_reply_ms(before: Counter[str], after: Counter[str], replies: int) -> dict[str, float]:
    """Milliseconds of CPU per completed reply, per party."""
    if replies <= 0:
        return {}
    return {
        party: (after[party] - before.get(party, 0.0)) * 1000 / replies
        for party in ("server", "postgres", "fake Slack", "senders")
    }


def worker_rss_mb(server_group: int) -> list[float]:
    """Resident memory of each gunicorn worker (the group's processes but its leader), in MB."""
    sizes: list[float] = []
    for entry in PROC.iterdir() if PROC.is_dir() else ():
        fields = _stat_fields(entry.name) if entry.name.isdigit() else None
        if fields is None or int(fields[4]) != server_group or int(fields[0]) == server_group:
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sorted(sizes)
