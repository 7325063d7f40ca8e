"""One PUT /orders, whatever serves it: admit, decode, record, store within the deadline, classify the
outcome, count it and log it, then say what to answer.

Framework-free: the route (``routes.put_order``) and the benchmark's FastAPI twin both call
``Orders.put``. Refusals raise an ``OrdersError``, which the caller renders (the app's exception handlers).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple

import msgspec

from handler import contract
from handler import metrics as m
from handler.answers import PutAnswer
from handler.errors import InvalidEvent, OrderConflict, OrdersError, Overloaded
from handler.events import ReceivedOrder, decode_event
from handler.gate import Gate
from handler.logs import get_logger
from handler.metrics import Metrics
from handler.store.base import EventMetadata, OrderRecord, OrderStore, PutOutcome

_json = msgspec.json.Encoder()

#: Per stored outcome: the status, the body's ``status`` word and the counter. The 200's word stays
#: "duplicate": it is the HTTP contract, older than the name REPLAYED.
_STORED = {
    PutOutcome.CREATED: (201, "created", m.CREATED),
    PutOutcome.REPLAYED: (200, "duplicate", m.REPLAYED),
}
#: The refusals counted as outcomes of their own. Store failures are counted by the gate, whichever
#: request met them.
_REFUSED = {InvalidEvent: m.REJECTED, OrderConflict: m.CONFLICTS, Overloaded: m.OVERLOADED}


class Answer(NamedTuple):
    """What to answer a stored order: the status, a JSON body, and the ``Location`` header."""

    status: int
    body: bytes
    location: str


class Orders:
    """Puts orders into a store through the gate, counting each outcome and logging one line per PUT.

    Args:
        store: where orders go.
        gate: admission and the store deadline.
        metrics: the outcome counters.
        decode: body to validated order; a benchmark twin passes its own validation here.
    """

    def __init__(
        self,
        store: OrderStore,
        gate: Gate,
        metrics: Metrics,
        decode: Callable[[bytes], ReceivedOrder] = decode_event,
    ) -> None:
        self._store, self._gate, self._metrics, self._decode = store, gate, metrics, decode
        self._log = get_logger()

    async def put(self, body: bytes, started: float) -> Answer:
        """Store the order one event body carries, once.

        Args:
            body: the request body, as received.
            started: ``time.perf_counter()`` when the request arrived, for the log line's latency.

        Raises:
            OrdersError: the request is refused (400, 409, 429, 503); the error carries its status.
        """
        status, event_id, order_id, admitted = 500, None, None, False
        try:
            self._gate.admit()
            admitted = True
            received = self._decode(body)
            event_id, order_id = received.event.id, received.order_id
            outcome = await self._gate.within_deadline(self._store.put(_record(received)))
            if outcome is PutOutcome.CONFLICT:
                raise OrderConflict(order_id)
            status, word, counter = _STORED[outcome]
            self._metrics.count(counter)
            payload = _json.encode(PutAnswer(order_id=order_id, status=word))
            return Answer(status, payload, f"{contract.ORDERS_PATH}/{order_id}")
        except OrdersError as exc:
            status = exc.status_code
            if (counter := _REFUSED.get(type(exc))) is not None:
                self._metrics.count(counter)
            raise
        finally:
            if admitted:
                self._gate.release()
            self._log.info(
                "put_order",
                status=status,
                event_id=event_id,
                order_id=order_id,
                latency_ms=round((time.perf_counter() - started) * 1000, 3),
            )


def _record(received: ReceivedOrder) -> OrderRecord:
    event = received.event
    return OrderRecord(
        order_id=received.order_id,
        fingerprint=received.fingerprint,
        detail=received.detail,
        event=EventMetadata(
            id=event.id,
            source=event.source,
            account=event.account,
            region=event.region,
            time=event.time,
            received_at=datetime.now(UTC),
        ),
    )
