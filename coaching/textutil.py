"""Tokenising and a tiny suffix-stripping stemmer, so lexicons match "updates", "updated"..."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?|[$%]")
_VOWELS = frozenset("aeiouy")


# Plurals that are not plurals: stripping their "s" would merge them with another word.
_NOT_PLURALS = frozenset({"news", "series", "species", "always", "perhaps", "lens", "chaos"})


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """Strip the commonest English inflections; crude on purpose (no dictionary to ship).

    Only the pairing matters: "update", "updates", "updated", "updating" must all land on
    the same stem, and the lexicons are written through the same function. Two different
    words must not: a one-syllable word keeps its silent "e" ("note" is not "not", "plane"
    is not "plan"), and a short root that lost "-ing" or "-ed" gets it back ("noting").
    """
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or not w.isalpha() or w in _NOT_PLURALS:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses") or w.endswith(("ches", "shes", "xes", "zzes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if not w.endswith(suffix) or w.endswith("eed"):
            continue
        root = w[: -len(suffix)]
        if len(root) < 2 or not any(c in _VOWELS for c in root):
            break
        if len(root) > 3 and root[-1] == root[-2] and root[-1] not in "lsz" + "aeiouy":
            return root[:-1]  # "running" -> "run": a doubled consonant, never an "e"
        if _is_short(root):
            return root + "e"
        w = root
        break
    if w.endswith("e") and len(w) > 3 and not _is_short(w[:-1]):
        w = w[:-1]
    return w


def _is_short(root: str) -> bool:
    """One syllable ending consonant-vowel-consonant ("not", "writ", "clos") or "us": the
    root of a word that ends in a silent "e" ("note", "write", "close", "use")."""
    if len(root) < 2 or len(root) > 5:
        return False
    if len(root) == 2:
        return root[0] in _VOWELS and root[1] not in _VOWELS
    c1, v, c2 = root[-3:]
    if c1 in _VOWELS or v not in _VOWELS or c2 in _VOWELS or c2 in "wx":
        return False
    head = root[:-2]
    return not any(c in _VOWELS for c in head)


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@dataclass(frozen=True, slots=True)
class Doc:
    """A text prepared once for every lexicon lookup: raw, lower-case, words and stems."""

    raw: str
    lower: str
    words: tuple[str, ...]
    stems: tuple[str, ...]
    # Stems joined and padded with spaces, so a phrase lookup is one substring test.
    padded: str

    @classmethod
    def of(cls, text: str) -> Doc:
        # The same line is read by the classifier, the craft checks and the rewrite.
        return _doc_of(text)

    def has(self, phrase: str) -> bool:
        return phrase in self.padded

    def first_stems(self, n: int) -> tuple[str, ...]:
        return self.stems[:n]


@lru_cache(maxsize=2048)
def _doc_of(text: str) -> Doc:
    words = tuple(tokens(text))
    stems = tuple(stem(w) for w in words)
    return Doc(text, text.lower(), words, stems, " " + " ".join(stems) + " ")


def phrase_stems(phrase: str) -> str:
    """The padded stem form of a lexicon phrase, for ``Doc.has``."""
    return " " + " ".join(stem(w) for w in tokens(phrase)) + " "


def phrases(*items: str) -> tuple[str, ...]:
    return tuple(phrase_stems(p) for p in items)


def _entries(listing: str) -> list[str]:
    """Comma-separated entries of a lexicon listing, whitespace and newlines ignored."""
    return [" ".join(item.split()) for item in listing.split(",") if item.strip()]


def phrase_set(listing: str) -> tuple[str, ...]:
    """Padded stem forms of comma-separated phrases, for ``Doc.has``."""
    return phrases(*_entries(listing))


def stem_set(listing: str) -> frozenset[str]:
    """Stems of comma-separated single words."""
    return frozenset(stem(w) for w in _entries(listing))


def word_set(listing: str) -> frozenset[str]:
    """Whitespace-separated words, as written (no stemming)."""
    return frozenset(listing.split())


def clear_text_cache() -> None:
    """Forget prepared lines (for benchmarks that must not time cache hits)."""
    _doc_of.cache_clear()
