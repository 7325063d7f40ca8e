"""The EventBridge envelope and the order it carries, as msgspec Structs, and the one decode step.

The Structs validate; a second, untyped decode of ``detail`` (``receive``) keeps every field the producer
sent, so fields this version does not know are stored rather than silently dropped.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal, Protocol

import msgspec
from msgspec import Meta

from handler import ids, storable
from handler.contract import DETAIL_TYPE, EVENT_SOURCE
from handler.errors import InvalidEvent


class Base(msgspec.Struct, frozen=True, kw_only=True):
    """Immutable, keyword-only Structs that accept unknown fields: AWS adds envelope fields over time."""


# msgspec matches a pattern with Python's `re`, whose `$` also matches before a final newline; the
# document's (ECMA-262's) does not. So a code also has its length, and a price is checked in `receive`.

#: A decimal string of 0 or more, at most 34 significant digits (what Decimal128 holds exactly).
PRICE_PATTERN = r"^(0|[1-9][0-9]{0,17})(\.[0-9]{1,16})?$"
Price = Annotated[str, Meta(pattern=PRICE_PATTERN, description="Decimal string, e.g. 9.99")]
Quantity = Annotated[
    int,
    Meta(
        ge=1,
        le=1_000_000,
        description="An integer. Written as a whole-number float (1.0, 1e0), as JSON Schema allows and as "
        "an encoder writes a number that went through a float, it is taken, and stored, as that integer",
    ),
]
CurrencyCode = Annotated[
    str, Meta(pattern=r"^[A-Z]{3}$", min_length=3, max_length=3, description="ISO 4217 code, e.g. CAD")
]
Text = Annotated[str, Meta(min_length=1, max_length=1024)]
Timestamp = Annotated[
    datetime,
    Meta(
        tz=True,
        description="RFC 3339 timestamp with an offset; also accepted, beyond `format`: a space for the `T`, "
        "an offset without its colon (+0100)",
    ),
]


class Item(Base):
    product_id: uuid.UUID
    quantity: Quantity
    price: Price
    currency: CurrencyCode


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
    """The order: the event's `detail`, stored as sent (its ids canonical, its unknown fields kept)."""

    order_id: uuid.UUID
    create_date: Timestamp
    items: Annotated[list[Item], Meta(min_length=1, max_length=1000)]
    customer: Customer
    payment: Payment
    delivery_address: DeliveryAddress


class OrderEvent(Base, kw_only=True, rename={"detail_type": "detail-type"}):
    """One EventBridge event as its API Gateway target receives it."""

    version: str
    id: Text
    detail_type: Literal[DETAIL_TYPE]  # type: ignore[valid-type]  # the constant is a Final str
    source: Literal[EVENT_SOURCE]  # type: ignore[valid-type]
    account: str
    region: str
    resources: list[str]
    time: Timestamp | None = None
    detail: Order


class _DetailAsSent(msgspec.Struct):
    detail: dict[str, Any]


class _OrderId(Protocol):
    @property
    def order_id(self) -> uuid.UUID: ...


class Envelope(Protocol):
    """What a PUT reads from a validated event: an ``OrderEvent``, or a benchmark twin's own model."""

    @property
    def id(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def account(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def time(self) -> datetime | None: ...
    @property
    def detail(self) -> _OrderId: ...


class ReceivedOrder(msgspec.Struct, frozen=True, kw_only=True):
    """A validated event, with its detail exactly as sent (unknown fields included) and fingerprinted."""

    event: Envelope
    order_id: str
    detail: dict[str, Any]
    fingerprint: str


#: The one decoder of event bodies (msgspec: build once, reuse).
EVENT_DECODER = msgspec.json.Decoder(OrderEvent)
_detail_decoder = msgspec.json.Decoder(_DetailAsSent)
_canonical = msgspec.json.Encoder(order="sorted")
_MALFORMED = (msgspec.DecodeError, UnicodeDecodeError, RecursionError)
_FLOAT_FOR_INT = "Expected `int`, got `float`"


def decode_event(body: bytes) -> ReceivedOrder:
    """Validate one event body, then ``receive`` it.

    Raises:
        InvalidEvent: the body is not a valid CreateOrder event; ``path`` names the field at fault.
    """
    try:
        try:
            event = EVENT_DECODER.decode(body)
        except msgspec.ValidationError as exc:
            event = _with_whole_quantities(body, exc)
    except _MALFORMED as exc:
        raise _invalid(exc) from None
    return receive(event, body)


def _with_whole_quantities(body: bytes, exc: msgspec.ValidationError) -> OrderEvent:
    """Decode again, taking each whole-number float quantity as its integer (see ``Quantity``); else raise
    ``exc``. Only a body that met that error pays for the second decode."""
    if not str(exc).startswith(_FLOAT_FOR_INT) or not str(exc).endswith("].quantity`"):
        raise exc
    raw = msgspec.json.decode(body)
    detail = raw.get("detail") if isinstance(raw, dict) else None
    if isinstance(detail, dict):
        _whole_quantities(detail)
    return msgspec.convert(raw, OrderEvent)


def _whole_quantities(detail: dict[str, Any]) -> None:
    items = detail.get("items")
    for item in items if isinstance(items, list) else ():
        quantity = item.get("quantity") if isinstance(item, dict) else None
        if isinstance(quantity, float) and quantity.is_integer():
            item["quantity"] = int(quantity)


def receive(event: Envelope, body: bytes) -> ReceivedOrder:
    """What follows validation: the detail as sent with its ids canonical, checked storable, and its
    fingerprint.

    ``event`` is ``body`` validated: by ``decode_event``, or by a benchmark twin's own library.

    Raises:
        InvalidEvent: the detail cannot be stored as sent (a field name, its depth, an integer's size),
            or a price ends in a newline (see PRICE_PATTERN).
    """
    try:
        detail = _detail_decoder.decode(body).detail
    except _MALFORMED as exc:
        raise _invalid(exc) from None
    storable.check(detail, "$.detail")
    # 1.0 is stored, answered and fingerprinted as 1: the same order either way (see ``Quantity``).
    _whole_quantities(detail)
    # One form per id before the key and the fingerprint are taken: an order re-sent with its ids in
    # upper case or without dashes is the same order (a replay), and reads back the same (ids.py).
    order_id = ids.canonicalise(detail, event.detail.order_id)
    _refuse_a_final_newline(detail)
    # Same content under another event id is the same order: the fingerprint covers the detail only.
    fingerprint = hashlib.sha256(_canonical.encode(detail)).hexdigest()
    return ReceivedOrder(event=event, order_id=order_id, detail=detail, fingerprint=fingerprint)


def _refuse_a_final_newline(detail: dict[str, Any]) -> None:
    for index, item in enumerate(detail["items"]):
        if item["price"].endswith("\n"):  # see PRICE_PATTERN
            path = f"$.detail.items[{index}].price"
            raise InvalidEvent(f"Expected `str` matching regex {PRICE_PATTERN!r} - at `{path}`", path)


def _invalid(exc: Exception) -> InvalidEvent:
    if isinstance(exc, msgspec.ValidationError):
        return InvalidEvent.from_validation(str(exc))
    if isinstance(exc, UnicodeDecodeError):  # invalid UTF-8 inside a string
        return InvalidEvent(f"Malformed JSON: not UTF-8 at byte {exc.start}")
    if isinstance(exc, RecursionError):
        return InvalidEvent("Malformed JSON: nested too deeply")
    return InvalidEvent(f"Malformed JSON: {exc}")
