"""CloudWatch metrics in Embedded Metric Format (EMF), printed to stdout.

The ECS log driver ships stdout to CloudWatch Logs, which turns EMF lines into metrics: no agent, no
API calls on the request path. Requests only bump in-memory counters; a background task writes one EMF
line per interval through AWS's ``aws-embedded-metrics`` library.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any

from handler import contract

#: Counter names, one per request outcome worth alarming on (named in the contract, which the dashboard
#: and the alarms read too).
CREATED = contract.METRIC_CREATED
REPLAYED = contract.METRIC_REPLAYED
CONFLICTS = contract.METRIC_CONFLICTS
REJECTED = contract.METRIC_REJECTED
STORE_FAILURES = contract.METRIC_STORE_FAILURES
OVERLOADED = contract.METRIC_OVERLOADED
CREDENTIALS_REJECTED = contract.METRIC_CREDENTIALS_REJECTED
STORE_LATENCY = contract.METRIC_STORE_LATENCY

#: The value of the `Service` dimension on every metric (the dashboard and alarms select on it).
SERVICE = contract.METRIC_SERVICE

# CloudWatch takes at most 100 values per metric per line; a uniform sample keeps percentiles honest.
_LATENCY_SAMPLES = 100


class Metrics:
    def __init__(
        self,
        namespace: str,
        interval_seconds: float,
        service: str = SERVICE,
        environment: str | None = None,
    ) -> None:
        """Counters and latency samples that leave as one EMF line per interval.

        Args:
            namespace: the CloudWatch namespace.
            interval_seconds: how often ``run`` writes a line.
            service: the ``Service`` dimension's value.
            environment: aws-embedded-metrics' environment (``Settings.emf_environment``); None prints
                the lines to stdout.
        """
        self._namespace = namespace
        self._interval = interval_seconds
        self._service = service
        self._environment = environment
        self._counts: Counter[str] = Counter()
        self._latencies: list[float] = []
        self._seen = 0

    def count(self, name: str) -> None:
        self._counts[name] += 1

    def store_latency(self, milliseconds: float) -> None:
        # Reservoir sampling: every request has the same chance to be among the 100 emitted values.
        self._seen += 1
        if len(self._latencies) < _LATENCY_SAMPLES:
            self._latencies.append(milliseconds)
        elif (slot := random.randrange(self._seen)) < _LATENCY_SAMPLES:  # noqa: S311 - not crypto
            self._latencies[slot] = milliseconds

    async def run(self) -> None:
        """Flush every interval until cancelled."""
        while True:
            await asyncio.sleep(self._interval)
            await self.flush()

    async def flush(self) -> None:
        if not self._counts and not self._latencies:
            return
        counts, latencies = self._counts, self._latencies
        self._counts, self._latencies, self._seen = Counter(), [], 0
        logger = _emf_logger(self._environment)
        logger.set_namespace(self._namespace)
        logger.set_dimensions({"Service": self._service})
        for name, value in counts.items():
            logger.put_metric(name, value, "Count")
        for value in latencies:
            logger.put_metric(STORE_LATENCY, value, "Milliseconds")
        await logger.flush()


def _emf_logger(environment: str | None) -> Any:
    # Imported at the first flush, not at start-up: the library pulls in aiohttp (for its EC2 probe),
    # a cost that would otherwise land on every cold start.
    from aws_embedded_metrics.config import get_config
    from aws_embedded_metrics.logger.metrics_logger_factory import create_metrics_logger

    # Unset: stdout, since the library's own default looks for a CloudWatch agent, which a task lacks.
    get_config().environment = environment or "local"
    return create_metrics_logger()
