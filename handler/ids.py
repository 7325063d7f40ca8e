"""Ids have one form. An order id or a product id arrives in any form of a UUID that the event decoder
(msgspec) accepts, ``UUID_FORMS``; it is keyed, fingerprinted, stored and answered in the canonical one:
lower case, with dashes (``str(uuid.UUID)``). So an order re-sent with its ids in another form is the
same order, and a GET by any form finds it.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from handler.errors import InvalidOrderId

#: The forms the decoder accepts: 32 hex digits, any case, with or without the four dashes.
UUID_FORMS = (
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32})$"
)


def canonicalise(detail: dict[str, Any], order_id: uuid.UUID) -> str:
    """Write a validated detail's ids (the order's, each item's product's) in the canonical form, in place.

    Returns:
        The order id, canonical.
    """
    detail["order_id"] = canonical = str(order_id)
    for item in detail["items"]:
        text = item["product_id"]
        # Validated already as one of UUID_FORMS: 36 characters, none upper case, is the canonical form.
        if len(text) != 36 or not text.islower():
            item["product_id"] = str(uuid.UUID(text))
    return canonical


def canonical_order_id(text: str) -> str:
    """An order id in any of ``UUID_FORMS`` (a GET's path), in the canonical form.

    Raises:
        InvalidOrderId: ``text`` is not a UUID in one of those forms.
    """
    try:
        return str(msgspec.convert(text, uuid.UUID))
    except msgspec.ValidationError:
        raise InvalidOrderId(text) from None
