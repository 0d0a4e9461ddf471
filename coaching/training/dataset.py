"""Labelled drafts read from every ``*.jsonl`` file of a folder, with the hash of them all."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

LABELS = ("routine", "strategic")


@dataclass(frozen=True, slots=True)
class LabelledDraft:
    text: str
    label: str
    # Who published it: the group a fold holds out, so no publisher is seen twice.
    publisher: str

    @property
    def strategic(self) -> bool:
        return self.label == "strategic"


@dataclass(frozen=True, slots=True)
class DataFile:
    name: str
    rows: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Dataset:
    drafts: tuple[LabelledDraft, ...]
    files: tuple[DataFile, ...]
    # One hash over every file's name and bytes, in name order: what a model was fitted on.
    sha256: str

    @property
    def publishers(self) -> tuple[str, ...]:
        return tuple(sorted({d.publisher for d in self.drafts}))

    def stamp(self) -> dict[str, object]:
        return {
            "sha256": self.sha256,
            "rows": len(self.drafts),
            "publishers": len(self.publishers),
            "files": [{"name": f.name, "rows": f.rows, "sha256": f.sha256} for f in self.files],
        }


def data_files(folder: Path) -> list[Path]:
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no *.jsonl files in {folder}")
    return files


def data_sha256(folder: Path) -> str:
    return _combined(data_files(folder))


def _combined(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_dataset(folder: Path) -> Dataset:
    files = data_files(folder)
    drafts: list[LabelledDraft] = []
    described: list[DataFile] = []
    for path in files:
        rows = 0
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, label = str(row["text"]), str(row["label"]).strip().lower()
                publisher = str(row.get("source") or path.stem).split(":", 1)[0]
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: not a labelled draft ({error})") from None
            if label not in LABELS:
                raise ValueError(f"{path}:{number}: label {label!r} is not one of {LABELS}")
            drafts.append(LabelledDraft(text, label, publisher))
            rows += 1
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        described.append(DataFile(path.name, rows, digest))
    return Dataset(tuple(drafts), tuple(described), _combined(files))
