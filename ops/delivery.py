"""Deliver one event over HTTP the way EventBridge's API Gateway target does.

EventBridge PUTs the event JSON, gives the target 5 seconds, retries 429, 5xx and timeouts with
backoff, and sends any other 4xx straight to the dead-letter queue. `Outcome.kind` names those ends.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from handler.contract import EVENTBRIDGE_TARGET_TIMEOUT_SECONDS, ORDERS_METHOD
from ops import aws
from ops.errors import Unreachable
from ops.retry import backoff


@dataclass(frozen=True)
class Outcome:
    """How a delivery ended.

    `delivered` is a 2xx; `rejected` is a 4xx other than 429, which EventBridge would not retry (it
    would go to the DLQ); `failed` means retries ran out on 429, 5xx or timeouts.
    """

    kind: Literal["delivered", "rejected", "failed"]
    status: int | None
    detail: str
    attempts: int


class Deliverer:
    """PUTs events to one URL, signing with SigV4 when it is API Gateway (or when asked)."""

    def __init__(
        self,
        url: str,
        *,
        retries: int = 3,
        max_backoff: float = 10.0,
        timeout: float = EVENTBRIDGE_TARGET_TIMEOUT_SECONDS,
        sign: bool | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Unreachable(f"not an http(s) URL: {url!r}")
        self.url, self.retries, self.max_backoff, self._sleep = url, retries, max_backoff, sleep
        api_region = aws.execute_api_region(parts.hostname)
        self._sign = api_region is not None if sign is None else sign
        self._region = api_region or aws.region()
        self._client = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def deliver(self, event: dict[str, Any]) -> Outcome:
        """PUT `event`, retrying what EventBridge would retry, within this deliverer's limits."""
        body = json.dumps(event, separators=(",", ":")).encode()
        outcome = Outcome("failed", None, "not tried", 0)
        for attempt in range(1, self.retries + 2):
            outcome, retry_after = self._try(body, attempt)
            if outcome.kind != "failed" or attempt > self.retries:
                break
            wait = backoff(attempt, base=0.5, cap=self.max_backoff)
            # Honour the handler's Retry-After (503 on a store outage), within the same cap.
            self._sleep(min(self.max_backoff, max(wait, retry_after or 0)))
        return outcome

    def _try(self, body: bytes, attempt: int) -> tuple[Outcome, float | None]:
        headers = {"Content-Type": "application/json"}
        if self._sign:
            headers = aws.sigv4_headers(ORDERS_METHOD, self.url, body, headers, self._region)
        try:
            response = self._client.request(ORDERS_METHOD, self.url, content=body, headers=headers)
        except httpx.TimeoutException:
            return Outcome("failed", None, "timed out", attempt), None
        except httpx.ConnectError as error:
            raise Unreachable(f"cannot reach {self.url}: {error}") from None
        except httpx.TransportError as error:  # dropped mid-request: EventBridge retries these
            return Outcome("failed", None, f"{type(error).__name__}: {error}", attempt), None
        status, text = response.status_code, response.text.strip()
        if response.is_success:
            location = response.headers.get("location")
            return Outcome("delivered", status, f"Location: {location}" if location else text, attempt), None
        if status == 429 or status >= 500:
            return Outcome("failed", status, text, attempt), _seconds(response.headers.get("retry-after"))
        return Outcome("rejected", status, text, attempt), None


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None  # an HTTP date: rare here, and our own backoff still applies
