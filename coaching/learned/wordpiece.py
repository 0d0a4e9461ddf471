"""BERT-style WordPiece tokenising, enough to look words up in the static embedding table.

The table was distilled from a sentence-transformer whose vocabulary is BERT's uncased
WordPiece one. Training and the running coach both tokenise with this function, so the
vectors they average are the same; it needs no tokenizer library at run time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

CONTINUATION = "##"
MAX_WORD_CHARS = 100


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


_ASCII_CONTROLS = {c: " " if chr(c) in "\t\n\r" else None for c in range(32)} | {127: None}
# In ASCII, a word is a run of letters and digits and every other visible character is
# punctuation, which is what the general path below decides character by character.
_ASCII_PIECES = re.compile(r"[a-z0-9]+|[^a-z0-9\s]")


def normalise(text: str) -> str:
    """Lower case, accents stripped, control characters dropped, CJK characters spaced."""
    if text.isascii():
        return text.lower().translate(_ASCII_CONTROLS)
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text.lower()):
        code = ord(char)
        if code == 0 or code == 0xFFFD or unicodedata.category(char) in ("Cc", "Cf", "Mn"):
            if char in "\t\n\r":
                out.append(" ")
            continue
        if _is_cjk(code):
            out.append(f" {char} ")
        elif char.isspace():
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def pre_tokenise(text: str) -> list[str]:
    """Split on white space, and every punctuation character on its own."""
    if text.isascii():
        return _ASCII_PIECES.findall(normalise(text))
    words: list[str] = []
    for chunk in normalise(text).split():
        start = 0
        for i, char in enumerate(chunk):
            if _is_punctuation(char):
                if start < i:
                    words.append(chunk[start:i])
                words.append(char)
                start = i + 1
        if start < len(chunk):
            words.append(chunk[start:])
    return words


class WordPiece:
    """Greedy longest-match-first WordPiece over a fixed vocabulary (token -> row)."""

    def __init__(self, vocab: Mapping[str, int], unknown: str = "[UNK]") -> None:
        self._vocab = dict(vocab)
        self._unknown = self._vocab.get(unknown, -1)
        self._word = lru_cache(maxsize=16384)(self._word_ids)

    def ids(self, text: str) -> list[int]:
        """Row ids of the pieces of ``text``; unknown words are left out."""
        out: list[int] = []
        for word in pre_tokenise(text):
            out.extend(self._word(word))
        return out

    def _word_ids(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_WORD_CHARS:
            return ()
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = -1
            while start < end:
                piece = word[start:end] if start == 0 else CONTINUATION + word[start:end]
                found = self._vocab.get(piece, -1)
                if found >= 0:
                    break
                end -= 1
            if found < 0 or found == self._unknown:
                return ()
            pieces.append(found)
            start = end
        return tuple(pieces)
