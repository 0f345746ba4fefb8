"""The robustness figures the tests measure, collected in tests/artifacts/robustness.json.

Each test records its own numbers under its own name, so a re-run (or running one file) replaces only
what it measured; `summary` adds them up. tests/README.md quotes the totals from this file.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path
from typing import Any

ARTIFACT = Path(__file__).resolve().parent / "artifacts" / "robustness.json"
# Totals kept in the summary: numbers whose sum across tests means something.
SUMMED = (
    "inputs",
    "fuzz_examples",
    "kills",
    "concurrent_requests",
    "requests",
    "server_errors",
    "errors",
    "data_lost",
)


def record(name: str, **numbers: Any) -> dict[str, Any]:
    """Stores the numbers of one test and prints the summary line (shown with -s or on failure)."""
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    # Opened without truncating so the lock is held before reading: xdist workers may record at once.
    with open(ARTIFACT, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        try:
            data = json.loads(handle.read() or "{}")
        except ValueError:
            data = {}
        tests = data.get("tests", {})
        tests[name] = numbers
        data = {"tests": dict(sorted(tests.items())), "summary": summary(tests)}
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    line = ", ".join(f"{k}={v}" for k, v in numbers.items() if not isinstance(v, dict | list))
    print(f"[robustness] {name}: {line}", file=sys.stderr)
    return data["summary"]


def summary(tests: dict[str, dict[str, Any]]) -> dict[str, Any]:
    totals: dict[str, Any] = {key: 0 for key in SUMMED}
    for numbers in tests.values():
        for key in SUMMED:
            value = numbers.get(key, 0)
            if isinstance(value, int | float):
                totals[key] += value
    return totals
