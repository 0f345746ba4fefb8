"""Deterministic synthetic corpus for the benchmarks: recombines the real corpus's sentences into many documents.

Each document is a Markdown file with a title, headed sections, paragraphs, bullet lists and a table. Its
sentences come from corpus/ with role titles, numbers and invented company and product names swapped in, so
the vocabulary grows with the corpus the way a real one does. Document i depends only on (seed, i): a
smaller corpus is an exact prefix of a larger one with the same seed, so indexes can be grown incrementally.

    python bench/gen_corpus.py --chunks 100000 --out bench/data/corpus-100k
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
# The project must come before bench/ on sys.path: bench/ingest.py would otherwise shadow the `ingest` package.
if str(REPO) in sys.path:
    sys.path.remove(str(REPO))
sys.path.insert(0, str(REPO))

ROLES = [
    "Head of Product", "Director of Product Management", "VP of Product", "Chief Product Officer",
    "Group Product Manager", "Principal Product Manager", "Director of Engineering", "Head of Design",
    "VP of Engineering", "Head of Data", "Director of Marketing", "Head of Growth", "Staff Engineer",
    "Engineering Manager", "Head of Customer Success", "Director of Operations",
]  # fmt: skip
_ROLE_PATTERN = re.compile(
    r"\b(?:Directors? of Product(?: Management)?|Heads? of Product|Chief Product Officers?|CPOs?|VPs? of Product"
    r"|Group Product Managers?|GPMs?|Product Managers?|PMs?)\b"
)
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_SYLLABLES = [
    "ka", "lo", "mi", "ra", "ven", "tor", "qu", "ix", "zen", "dra", "pol", "mar", "sel",
    "vin", "thu", "gar", "bex", "nor", "lum", "fyr", "cal", "dov", "er", "an", "is",
]  # fmt: skip
_DOMAINS = [
    "payments", "logistics", "healthcare", "insurance", "retail", "gaming", "education", "travel", "security",
    "analytics",
]  # fmt: skip
_TOPICS = [
    "hiring plan", "roadmap review", "quarterly planning", "budget process", "onboarding program",
    "pricing change", "platform migration", "customer research", "launch checklist", "team structure",
    "career ladder", "incident review", "vendor selection", "growth experiment", "data strategy",
]  # fmt: skip
_ASPECTS = ["Scope", "Team size", "Budget", "Horizon", "Reports to", "Success metric", "Cadence", "Headcount"]


@dataclass
class SourceText:
    """Sentences, bullets and headings harvested from the real corpus."""

    sentences: list[str]
    bullets: list[str]
    headings: list[str]


def harvest(corpus: Path) -> SourceText:
    sentences: list[str] = []
    bullets: list[str] = []
    headings: list[str] = []
    for path in sorted(corpus.iterdir()):
        if path.suffix.lower() not in (".txt", ".md"):
            continue
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line:
                continue
            if line[0] in "•-*·":
                bullets.append(line.lstrip("•-*· ").strip())
            elif len(line) < 90 and not line.endswith((".", ":")) and "  " not in line:
                headings.append(line.rstrip("?"))
            elif len(line) >= 90:
                sentences.extend(s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line) if 30 <= len(s) <= 320)
    return SourceText(sentences, bullets, headings)


class DocumentWriter:
    """One document from its own random stream, so document i never depends on documents before it."""

    def __init__(self, source: SourceText, seed: int, index: int) -> None:
        self.source = source
        self.rng = random.Random(f"{seed}:{index}")
        self.index = index
        self.company = self.name(2, 3)
        self.product = self.name(2, 2)
        self.role = self.rng.choice(ROLES)
        self.domain = self.rng.choice(_DOMAINS)

    def name(self, lo: int, hi: int) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(lo, hi))).capitalize()

    def vary(self, text: str) -> str:
        text = _ROLE_PATTERN.sub(lambda _: self.rng.choice([self.role, *self.rng.sample(ROLES, 1)]), text)
        return _NUMBER.sub(lambda m: str(self.rng.randint(2, 400)) if "." not in m.group(0) else m.group(0), text)

    def paragraph(self, n: int) -> str:
        picked = [self.vary(s) for s in self.rng.sample(self.source.sentences, n)]
        if self.rng.random() < 0.5:
            picked.insert(
                self.rng.randint(0, len(picked)),
                f"At {self.company}, the {self.role} owns the {self.product} {self.rng.choice(_TOPICS)} "
                f"for {self.rng.randint(3, 90)} people in {self.domain}.",
            )
        return " ".join(picked)

    def bullets(self) -> str:
        items = self.rng.sample(self.source.bullets, self.rng.randint(3, 6))
        intro = f"Key points for the {self.product} {self.rng.choice(_TOPICS)}:"
        return intro + "\n\n" + "\n".join(f"- {self.vary(item)}" for item in items)

    def table(self) -> str:
        left, right = self.rng.sample(ROLES, 2)
        rows = [f"| Aspect | {left} | {right} |", "| --- | --- | --- |"]
        for aspect in self.rng.sample(_ASPECTS, self.rng.randint(3, 5)):
            rows.append(f"| {aspect} | {self.cell(aspect)} | {self.cell(aspect)} |")
        return "\n".join(rows)

    def cell(self, aspect: str) -> str:
        if aspect in ("Team size", "Headcount"):
            return f"{self.rng.randint(2, 60)} people"
        if aspect == "Budget":
            return f"${self.rng.randint(1, 90)}M"
        if aspect in ("Horizon", "Cadence"):
            return f"{self.rng.randint(1, 24)} months"
        return self.rng.choice([*_TOPICS, *ROLES])

    def render(self) -> str:
        title = f"{self.company} {self.product}: {self.rng.choice(_TOPICS).title()} for the {self.role}"
        parts = [f"# {title}", self.paragraph(self.rng.randint(2, 4))]
        for _ in range(self.rng.randint(3, 6)):
            parts.append(f"## {self.vary(self.rng.choice(self.source.headings))}")
            parts.append(self.paragraph(self.rng.randint(2, 5)))
            roll = self.rng.random()
            if roll < 0.45:
                parts.append(self.bullets())
            elif roll < 0.65:
                parts.append(self.table())
            if self.rng.random() < 0.4:
                parts.append(self.paragraph(self.rng.randint(1, 3)))
        return "\n\n".join(parts) + "\n"


def count_chunks(text: str) -> int:
    from ingest.chunker import chunk_document
    from rag.settings import Settings

    defaults = Settings.model_fields
    return len(
        chunk_document(
            text,
            target_chars=defaults["chunk_target_chars"].default,
            max_chars=defaults["chunk_max_chars"].default,
        )
    )


def generate(out: Path, *, chunks: int | None, docs: int | None, seed: int, source_dir: Path) -> tuple[int, int]:
    """Write documents until `docs` files or `chunks` chunks (as the pipeline will cut them); returns both."""
    if chunks is None and docs is None:
        raise ValueError("give --chunks or --docs")
    source = harvest(source_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written = total = 0
    while (docs is None or written < docs) and (chunks is None or total < chunks):
        text = DocumentWriter(source, seed, written).render()
        (out / f"doc-{written:06d}.md").write_text(text, encoding="utf-8")
        total += count_chunks(text)
        written += 1
    return written, total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="Folder to (re)create, under bench/data/.")
    parser.add_argument("--chunks", type=int, help="Stop once this many chunks have been written.")
    parser.add_argument("--docs", type=int, help="Stop after this many documents.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--source", type=Path, default=REPO / "corpus", help="Real corpus to recombine.")
    args = parser.parse_args(argv)
    docs, chunks = generate(args.out, chunks=args.chunks, docs=args.docs, seed=args.seed, source_dir=args.source)
    print(f"wrote {docs} documents, {chunks} chunks -> {args.out}")


if __name__ == "__main__":
    main()
