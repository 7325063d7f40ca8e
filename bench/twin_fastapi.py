"""Variant 3: a FastAPI + Pydantic twin of ``PUT /orders`` (bench code only, not part of the product).

Same contract and same work per request as ``handler/intake.py``: strict validation of the envelope and
order, the detail kept as sent, a SHA-256 fingerprint, the same admission control, store deadline,
metrics and one log line, on the same store. Only the framework and the validation library differ.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from bench.memstore import MemoryStore
from handler import contract
from handler.gate import Gate
from handler.metrics import Metrics
from handler.settings import Settings
from handler.store.base import EventMetadata, OrderRecord, PutOutcome

Price = Annotated[str, Field(pattern=r"^(0|[1-9][0-9]{0,17})(\.[0-9]{1,16})?$")]
Text = Annotated[str, Field(min_length=1, max_length=1024)]


class Base(BaseModel):
    """Frozen models that accept unknown fields, like the handler's Structs; strict types."""

    model_config = ConfigDict(frozen=True, strict=True, extra="ignore")


class Item(Base):
    product_id: Annotated[uuid.UUID, Field(strict=False)]
    quantity: Annotated[int, Field(ge=1, le=1_000_000)]
    price: Price
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class Customer(Base):
    customer_id: Text


class Payment(Base):
    payment_id: Text


class DeliveryAddress(Base):
    street: Text
    city: Text
    state: Text
    country: Text
    zip_code: Text


class Order(Base):
    order_id: Annotated[uuid.UUID, Field(strict=False)]
    create_date: Annotated[AwareDatetime, Field(strict=False)]
    items: Annotated[list[Item], Field(min_length=1, max_length=1000)]
    customer: Customer
    payment: Payment
    delivery_address: DeliveryAddress


class OrderEvent(Base):
    version: str
    id: Text
    detail_type: Literal["CreateOrder"] = Field(alias="detail-type")
    source: Literal["ecommerce"]
    account: str
    region: str
    resources: list[str]
    time: Annotated[AwareDatetime | None, Field(strict=False)] = None
    detail: Order


def _fingerprint(detail: dict[str, Any]) -> str:
    canonical = json.dumps(detail, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _problem(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps({"error": code, "message": message}).encode()
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The twin app on a fresh MemoryStore (the same store class variant 2 uses)."""
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = MemoryStore()
        app.state.gate = Gate(settings=settings, metrics=Metrics("Bench", 60.0))
        gc.collect()
        gc.freeze()
        yield

    app = FastAPI(lifespan=lifespan)

    @app.put(contract.ORDERS_PATH, status_code=201)
    async def put_order(request: Request) -> Response:
        gate: Gate = request.app.state.gate
        started = time.perf_counter()
        body = await request.body()
        status, order_id = 500, None
        try:
            event = OrderEvent.model_validate_json(body)
            detail = json.loads(body)["detail"]
        except ValidationError as exc:
            status = 400
            return _problem(400, "invalid_event", str(exc))
        order_id = str(event.detail.order_id)
        record = OrderRecord(
            order_id=order_id,
            fingerprint=_fingerprint(detail),
            detail=detail,
            event=EventMetadata(
                id=event.id,
                source=event.source,
                account=event.account,
                region=event.region,
                time=event.time,
                received_at=datetime.now(UTC),
            ),
        )
        gate.admit()
        try:
            outcome = await gate.within_deadline(request.app.state.store.put(record))
        finally:
            gate.release()
        if outcome is PutOutcome.CONFLICT:
            status = 409
            return _problem(409, "order_conflict", f"Order {order_id} is stored with other content")
        status = 201 if outcome is PutOutcome.CREATED else 200
        status_word = "created" if outcome is PutOutcome.CREATED else "duplicate"
        body = json.dumps({"order_id": order_id, "status": status_word}).encode()
        headers = {"Location": f"{contract.ORDERS_PATH}/{order_id}"}
        gate.log.info(
            "put_order",
            status=status,
            event_id=event.id,
            order_id=order_id,
            latency_ms=round((time.perf_counter() - started) * 1000, 3),
        )
        return Response(body, status_code=status, media_type="application/json", headers=headers)

    return app
