"""Entries and DLQ messages built from the committed examples, with fresh order ids."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from tests import samples
from tests.samples import ENTRIES_FILE
from tests.samples import EVENT_FILE as EVENT_FILE  # re-exported: tests/ops read both files from here

RULE_ARN = "arn:aws:events:us-east-1:123456789012:rule/orders-test/orders"
TARGET_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/PUT/orders"


def entry(order_id: str | None = None) -> dict[str, Any]:
    """The sample PutEvents entry with a new (or the given) order id."""
    sample = json.loads(ENTRIES_FILE.read_text())[0]
    detail = json.loads(sample["Detail"])
    detail["order_id"] = order_id or str(uuid.uuid4())
    return {**sample, "Detail": json.dumps(detail)}


def event(order_id: str | None = None) -> dict[str, Any]:
    """The sample delivered event with a new event id and a new (or the given) order id."""
    sample = samples.event()
    sample["id"] = str(uuid.uuid4())
    sample["detail"]["order_id"] = order_id or str(uuid.uuid4())
    return sample


def write(path: Path, entries: list[dict[str, Any]] | str) -> Path:
    path.write_text(entries if isinstance(entries, str) else json.dumps(entries))
    return path


def put_dlq_message(
    sqs: Any,
    url: str,
    body: dict[str, Any] | str,
    error: str = "SDK_CLIENT_ERROR",
    message: str = "Target returned 409 Conflict",
) -> None:
    """Put a message in the shape EventBridge writes to a rule target's DLQ."""
    attributes = {
        "ERROR_CODE": error,
        "ERROR_MESSAGE": message,
        "RULE_ARN": RULE_ARN,
        "TARGET_ARN": TARGET_ARN,
    }
    sqs.send_message(
        QueueUrl=url,
        MessageBody=body if isinstance(body, str) else json.dumps(body),
        MessageAttributes={
            **{name: {"DataType": "String", "StringValue": value} for name, value in attributes.items()},
            "RETRY_ATTEMPTS": {"DataType": "Number", "StringValue": "185"},
        },
    )


def queue_bodies(sqs: Any, url: str) -> list[dict[str, Any]]:
    """Every message body in the queue, read without consuming (visibility 0)."""
    seen: dict[str, dict[str, Any]] = {}
    for _ in range(5):  # a few receives: SQS may return a subset each time
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
            "Messages", []
        ):
            seen[message["MessageId"]] = json.loads(message["Body"])
    return list(seen.values())
