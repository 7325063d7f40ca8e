"""A dict-backed order store for the benchmark: the handler's store protocol with no I/O at all.

Records are kept encoded (bytes), as a database keeps them outside the Python heap: the dicts then
hold only str and bytes, which the garbage collector does not track, so a long run does not make
every gen-2 collection slower (holding ~10^5 live records as objects did, adding a GC tail to p99).
"""

from __future__ import annotations

import msgspec

from handler.store.base import OrderRecord, PutOutcome

_encode = msgspec.msgpack.Encoder().encode
_decode = msgspec.msgpack.Decoder(OrderRecord).decode


class MemoryStore:
    """Implements ``handler.store.base.OrderStore`` over dicts, with the same idempotency rules."""

    def __init__(self) -> None:
        self._fingerprints: dict[str, str] = {}
        self._records: dict[str, bytes] = {}

    async def put(self, record: OrderRecord) -> PutOutcome:
        stored = self._fingerprints.get(record.order_id)
        if stored is None:  # no await in between: check-and-set is atomic on the event loop
            self._fingerprints[record.order_id] = record.fingerprint
            self._records[record.order_id] = _encode(record)
            return PutOutcome.CREATED
        return PutOutcome.REPLAYED if stored == record.fingerprint else PutOutcome.CONFLICT

    async def get(self, order_id: str) -> OrderRecord | None:
        found = self._records.get(order_id)
        return None if found is None else _decode(found)

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        self._fingerprints.clear()
        self._records.clear()
