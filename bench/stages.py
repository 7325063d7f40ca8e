"""CPU per request by stage, from py-spy's raw stacks: each sample goes to the stage of the frame nearest
its leaf that belongs to one (``STAGES``, first match wins), else to "event loop, other".

``bench.profile`` multiplies each stage's share of the samples by the server's CPU time per request.
"""

from __future__ import annotations

import collections
import re

_FRAME = re.compile(r"^(?P<name>.*?) \((?P<file>.*?):\d+\)$")
OTHER = "event loop, other"
#: (stage, patterns matched against "name (file)"): a frame belongs to the first stage it matches.
STAGES = [
    ("log line", ["handler/logs.py"]),
    ("metrics", ["handler/metrics.py"]),
    ("store", ["bench/memstore.py", "handler/store/"]),
    ("gate (admission, deadline)", ["handler/gate.py", "asyncio/timeouts.py"]),
    ("decode and fingerprint", ["handler/events.py", "handler/storable.py", "handler/ids.py", "uuid.py"]),
    ("answer (send)", ["RequestResponseCycle.send ", "capture_response_started"]),
    ("orders logic (record, answer body)", ["handler/orders.py"]),
    ("body read", ["_read_body", "RequestResponseCycle.receive"]),
    ("routing, framework", ["litestar/", "proxy_headers.py", "run_asgi", "handler/routes.py", "fast_path"]),
    ("HTTP parsing", ["httptools_impl.py", "handler/connections.py"]),
]


def _stage(frame: str) -> str | None:
    match = _FRAME.match(frame)
    text = f"{match['name']} ({match['file']})" if match else frame
    for stage, patterns in STAGES:
        if any(p in text for p in patterns):
            return stage
    return None


def shares(raw: str) -> tuple[int, dict[str, float]]:
    """Total samples, and each stage's share of them (0-1), from py-spy's ``-f raw`` output."""
    counts: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        stage = next((s for f in reversed(stack.split(";")) if (s := _stage(f))), OTHER)
        counts[stage] += int(count)
    return total, {s: counts[s] / total for s, _ in [*STAGES, (OTHER, [])] if total}
