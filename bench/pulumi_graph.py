"""Time building the whole Pulumi graph under mocks; run in its own process by ``bench.micro``.

Imports the components' own mocks harness (tests/components/harness.py) rather than copying it.
Prints one JSON line: import time, the first build (cold) and the median of later builds, per stack.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "components")]

started = time.perf_counter()
import harness  # noqa: E402

imported = time.perf_counter() - started


def _build(stack: str) -> tuple[float, int]:
    began = time.perf_counter()
    graph = harness.run_main.__wrapped__(stack)  # past functools.cache: build it every time
    return time.perf_counter() - began, len(graph.resources)


result: dict[str, object] = {"import_s": round(imported, 3)}
for stack in ("dev", "prod"):
    first, count = _build(stack)
    warm = [_build(stack)[0] for _ in range(3)]
    result[stack] = {
        "resources": count,
        "first_s": round(first, 3),
        "warm_median_s": round(statistics.median(warm), 3),
    }
print(json.dumps(result))
