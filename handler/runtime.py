"""What the routes share at run time: the store behind a deadline, admission control, metrics, logs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from handler import metrics as m
from handler.errors import Overloaded, StoreUnavailable
from handler.logs import get_logger
from handler.metrics import Metrics
from handler.settings import Settings
from handler.store.base import OrderStore, StoreError

T = TypeVar("T")


@dataclass
class Runtime:
    settings: Settings
    store: OrderStore
    metrics: Metrics
    log: Any = field(default_factory=get_logger)
    in_flight: int = 0

    def admit(self) -> None:
        """Count a PUT in; past the limit, shed it with 429 so EventBridge retries later."""
        if self.in_flight >= self.settings.max_in_flight:
            self.metrics.count(m.OVERLOADED)
            raise Overloaded(
                f"More than {self.settings.max_in_flight} requests in flight",
                self.settings.retry_after_seconds,
            )
        self.in_flight += 1

    def release(self) -> None:
        self.in_flight -= 1

    async def within_deadline(self, call: Awaitable[T]) -> T:
        """Await a store call; a failure or a missed deadline becomes a 503 with Retry-After."""
        deadline = self.settings.store_deadline_seconds
        started = time.perf_counter()
        try:
            async with asyncio.timeout(deadline):
                return await call
        except StoreError as exc:
            self.metrics.count(m.STORE_FAILURES)
            raise StoreUnavailable(
                f"The order store failed: {exc}", self.settings.retry_after_seconds
            ) from exc
        except TimeoutError as exc:
            self.metrics.count(m.STORE_FAILURES)
            raise StoreUnavailable(
                f"The order store did not answer within {deadline:g} s", self.settings.retry_after_seconds
            ) from exc
        finally:
            self.metrics.store_latency((time.perf_counter() - started) * 1000)
