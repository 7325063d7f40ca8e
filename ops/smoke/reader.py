"""Read one order back through the API: `GET {api}/orders/{id}`, signed with SigV4 for `execute-api`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from handler.contract import ORDERS_PATH
from handler.errors import OrderNotFound
from ops import aws
from ops.errors import OpsError, Unreachable

#: What an answer means for a smoke check that waits for an order.
Kind = Literal["readable", "absent", "transient", "refused"]


@dataclass(frozen=True)
class Answer:
    """One GET: the status (None when no answer came) and the body, or why there was no answer."""

    url: str
    status: int | None
    body: str

    def json(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.body)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def kind(self, order_id: str) -> Kind:
        """`readable`: 200 with this order; `absent`: 404, keep polling; `transient`: no answer, 429 or
        5xx, keep polling; `refused`: anything else (403, 400, or a 200 that is not this order)."""
        if self.status == 200:
            return "readable" if (self.json() or {}).get("order_id") == order_id else "refused"
        if self.status == 404:
            return "absent"
        if self.status is None or self.status == 429 or self.status >= 500:
            return "transient"
        return "refused"

    def is_order_not_found(self) -> bool:
        """A 404 from the handler's store, as opposed to a path nothing serves."""
        return self.status == 404 and (self.json() or {}).get("error") == OrderNotFound.code

    def short(self, limit: int = 300) -> str:
        """`<status> <body>` on one line, cut to `limit` characters."""
        body = " ".join(self.body.split())
        body = body if len(body) <= limit else body[: limit - 1] + "…"
        return f"{self.status if self.status is not None else 'no answer'} {body}".strip()


class Reader:
    """GETs orders from one API base URL (the stage's invoke URL), signing every request."""

    def __init__(self, api_url: str, *, timeout: float = 5.0) -> None:
        parts = urlsplit(api_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise OpsError(f"not an http(s) URL: {api_url!r} (expected the stage's invoke URL)")
        self.base = api_url.rstrip("/")
        self._region = aws.execute_api_region(parts.hostname) or aws.region()
        self._client = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def url(self, order_id: str) -> str:
        return f"{self.base}{ORDERS_PATH}/{order_id}"

    def get(self, order_id: str) -> Answer:
        """GET one order. A refused connection raises (a wrong URL); a timeout is an answer of None.

        Raises:
            Unreachable: Nothing accepted the connection (or the host name does not resolve).
        """
        url = self.url(order_id)
        # Signed per request: the signature carries a timestamp that API Gateway checks.
        headers = aws.sigv4_headers("GET", url, b"", {"Accept": "application/json"}, self._region)
        try:
            response = self._client.get(url, headers=headers)
        except httpx.ConnectError as error:
            raise Unreachable(f"cannot reach {url}: {error}") from None
        except httpx.TransportError as error:  # timed out or dropped: try again on the next poll
            return Answer(url, None, f"{type(error).__name__}: {error}")
        return Answer(url, response.status_code, response.text.strip())
