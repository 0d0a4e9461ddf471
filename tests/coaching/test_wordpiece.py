"""WordPiece tokenising, on a toy vocabulary whose answers can be worked out by hand."""

from __future__ import annotations

import pytest

from coaching.learned.wordpiece import WordPiece, normalise, pre_tokenise

VOCAB = ["[PAD]", "[UNK]", "un", "##aff", "##able", "grow", "##th", "the", "!", "cafe", "a", "##b"]
TOKENS = WordPiece({token: row for row, token in enumerate(VOCAB)})


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("unaffable", [2, 3, 4]),
        ("Growth!", [5, 6, 8]),
        ("the  growth", [7, 5, 6]),
        # Accents are stripped, as the table's tokenizer did.
        ("Café", [9]),
        # A word with a piece the vocabulary lacks is left out whole, never half-read.
        ("unknownish the", [7]),
        ("", []),
        ("ab" * 60, []),
    ],
)
def test_greedy_longest_match_first(text: str, ids: list[int]) -> None:
    assert TOKENS.ids(text) == ids


def test_punctuation_is_split_off_and_control_characters_dropped() -> None:
    assert pre_tokenise("KR1: grow\u200b-fast (now)") == [
        "kr1",
        ":",
        "grow",
        "-",
        "fast",
        "(",
        "now",
        ")",
    ]
    assert normalise("A\tB\x00C") == "a bc"


def test_cjk_characters_stand_alone() -> None:
    assert pre_tokenise("目标ok") == ["目", "标", "ok"]
