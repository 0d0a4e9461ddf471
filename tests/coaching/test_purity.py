"""coaching/ stays pure: no Slack, no SQL, no bot, no heavy ML at run time.

Training (``coaching/training/``) is the one place allowed numpy and scikit-learn; the
running coach never imports it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
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
TRAINING = COACHING / "training"
# What training may use, and nothing else in coaching/ may.
TRAINING_ONLY = ("numpy", "sklearn", "scipy", "threadpoolctl", "model2vec", "all_minilm_l6_v2")
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


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(COACHING)))
def test_module_imports_nothing_forbidden(path: Path) -> None:
    allowed = TRAINING_ONLY if TRAINING in path.parents else ()
    for name in _imports(path):
        top = name.split(".")[0]
        assert top in allowed or top not in FORBIDDEN + TRAINING_ONLY, f"{path} imports {name}"


def test_runtime_modules_never_import_training() -> None:
    for path in MODULES:
        if TRAINING in path.parents:
            continue
        assert not any(n.startswith("coaching.training") for n in _imports(path)), path


def test_reviewing_a_draft_loads_no_numerical_library() -> None:
    code = (
        "import sys; from coaching import review_draft; "
        "review_draft('Objective: Grow revenue\\n- MRR from 10 to 20'); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1:])))"
    )
    heavy = ["numpy", "scipy", "sklearn", "torch", "model2vec", "tokenizers"]
    result = subprocess.run(
        [sys.executable, "-c", code, *heavy], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
