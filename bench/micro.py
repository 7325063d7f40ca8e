"""In-process micro-benchmarks: per-event decode (msgspec vs Pydantic) and the Pulumi graph under mocks."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

from bench.server import ROOT, SAMPLE

BODY = json.dumps(SAMPLE).encode()


def _per_call_us(func: Callable[[], object], repeats: int = 5, budget_s: float = 0.2) -> float:
    timer = timeit.Timer(func)
    number, _ = timer.autorange()
    number = max(1, int(number * budget_s / 0.2))
    return statistics.median(t / number * 1e6 for t in timer.repeat(repeats, number))


def decode() -> dict[str, float]:
    """Microseconds per event: validation alone, and the whole decode step each app runs."""
    from bench.twin_fastapi import OrderEvent as PydanticEvent
    from bench.twin_fastapi import _fingerprint
    from handler.events import EVENT_DECODER, decode_event

    def pydantic_step() -> object:
        event = PydanticEvent.model_validate_json(BODY)
        return event, _fingerprint(json.loads(BODY)["detail"])

    results = {
        "msgspec_validate_us": _per_call_us(lambda: EVENT_DECODER.decode(BODY)),
        "pydantic_validate_us": _per_call_us(lambda: PydanticEvent.model_validate_json(BODY)),
        "msgspec_handler_decode_event_us": _per_call_us(lambda: decode_event(BODY)),
        "pydantic_twin_decode_step_us": _per_call_us(pydantic_step),
    }
    return {k: round(v, 2) for k, v in results.items()}


def pulumi_graph(timeout: float = 300) -> dict:
    """Build the whole Pulumi graph (`__main__.py`, dev and prod) under the components' mocks."""
    harness = ROOT / "tests" / "components" / "harness.py"
    if not (harness.exists() and (ROOT / "__main__.py").exists()):
        return {"missing": "tests/components/harness.py or __main__.py is not there yet"}
    script = Path(__file__).with_name("pulumi_graph.py")
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])
