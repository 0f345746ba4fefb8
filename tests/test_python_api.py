"""The Python API as documented: history as {"role", "content"} dicts, and README's example verbatim."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from rag.app import DocChat
from rag.models import Message

README = Path(__file__).resolve().parents[1] / "README.md"
QUESTION = "Who does a Head of Product report to?"
FOLLOW_UP = "And a Director of Product?"


def test_history_as_dicts_answers_like_history_as_messages(corpus_app: DocChat) -> None:
    first = corpus_app.answer(QUESTION)
    as_dicts = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": first.answer}]
    as_messages = [Message.model_validate(turn) for turn in as_dicts]

    from_dicts = corpus_app.answer(FOLLOW_UP, as_dicts)
    from_messages = corpus_app.answer(FOLLOW_UP, as_messages)
    assert from_dicts.standalone_question == from_messages.standalone_question
    assert from_dicts.standalone_question != FOLLOW_UP  # the history was read: the follow-up was resolved
    assert from_dicts.answer == from_messages.answer

    events = list(corpus_app.stream(FOLLOW_UP, as_dicts))
    assert events[-1].kind == "answer" and events[-1].answer is not None
    assert events[-1].answer.standalone_question == from_dicts.standalone_question


@pytest.mark.parametrize(
    ("history", "error", "message"),
    [
        ([{"role": "robot", "content": "hi"}], ValueError, r"history\[0\].*role"),
        ([{"role": "user"}], ValueError, r"history\[0\].*content"),
        ([{"role": "user", "content": "ok"}, {"content": "no role"}], ValueError, r"history\[1\].*role"),
        ([("user", "hi")], TypeError, r"history\[0\] must be a dict"),
        (["user: hi"], TypeError, r"history\[0\] must be a dict"),
        ("user: hi", TypeError, r"history must be a list"),
        ({"role": "user", "content": "hi"}, TypeError, r"history must be a list"),
    ],
)
def test_bad_history_shapes_name_the_problem(
    corpus_app: DocChat, history: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        corpus_app.answer(QUESTION, history)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        corpus_app.stream(QUESTION, history)  # type: ignore[arg-type]


def readme_python_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Python API", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "README's Python API section has no python block"
    return match.group(1)


def test_readme_python_example_runs_verbatim(
    corpus_app: DocChat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Settings() reads the environment (and a .env in the working directory, of which tmp_path has none):
    # point it at the index the session already built.
    settings = corpus_app.settings
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("DOCCHAT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DOCCHAT_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("DOCCHAT_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("DOCCHAT_COLLECTION", settings.collection)

    exec(compile(readme_python_example(), str(README), "exec"), {"__name__": "readme_example"})  # noqa: S102

    out = capsys.readouterr().out
    assert re.search(r"^1 \S+ .+", out, re.MULTILINE), out  # a citation line: n, source, quote
    assert '"standalone_question"' in out  # the streamed finished answer, as JSON


def test_the_parts_the_eval_measures_come_through_the_public_face(corpus_app: DocChat) -> None:
    retrieval = corpus_app.retrieve(QUESTION)
    assert retrieval.chunks and all(c.source.endswith((".md", ".txt", ".html")) for c in retrieval.chunks)
    assert corpus_app.extractive().name == "extractive"
    stored = corpus_app.stored_chunks()
    assert len(stored) == corpus_app.index_stats().chunks
    vectors = corpus_app.chunk_vectors([stored[0].chunk_id])
    vector, _packed = vectors[stored[0].chunk_id]
    assert vector.shape == (384,)
    scorer = corpus_app.support_scorer()
    best = retrieval.chunks[0].chunk.text
    assert scorer.scores(best, [best, "Unrelated words about gardening."])[0] > scorer.threshold
