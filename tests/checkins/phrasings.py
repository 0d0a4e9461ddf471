"""Labelled check-in phrasings: what a person writes, and what the coach must read from it.

Each row: the text, the key results the person has, and the expected reading: ``None``
when it is no check-in (the bot answers with help), else the updates by key result key as
(value, confidence), the overall confidence, how many numbers are left unplaced, and a
word the note must keep. All invented for these tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coaching.checkins import KeyResultRef

SOLO = (KeyResultRef(1, 1, "Raise weekly active teams from 300 to 450", None, 300, 450),)
TEAM = (
    KeyResultRef(1, 1, "Grow weekly signups from 800 to 1,500", None, 800, 1500),
    KeyResultRef(2, 2, "Raise NPS from 30 to 45", None, 30, 45),
    KeyResultRef(3, 3, "Onboard 5 design partners", None, 0, 5),
    KeyResultRef(4, 4, "Cut monthly churn from 6% to 4%", "%", 6, 4),
)
NO_TARGETS = (
    KeyResultRef(1, 1, "Launch the partner portal"),
    KeyResultRef(2, 2, "Move billing to the new provider"),
)
TWO_OBJECTIVES = (
    KeyResultRef(11, 1, "Cut p95 checkout latency from 900 ms to 400 ms", "ms", 900, 400, 1),
    KeyResultRef(12, 2, "Raise checkout conversion from 2.1% to 2.8%", "%", 2.1, 2.8, 1),
    KeyResultRef(21, 1, "Hire 3 backend engineers", None, 0, 3, 2),
    KeyResultRef(22, 2, "Cut time to hire from 60 to 40 days", "days", 60, 40, 2),
)


@dataclass(frozen=True)
class Expected:
    updates: dict[int, tuple[float | None, int | None]] = field(default_factory=dict)
    confidence: int | None = None
    unplaced: int = 0
    note: str = ""


Row = tuple[str, tuple[KeyResultRef, ...], Expected | None]

PHRASINGS: tuple[Row, ...] = (
    # --- by number ------------------------------------------------------------------------
    ("KR2 now 45%, confidence 6, waiting on legal", TEAM, Expected({2: (36.75, 6)}, note="legal")),
    ("KR1 1,240", TEAM, Expected({1: (1240, None)})),
    ("kr1: 1100, kr2: 38", TEAM, Expected({1: (1100, None), 2: (38, None)})),
    ("KR1 1200 KR2 40", TEAM, Expected({1: (1200, None), 2: (40, None)})),
    ("KR 3 - 2 of 5", TEAM, Expected({3: (2, None)})),
    ("key result 4 is at 5.2%", TEAM, Expected({4: (5.2, None)})),
    ("#2 at 41", TEAM, Expected({2: (41, None)})),
    ("KR1: 1,320 (conf 8)", TEAM, Expected({1: (1320, 8)})),
    ("KR4 5.5% confidence 4/10", TEAM, Expected({4: (5.5, 4)})),
    ("KR2 confidence 3, the survey slipped", TEAM, Expected({2: (None, 3)}, note="survey")),
    (
        "KR1 1000, KR2 35, KR3 1 of 5, KR4 5.8%",
        TEAM,
        Expected({1: (1000, None), 2: (35, None), 3: (1, None), 4: (5.8, None)}),
    ),
    ("KR1 now 1,150; KR2 unchanged", TEAM, Expected({1: (1150, None)}, note="unchanged")),
    # --- by their words -------------------------------------------------------------------
    ("signups 1,240 (conf 7)", TEAM, Expected({1: (1240, 7)})),
    ("onboarding: 3 of 5 done", TEAM, Expected({3: (3, None)})),
    ("design partners 2 of 5, conf 5", TEAM, Expected({3: (2, 5)})),
    (
        "churn 5.1%, signups 1,100 and nps 38, confidence 6",
        TEAM,
        Expected({4: (5.1, None), 1: (1100, None), 2: (38, None)}, confidence=6),
    ),
    ("NPS is 39 now", TEAM, Expected({2: (39, None)})),
    ("we hit 1,300 signups", TEAM, Expected({1: (1300, None)})),
    ("signups $1.2k this week", TEAM, Expected({1: (1200, None)})),
    ("all on track except the NPS one, 4/10", TEAM, Expected({2: (None, 4)}, note="on track")),
    ("churn down to 5%", TEAM, Expected({4: (5, None)})),
    (
        "Signups: 1.3k. NPS: 41. Feeling good, 8/10",
        TEAM,
        Expected({1: (1300, None), 2: (41, None)}, confidence=8, note="Feeling good"),
    ),
    ("partners 4 of 5 - one more to sign", TEAM, Expected({3: (4, None)}, note="sign")),
    ("nps 42 (conf 6) and churn 4.9% (conf 5)", TEAM, Expected({2: (42, 6), 4: (4.9, 5)})),
    ("checkout conversion 2.4%", TWO_OBJECTIVES, Expected({12: (2.4, None)})),
    ("latency 650", TWO_OBJECTIVES, Expected({11: (650, None)})),
    ("hired 1 of 3 backend engineers", TWO_OBJECTIVES, Expected({21: (1, None)})),
    ("time to hire 52 days", TWO_OBJECTIVES, Expected({22: (52, None)})),
    ("O2 KR2 48", TWO_OBJECTIVES, Expected({22: (48, None)})),
    ("O1 KR1 700, confidence 7", TWO_OBJECTIVES, Expected({11: (700, 7)})),
    # --- the only one that fits -----------------------------------------------------------
    ("340", SOLO, Expected({1: (340, None)})),
    ("now at 355, confidence 7", SOLO, Expected({1: (355, 7)})),
    ("365 teams, conf 6, the launch helped", SOLO, Expected({1: (365, 6)}, note="launch")),
    ("confidence 5", SOLO, Expected({1: (None, 5)})),
    ("6/10", SOLO, Expected({1: (None, 6)})),
    ("up to 380!", SOLO, Expected({1: (380, None)})),
    ("we're at 50%", SOLO, Expected({1: (375, None)})),
    ("2 of 3 pilots live, 7 out of 10", SOLO, Expected({1: (400, 7)}, note="pilots")),
    ("about 330 this week, confident 6", SOLO, Expected({1: (330, 6)})),
    ("weekly active teams 372", SOLO, Expected({1: (372, None)})),
    # --- no numeric target: a percentage done ---------------------------------------------
    ("portal 60%", NO_TARGETS, Expected({1: (60, None)})),
    ("billing move 3 of 4 steps done", NO_TARGETS, Expected({2: (75, None)})),
    ("KR1 80% KR2 20%, confidence 6", NO_TARGETS, Expected({1: (80, None), 2: (20, None)}, 6)),
    ("partner portal half done, 50%", NO_TARGETS, Expected({1: (50, None)}, note="half done")),
    # --- confidence only, or a note only --------------------------------------------------
    ("everything on track, 7/10", TEAM, Expected(confidence=7, note="on track")),
    ("all on track", TEAM, Expected(note="all on track")),
    ("blocked on legal this week", TEAM, Expected(note="blocked on legal")),
    ("no progress, everyone was out", TEAM, Expected(note="everyone was out")),
    ("confidence 4 overall, hiring is slow", TEAM, Expected(confidence=4, note="hiring")),
    # --- what it must not guess: unplaced -------------------------------------------------
    ("45", TEAM, Expected(unplaced=1)),
    ("we're at 60 now", TWO_OBJECTIVES, Expected(unplaced=1)),
    ("KR1 at 700", TWO_OBJECTIVES, Expected(unplaced=1)),
    ("KR9 at 10", TEAM, Expected(unplaced=1)),
    ("1,200 and 40", TEAM, Expected(unplaced=2)),
    ("signups 1,100 1,200", TEAM, Expected({1: (1100, None)}, unplaced=1)),
    # --- not a check-in at all ------------------------------------------------------------
    ("hi", TEAM, None),
    ("hello!", SOLO, None),
    ("thanks", TEAM, None),
    ("thank you :pray:", SOLO, None),
    ("what is this?", TEAM, None),
    ("help", TEAM, None),
    ("can you remind me on Monday?", SOLO, None),
    ("who sees my answers?", TEAM, None),
    ("I'm on holiday until the 14th", TEAM, None),
    ("", TEAM, None),
    ("   ", SOLO, None),
    ("ok", SOLO, None),
)

# Written after the parser, never used to tune it: the figure that says how it generalises.
FRESH: tuple[Row, ...] = (
    ("signups at 1,180 and climbing", TEAM, Expected({1: (1180, None)}, note="climbing")),
    ("KR3: 4/5", TEAM, Expected({3: (4, None)})),
    ("nps 37 - confidence 5", TEAM, Expected({2: (37, 5)})),
    ("churn now 5.4 percent", TEAM, Expected({4: (5.4, None)})),
    ("1 more design partner signed, so 3 of 5", TEAM, Expected({3: (3, None)})),
    ("weekly signups ~1,050", TEAM, Expected({1: (1050, None)})),
    ("conf 8, nothing else to report", SOLO, Expected({1: (None, 8)})),
    ("KR2 43 KR4 4.6% conf 7", TEAM, Expected({2: (43, None), 4: (4.6, 7)})),
    ("time to hire down to 45 days, conf 6", TWO_OBJECTIVES, Expected({22: (45, 6)})),
    ("portal 100% done!", NO_TARGETS, Expected({1: (100, None)})),
    ("sorry, which reminder is this?", TEAM, None),
    ("good morning", SOLO, None),
    ("70", NO_TARGETS, Expected(unplaced=1)),
    (
        "latency 520ms and conversion 2.5%",
        TWO_OBJECTIVES,
        Expected({11: (520, None), 12: (2.5, None)}),
    ),
    ("we're at 400 teams, 8/10 sure", SOLO, Expected({1: (400, 8)})),
)
