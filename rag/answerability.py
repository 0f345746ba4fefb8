"""Which unit (sentence, bullet, table row) answers the question, and does it: two fitted linear models.

- The ranker orders a question's candidate units: a linear score over semantic and lexical signals (see
  `FEATURES`), fitted pairwise (a unit stating the key fact against one that does not, of the same question).
- The answerability score is the probability that a unit answers the question: a logistic regression over
  the same signals. docchat answers only when the best-ranked unit's probability reaches the calibrated
  threshold, and refuses below it.

Both are fitted from labelled examples by `python -m eval.fit` on the dev splits (eval/qa-dev.jsonl and
eval/second/qa-dev.jsonl), never set by hand, and the threshold is calibrated on the same dev splits; the
report and the CI gate run on the test splits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_MODEL = Path(__file__).with_name("answerability.json")

FEATURES = (
    "unit_similarity",  # cosine of the question and the unit embedded under its headings
    "unit_similarity_gap",  # how far below the best unit of this question the unit is (0 for the best)
    "chunk_similarity",  # cosine of the question and the unit's chunk
    "term_coverage",  # IDF-weighted share of the question's terms the unit states (topic terms discounted)
    "context_coverage",  # the same share for the unit with its headings and document title, which say what
    # an "It began in a bakery" is about
    "retrieval_rank",  # the chunk's fused rank score relative to the best chunk's
    "figure_fit",  # +1: a quantity question and the unit states a new figure of the asked kind; -1: it does not
    "unknown_terms",  # share of the question's content words the documents never use
    "unknown_name",  # 1 when the question names something (a capitalised word) the documents never mention
    "missing_term",  # weight share of the most important question term the unit and its headings lack
    "fragment",  # 1 for a unit too short to answer anything by itself (< 25 characters)
    # The same signals measured against this question's other candidates (z-scores): which unit stands out
    # matters more than absolute levels, which vary from question to question.
    "unit_similarity_z",
    "term_coverage_z",
    "context_coverage_z",
    "chunk_similarity_z",
    "unit_similarity_lead",  # max(unit_similarity_z, 0) squared: a unit far more similar than the rest
)


# The answerability score reads absolute levels only: whether the best unit answers does not depend on how
# it compares with the question's other candidates, and the within-question features made its few dozen
# dev questions' fit unstable (collinear weights of opposite signs).
ANSWER_FEATURES = (
    "unit_similarity",
    "chunk_similarity",
    "term_coverage",
    "context_coverage",
    "figure_fit",
    "unknown_terms",
    "unknown_name",
    "missing_term",
)


@dataclass(frozen=True)
class AnswerabilityModel:
    """Standardised linear models: rank = z . rank_coef and p = sigmoid(z . coef + intercept), where
    z = (x - mean) / scale."""

    mean: np.ndarray
    scale: np.ndarray
    rank_coef: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float  # the best unit's probability below which docchat refuses

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> AnswerabilityModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            features = tuple(data["features"])
            model = cls(
                mean=np.asarray(data["mean"], dtype=np.float64),
                scale=np.asarray(data["scale"], dtype=np.float64),
                rank_coef=np.asarray(data["rank_coef"], dtype=np.float64),
                coef=np.asarray(data["coef"], dtype=np.float64),
                intercept=float(data["intercept"]),
                threshold=float(data["threshold"]),
            )
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"{path} is not an answerability model (from `python -m eval.fit`): {exc}") from exc
        if features != FEATURES:
            raise ValueError(f"{path} was fitted on other features; refit it with `python -m eval.fit`")
        return model

    def ranks(self, features: np.ndarray) -> np.ndarray:
        if features.size == 0:
            return np.zeros(0)
        return ((features - self.mean) / self.scale) @ self.rank_coef

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        if features.size == 0:
            return np.zeros(0)
        z = ((features - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: Path, fitted_on: dict[str, object]) -> None:
        payload = {
            "features": list(FEATURES),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "rank_coef": self.rank_coef.round(6).tolist(),
            "coef": self.coef.round(6).tolist(),
            "intercept": round(self.intercept, 6),
            "threshold": round(self.threshold, 4),
            "fitted_on": fitted_on,
        }
        path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
