"""Read and check a PutEvents entries file (the `aws events put-events --entries` form).

The file is a JSON list of objects with `Source`, `DetailType`, `Detail` (a JSON object encoded as a
string) and optionally `EventBusName`, `Resources`, `Time` and `TraceHeader`. Checking it here turns
a typo into one clear line instead of an AWS validation error in the middle of a batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from handler.contract import MAX_EVENT_BYTES
from ops.errors import OpsError, read_user_file

#: The FILE argument of `publish` and `send`.
File = Annotated[
    Path,
    typer.Argument(metavar="FILE", help="PutEvents entries: a JSON list of {Source, DetailType, Detail}."),
]

#: PutEvents takes at most this many entries per request.
MAX_BATCH_ENTRIES = 10

_REQUIRED = ("Source", "DetailType", "Detail")
_OPTIONAL = ("EventBusName", "Resources", "Time", "TraceHeader")


def load(path: Path) -> list[dict[str, Any]]:
    """Return the entries in `path`, checked and ready for boto3 (`Time` as a datetime).

    Raises:
        OpsError: The file is missing, is not JSON, or an entry has the wrong shape.
    """
    text = read_user_file(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise OpsError(
            f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    if isinstance(data, dict) and "Entries" in data:  # the `--cli-input-json` form
        data = data["Entries"]
    if not isinstance(data, list) or not data:
        raise OpsError(f"{path}: expected a non-empty JSON list of PutEvents entries")
    return [_check(path, index, entry) for index, entry in enumerate(data)]


def size(entry: dict[str, Any]) -> int:
    """An entry's size as EventBridge counts it against the 256 KiB PutEvents limit."""
    total = 14 if entry.get("Time") else 0
    total += len(entry["Source"].encode()) + len(entry["DetailType"].encode()) + len(entry["Detail"].encode())
    return total + sum(len(resource.encode()) for resource in entry.get("Resources", []))


def batches(items: list[tuple[int, dict[str, Any]]]) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    """Split (index, entry) pairs into PutEvents requests: at most 10 entries and 256 KiB each."""
    batch: list[tuple[int, dict[str, Any]]] = []
    batch_bytes = 0
    for item in items:
        item_bytes = size(item[1])
        if batch and (len(batch) == MAX_BATCH_ENTRIES or batch_bytes + item_bytes > MAX_EVENT_BYTES):
            yield batch
            batch, batch_bytes = [], 0
        batch.append(item)
        batch_bytes += item_bytes
    if batch:
        yield batch


def _check(path: Path, index: int, entry: object) -> dict[str, Any]:
    where = f"{path}: entry {index}"
    if not isinstance(entry, dict):
        raise OpsError(f"{where}: expected an object with Source, DetailType and Detail")
    unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise OpsError(f"{where}: unknown field `{unknown[0]}` (expected {', '.join(_REQUIRED + _OPTIONAL)})")
    for field in _REQUIRED:
        if not isinstance(entry.get(field), str) or not entry[field]:
            raise OpsError(f"{where}: `{field}` is missing or not a non-empty string")
    try:
        detail = json.loads(entry["Detail"])
    except json.JSONDecodeError:
        detail = None
    if not isinstance(detail, dict):
        raise OpsError(f"{where}: `Detail` must be a JSON object encoded as a string")
    resources = entry.get("Resources", [])
    if not isinstance(resources, list) or not all(isinstance(r, str) for r in resources):
        raise OpsError(f"{where}: `Resources` must be a list of strings")
    checked = dict(entry)
    if "Time" in entry:
        checked["Time"] = _parse_time(where, entry["Time"])
    if size(checked) > MAX_EVENT_BYTES:
        raise OpsError(
            f"{where}: {size(checked)} bytes, over EventBridge's {MAX_EVENT_BYTES}-byte event limit"
        )
    return checked


def _parse_time(where: str, value: object) -> datetime:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise OpsError(f"{where}: `Time` is not an ISO 8601 timestamp: {value!r}") from None
