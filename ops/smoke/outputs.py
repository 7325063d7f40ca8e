"""Stack outputs for `orders smoke`: read `pulumi stack output --json`; pick where each setting comes from.

A flag on the command line beats the outputs file, and the file beats an environment variable: the file
names one stack exactly, while a variable may be left over from work on another stack.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ops.errors import OpsError, read_user_file

#: How `pulumi stack output --json` shows a secret unless `--show-secrets` is given.
SECRET = "[secret]"  # noqa: S105 - a placeholder, not a password


@dataclass(frozen=True)
class Setting:
    """One required setting: its option, its environment variable and its stack output."""

    name: str
    flag: str
    envvar: str
    output: str


BUS = Setting("the event bus", "--bus", "ORDERS_EVENT_BUS", "event_bus_name")
API_URL = Setting("the API URL", "--api-url", "ORDERS_API_URL", "api_invoke_url")
QUEUE = Setting("the dead-letter queue", "--queue", "ORDERS_DLQ_URL", "dlq_url")
REQUIRED = (BUS, API_URL, QUEUE)

#: Outputs that make a diagnosis more precise, and (the last three together) let the smoke check that the
#: service runs this deploy's task definition; the smoke runs without them.
OPTIONAL = ("rule_arn", "reader_policy_arn", "cluster_name", "service_name", "task_definition_arn")


@dataclass(frozen=True)
class Target:
    """What the smoke check talks to, and what its diagnosis can name."""

    bus: str
    api_url: str
    queue: str
    rule_arn: str | None = None
    reader_policy_arn: str | None = None
    cluster_name: str | None = None
    service_name: str | None = None
    task_definition_arn: str | None = None


def load(path: Path) -> dict[str, object]:
    """Read a `pulumi stack output --json` file (or a pipe such as `<(pulumi stack output --json)`).

    Raises:
        OpsError: The file is missing, unreadable, empty or not a JSON object.
    """
    text = read_user_file(path)
    if not text.strip():
        raise OpsError(f"{path}: empty; expected the output of `pulumi stack output --json`")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise OpsError(f"{path}: not valid JSON: {error.msg} at line {error.lineno}") from None
    if not isinstance(data, dict):
        raise OpsError(f"{path}: expected a JSON object, as `pulumi stack output --json` prints")
    return data


def resolve(
    outputs: dict[str, object], *, command_line: dict[str, str | None], environment: dict[str, str | None]
) -> Target:
    """Choose each setting: command line, else the outputs file, else the environment.

    Args:
        outputs: The stack outputs (empty without `--outputs`).
        command_line: Values given as flags, keyed by stack output name.
        environment: Values taken from environment variables, keyed by stack output name.

    Raises:
        OpsError: A required setting is missing everywhere, or is a hidden secret; every one is named.
    """
    chosen: dict[str, str | None] = {}
    missing: list[str] = []
    for key in [setting.output for setting in REQUIRED] + list(OPTIONAL):
        value = command_line.get(key) or _text(outputs, key) or environment.get(key)
        chosen[key] = value or None
    for setting in REQUIRED:
        if not chosen[setting.output]:
            missing.append(
                f"{setting.name} ({setting.flag}, {setting.envvar}, or `{setting.output}` in --outputs)"
            )
    if missing:
        raise OpsError("missing " + "; ".join(missing))
    return Target(
        bus=chosen[BUS.output] or "",
        api_url=chosen[API_URL.output] or "",
        queue=chosen[QUEUE.output] or "",
        **{key: chosen[key] for key in OPTIONAL},
    )


def _text(outputs: dict[str, object], key: str) -> str | None:
    value = outputs.get(key)
    if value == SECRET:
        raise OpsError(
            f"stack output `{key}` is hidden as a secret: use `pulumi stack output --json --show-secrets`"
        )
    return value if isinstance(value, str) and value else None
