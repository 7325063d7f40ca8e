"""The bodies the service answers with, as msgspec Structs: the routes encode every answer with them, and
the OpenAPI document (openapi.py) is generated from them, so the two cannot drift apart. Their docstrings
and descriptions are the document's (Markdown, for its readers).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from handler.store.base import EventMetadata

#: An id as the service answers it: the canonical UUID string (``str(uuid.UUID)``), whatever form came in.
CanonicalId = Annotated[
    str,
    Meta(
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="The canonical UUID: lower case, with dashes",
    ),
]


class PutAnswer(msgspec.Struct, frozen=True):
    """The answer once the order is stored: 201 `created`, or 200 `duplicate` (a replay)."""

    order_id: CanonicalId
    status: Literal["created", "duplicate"]


class StoredOrderView(msgspec.Struct, frozen=True):
    """A stored order, as sent (ids canonical, unknown fields kept), and the event that carried it."""

    order_id: CanonicalId
    order: dict[str, Any]
    event: EventMetadata


class Health(msgspec.Struct, frozen=True):
    """Liveness (`ok`) and readiness (`ready`)."""

    status: Literal["ok", "ready"]


class ErrorBody(msgspec.Struct, frozen=True, omit_defaults=True):
    """Every refusal's body."""

    error: Annotated[str, Meta(description="A stable machine-readable code, e.g. `invalid_event`")]
    message: Annotated[str, Meta(description="What is wrong, for a person")]
    path: (
        Annotated[
            str, Meta(description="The JSON path of the field at fault, e.g. `$.detail.items[0].price`")
        ]
        | UnsetType
    ) = UNSET
