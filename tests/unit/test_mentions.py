"""People and channels named in a slash command, escaped by Slack or typed raw."""

from __future__ import annotations

import pytest

from handlers.mentions import Reference, channel_reference, user_reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U0002|bob>", Reference(id="U0002")),
        ("<@U0002>", Reference(id="U0002")),
        ("<@W0002|bob>", Reference(id="W0002")),
        ("  <@U0002|bob>  ", Reference(id="U0002")),
        ("@bob", Reference(name="bob")),
        ("@Bob Builder", Reference(name="Bob Builder")),
        ("@bob.smith", Reference(name="bob.smith")),
        ("@Zoë  Ünal", Reference(name="Zoë Ünal")),
        ("bob", None),
        ("@", None),
        ("@@bob", None),
        ("<@U0002|bob> <@U0003|sam>", None),
        ("<!channel>", None),
        ("<#C0042|okrs>", None),
        ("@<!here>", None),
    ],
)
def test_user_references(text: str, expected: Reference | None) -> None:
    assert user_reference(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<#C0042|team-okrs>", Reference(id="C0042")),
        ("<#C0042>", Reference(id="C0042")),
        ("<#C0042|>", Reference(id="C0042")),
        ("<#G0042|private-okrs>", Reference(id="G0042")),
        ("#team-okrs", Reference(name="team-okrs")),
        ("#Team-OKRs", Reference(name="team-okrs")),
        ("#okrs_2026.q4", Reference(name="okrs_2026.q4")),
        ("team-okrs", None),
        ("#", None),
        ("#team okrs", None),
        ("<@U0002|bob>", None),
        ("<#C0042|okrs> <#C0043|more>", None),
    ],
)
def test_channel_references(text: str, expected: Reference | None) -> None:
    assert channel_reference(text) == expected
