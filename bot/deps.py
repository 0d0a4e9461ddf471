"""What listeners and jobs need, built once by the composition root and passed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
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
    # The draft path's own engine (see build_deps); None means the main one.
    draft_engine: Engine | None = None

    def engine_for_drafts(self) -> Engine:
        if self.draft_engine is not None:
            return self.draft_engine
        engine: Engine = self.session_factory.kw["bind"]
        return engine
