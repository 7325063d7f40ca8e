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
from collections.abc import AsyncIterator, Callable
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
    convert = _ANNOTATIONS.get(type(t))
    if convert is None:
        raise TypeError(f"bench.twin_fastapi: no Pydantic equivalent for {t!r}")
    return convert(t)


#: One converter per msgspec type kind. A UUID and a timestamp arrive as JSON strings, which msgspec
#: parses; Pydantic does so when not strict.
_ANNOTATIONS: dict[type[mi.Type], Callable[[Any], Any]] = {
    mi.Metadata: lambda t: _annotation(t.type),
    mi.StrType: lambda t: Annotated[
        str, Field(min_length=t.min_length, max_length=t.max_length, pattern=t.pattern)
    ],
    mi.IntType: lambda t: Annotated[
        int, Field(gt=t.gt, ge=t.ge, lt=t.lt, le=t.le, multiple_of=t.multiple_of)
    ],
    mi.UUIDType: lambda t: Annotated[uuid.UUID, Field(strict=False)],
    mi.DateTimeType: lambda t: Annotated[AwareDatetime if t.tz else NaiveDatetime, Field(strict=False)],
    mi.LiteralType: lambda t: Literal[t.values],
    mi.ListType: lambda t: Annotated[
        list[_annotation(t.item_type)], Field(min_length=t.min_length, max_length=t.max_length)
    ],
    mi.UnionType: lambda t: reduce(operator.or_, (_annotation(member) for member in t.types)),
    mi.NoneType: lambda t: None,
    mi.StructType: lambda t: _model(t),
}


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
