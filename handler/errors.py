"""Domain errors, each carrying the HTTP status that tells EventBridge what to do next.

2xx: done. 5xx and 429: EventBridge retries for up to 24 h. Any other 4xx: no retry; the event goes to
the dead-letter queue for a person to look at.
"""

from __future__ import annotations

import re
from typing import ClassVar

from handler.answers import ErrorBody

#: msgspec ends a validation message with the path of the field at fault: "... - at `$.detail.items[0]`".
_AT_PATH = re.compile(r" - at `(?P<path>[^`]+)`$")


def split_path(message: str) -> tuple[str, str | None]:
    """Split msgspec's validation message into what is wrong and the field path it ends with.

    Returns:
        The message without its `` - at `...``` suffix, and the path (``$.detail.items[0].price``); the
        message unchanged and None when it names no path.
    """
    match = _AT_PATH.search(message)
    if match is None:
        return message, None
    return message[: match.start()], match["path"]


class OrdersError(Exception):
    """Base of the errors the API maps to a status; ``code`` is a stable machine-readable name."""

    status_code = 500
    code = "internal_error"
    #: The names of the headers ``headers`` gives (the OpenAPI document lists them per status).
    header_names: ClassVar[tuple[str, ...]] = ()

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def headers(self) -> dict[str, str]:
        return {}

    def body(self) -> ErrorBody:
        return ErrorBody(error=self.code, message=self.message)


class InvalidEvent(OrdersError):
    """The body is not a valid CreateOrder event (400: not retried, goes to the DLQ)."""

    status_code = 400
    code = "invalid_event"

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        #: The JSON path of the field at fault (``$.detail.items[0].price``), when there is one.
        self.path = path

    @classmethod
    def from_validation(cls, message: str) -> InvalidEvent:
        """From msgspec's validation message, which keeps its path both in the message and as ``path``."""
        return cls(message, split_path(message)[1])

    def body(self) -> ErrorBody:
        if self.path:
            return ErrorBody(error=self.code, message=self.message, path=self.path)
        return super().body()


class InvalidOrderId(OrdersError):
    """A path's order id is not a UUID in a form the event decoder accepts (400)."""

    status_code = 400
    code = "invalid_order_id"

    def __init__(self, order_id: str) -> None:
        super().__init__(f"Not an order id (a UUID, 32 hex digits with or without dashes): {order_id!r}")


class OrderConflict(OrdersError):
    """The order id is stored with different content (409: not retried, goes to the DLQ)."""

    status_code = 409
    code = "order_conflict"

    def __init__(self, order_id: str) -> None:
        super().__init__(f"Order {order_id} is already stored with different content")
        self.order_id = order_id


class RequestTimeout(OrdersError):
    """The request's head or body did not arrive in time (408; the connection is closed).

    Answered by the connection itself (connections.py), in this error's shape, rather than raised.
    """

    status_code = 408
    code = "request_timeout"
    header_names = ("Connection",)

    @property
    def headers(self) -> dict[str, str]:
        return {"Connection": "close"}


class BodyTooLarge(OrdersError):
    """The body is larger than any EventBridge event (413: not retried, goes to the DLQ)."""

    status_code = 413
    code = "body_too_large"


class Unexpected(OrdersError):
    """A failure nobody foresaw: a bug, logged where it happened (500: EventBridge retries)."""


class OrderNotFound(OrdersError):
    """No order is stored under the id (404)."""

    status_code = 404
    code = "order_not_found"

    def __init__(self, order_id: str) -> None:
        super().__init__(f"Order {order_id} is not stored")


class _RetryLater(OrdersError):
    header_names = ("Retry-After",)

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class StoreUnavailable(_RetryLater):
    """The store failed, is unreachable, or missed the deadline (503: EventBridge retries)."""

    status_code = 503
    code = "store_unavailable"


class Stopping(_RetryLater):
    """This process is draining before it exits (503 from health: the ALB and ECS stop using it)."""

    status_code = 503
    code = "stopping"


class Overloaded(_RetryLater):
    """More requests in flight than the configured limit (429: EventBridge retries)."""

    status_code = 429
    code = "overloaded"
