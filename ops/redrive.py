"""Redrive DLQ messages: re-deliver each event, and delete a message only once it was delivered."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ops import dlq_messages, envelope
from ops.delivery import Deliverer
from ops.dlq_messages import DlqMessage
from ops.errors import Unreachable
from ops.publish import put_all

#: Seconds a message stays hidden while we work on it: a batch of 10 with retries fits in this.
VISIBILITY_SECONDS = 300

#: Re-delivers a batch, yielding each message with None (delivered) or why it failed.
Deliver = Callable[[list[DlqMessage]], Iterator[tuple[DlqMessage, str | None]]]


@dataclass
class Summary:
    """What a redrive did. `stopped` says why it ended early, if it did."""

    redriven: list[DlqMessage] = field(default_factory=list)
    failed: list[tuple[DlqMessage, str]] = field(default_factory=list)
    dry_run: list[DlqMessage] = field(default_factory=list)
    stopped: str | None = None
    #: Received but not deleted: made visible again for the next run.
    kept: int = 0


def run(sqs: Any, url: str, deliver: Deliver, *, limit: int | None, wait: int, dry_run: bool) -> Summary:
    """Receive messages from the DLQ at `url`, re-deliver them and delete the delivered ones.

    Anything not delivered (failed, not tried, or a dry run) is made visible again at the end, so
    the queue keeps it and the next `dlq show` lists it.
    """
    summary, keep, seen = Summary(), [], set()
    try:
        for received in dlq_messages.receive(sqs, url, limit=limit, visibility=VISIBILITY_SECONDS, wait=wait):
            # A long run can outlast the visibility timeout: a message that failed earlier in this
            # run comes back. Keep it for the next run instead of trying it again now.
            batch = [message for message in received if message.message_id not in seen]
            keep += [message for message in received if message.message_id in seen]
            seen.update(message.message_id for message in received)
            if dry_run:
                summary.dry_run += batch
                keep += batch
                continue
            keep += _redrive(sqs, url, deliver, batch, summary)
            if summary.stopped:
                break
    finally:
        dlq_messages.release(sqs, url, keep)
        summary.kept = len(keep)
    return summary


def _redrive(
    sqs: Any, url: str, deliver: Deliver, batch: list[DlqMessage], summary: Summary
) -> list[DlqMessage]:
    """Deliver one batch, delete what was delivered, and return what the queue should keep."""
    delivered: list[DlqMessage] = []
    try:
        for message, error in deliver(batch):
            if error is None:
                delivered.append(message)
            else:
                summary.failed.append((message, error))
    except Unreachable as error:
        summary.stopped = str(error)
    finally:
        not_deleted = set(dlq_messages.delete(sqs, url, delivered))
        for message in delivered:
            if message.message_id in not_deleted:
                summary.failed.append((message, "delivered, but SQS did not delete it"))
            else:
                summary.redriven.append(message)
    done = {message.message_id for message in delivered}
    return [message for message in batch if message.message_id not in done]


def to_bus(events: Any, bus: str, *, attempts: int, max_backoff: float) -> Deliver:
    """Deliver by PutEvents to `bus`, keeping each event's source, detail-type, resources and time."""

    def deliver(batch: list[DlqMessage]) -> Iterator[tuple[DlqMessage, str | None]]:
        errors: dict[str, str] = {}
        sendable, items = [], []
        for message in batch:
            try:
                items.append(envelope.to_entry(message.event, bus=bus))
                sendable.append(message)
            except ValueError as error:
                errors[message.message_id] = str(error)
        for failure in put_all(events, items, attempts=attempts, max_backoff=max_backoff) if items else []:
            errors[sendable[failure.index].message_id] = f"{failure.code}: {failure.message}"
        for message in batch:
            yield message, errors.get(message.message_id)

    return deliver


def to_url(deliverer: Deliverer) -> Deliver:
    """Deliver by PUTting the original event, unchanged, to a handler URL (as `send` does)."""

    def deliver(batch: list[DlqMessage]) -> Iterator[tuple[DlqMessage, str | None]]:
        for message in batch:
            if message.event is None:
                yield message, "the body is not a JSON event"
                continue
            outcome = deliverer.deliver(message.event)
            if outcome.kind == "delivered":
                yield message, None
            elif outcome.kind == "rejected":
                yield message, f"{outcome.status}, would go to the DLQ again: {outcome.detail}"
            else:
                yield (
                    message,
                    f"failed after {outcome.attempts} tries: {outcome.status or ''} {outcome.detail}",
                )

    return deliver
