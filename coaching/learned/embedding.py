"""A static sentence embedding: the mean of WordPiece vectors, read from a mapped file.

The table (one int8 row per WordPiece token, a scale per dimension) was distilled once from
a sentence-transformer (``okr-coach distill``). At run time it is memory-mapped: pages are
read on demand and shared between worker processes, and no numerical library is needed.
"""

from __future__ import annotations

import json
import math
import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

from coaching.learned.wordpiece import WordPiece

# A draft's vector averages at most this many pieces: enough for any objective and its key
# results, and the most that 16-bit lanes can sum without overflow (256 x 255 < 65,536).
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
        self._bytes = memoryview(self._map)
        d = self.info.dimensions
        # Sums of many rows are done on whole rows at once, as big integers with one 16-bit
        # lane per dimension (SWAR): one C-level addition per word instead of 256 in Python.
        self._flip = int.from_bytes(b"\x80" * d, "little")
        self._even = int.from_bytes(b"\xff\x00" * (d // 2), "little")

    def ids(self, text: str) -> list[int]:
        return self.tokenizer.ids(text)[:MAX_PIECES]

    def vector(self, text: str) -> list[float]:
        """The mean of the pieces' vectors, scaled back and normalised to length 1."""
        return self.mean_of(self.ids(text))

    def mean_of(self, ids: list[int]) -> list[float]:
        d = self.info.dimensions
        if not ids:
            return [0.0] * d
        rows, flip, even = self._bytes, self._flip, self._even
        evens = odds = 0
        for i in ids:
            # Each signed byte v becomes v + 128 (0..255); two lanes of 16 bits hold the
            # even and the odd dimensions, so up to 256 rows add up without overflow.
            row = int.from_bytes(rows[i * d : (i + 1) * d], "little") ^ flip
            evens += row & even
            odds += (row >> 8) & even
        offset = 128 * len(ids)
        lanes_even = struct.unpack(f"<{d // 2}H", evens.to_bytes(d, "little"))
        lanes_odd = struct.unpack(f"<{d // 2}H", odds.to_bytes(d, "little"))
        scales = self.info.scales
        summed = [0.0] * d
        for k in range(d // 2):
            summed[2 * k] = (lanes_even[k] - offset) * scales[2 * k]
            summed[2 * k + 1] = (lanes_odd[k] - offset) * scales[2 * k + 1]
        # The mean's direction is all a unit vector keeps, so the sum stands in for it.
        norm = math.sqrt(math.fsum(v * v for v in summed))
        if norm == 0.0:
            return summed
        return [v / norm for v in summed]
