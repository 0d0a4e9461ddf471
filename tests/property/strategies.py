"""Text people (and attackers) really paste into Slack: markup, controls, broadcasts, novels."""

from __future__ import annotations

from hypothesis import strategies as st

# Surrogates cannot cross Slack's JSON as lone code points; everything else may arrive.
any_char = st.characters(blacklist_categories=("Cs",))

MARKUP = (
    "<@U0001>",
    "<@U0002|alex>",
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S123|@team>",
    "<!date^1700000000^{date}|Nov 14>",
    "<#C0001|general>",
    "<https://example.com|a link>",
    "@channel",
    "@here",
    "@everyone",
    "*",
    "_",
    "~",
    "`",
    "```",
    "&",
    "&amp;",
    "&lt;",
    "<",
    ">",
    "\u200d",
    ":rocket:",
    "Objective:",
    "O1:",
    "KR1:",
    "Key results:",
    "- ",
    "• ",
    "1) ",
    "confidence 6/10",
    "(7/10)",
    "from 30% to 45% by Q3",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\x00",
    "\x1b[31m",
    "\u2028",
    " ",
)

fragments = st.one_of(
    st.sampled_from(MARKUP),
    st.text(any_char, max_size=12),
    st.sampled_from(("grow", "revenue", "answer", "emails", "weekly", "teams")),
)

# A long single line (no spaces or many) exercises the per-line and per-message caps.
huge_line = st.builds(
    lambda word, count: word * count,
    st.sampled_from(("x", "grow revenue ", "<!channel>", "&<>", "é")),
    st.integers(min_value=200, max_value=4000),
)

slack_text = st.one_of(
    st.lists(fragments, max_size=40).map("".join),
    st.text(any_char, max_size=200),
    st.tuples(st.lists(fragments, max_size=8).map("".join), huge_line).map("".join),
)
