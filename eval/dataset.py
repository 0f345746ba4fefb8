"""The eval dataset format: one JSON object per line (see README, "Eval")."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from rag.models import Message

# The test split: what the report and the CI gate score. eval/qa-dev.jsonl is for tuning and fitting.
DEFAULT_DATASET = Path(__file__).with_name("qa-test.jsonl")


class EvalItem(BaseModel):
    id: str
    question: str
    history: list[Message] = Field(default_factory=list)
    answerable: bool = True
    must_include: list[list[str]] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    reference_answer: str = ""
    evidence: list[str] = Field(default_factory=list)
    category: str | None = None

    @property
    def group(self) -> str:
        """The report's category: the item's own, else one derived from its shape."""
        if self.category:
            return self.category
        if not self.answerable:
            return "unanswerable"
        return "followup" if self.history else "answerable"


class DatasetError(ValueError):
    pass


def load_dataset(path: Path) -> list[EvalItem]:
    items: list[EvalItem] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"cannot read dataset {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise DatasetError(f"dataset {path} is not UTF-8 text (byte {exc.start})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            items.append(EvalItem.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as exc:
            raise DatasetError(f"{path}:{number}: not a valid eval item: {exc}") from exc
    ids = [item.id for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DatasetError(f"{path}: duplicate ids: {', '.join(duplicates)}")
    if not items:
        raise DatasetError(f"{path}: no items")
    return items
