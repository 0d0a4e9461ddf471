"""coaching/ stays pure: no Slack, no SQL, no bot, no heavy ML at run time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

COACHING = Path(__file__).resolve().parents[2] / "coaching"
FORBIDDEN = (
    "slack_bolt",
    "slack_sdk",
    "sqlalchemy",
    "bot",
    "handlers",
    "torch",
    "sklearn",
    "spacy",
    "requests",
    "urllib",
    "http",
    "socket",
    "numpy",
)
MODULES = sorted(COACHING.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_there_are_modules_to_check() -> None:
    assert len(MODULES) >= 8


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_imports_nothing_forbidden(path: Path) -> None:
    for name in _imports(path):
        top = name.split(".")[0]
        assert top not in FORBIDDEN, f"{path.name} imports {name}"
