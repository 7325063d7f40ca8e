"""The gate requests pass: admission (a limit on PUTs in flight), a deadline on every store call, and
whether the process is stopping (see rotation.py for why it may stop by itself)."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from handler import metrics as m
from handler import rotation
from handler.deadlines import Deadlines
from handler.errors import Overloaded, Stopping, StoreUnavailable
from handler.logs import get_logger
from handler.metrics import Metrics
from handler.settings import Settings
from handler.store.base import CredentialsRejected, StoreError

T = TypeVar("T")


@dataclass
class Gate:
    """Admits requests, bounds their store calls, and closes for good once the process is stopping.

    Store trouble is counted here (``StoreUnavailable``, ``StoreLatency``), whichever request met it (a
    PUT, a GET, readiness); the outcomes of a PUT are counted by ``orders.Orders``.
    """

    settings: Settings
    metrics: Metrics
    log: Any = field(default_factory=get_logger)
    in_flight: int = 0
    #: Why this process is stopping (health answers 503 with it), and the status it should exit with;
    #: ``python -m handler`` watches ``exit_code`` and then drains and exits.
    stopping: str | None = None
    exit_code: int | None = None
    _deadlines: Deadlines | None = field(default=None, init=False, repr=False)

    def stop(self, reason: str, exit_code: int) -> None:
        """Ask the process to drain and exit with ``exit_code``; health answers 503 from now on."""
        if self.stopping is None:
            self.stopping, self.exit_code = reason, exit_code

    def _credentials_rejected(self, error: CredentialsRejected) -> None:
        # The first refusal stops the task (rotation.py says why); later ones have nothing to add.
        if self.stopping is None:
            self.metrics.count(m.CREDENTIALS_REJECTED)
            self.stop(rotation.REASON, rotation.EXIT_CREDENTIALS_REJECTED)
            rotation.explain(self.log, error)

    def check_alive(self) -> None:
        """Raise Stopping (503) once the process has been asked to stop."""
        if self.stopping is not None:
            raise Stopping(f"This task is stopping: {self.stopping}", self.settings.retry_after_seconds)

    def admit(self) -> None:
        """Count a PUT in; past the limit, shed it with 429 so EventBridge retries later."""
        if self.in_flight >= self.settings.max_in_flight:
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
        if self._deadlines is None:
            self._deadlines = Deadlines(deadline)
        started = time.perf_counter()
        try:
            return await self._deadlines.within(call)
        except StoreError as exc:
            self.metrics.count(m.STORE_FAILURES)
            if isinstance(exc, CredentialsRejected):
                self._credentials_rejected(exc)
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
