"""`docchat`: a thin command line over the library. Parses input, calls build_app, prints.

The outermost layer: it may import ui, eval, ingest and rag; nothing imports it."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import click
from pydantic import ValidationError
from pydantic_settings import BaseSettings

from rag.models import Answer, Message
from rag.settings import Settings

S = TypeVar("S", bound=BaseSettings)


def load_settings(kind: type[S] = Settings, **overrides: object) -> S:  # type: ignore[assignment]
    """`kind`: Settings (the core's) or the web layer's WebSettings; None overrides are left to the environment."""
    try:
        return kind(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors())
        raise click.ClickException(f"invalid settings: {problems}") from exc
    except TypeError as exc:  # an unknown setting name (StrictSettings)
        raise click.ClickException(f"invalid settings: {exc}") from exc


def print_answer(answer: Answer) -> None:
    click.echo(answer.answer)
    if answer.notice:
        click.secho(f"note: {answer.notice}", fg="yellow")
    if answer.citations:
        click.echo("\nSources:")
        for c in answer.citations:
            where = f"{c.source} › {c.section}" if c.section else c.source
            click.echo(f"  [{c.n}] {where} (chars {c.start}-{c.end})")
            click.secho(f"      “{c.quote}”", dim=True)
    if answer.standalone_question:
        click.secho(f"\n(searched for: {answer.standalone_question})", dim=True)


def read_history(path: Path | None) -> list[Message]:
    if path is None:
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [Message.model_validate(m) for m in raw]
    except (OSError, ValueError, TypeError) as exc:
        raise click.ClickException(
            f"--history {path}: expected a JSON list of {{role, content}} objects ({exc})"
        ) from exc


@click.group()
@click.version_option(package_name="docchat")
def main() -> None:
    """docchat: ask questions about a folder of documents and get cited answers."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # The entry point, not the library, decides for the process: the model is local, nothing needs the hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from rag.quiet import quiet_libraries

    quiet_libraries()  # no library loading bars or warnings around our output; our own bars stay


@main.command()
@click.option("--corpus", type=click.Path(path_type=Path), help="Folder to ingest (default: DOCCHAT_CORPUS_DIR).")
@click.option("--rebuild", is_flag=True, help="Drop the index and embed everything again.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--if-needed", is_flag=True, help="Do nothing when the index matches the corpus (used by make run).")
def ingest(corpus: Path | None, rebuild: bool, as_json: bool, if_needed: bool) -> None:
    """Load, clean, chunk, embed and store the corpus. Incremental: unchanged files cost nothing.

    While `docchat serve` runs on the same data dir, the server owns the store: this asks it to re-index
    (questions keep being answered) and waits for the outcome.
    """
    from ingest.pipeline import IngestReport
    from rag.owner import StoreOwnership

    settings = load_settings(corpus_dir=corpus)
    if not settings.corpus_dir.is_dir():
        raise click.ClickException(f"corpus folder not found: {settings.corpus_dir}")
    ownership = StoreOwnership(settings.data_dir)
    server = ownership.claim(on_wait=lambda: click.echo("waiting for another ingest to finish…", err=True))
    try:
        if server is not None:
            report = IngestReport(**reindex_through(server, settings.corpus_dir, rebuild, quiet=as_json))
        else:
            report = ingest_here(settings, rebuild, progress=not as_json and sys.stderr.isatty())
    finally:
        ownership.release()
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    if if_needed and not (report.added or report.updated or report.removed):
        click.echo(f"index up to date: {report.chunks_total} chunks from {len(report.unchanged)} files")
        return
    click.echo(
        f"files: {len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, {len(report.skipped)} skipped"
    )
    for skip in report.skipped:
        click.secho(f"  skipped {skip['source']}: {skip['reason']}", fg="yellow")
    click.echo(
        f"chunks: {report.chunks_embedded} embedded, {report.chunks_deleted} deleted, {report.chunks_total} in index"
    )
    click.echo(f"took {report.seconds:.1f}s")


def reindex_through(server, corpus_dir: Path, rebuild: bool, quiet: bool) -> dict:
    from ui.admin_client import RemoteReindexError, remote_reindex

    if not quiet:
        click.echo(f"a docchat server ({server.url}, pid {server.pid}) owns this data dir: asking it to re-index…")
    try:
        return remote_reindex(server, corpus_dir, rebuild)
    except RemoteReindexError as exc:
        raise click.ClickException(str(exc)) from exc


def ingest_here(settings: Settings, rebuild: bool, progress: bool):
    from ingest.service import ingest_into
    from rag.app import build_app
    from rag.store import is_store_error

    try:
        return ingest_into(build_app(settings), rebuild=rebuild, progress=progress)
    except FileNotFoundError as exc:  # the corpus folder went away
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:
        if is_store_error(exc):
            raise click.ClickException(store_down_message(settings, exc)) from exc
        raise


def store_down_message(settings: Settings, exc: BaseException) -> str:
    where = f"the Chroma server at {settings.chroma_url}" if settings.chroma_url else str(settings.chroma_path)
    return (
        f"ingest stopped: cannot reach {where} ({type(exc).__name__}). Nothing is lost: "
        "run `docchat ingest` again once it is back, and it completes this run."
    )


@main.command()
@click.argument("question")
@click.option("--history", type=click.Path(path_type=Path, exists=True, dir_okay=False), help="JSON list of turns.")
@click.option("--json", "as_json", is_flag=True, help="Print the full answer contract as JSON.")
@click.option("--answerer", type=click.Choice(["extractive", "llm"]), help="Override DOCCHAT_ANSWERER.")
def ask(question: str, history: Path | None, as_json: bool, answerer: str | None) -> None:
    """Answer one QUESTION with citations."""
    from rag.app import build_app

    if not question.strip():
        raise click.ClickException("the question is empty")
    settings = load_settings(answerer=answerer)
    answer = build_app(settings).answer(question, read_history(history))
    if as_json:
        click.echo(answer.model_dump_json(indent=2))
    else:
        print_answer(answer)


@main.command()
@click.option("--answerer", type=click.Choice(["extractive", "llm"]), help="Override DOCCHAT_ANSWERER.")
def chat(answerer: str | None) -> None:
    """A terminal conversation: follow-up questions use the history. Empty line or Ctrl-D quits.

    With piped input, each non-empty line is a question (no prompts), until the input ends."""
    from rag.app import build_app

    app = build_app(load_settings(answerer=answerer))
    app.warm()
    interactive = sys.stdin.isatty()
    history: list[Message] = []
    for question in questions(interactive):
        answer = app.answer(question, history)
        print_answer(answer)
        click.echo()
        history += [Message(role="user", content=question), Message(role="assistant", content=answer.answer)]


def questions(interactive: bool) -> Iterator[str]:
    """At a terminal: prompt until an empty line or Ctrl-D. Piped: one question per non-empty line, no
    prompts (they would land on the answers' lines), until the input ends."""
    if not interactive:
        for line in sys.stdin:
            if line.strip():
                yield line.strip()
        return
    while True:
        try:
            question = click.prompt("you", prompt_suffix="> ", default="", show_default=False)
        except (EOFError, click.Abort):
            return
        if not question.strip():
            return
        yield question


@main.command()
@click.option("--host", help="Interface to bind (default 127.0.0.1: this machine only).")
@click.option("--port", type=int, help="Port (default 7860).")
def serve(host: str | None, port: int | None) -> None:
    """Serve the chat UI, the JSON API and the embeddable widget."""
    from ui.server import run_server
    from ui.settings import WebSettings

    run_server(load_settings(), load_settings(WebSettings, host=host, port=port))


@main.command(name="eval")
@click.option(
    "--dataset", type=click.Path(path_type=Path, dir_okay=False), help="Q&A JSONL (default: eval/qa-test.jsonl)."
)
@click.option(
    "--corpus",
    type=click.Path(path_type=Path, file_okay=False),
    help="The folder the dataset asks about (default: DOCCHAT_CORPUS_DIR); indexed in a collection of its own.",
)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("eval/out"), show_default=True)
@click.option("--answerer", type=click.Choice(["extractive", "llm"]), help="Override DOCCHAT_ANSWERER.")
@click.option("--thresholds", type=click.Path(path_type=Path, exists=True, dir_okay=False), help="Gate config (TOML).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--no-ingest", is_flag=True, help="Do not bring the index up to date first.")
@click.option("--min-answer-accuracy", type=float)
@click.option("--min-refusal-accuracy", type=float)
@click.option("--min-followup-accuracy", type=float)
@click.option("--min-citation-validity", type=float)
@click.option("--min-citation-recall", type=float)
def eval_command(
    dataset: Path | None,
    corpus: Path | None,
    out: Path,
    answerer: str | None,
    thresholds: Path | None,
    quiet: bool,
    no_ingest: bool,
    **minimums: float | None,
) -> None:
    """Run the Q&A set through the chat pipeline, write reports, and fail below the thresholds."""
    from eval.dataset import DEFAULT_DATASET, DatasetError, load_dataset
    from eval.report import write_outputs
    from eval.runner import ThresholdsError, evaluate, gate, load_thresholds
    from ingest.service import ingest_into
    from rag.app import build_app

    dataset = dataset or DEFAULT_DATASET
    try:
        items = load_dataset(dataset)
        limits = load_thresholds(thresholds)  # read before the run, so a bad file fails fast
    except (DatasetError, ThresholdsError) as exc:
        raise click.ClickException(str(exc)) from exc
    from eval.corpora import settings_for_corpus

    if corpus is not None and not corpus.is_dir():
        raise click.ClickException(f"--corpus {corpus}: not a folder")
    settings = settings_for_corpus(load_settings(answerer=answerer), corpus)
    from rag.owner import StoreOwnership

    ownership = StoreOwnership(settings.data_dir)
    server = None if no_ingest else ownership.claim(on_wait=lambda: click.echo("waiting for an ingest…", err=True))
    if server is not None:
        raise click.ClickException(
            f"a docchat server ({server.url}, pid {server.pid}) owns {settings.data_dir}: stop it, run the eval "
            "with --no-ingest, or point DOCCHAT_DATA_DIR elsewhere"
        )
    app = build_app(settings)
    if not no_ingest:
        try:
            ingest_into(app, progress=False)
        finally:
            ownership.release()
    app.warm()
    # A bar is for someone watching: piped into a log or CI it is only carriage-return noise.
    run = evaluate(app, items, dataset=str(dataset), progress=not quiet and sys.stderr.isatty())
    for flag, value in minimums.items():
        if value is not None:
            limits[flag.removeprefix("min_")] = value
    run.failures = gate(run.metrics, limits)
    paths = write_outputs(run, out)
    print_summary(run)
    click.echo(f"\nreport: {paths['html']}  ({paths['md'].name}, {paths['json'].name}, {paths['predictions'].name})")
    if run.failures:
        for failure in run.failures:
            click.secho(f"GATE FAILED: {failure}", fg="red", err=True)
        sys.exit(1)


@main.command(name="claims")
@click.option("--corpus", "corpora", type=click.Choice(["main", "second"]), multiple=True, help="Default: both.")
@click.option(
    "--split", type=click.Choice(["dev", "test", "extra-dev", "held-back"]), default="test", show_default=True,
    help="extra-dev: the hand-written LLM-style dev claims of the later tuning rounds; held-back: the set kept "
    "out of tuning until the end of a round (eval/claims/README.md says how much it has been tuned on since).",
)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("eval/out"), show_default=True)
@click.option("--thresholds", type=click.Path(path_type=Path, exists=True, dir_okay=False), help="Gate config (TOML).")
def claims_command(corpora: tuple[str, ...], split: str, out: Path, thresholds: Path | None) -> None:
    """Score the LLM grounding guard on the labelled claims (eval/claims), write reports, gate."""
    from eval.claims.bench import ThresholdsError, run_command

    try:
        failed = run_command(corpora, split, out, thresholds, load_settings())
    except ThresholdsError as exc:
        raise click.ClickException(str(exc)) from exc
    if failed:
        sys.exit(1)


def print_summary(run) -> None:
    from rich.console import Console
    from rich.table import Table

    from eval.report import HEADLINE, fmt

    table = Table(title=f"docchat eval · {run.answerer} · {len(run.results)} items")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, label in HEADLINE:
        table.add_row(label, fmt(key, run.metrics.get(key)))
    for name, values in run.by_category.items():
        table.add_row(f"accuracy · {name} ({values['items']:.0f})", f"{values['accuracy']:.3f}")
    Console(width=100).print(table)


if __name__ == "__main__":
    main()
