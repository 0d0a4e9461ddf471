"""Where the shared labelled drafts live, and what a test does when they are absent.

CI sets ``OKR_REQUIRE_DATA=1``: there, missing data fails the test instead of skipping it,
so a model that no longer matches the data can never land unnoticed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(
    os.environ.get("OKR_DATA_DIR", Path(__file__).resolve().parents[3] / "shared/data")
)


def shared_data() -> Path:
    """The folder of labelled ``*.jsonl`` files; skip (or fail in CI) when it is absent."""
    if SHARED_DATA.is_dir() and any(SHARED_DATA.glob("*.jsonl")):
        return SHARED_DATA
    if os.environ.get("OKR_REQUIRE_DATA") == "1":
        pytest.fail(f"OKR_REQUIRE_DATA=1 but no labelled drafts in {SHARED_DATA}")
    pytest.skip(f"shared labelled drafts not present in {SHARED_DATA}")
