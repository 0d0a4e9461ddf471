"""How many labelled drafts each word-list entry matches: a place to look for overfitting.

    PYTHONPATH=. .venv/bin/python benchmarks/audit_lexicon.py [DATA_DIR]

An entry that matches exactly one labelled draft may be ordinary vocabulary of the idea it
belongs to, or it may have been written for that draft; only a reader can tell. This lists
them (entry and count only, never the drafts' text) so a reviewer can.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from coaching import lexicon
from coaching.parsing import strip_slack_markup
from coaching.reading import read
from coaching.textutil import Doc

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/data"


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DEFAULT_DATA
    texts = [
        json.loads(line)["text"]
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    docs = [Doc.of(read(strip_slack_markup(t, keep_code=True)).text) for t in texts]
    print(f"{len(docs)} labelled drafts in {folder}\n")
    print(f"{'word list':<24} {'entries':>7} {'none':>5} {'one':>4}  entries matching one draft")
    for name in sorted(vars(lexicon)):
        table = getattr(lexicon, name)
        if name.startswith("_") or not isinstance(table, tuple | frozenset):
            continue
        counts = {}
        for entry in table:
            if isinstance(table, tuple):
                counts[entry.strip()] = sum(entry in d.padded for d in docs)
            else:
                counts[entry] = sum(entry in d.stems for d in docs)
        ones = sorted(e for e, c in counts.items() if c == 1)
        none = sum(1 for c in counts.values() if c == 0)
        print(f"{name:<24} {len(counts):>7} {none:>5} {len(ones):>4}  {', '.join(ones)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
