"""A static sentence embedding: the mean of WordPiece vectors, read from a mapped file.

The table (one int8 row per WordPiece token, a scale per dimension) was distilled once from
a sentence-transformer (``okr-coach distill``). At run time it is memory-mapped: pages are
read on demand and shared between worker processes, and no numerical library is needed.
"""

from __future__ import annotations

import json
import math
import mmap
from dataclasses import dataclass
from pathlib import Path

from coaching.learned.wordpiece import WordPiece

# A draft's vector averages at most this many pieces; enough for any objective and its KRs.
MAX_PIECES = 256


@dataclass(frozen=True, slots=True)
class EmbeddingInfo:
    dimensions: int
    rows: int
    scales: tuple[float, ...]
    source: str
    sha256: str


class StaticEmbedding:
    """Maps a text to a unit-length vector (or all zeros when no word is known)."""

    def __init__(self, table: Path, meta: Path) -> None:
        info = json.loads(meta.read_text(encoding="utf-8"))
        vocab: list[str] = info["vocab"]
        self.info = EmbeddingInfo(
            dimensions=int(info["dimensions"]),
            rows=len(vocab),
            scales=tuple(float(s) for s in info["scales"]),
            source=str(info["source"]),
            sha256=str(info["sha256"]),
        )
        self.tokenizer = WordPiece({token: row for row, token in enumerate(vocab)})
        size = self.info.rows * self.info.dimensions
        with table.open("rb") as handle:
            if handle.seek(0, 2) != size:
                raise ValueError(f"{table}: expected {size} bytes for {self.info.rows} rows")
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self._rows = memoryview(self._map).cast("b")

    def ids(self, text: str) -> list[int]:
        return self.tokenizer.ids(text)[:MAX_PIECES]

    def vector(self, text: str) -> list[float]:
        """The mean of the pieces' vectors, scaled back and normalised to length 1."""
        return self.mean_of(self.ids(text))

    def mean_of(self, ids: list[int]) -> list[float]:
        d = self.info.dimensions
        if not ids:
            return [0.0] * d
        rows = [self._rows[i * d : (i + 1) * d] for i in ids]
        # The mean's direction is all a unit vector keeps, so sums stand in for means.
        summed = [
            sum(column) * scale
            for column, scale in zip(zip(*rows, strict=True), self.info.scales, strict=True)
        ]
        norm = math.sqrt(sum(v * v for v in summed))
        if norm == 0.0:
            return summed
        return [v / norm for v in summed]
