"""Variant 3: a FastAPI + Pydantic twin of ``PUT /orders`` (bench code only, not part of the product).

Only the framework and the validation library differ from the handler. Everything after validation is
the handler's own ``handler.orders.Orders``: admission, the detail as sent and its storability checks,
the fingerprint, the record, the store deadline, the outcome, metrics and the log line, on the same
``MemoryStore`` variant 2 uses. The Pydantic models are derived from the handler's msgspec Structs
(``handler.events.OrderEvent``), so both validate the same rules, written once.
"""

from __future__ import annotations

import contextlib
import gc
import operator
import time
import uuid
from collections.abc import AsyncIterator
from functools import reduce
from typing import Annotated, Any, Literal

import msgspec
import msgspec.inspect as mi
from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, NaiveDatetime, ValidationError, create_model

from bench.memstore import MemoryStore
from handler import contract, events
from handler.errors import InvalidEvent, OrdersError
from handler.gate import Gate
from handler.metrics import Metrics
from handler.orders import Orders
from handler.settings import Settings

_json = msgspec.json.Encoder()


class _Base(BaseModel):
    """Frozen models that accept unknown fields, like the handler's Structs; strict types."""

    model_config = ConfigDict(frozen=True, strict=True, extra="ignore")


def _annotation(t: mi.Type) -> Any:
    """The Pydantic type of one msgspec type: the kinds ``OrderEvent`` uses, with their constraints."""
    if isinstance(t, mi.Metadata):
        return _annotation(t.type)
    if isinstance(t, mi.StrType):
        return Annotated[str, Field(min_length=t.min_length, max_length=t.max_length, pattern=t.pattern)]
    if isinstance(t, mi.IntType):
        return Annotated[int, Field(gt=t.gt, ge=t.ge, lt=t.lt, le=t.le, multiple_of=t.multiple_of)]
    # A UUID and a timestamp arrive as JSON strings, which msgspec parses; Pydantic does so when not strict.
    if isinstance(t, mi.UUIDType):
        return Annotated[uuid.UUID, Field(strict=False)]
    if isinstance(t, mi.DateTimeType):
        return Annotated[AwareDatetime if t.tz else NaiveDatetime, Field(strict=False)]
    if isinstance(t, mi.LiteralType):
        return Literal[t.values]
    if isinstance(t, mi.ListType):
        return Annotated[
            list[_annotation(t.item_type)], Field(min_length=t.min_length, max_length=t.max_length)
        ]
    if isinstance(t, mi.UnionType):
        return reduce(operator.or_, (_annotation(member) for member in t.types))
    if isinstance(t, mi.NoneType):
        return None
    if isinstance(t, mi.StructType):
        return _model(t)
    raise TypeError(f"bench.twin_fastapi: no Pydantic equivalent for {t!r}")


def _model(struct: mi.StructType) -> type[BaseModel]:
    fields: dict[str, Any] = {
        f.name: (
            _annotation(f.type),
            Field(... if f.required else f.default, alias=None if f.encode_name == f.name else f.encode_name),
        )
        for f in struct.fields
    }
    return create_model(struct.cls.__name__, __base__=_Base, **fields)


#: The handler's ``OrderEvent``, as a Pydantic model.
OrderEvent = _model(mi.type_info(events.OrderEvent))


def decode(body: bytes) -> events.ReceivedOrder:
    """The twin's decode step: Pydantic validates; the rest is the handler's ``events.receive``."""
    try:
        event = OrderEvent.model_validate_json(body)
    except ValidationError as exc:
        raise InvalidEvent(str(exc)) from None
    return events.receive(event, body)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The twin app on a fresh MemoryStore (the same store class variant 2 uses)."""
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        metrics = Metrics("Bench", 60.0)
        app.state.orders = Orders(MemoryStore(), Gate(settings=settings, metrics=metrics), metrics, decode)
        gc.collect()
        gc.freeze()
        yield

    app = FastAPI(lifespan=lifespan)

    @app.exception_handler(OrdersError)
    async def refused(request: Request, exc: OrdersError) -> Response:
        return Response(_json.encode(exc.body()), exc.status_code, exc.headers, "application/json")

    @app.put(contract.ORDERS_PATH, status_code=201)
    async def put_order(request: Request) -> Response:
        started = time.perf_counter()
        answer = await request.app.state.orders.put(await request.body(), started)
        return Response(answer.body, answer.status, {"Location": answer.location}, "application/json")

    return app
