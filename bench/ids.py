"""The ids the load sends, made up front so that wrk spends nothing on them: random UUIDv4s.

Real producers send random UUIDv4 order ids (the AWS sample does), and random keys cost a B-tree more
than increasing ones (each insert dirties a different page). ``ids_file`` writes one line per request,
``<event id> <order id>``, both UUIDv4, enough for the fastest server at ``RATE_CEILING`` requests/s.
"""

from __future__ import annotations

import atexit
import os
from pathlib import Path

#: More requests per second than any variant has served here (raw ASGI peaked near 45,000).
RATE_CEILING = 60_000
_made: dict[int, Path] = {}


def uuid4s(count: int) -> list[str]:
    """``count`` random UUIDv4 strings (version nibble 4, variant 10xx), from one read of urandom."""
    hexes = os.urandom(16 * count).hex()
    out = []
    for at in range(0, 32 * count, 32):
        h = hexes[at : at + 32]
        variant = "89ab"[int(h[16], 16) & 3]
        out.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}")
    return out


def ids_file(seconds: float, directory: Path) -> Path:
    """A file of event and order id pairs for ``seconds`` of load, made once per process and size."""
    count = int(seconds * RATE_CEILING) + 1000
    if count not in _made:
        events, orders = uuid4s(count), uuid4s(count)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"ids-{os.getpid()}-{count}.txt"
        path.write_text("".join(f"{e} {o}\n" for e, o in zip(events, orders, strict=True)))
        atexit.register(path.unlink, missing_ok=True)  # tens of MB: not left behind
        _made[count] = path
    return _made[count]
