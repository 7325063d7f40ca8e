"""Reading EventBridge's dead-letter queue: receive, parse, release, delete.

EventBridge writes the original event as the message body and the reason as message attributes
(`ERROR_CODE`, `ERROR_MESSAGE`, `RULE_ARN`, `TARGET_ARN`, `RETRY_ATTEMPTS`, and sometimes
`EXHAUSTED_RETRY_CONDITION`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ops import refusals

#: The attributes EventBridge documents, in the order we show them.
ATTRIBUTES = ("ERROR_CODE", "ERROR_MESSAGE", "RULE_ARN", "TARGET_ARN", "RETRY_ATTEMPTS")
_SQS_BATCH = 10


@dataclass(frozen=True)
class DlqMessage:
    """One DLQ message: the event (None when the body is not a JSON object) and why it is here."""

    message_id: str
    receipt_handle: str
    body: str
    event: dict[str, Any] | None
    attributes: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        """The message for `dlq show --json`: the event itself, or the raw body if it is not one."""
        shown: dict[str, Any] = {
            "message_id": self.message_id,
            "attributes": self.attributes,
            "reason": refusals.explain(self.attributes.get("ERROR_MESSAGE", "")),
        }
        if self.event is not None:
            shown["event"] = self.event
        else:
            shown["body"] = self.body
        return shown


def parse(message: dict[str, Any]) -> DlqMessage:
    """Turn an SQS ReceiveMessage message into a DlqMessage."""
    body = message.get("Body", "")
    try:
        event = json.loads(body)
    except json.JSONDecodeError:
        event = None
    attributes = {
        name: value.get("StringValue", "") for name, value in message.get("MessageAttributes", {}).items()
    }
    return DlqMessage(
        message["MessageId"],
        message["ReceiptHandle"],
        body,
        event if isinstance(event, dict) else None,
        attributes,
    )


def receive(
    sqs: Any, url: str, *, limit: int | None, visibility: int, wait: int
) -> Iterator[list[DlqMessage]]:
    """Yield batches of messages until the queue looks empty or `limit` messages were received.

    Each received message stays hidden for `visibility` seconds, so a later batch in the same run
    cannot return it again; callers release (or delete) what they received.
    """
    received = 0
    while limit is None or received < limit:
        count = _SQS_BATCH if limit is None else min(_SQS_BATCH, limit - received)
        response = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=count,
            MessageAttributeNames=["All"],
            VisibilityTimeout=visibility,
            WaitTimeSeconds=wait,  # long polling asks every SQS server, so a small queue is not missed
        )
        messages = response.get("Messages", [])
        if not messages:
            return
        received += len(messages)
        yield [parse(message) for message in messages]


def find(
    sqs: Any, url: str, wanted: Callable[[DlqMessage], bool], *, limit: int, visibility: int = 30
) -> tuple[DlqMessage | None, int]:
    """Look at up to `limit` messages for the first one `wanted` accepts, consuming nothing else.

    Every other message received is made visible again before this returns. The match (if any) stays
    received, hidden for `visibility` seconds: the caller deletes it or releases it.

    Returns:
        The match or None, and how many other messages were looked at.
    """
    others: list[DlqMessage] = []
    match = None
    try:
        for batch in receive(sqs, url, limit=limit, visibility=visibility, wait=0):
            for message in batch:
                if match is None and wanted(message):
                    match = message
                else:
                    others.append(message)
            if match is not None:
                break
    finally:
        release(sqs, url, others)
    return match, len(others)


def release(sqs: Any, url: str, messages: list[DlqMessage]) -> None:
    """Make received messages visible again at once, leaving them in the queue."""
    for start in range(0, len(messages), _SQS_BATCH):
        chunk = messages[start : start + _SQS_BATCH]
        sqs.change_message_visibility_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(n), "ReceiptHandle": m.receipt_handle, "VisibilityTimeout": 0}
                for n, m in enumerate(chunk)
            ],
        )


def delete(sqs: Any, url: str, messages: list[DlqMessage]) -> list[str]:
    """Delete messages (at most 10); return the message ids SQS failed to delete."""
    if not messages:
        return []
    response = sqs.delete_message_batch(
        QueueUrl=url,
        Entries=[{"Id": str(n), "ReceiptHandle": m.receipt_handle} for n, m in enumerate(messages)],
    )
    return [messages[int(failed["Id"])].message_id for failed in response.get("Failed", [])]
