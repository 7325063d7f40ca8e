"""The smoke check's wait: poll the API and look in the DLQ until either has the canary, or time is up."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import typer
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console

from ops import aws, dlq_messages
from ops.errors import Unreachable
from ops.smoke import canary, diagnosis, outputs
from ops.smoke.progress import Waiting
from ops.smoke.reader import Answer, Reader

#: How many DLQ messages one look may receive (and release at once): a healthy DLQ is empty.
DLQ_LOOK = 100


@dataclass
class Watch:
    """One published canary, and what the wait for it needs."""

    target: outputs.Target
    item: canary.Canary
    event_id: str
    started: float
    reader: Reader
    sqs: Any
    dlq_url: str
    err: Console

    def wait(self, timeout: float, interval: float, keep: bool) -> None:
        """Poll the API and look in the DLQ until the canary is readable, is in the DLQ, or time is up."""
        order_id, event_id, target = self.item.order_id, self.event_id, self.target
        deadline, polls, others = self.started + timeout, 0, 0
        with Waiting(self.err, f"waiting for order {order_id}", timeout) as waiting:
            while True:
                last, polls = self._get(), polls + 1
                kind = last.kind(order_id)
                if kind == "readable":
                    latency = time.monotonic() - self.started
                    waiting.stop()
                    for line in diagnosis.passed(latency, order_id, event_id, target, polls):
                        typer.echo(line)
                    return
                if kind == "refused":
                    waiting.stop()
                    fail(self.err, diagnosis.refused(last, target, f"order {order_id} (event {event_id})"))
                found, seen = dlq_messages.find(self.sqs, self.dlq_url, self._is_ours, limit=DLQ_LOOK)
                others = max(others, seen)
                if found is not None:
                    waiting.stop()
                    elapsed = time.monotonic() - self.started
                    lines = diagnosis.in_dlq(found, order_id, event_id, elapsed, target)
                    fail(self.err, [*lines, self._settle(found, keep)])
                now = time.monotonic()
                if now >= deadline:
                    waiting.stop()
                    fail(self.err, diagnosis.not_delivered(timeout, order_id, event_id, target, last, others))
                waiting.update(now - self.started, f"last GET {last.short(60)}")
                time.sleep(min(interval, max(deadline - now, 0)))

    def _get(self) -> Answer:
        try:
            return self.reader.get(self.item.order_id)
        except Unreachable as error:  # the read path worked before publishing: count it as a blip
            return Answer(self.reader.url(self.item.order_id), None, str(error))

    def _is_ours(self, message: dlq_messages.DlqMessage) -> bool:
        return (message.event or {}).get("id") == self.event_id

    def _settle(self, message: dlq_messages.DlqMessage, keep: bool) -> str:
        """Delete (or keep) the canary's own DLQ message; say which, so nothing disappears unannounced."""
        if keep:
            dlq_messages.release(self.sqs, self.dlq_url, [message])
            return f"  the canary's DLQ message {message.message_id} was left in the queue (--keep-canary)"
        try:
            failed = dlq_messages.delete(self.sqs, self.dlq_url, [message])
        except (ClientError, BotoCoreError) as error:  # e.g. AccessDenied: say so; the diagnosis matters more
            failed, why = [message.message_id], aws.describe(error) or str(error)
        else:
            why = "SQS did not delete it"
        if failed:
            return f"  the canary's DLQ message {message.message_id} is still in the queue: {why}"
        return f"  the canary's DLQ message {message.message_id} was deleted; no other message was touched"


def fail(err: Console, lines: list[str]) -> None:
    """Print a diagnosis on stderr, as plain text, and end with exit code 1."""
    for line in lines:
        err.print(line, markup=False, soft_wrap=True)
    raise typer.Exit(1)
