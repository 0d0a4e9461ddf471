"""Echoed user text can never ping, link or break out of its block."""

from __future__ import annotations

import pytest

from handlers.text import ELLIPSIS, escape, quote, truncate


@pytest.mark.parametrize(
    "raw",
    ["<!channel> look", "<!here>", "<!everyone>", "<!subteam^S123|@team>", "<@U123>", "<#C1|x>"],
)
def test_control_sequences_are_escaped(raw: str) -> None:
    escaped = escape(raw)
    assert "<" not in escaped and ">" not in escaped
    assert escaped.startswith("&lt;")


@pytest.mark.parametrize("word", ["@channel", "@here", "@everyone", "@HERE"])
def test_plain_broadcast_words_are_defused(word: str) -> None:
    escaped = escape(f"hi {word}!")
    assert word not in escaped
    assert escaped.replace("\u200d", "") == f"hi {word}!"


def test_ampersand_is_escaped_first() -> None:
    assert escape("a & <b>") == "a &amp; &lt;b&gt;"


def test_ordinary_text_and_emphasis_survive() -> None:
    assert escape("*Grow* the _community_ :rocket: 成長") == "*Grow* the _community_ :rocket: 成長"


def test_truncate_respects_the_limit_and_marks_the_cut() -> None:
    text = "word " * 1000
    cut = truncate(text, 100)
    assert len(cut) <= 100 and cut.endswith(ELLIPSIS)
    assert truncate("short", 100) == "short"


def test_truncate_never_splits_an_entity() -> None:
    text = escape("x" * 95 + "<<<<<<")
    cut = truncate(text, 100)
    assert len(cut) <= 100
    body = cut.removesuffix(ELLIPSIS)
    assert body.count("&") == body.count(";")


def test_quote_prefixes_every_line_and_escapes() -> None:
    quoted = quote("line one\n<!here> two", 200)
    assert quoted.splitlines() == ["> line one", "> &lt;!here&gt; two"]
