"""Typed per-stack settings for :class:`components.pipeline.Pipeline`: each component's args minus the wiring.

Each key means what the same-named field of the component's Args dataclass means (documented there);
`Pipeline` adds the wiring (VPC, subnets, security groups, ARNs) and passes them on as keywords.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict


class DatabaseSettings(TypedDict, total=False):
    """See :class:`components.database.DatabaseArgs`."""

    instance_class: str
    instance_count: int
    backup_retention_days: int
    deletion_protection: bool
    final_snapshot: bool


class TaskSettings(TypedDict, total=False):
    """See :class:`components.task.HandlerTaskArgs`; the architecture is always the image's."""

    cpu: int
    memory: int
    log_retention_days: int
    container_user: str
    store_deadline_seconds: float


class ServiceSettings(TypedDict, total=False):
    """See :class:`components.service.ServiceArgs`."""

    min_tasks: int
    max_tasks: int
    cpu_target_percent: float


class ApiSettings(TypedDict, total=False):
    """See :class:`components.api.ApiArgs`."""

    stage_name: str
    manage_cloudwatch_role: bool
    throttle_rate: float
    throttle_burst: int
    log_retention_days: int
    alarm_actions: Sequence[str]


class EventsSettings(TypedDict, total=False):
    """See :class:`components.events.EventsArgs`."""

    archive_retention_days: int
    max_event_age_seconds: int
    max_retry_attempts: int
    alarm_actions: Sequence[str]
