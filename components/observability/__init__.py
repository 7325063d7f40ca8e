"""What operators watch: the `Dashboard` and the `Alarms`, and the helpers they share (where each metric
lives, the alarm specs, the dashboard's body, the alarm topic)."""

from components.observability.alarms import (
    DEFAULT_RUNBOOK_URL,
    Alarms,
    AlarmsArgs,
    check_notification,
    check_runbook_url,
)
from components.observability.dashboard import Dashboard, DashboardArgs

__all__ = [
    "DEFAULT_RUNBOOK_URL",
    "Alarms",
    "AlarmsArgs",
    "Dashboard",
    "DashboardArgs",
    "check_notification",
    "check_runbook_url",
]
