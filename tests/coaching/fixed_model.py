"""A verdict model that always gives the same probability.

Rewrite and craft tests are about what the coach says for a verdict, not about which
verdict the learned layer reaches; these pin the verdict so they test one thing.
"""

from __future__ import annotations

from coaching.learned import ModelInputs, Prediction


class FixedModel:
    def __init__(self, probability: float) -> None:
        self.probability = probability

    def predict(self, inputs: ModelInputs) -> Prediction:
        return Prediction(self.probability, {})


SURE_STRATEGIC = FixedModel(0.99)
SURE_ROUTINE = FixedModel(0.01)
