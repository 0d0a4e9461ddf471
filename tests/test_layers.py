"""Dependencies point one way: handlers/ -> bot/ -> coaching/.

Only the composition root (the app factory and the entry points) may import handlers/; every
other module of bot/ takes what it needs to render or reply as a parameter. coaching/ has its
own purity test (tests/coaching/test_purity.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.coaching.test_purity import _imports

ROOT = Path(__file__).resolve().parents[1]
COMPOSITION_ROOT = {"app.py", "wsgi.py", "server.py", "cli.py", "__main__.py", "gunicorn_hooks.py"}
# Modules that still reach up, each to be moved out by the change that fixes it.
NOT_YET: set[str] = set()
# No module past about 600 lines: a room with one job.
MAX_LINES = 650


BOT_MODULES = sorted((ROOT / "bot").rglob("*.py"))


@pytest.mark.parametrize("path", BOT_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_bot_never_imports_handlers_outside_the_composition_root(path: Path) -> None:
    if path.name in COMPOSITION_ROOT or path.name in NOT_YET:
        return
    upward = sorted(n for n in _imports(path) if n.split(".")[0] == "handlers")
    assert upward == [], f"{path.relative_to(ROOT)} imports {upward}"


def test_the_exceptions_are_still_exceptions() -> None:
    """When a module stops reaching up, it leaves NOT_YET, so it cannot start again."""
    for name in NOT_YET:
        path = ROOT / "bot" / name
        if path.exists():
            assert any(n.split(".")[0] == "handlers" for n in _imports(path)), name


@pytest.mark.parametrize(
    "path",
    sorted(p for top in ("bot", "handlers", "coaching") for p in (ROOT / top).rglob("*.py")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_module_is_a_room_with_several_jobs(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path} has {lines} lines"
