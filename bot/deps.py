"""What listeners and jobs need, built once by the composition root and passed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import sessionmaker

from bot.config import Settings
from bot.models import utcnow
from coaching import DraftReview, review_draft


@dataclass(frozen=True)
class Deps:
    settings: Settings
    session_factory: sessionmaker
    coach: Callable[[str], DraftReview] = review_draft
    # Injected so tests can move time without sleeping.
    clock: Callable[[], datetime] = field(default=utcnow)
