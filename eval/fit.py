"""Fit the answerability model (rag/answerability.json) on the dev splits.

    python -m eval.fit                        # the two dev splits below, each over its corpus
    python -m eval.fit --pair DATASET CORPUS  # dev sets of your own (repeatable)

The defaults: eval/qa-dev.jsonl over corpus/, and eval/second/qa-dev.jsonl over eval/second/corpus/.

Every dev item runs through the chat's own condense and retrieval; every candidate unit becomes one row (the
features of `rag.answerability.FEATURES`), labelled 1 when it states the item's key fact: all its
`must_include` groups, or at least one of them in a sentence that is one of the item's gold evidence quotes.
- The ranker: a pairwise logistic regression (scikit-learn) over (key-fact unit, other unit) pairs.
- The answerability score: a logistic regression over each item's top-ranked unit, labelled by whether the
  item is answerable. The refusal threshold maximises answerable dev items answered minus twice the
  unanswerable ones answered.
The test splits are never read here.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eval.corpora import settings_for_corpus
from eval.dataset import EvalItem, load_dataset
from ingest.service import ingest_into
from rag.answerability import ANSWER_FEATURES, DEFAULT_MODEL, FEATURES, AnswerabilityModel
from rag.app import DocChat, build_app, build_embedder
from rag.extractive import Evidence
from rag.settings import Settings
from rag.text import normalize

HERE = Path(__file__).parent
WRONG_ANSWER_COST = 2  # an answered unanswerable question costs as much as two answerable ones refused
DEFAULT_PAIRS = [
    (HERE / "qa-dev.jsonl", HERE.parent / "corpus"),
    (HERE / "second" / "qa-dev.jsonl", HERE / "second" / "corpus"),
]


@dataclass
class ItemRows:
    item: EvalItem
    features: np.ndarray
    labels: np.ndarray


def states_key_fact(item: EvalItem, unit_text: str) -> bool:
    if not item.answerable:
        return False
    text = normalize(unit_text)
    groups_hit = sum(any(normalize(alt) in text for alt in group) for group in item.must_include)
    if item.must_include and groups_hit == len(item.must_include):
        return True
    in_evidence = any(
        len(text) >= 20 and (text in normalize(quote) or normalize(quote) in text) for quote in item.evidence
    )
    return in_evidence and (groups_hit >= 1 or not item.must_include)


def rows_for(app: DocChat, item: EvalItem) -> ItemRows:
    extractive = app.extractive()
    standalone = extractive.standalone(item.question, item.history)
    retrieval = app.retrieve(standalone)
    composer = extractive.composer()
    evidence: list[Evidence] = composer.candidates(retrieval)
    features = composer.features(standalone, evidence, retrieval)
    labels = np.asarray([states_key_fact(item, ev.text) for ev in evidence], dtype=np.int64)
    return ItemRows(item, features, labels)


def collect(settings: Settings, pairs: list[tuple[Path, Path]]) -> list[ItemRows]:
    embedder = build_embedder(settings)
    out: list[ItemRows] = []
    for dataset, corpus in pairs:
        app = build_app(settings_for_corpus(settings, corpus), embedder=embedder)
        ingest_into(app, progress=False)
        app.warm()
        items = load_dataset(dataset)
        out.extend(rows_for(app, item) for item in items)
        print(f"{dataset}: {len(items)} items over {corpus}", file=sys.stderr)
    return out


def fit_ranker(rows: list[ItemRows], mean: np.ndarray, scale: np.ndarray, c: float) -> np.ndarray:
    """Pairwise logistic regression: for each question, every (key-fact unit, other unit) pair, both ways;
    each question weighs the same however many pairs it has."""
    from sklearn.linear_model import LogisticRegression

    differences, targets, weights = [], [], []
    for r in rows:
        positives, negatives = np.flatnonzero(r.labels == 1), np.flatnonzero(r.labels == 0)
        if not len(positives) or not len(negatives):
            continue
        z = (r.features - mean) / scale
        pairs = (z[positives][:, None, :] - z[negatives][None, :, :]).reshape(-1, z.shape[1])
        differences.extend([pairs, -pairs])
        targets.extend([np.ones(len(pairs)), np.zeros(len(pairs))])
        weights.append(np.full(2 * len(pairs), 1.0 / (2 * len(pairs))))
    regression = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
    regression.fit(np.concatenate(differences), np.concatenate(targets), sample_weight=np.concatenate(weights))
    return regression.coef_[0]


def fit(rows: list[ItemRows], c: float = 1.0) -> AnswerabilityModel:
    """The ranker over every unit; then the answerability score over each question's top-ranked unit,
    labelled by whether the question is answerable from the documents."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    x = np.concatenate([r.features for r in rows if len(r.labels)])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    rank_coef = fit_ranker(rows, mean, scale, c)
    ranker = AnswerabilityModel(mean, scale, rank_coef, np.zeros_like(mean), 0.0, 0.5)
    used = np.asarray([name in ANSWER_FEATURES for name in FEATURES])
    tops = np.asarray([(r.features[top_unit(ranker, r)] - mean) / scale for r in rows if len(r.labels)])
    answerable = np.asarray([r.item.answerable for r in rows if len(r.labels)])
    regression = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    regression.fit(tops[:, used], answerable)
    coef = np.zeros(len(FEATURES))
    coef[used] = regression.coef_[0]
    model = AnswerabilityModel(mean, scale, rank_coef, coef, float(regression.intercept_[0]), 0.5)
    # The threshold is set on out-of-fold probabilities: in-sample ones are overconfident on a few dozen
    # questions, and a threshold set on them moved by 0.2 from one refit to the next.
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    held_out = cross_val_predict(regression, tops[:, used], answerable, cv=folds, method="predict_proba")[:, 1]
    return calibrate(model, held_out, answerable)


def best_probabilities(model: AnswerabilityModel, rows: list[ItemRows]) -> np.ndarray:
    """The probability of each question's top-ranked unit: what the answerer decides on."""
    return np.asarray([model.probabilities(r.features)[top_unit(model, r)] if len(r.labels) else 0.0 for r in rows])


def top_unit(model: AnswerabilityModel, rows: ItemRows) -> int:
    return int(np.argmax(model.ranks(rows.features)))


def calibrate(model: AnswerabilityModel, best: np.ndarray, answerable: np.ndarray) -> AnswerabilityModel:
    """The threshold that answers the most answerable dev questions while answering as few unanswerable
    ones as possible (each counting WRONG_ANSWER_COST times), given each question's top-unit probability."""
    candidates = np.unique(np.concatenate([best, [0.0]]))
    scores = []
    for t in candidates:
        answered = best >= t
        # Answerable questions answered, less the unanswerable ones answered at double cost: a wrong answer
        # misleads, a refusal only fails to help.
        scores.append(int(answered[answerable].sum() - WRONG_ANSWER_COST * answered[~answerable].sum()))
    # Any threshold between the chosen item's probability and the next lower one gives the same outcome
    # on dev: take the midpoint, for margin. Ties go to the lowest threshold (fewer false refusals).
    chosen = int(np.argmax(scores))
    lower = candidates[chosen - 1] if chosen > 0 else 0.0
    threshold = float((lower + candidates[chosen]) / 2)
    return AnswerabilityModel(model.mean, model.scale, model.rank_coef, model.coef, model.intercept, threshold)


def report(model: AnswerabilityModel, rows: list[ItemRows]) -> dict[str, float]:
    best = best_probabilities(model, rows)
    answerable = np.asarray([r.item.answerable for r in rows])
    answered = best >= model.threshold
    top_is_key = [
        bool(r.labels[top_unit(model, r)])
        for r in rows
        if r.item.answerable and len(r.labels)
    ]
    return {
        "items": len(rows),
        "refusal_accuracy": round(float((~answered[~answerable]).mean()), 4) if (~answerable).any() else 1.0,
        "answered_share": round(float(answered[answerable].mean()), 4),
        "key_fact_in_top_unit": round(float(np.mean(top_is_key)), 4) if top_is_key else 0.0,
        "key_fact_in_candidates": round(float(np.mean([r.labels.any() for r in rows if r.item.answerable])), 4),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pair", nargs=2, action="append", metavar=("DATASET", "CORPUS"), type=Path)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--c", type=float, default=1.0, help="Inverse regularisation strength.")
    args = parser.parse_args(argv)
    pairs = [tuple(p) for p in args.pair] if args.pair else DEFAULT_PAIRS
    settings = Settings()
    rows = collect(settings, pairs)
    model = fit(rows, c=args.c)
    summary = report(model, rows)
    model.save(args.out, {"datasets": [str(d) for d, _ in pairs], **summary})
    print(f"  {'feature':22s} {'rank':>7s} {'answer':>7s}")
    for name, rank_weight, weight in zip(FEATURES, model.rank_coef, model.coef, strict=True):
        print(f"  {name:22s} {rank_weight:+7.3f} {weight:+7.3f}")
    print(f"  threshold {model.threshold:.4f}  {summary}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
