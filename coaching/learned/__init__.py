"""The learned layer: a small trained model that decides the verdict and how sure it is.

Runtime code here is pure Python (no numerical library): the weights are plain numbers in
a JSON file and the embedding table is a memory-mapped int8 file. Training lives in
``coaching.training`` and is the only place that needs numpy and scikit-learn.
"""

from coaching.learned.features import ModelInputs, model_inputs
from coaching.learned.model import Prediction, VerdictModel, default_model

__all__ = ["ModelInputs", "Prediction", "VerdictModel", "default_model", "model_inputs"]
