"""``okr-coach train``: cross-validate, then fit the learned layer on every labelled file."""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from coaching.learned.model import DATA_DIR, MODEL_FILE, load_embedding
from coaching.training.crossval import CrossValidation, cross_validate
from coaching.training.dataset import load_dataset
from coaching.training.fit import Hyper, featurize, fit_model


@dataclass(frozen=True, slots=True)
class TrainingResult:
    path: Path
    cv: CrossValidation
    data_sha256: str


def evaluate(data: Path, hyper: Hyper | None = None) -> CrossValidation:
    """Grouped cross-validation of the whole pipeline on every ``*.jsonl`` in ``data``."""
    dataset = load_dataset(data)
    return cross_validate(featurize(dataset.drafts, load_embedding()), hyper)


def train(data: Path, out: Path = DATA_DIR, hyper: Hyper | None = None) -> TrainingResult:
    """Fit on every labelled draft and write the model, stamped with its data and figures."""
    hyper = hyper or Hyper()
    dataset = load_dataset(data)
    embedding = load_embedding()
    feats = featurize(dataset.drafts, embedding)
    cv = cross_validate(feats, hyper)
    spec = fit_model(feats, hyper)
    spec["data"] = dataset.stamp()
    spec["embedding_sha256"] = embedding.info.sha256
    spec["cross_validation"] = cv.as_dict()
    spec["trained_with"] = {
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "scikit-learn": version("scikit-learn"),
    }
    # Parts first (the header fields are what a reader looks for at the top).
    ordered = {k: spec[k] for k in ("format", "data", "embedding_sha256", "trained_with")}
    ordered |= {"cross_validation": spec["cross_validation"], "meta": spec["meta"]}
    ordered["parts"] = spec["parts"]
    out.mkdir(parents=True, exist_ok=True)
    path = out / MODEL_FILE
    path.write_text(json.dumps(ordered, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return TrainingResult(path, cv, dataset.sha256)
