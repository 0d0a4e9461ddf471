"""The learned layer: shipped artifacts match the data, training reproduces them, and the
running coach computes exactly what training fitted."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pytest

from coaching import Verdict, review_draft
from coaching.learned import default_model, model_inputs
from coaching.learned.embedding import MAX_PIECES
from coaching.learned.features import CUE_FEATURES, char_terms, unit_text, word_terms
from coaching.learned.model import DATA_DIR, MODEL_FILE, TABLE_FILE, TABLE_META_FILE
from coaching.parsing import parse_draft
from coaching.training import train as training
from coaching.training.dataset import data_sha256, load_dataset
from coaching.training.fit import FittedModel, Hyper, featurize, fit_model
from tests.coaching.fixed_model import FixedModel
from tests.coaching.shared_data import shared_data

SHIPPED = json.loads((DATA_DIR / MODEL_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def featurized() -> list:
    dataset = load_dataset(shared_data())
    return featurize(dataset.drafts, default_model().embedding)


def test_the_shipped_model_was_trained_on_the_labelled_data_here() -> None:
    stamp = SHIPPED["data"]
    assert stamp["sha256"] == data_sha256(shared_data()), (
        "the labelled data changed since the model was trained: run `okr-coach train`"
    )
    files = sorted(p.name for p in shared_data().glob("*.jsonl"))
    assert [f["name"] for f in stamp["files"]] == files
    assert stamp["rows"] == sum(f["rows"] for f in stamp["files"])


def test_the_shipped_model_carries_its_cross_validated_figures() -> None:
    cv = SHIPPED["cross_validation"]
    assert cv["method"].startswith("leave one publisher out")
    assert sum(b["n"] for b in cv["reliability"]) == SHIPPED["data"]["rows"]
    assert len(cv["per_publisher"]) == SHIPPED["data"]["publishers"]
    assert 0.0 <= cv["expected_calibration_error"] <= 1.0


def test_retraining_reproduces_the_shipped_model(featurized: list) -> None:
    spec = fit_model(featurized, Hyper(**SHIPPED["cross_validation"]["hyper"]))
    assert spec["meta"]["weights"] == pytest.approx(SHIPPED["meta"]["weights"], rel=1e-4, abs=1e-6)
    for part in ("embedding", "cues"):
        fresh, shipped = spec["parts"][part], SHIPPED["parts"][part]
        assert fresh["weights"] == pytest.approx(shipped["weights"], rel=1e-4, abs=1e-6), part
        assert fresh["intercept"] == pytest.approx(shipped["intercept"], rel=1e-4, abs=1e-6)
    for part in ("word", "char"):
        fresh, shipped = spec["parts"][part]["terms"], SHIPPED["parts"][part]["terms"]
        assert fresh.keys() == shipped.keys(), part
        worst = max(abs(fresh[t][1] - shipped[t][1]) for t in fresh)
        assert worst < 1e-4, part


def test_the_running_coach_computes_what_training_fitted(featurized: list) -> None:
    dataset = load_dataset(shared_data())
    fitted = FittedModel(SHIPPED)
    model = default_model()
    for draft, feats in list(zip(dataset.drafts, featurized, strict=True))[::7]:
        parsed = parse_draft(draft.text)
        inputs = model_inputs(parsed.objectives[0])
        assert model.predict(inputs).probability == pytest.approx(
            fitted.probability(feats), abs=1e-9
        )


def test_the_embedding_table_is_what_its_metadata_says() -> None:
    meta = json.loads((DATA_DIR / TABLE_META_FILE).read_text(encoding="utf-8"))
    table = (DATA_DIR / TABLE_FILE).read_bytes()
    assert hashlib.sha256(table).hexdigest() == meta["sha256"] == SHIPPED["embedding_sha256"]
    assert len(table) == len(meta["vocab"]) * meta["dimensions"]
    assert len(meta["scales"]) == meta["dimensions"]
    assert len(table) < 20 * 1024 * 1024
    assert "[UNK]" in meta["vocab"] and "##ing" in meta["vocab"]


def test_an_embedding_is_unit_length_and_zero_for_unknown_text() -> None:
    embedding = default_model().embedding
    vector = embedding.vector("Grow weekly active listeners")
    assert math.sqrt(sum(v * v for v in vector)) == pytest.approx(1.0, abs=1e-9)
    assert set(embedding.vector("")) == {0.0}
    assert len(embedding.ids("word " * 1000)) == MAX_PIECES


def test_features_are_stable_and_capped() -> None:
    assert word_terms("Grow the community") == {
        "grow": 1,
        "the": 1,
        "community": 1,
        "grow the": 1,
        "the community": 1,
    }
    assert char_terms("ab")[" ab "] == 1 and char_terms("ab")[" a"] == 1
    assert len(unit_text("x" * 5000, ["y"])) == 1200
    inputs = model_inputs(parse_draft("Objective: Grow\n- a from 1 to 2").objectives[0])
    assert len(inputs.cues) == len(CUE_FEATURES)


@pytest.mark.parametrize(
    ("draft", "probability", "verdict", "unsure"),
    [
        # The rules and the model agree, and the model is sure.
        ("Attend the weekly sync and send the notes", 0.04, Verdict.ROUTINE, False),
        # They agree, but the model is not sure.
        ("Attend the weekly sync and send the notes", 0.3, Verdict.ROUTINE, True),
        # The model is sure, but the rules read it the other way.
        ("Attend the weekly sync and send the notes", 0.95, Verdict.STRATEGIC, True),
        ("Double self-serve revenue from small agencies", 0.97, Verdict.STRATEGIC, False),
        ("Double self-serve revenue from small agencies", 0.1, Verdict.ROUTINE, True),
    ],
)
def test_the_model_decides_and_the_coach_asks_when_unsure(
    draft: str, probability: float, verdict: Verdict, unsure: bool
) -> None:
    review = review_draft(draft, model=FixedModel(probability))  # type: ignore[arg-type]
    primary = review.primary
    assert primary is not None
    assert primary.verdict is verdict
    assert primary.confidence == pytest.approx(max(probability, 1 - probability), abs=1e-3)
    assert primary.unsure is unsure
    if unsure:
        assert "not sure" in primary.summary and primary.summary.endswith("?")
    else:
        assert "sure" not in primary.summary


def test_reasons_follow_the_decided_verdict() -> None:
    routine = review_draft("Attend the weekly sync and send the notes", model=FixedModel(0.02))
    primary = routine.primary
    assert primary is not None
    assert primary.findings[0].rule_id.startswith(("scope.", "impact.", "alignment."))
    assert all(d.explanation for d in primary.dimensions)


def test_the_default_model_is_loaded_once() -> None:
    assert default_model() is default_model()


def test_training_writes_a_loadable_model_stamped_with_its_data(tmp_path: Path) -> None:
    from coaching.learned.model import VerdictModel

    data = tmp_path / "data"
    data.mkdir()
    rows = []
    for publisher in ("acme", "globex", "initech"):
        rows += [
            {
                "text": f"Send the {w} report to {publisher} every week",
                "label": "routine",
                "source": f"{publisher}:x",
            }
            for w in ("sales", "hiring", "budget", "travel")
        ]
        rows += [
            {
                "text": f"Grow {w} revenue from new {publisher} customers by 40%",
                "label": "strategic",
                "source": f"{publisher}:y",
            }
            for w in ("partner", "online", "retail", "export")
        ]
    (data / "drafts.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = training.train(data, tmp_path / "model")
    spec = json.loads(result.path.read_text(encoding="utf-8"))
    assert spec["data"]["sha256"] == data_sha256(data) == result.data_sha256
    assert spec["data"]["rows"] == 24 and spec["data"]["publishers"] == 3
    assert set(spec["cross_validation"]["per_publisher"]) == {"acme", "globex", "initech"}
    model = VerdictModel.load(result.path)
    review = review_draft("Grow export revenue from new customers by 40%", model=model)
    assert review.verdict is Verdict.STRATEGIC
