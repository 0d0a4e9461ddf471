"""What a review button carries: the review's id and a fingerprint of what it showed.

A button drawn for one version of a draft must not act on another: the draft may have been
edited since, or the coach may now write a different rewrite. The fingerprint of the text the
button was drawn for travels in its value and is checked against the current one on click.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

FINGERPRINT_CHARS = 16


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


@dataclass(frozen=True)
class ReviewButton:
    review_id: int
    # None for buttons drawn before fingerprints existed: they cannot prove what they showed.
    fingerprint: str | None = None

    def value(self) -> str:
        return f"{self.review_id}.{self.fingerprint}" if self.fingerprint else str(self.review_id)

    def shows(self, text: str | None) -> bool:
        """Whether this button was drawn for ``text`` (the draft, or the rewrite it offers)."""
        return text is not None and self.fingerprint == fingerprint(text)


def review_button(review_id: int, text: str) -> ReviewButton:
    return ReviewButton(review_id, fingerprint(text))


def parse_review_button(value: str) -> ReviewButton | None:
    review, _, mark = value.partition(".")
    if not review.isdigit():
        return None
    if not mark:
        return ReviewButton(int(review))
    if len(mark) != FINGERPRINT_CHARS or not all(c in "0123456789abcdef" for c in mark):
        return None
    return ReviewButton(int(review), mark)


def feedback_value(review_id: int, rule_id: str) -> str:
    return f"{review_id}|{rule_id}"


def parse_feedback_value(value: str) -> tuple[int, str] | None:
    review, _, rule = value.partition("|")
    return (int(review), rule) if review.isdigit() and rule else None
