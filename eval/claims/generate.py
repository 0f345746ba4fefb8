"""Writes the claim benchmark: `python -m eval.claims.generate` (deterministic; its output is committed).

For each corpus: index it as the product does, derive claims from its citable units with the general rules
of `eval.claims.rules`, add the hand-written claims of `hand-<corpus>.jsonl`, and split everything into
`<corpus>-dev.jsonl` and `<corpus>-test.jsonl` by a hash of the chunk that holds each claim's quote (so all
claims about one unit, and about its neighbours, land on the same side).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from eval.claims import CORPORA, corpus_dir, hand_path, split_path
from eval.claims import rules as R
from eval.claims.units import IndexedCorpus, Unit, open_corpus
from rag.chunk_schema import decode
from rag.text import normalize, overlap, tokens

SEED = 14  # the issue number; any fixed seed makes the output reproducible
CORRECT_KINDS = ("paraphrase", "merge", "summary")
WRONG_KINDS = ("figure", "unit", "entity", "moved", "negation", "comparison", "extra_clause")
KINDS = CORRECT_KINDS + WRONG_KINDS
# How many generated claims of each kind to keep per corpus (fewer when the corpus offers fewer).
PER_KIND = dict.fromkeys(CORRECT_KINDS, 36) | dict.fromkeys(WRONG_KINDS, 26)
# An appended clause must be news to the quote's chunk: it shares at most this share of its content words
# with the chunk, and no unit of the chunk is this similar to it (cosine).
CLAUSE_MAX_OVERLAP = 0.34
CLAUSE_MAX_COSINE = 0.55
# A name's kind is judged from its own embedding (this weight) and the sentences it appears in (the rest).
NAME_WEIGHT = 0.4
CONTEXT_SENTENCES = 6
# A swapped-in name must be at least this similar in kind to the one it replaces (cosine of name_vectors).
MIN_KIND_SIMILARITY = 0.45
FIELDS = ("id", "corpus", "kind", "label", "origin", "question", "claim", "source", "start", "end", "quote")


@dataclass
class Inventory:
    """The corpus's names (capitalised runs that are proper names), their vectors, and which are subjects
    (named in a heading: what a section or document is about)."""

    names: list[str]
    vectors: np.ndarray
    subjects_of: dict[str, list[str]] = field(default_factory=dict)  # unit key -> its headings' subjects
    subjects: list[str] = field(default_factory=list)

    def vector(self, name: str) -> np.ndarray:
        return self.vectors[self.names.index(name)]


def unit_key(u: Unit) -> str:
    return f"{u.source}:{u.start}"


def build_inventory(corpus: IndexedCorpus) -> Inventory:
    texts = [u.text for u in corpus.units]
    lowered = normalize(" ".join(texts))
    counts: Counter[str] = Counter()
    mid_sentence: set[str] = set()
    for text in texts:
        for start, _, run in R.entity_runs(text):
            counts[run] += 1
            before = text[:start].rstrip()
            if (
                before
                and not before.endswith((".", "!", "?", "•", ":"))
                and R.BULLET_MARK.sub("", text[:start]).strip()
            ):
                mid_sentence.add(run)
    names = []
    for run, n in sorted(counts.items()):
        words = run.split()
        if (n < 2 and run not in mid_sentence) or len(words) > 5 or any(ch.isdigit() for ch in run):
            continue
        acronym = run.replace("-", "").isupper() and len(run) >= 2
        if len(words) == 1 and not acronym:
            # a single capitalised word is a name only if the corpus never writes it in lower case
            if run not in mid_sentence or f" {run.lower()} " in f" {lowered} ":
                continue
        elif not acronym and run not in mid_sentence:
            continue
        names.append(run)
    # the plural "Directors of Product Management" and the singular are one name: keep the singular
    names = [n for n in names if not any(R.plural(m) == n for m in names)]
    inventory = Inventory(names, name_vectors(corpus, names, texts))
    subjects: set[str] = set()
    for u in corpus.units:
        heading_names = [n for n in names if R.mentions(f"{u.section}\n{u.context}\n{u.title}", n)]
        short_title = R.PARENTHETICAL.sub("", u.title).strip()
        if len(short_title.split()) <= 3 and short_title not in heading_names:
            heading_names.append(short_title)
        inventory.subjects_of[unit_key(u)] = heading_names
        subjects.update(heading_names)
    # a document title counts as a subject only where units name it
    inventory.subjects = sorted(s for s in subjects if sum(R.mentions(u.text, s) for u in corpus.units) >= 2)
    for key, found in inventory.subjects_of.items():
        inventory.subjects_of[key] = [s for s in found if s in inventory.subjects]
    extra = [s for s in inventory.subjects if s not in inventory.names]
    if extra:
        inventory.names += extra
        inventory.vectors = np.vstack([inventory.vectors, name_vectors(corpus, extra, texts)])
    return inventory


def name_vectors(corpus: IndexedCorpus, names: list[str], texts: list[str]) -> np.ndarray:
    """A vector per name that says what kind of thing it is: its own embedding plus the mean embedding of
    the sentences that mention it with the name masked ("reports to the X" marks a title, "born in X" a
    place). Names alone embed poorly ("CEO" is nearer "GM" than "CFO"); the slots they fill do better."""
    own = corpus.embedder.encode(names)
    masked, owners = [], []
    for i, name in enumerate(names):
        found = [t for t in texts if R.mentions(t, name)][:CONTEXT_SENTENCES]
        for t in found:
            masked.append(replace_name(t, name, "X")[0])
            owners.append(i)
    slots = np.zeros_like(own)
    if masked:
        for i, vector in zip(owners, corpus.embedder.encode(masked), strict=True):
            slots[i] += vector
    norms = np.linalg.norm(slots, axis=1, keepdims=True)
    slots = np.divide(slots, norms, out=np.zeros_like(slots), where=norms > 0)
    mixed = NAME_WEIGHT * own + (1 - NAME_WEIGHT) * slots
    return mixed / np.linalg.norm(mixed, axis=1, keepdims=True)


def replace_name(text: str, old: str, new: str, ignore_case: bool = True) -> tuple[str, int]:
    """Every mention of `old` (singular or plural) replaced by `new`."""
    out, n = text, 0
    for old_form, new_form in ((R.plural(old), R.plural(new)), (old, new)):
        rx = re.compile(rf"(?<![\w-]){re.escape(old_form)}(?![\w-])", re.IGNORECASE if ignore_case else 0)
        out, k = rx.subn(new_form, out)
        n += k
    return out, n


def nearest(
    inventory: Inventory, target: np.ndarray, allowed: Callable[[str], bool], pool: list[str], k: int = 3
) -> list[str]:
    ranked = sorted(pool, key=lambda n: (-float(inventory.vector(n) @ target), n))
    return [n for n in ranked if allowed(n)][:k]


class Generator:
    def __init__(self, name: str, corpus: IndexedCorpus) -> None:
        self.name = name
        self.corpus = corpus
        self.rng = random.Random(f"{SEED}:{name}")
        self.inventory = build_inventory(corpus)
        self.units = [u for u in corpus.units if R.is_claim_like(u.text, u.kind)]
        self.by_chunk: dict[str, list[Unit]] = {}
        for u in corpus.units:
            self.by_chunk.setdefault(u.chunk_id, []).append(u)
        chunk_units = {}
        for chunk in corpus.chunks:
            scored = corpus.scored(chunk)
            from rag.extractive import split_evidence

            chunk_units[chunk.chunk_id] = [ev.text for ev in split_evidence(scored)]
        self.chunk_unit_texts = chunk_units
        self.unit_vectors = dict(
            zip(
                [unit_key(u) for u in self.units],
                corpus.embedder.encode([R.body(u.text) for u in self.units]),
                strict=True,
            )
        )

    # --- helpers ---------------------------------------------------------------------------------
    def context(self, u: Unit) -> str:
        """What the guard can see for a claim about `u`: its chunk and the headings over it."""
        return f"{self.corpus.chunk(u.chunk_id).text}\n{u.headings}"

    def item(self, kind: str, label: str, u: Unit, claim: str, detail: str, last: Unit | None = None) -> dict[str, Any]:
        end = (last or u).end
        quote = self.corpus.document(u.source)[u.start : end]
        digest = hashlib.sha256(f"{self.name}|{kind}|{u.source}|{u.start}|{claim}".encode()).hexdigest()[:10]
        return {
            "id": f"{self.name}-{kind}-{digest}",
            "corpus": self.name,
            "kind": kind,
            "label": label,
            "origin": "generated",
            "question": u.section.strip() if u.section.strip().endswith("?") else "",
            "claim": claim,
            "source": u.source,
            "start": u.start,
            "end": end,
            "quote": quote,
            "detail": detail,
        }

    # --- correct ---------------------------------------------------------------------------------
    def paraphrases(self) -> list[dict[str, Any]]:
        out = []
        for u in self.units:
            got = R.paraphrase(u.text)
            if got:
                out.append(self.item("paraphrase", "correct", u, got[0], "+".join(dict.fromkeys(got[1]))))
        return out

    def merges(self) -> list[dict[str, Any]]:
        out = []
        for units in self.by_chunk.values():
            for a, b in zip(units, units[1:], strict=False):
                if a.kind != "sentence" or b.kind != "sentence" or a.position + 1 != b.position:
                    continue
                if not (R.is_claim_like(a.text, a.kind) and R.is_claim_like(b.text, b.kind)):
                    continue
                claim = R.merge(a.text, b.text)
                if claim:
                    out.append(self.item("merge", "correct", a, claim, "two neighbouring units joined", last=b))
        return out

    def summaries(self) -> list[dict[str, Any]]:
        out = []
        for u in self.units:
            claim = R.summary(u.text)
            if claim:
                out.append(self.item("summary", "correct", u, claim, "main clause kept"))
        return out

    # --- wrong -----------------------------------------------------------------------------------
    def figures(self) -> list[dict[str, Any]]:
        out = []
        for i, u in enumerate(self.units):
            got = R.change_figure(u.text, i)
            if got and not R.mentions(self.context(u), got[2]):
                out.append(self.item("figure", "wrong", u, got[0], f"{got[1]} -> {got[2]}"))
        return out

    def units_changed(self) -> list[dict[str, Any]]:
        out = []
        for u in self.units:
            got = R.change_unit(u.text)
            if got:
                out.append(self.item("unit", "wrong", u, got[0], f"{got[1]} -> {got[2]}"))
        return out

    def names_in(self, u: Unit) -> list[str]:
        return sorted((n for n in self.inventory.names if R.mentions(R.body(u.text), n)), key=len, reverse=True)

    def swap(self, u: Unit, kind: str, old: str, pool: list[str], min_similarity: float) -> dict[str, Any] | None:
        present = self.names_in(u)
        context = self.context(u)
        text = R.body(u.text)
        if re.search(rf"\(\s*{re.escape(old)}\s*\)|{re.escape(old)}\s*\(", text):
            return None  # an abbreviation with its expansion: swapping one half leaves the other
        if re.search(rf"[/-]{re.escape(old)}|{re.escape(old)}[/-]", text):
            return None  # part of a compound ("UX/Product Design"), not a name on its own
        ignore_case = kind == "moved"  # a subject may be a common noun ("the hurdy-gurdy"); other names not
        if not ignore_case and not replace_name(text, old, old, ignore_case=False)[1]:
            return None  # only a lower-case common noun matched ("product managers")

        def allowed(n: str) -> bool:
            if any(R.same_entity(n, p) for p in present) or R.mentions(context, n):
                return False
            return old.isupper() == n.isupper()

        target = self.inventory.vector(old)
        choices = nearest(self.inventory, target, allowed, pool)
        choices = [c for c in choices if float(self.inventory.vector(c) @ target) >= min_similarity]
        if not choices:
            return None
        new = choices[0]
        claim, n = replace_name(text, old, new, ignore_case=ignore_case)
        if not n or claim == R.body(u.text):
            return None
        similarity = float(self.inventory.vector(new) @ target)
        return self.item(kind, "wrong", u, R.upper_first(claim), f"{old} -> {new} ({similarity:.2f})")

    def entities(self) -> list[dict[str, Any]]:
        out = []
        subjects = set(self.inventory.subjects)
        for u in self.units:
            own = self.inventory.subjects_of[unit_key(u)]
            names = [n for n in self.names_in(u) if n not in own and not any(R.same_entity(n, s) for s in own)]
            names = [n for n in names if not any(R.same_entity(n, m) for m in self.names_in(u) if m != n)]
            for old in names:
                pool = [n for n in self.inventory.names if n not in subjects or old in subjects]
                got = self.swap(u, "entity", old, pool, MIN_KIND_SIMILARITY)
                if got:
                    out.append(got)
                    break
        return out

    def moved(self) -> list[dict[str, Any]]:
        out = []
        for u in self.units:
            own = self.inventory.subjects_of[unit_key(u)]
            named = [s for s in own if R.mentions(R.body(u.text), s)]
            if not named:
                continue
            old = max(named, key=len)
            if any(R.same_entity(old, m) for m in self.names_in(u) if m != old and m not in own):
                continue
            pool = [s for s in self.inventory.subjects if s not in own and not any(R.same_entity(s, o) for o in own)]
            got = self.swap(u, "moved", old, pool, 0.0)
            if got:
                out.append(got)
        return out

    def negations(self) -> list[dict[str, Any]]:
        out = []
        for u in self.units:
            got = R.negate(u.text)
            if got:
                out.append(self.item("negation", "wrong", u, got[0], f"negation {got[1]}"))
        return out

    def comparisons(self) -> list[dict[str, Any]]:
        out = []
        for i, u in enumerate(self.units):
            present, context = self.names_in(u), self.context(u)

            def allowed(n: str, present: list[str] = present, context: str = context) -> bool:
                return not any(R.same_entity(n, p) for p in present) and not R.mentions(context, n)

            if not present:
                continue  # the comparison is set against a name of the same kind as one the unit uses
            target = self.inventory.vector(present[0])
            choices = [
                n
                for n in nearest(self.inventory, target, allowed, self.inventory.names)
                if float(self.inventory.vector(n) @ target) >= MIN_KIND_SIMILARITY
            ]
            if choices:
                other = choices[i % len(choices)]
                out.append(self.item("comparison", "wrong", u, R.add_comparison(u.text, other, i), f"vs {other}"))
        return out

    def extra_clauses(self) -> list[dict[str, Any]]:
        out = []
        clauses = [c for c in self.units if R.append_clause("x.", c.text)]
        for u in self.units:
            if len(R.body(u.text).split()) > 35:
                continue
            chunk_text = self.corpus.chunk(u.chunk_id).text
            chunk_vectors = self.corpus.embedder.encode(self.chunk_unit_texts[u.chunk_id])
            others = [c for c in clauses if c.source != u.source]
            self.rng.shuffle(others)
            for c in others[:40]:
                if overlap(set(tokens(c.text)), set(tokens(chunk_text))) > CLAUSE_MAX_OVERLAP:
                    continue
                if float(np.max(chunk_vectors @ self.unit_vectors[unit_key(c)])) > CLAUSE_MAX_COSINE:
                    continue
                claim = R.append_clause(u.text, c.text)
                if claim:
                    out.append(self.item("extra_clause", "wrong", u, claim, f"clause from {c.source}:{c.start}"))
                    break
        return out

    # --- all -------------------------------------------------------------------------------------
    def generate(self) -> list[dict[str, Any]]:
        makers = {
            "paraphrase": self.paraphrases,
            "merge": self.merges,
            "summary": self.summaries,
            "figure": self.figures,
            "unit": self.units_changed,
            "entity": self.entities,
            "moved": self.moved,
            "negation": self.negations,
            "comparison": self.comparisons,
            "extra_clause": self.extra_clauses,
        }
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        for kind in KINDS:
            candidates = [c for c in makers[kind]() if normalize(c["claim"]) not in seen]
            if kind in WRONG_KINDS:
                candidates = [c for c in candidates if normalize(c["claim"]) != normalize(c["quote"])]
            picked = self.rng.sample(candidates, min(PER_KIND[kind], len(candidates)))
            picked.sort(key=lambda c: (c["source"], c["start"], c["claim"]))
            seen.update(normalize(c["claim"]) for c in picked)
            items += picked
        return items


# --- hand-written claims ----------------------------------------------------------------------------
def resolve_hand(name: str, corpus: IndexedCorpus) -> list[dict[str, Any]]:
    """The hand-written claims with their quote's offsets found in the loaded document."""
    path = hand_path(name)
    if not path.exists():
        return []
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        raw = json.loads(line)
        text = corpus.document(raw["source"])
        start = text.find(raw["quote"])
        if start < 0 or text.find(raw["quote"], start + 1) >= 0:
            raise SystemExit(f"{path}:{number}: the quote must occur exactly once in {raw['source']}")
        end = start + len(raw["quote"])
        if corpus.home_chunk(raw["source"], start, end) is None:
            raise SystemExit(f"{path}:{number}: no indexed chunk holds the quote")
        digest = hashlib.sha256(f"{name}|hand|{raw['claim']}".encode()).hexdigest()[:10]
        out.append(
            {
                "id": f"{name}-hand-{raw['kind']}-{digest}",
                "corpus": name,
                "kind": raw["kind"],
                "label": raw["label"],
                "origin": "hand",
                "question": raw.get("question", ""),
                "claim": raw["claim"],
                "source": raw["source"],
                "start": start,
                "end": end,
                "quote": raw["quote"],
                "detail": raw.get("detail", ""),
            }
        )
    return out


def split_of(corpus: IndexedCorpus, item: dict[str, Any]) -> str:
    """dev or test, by a hash of the chunk that holds the item's quote: every claim about a unit (and a
    merge of two neighbours) falls on the side of that unit's chunk."""
    chunk = corpus.home_chunk(item["source"], item["start"], item["end"])
    assert chunk is not None
    key = f"{item['source']}:{decode(chunk.metadata).start}"
    return "dev" if int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 == 0 else "test"


def write(name: str, corpus: IndexedCorpus, items: list[dict[str, Any]]) -> dict[str, int]:
    sides: dict[str, list[dict[str, Any]]] = {"dev": [], "test": []}
    for item in items:
        sides[split_of(corpus, item)].append(item)
    for side, rows in sides.items():
        with open(split_path(name, side), "w", encoding="utf-8") as handle:
            for row in rows:
                ordered = {k: row[k] for k in FIELDS} | {"detail": row.get("detail", "")}
                handle.write(json.dumps(ordered, ensure_ascii=False) + "\n")
    return {side: len(rows) for side, rows in sides.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), action="append", help="Default: every corpus.")
    args = parser.parse_args(argv)
    embedder = None
    for name in args.corpus or sorted(CORPORA):
        corpus = open_corpus(corpus_dir(name), embedder=embedder)
        embedder = corpus.embedder
        items = Generator(name, corpus).generate() + resolve_hand(name, corpus)
        counts = write(name, corpus, items)
        kinds = Counter(f"{i['kind']}/{i['label']}/{i['origin']}" for i in items)
        print(f"{name}: {len(items)} claims ({counts['dev']} dev, {counts['test']} test)")
        for kind, n in sorted(kinds.items()):
            print(f"  {kind}: {n}")


if __name__ == "__main__":
    main()
