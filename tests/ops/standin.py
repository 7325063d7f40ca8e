"""A stand-in for the rule's API Gateway target, for `orders smoke` tests on moto.

moto's EventBridge cannot call an API Gateway target, so the test rule targets an SQS queue, and this
thread does the rest as the deployed pipeline would: it PUTs each event to the handler (the path it is
given carries the stage, `/v1/orders`, as a REST API private integration does), retries 429, 5xx and
timeouts a little, and on any other answer writes the event to the dead-letter queue with the message
attributes EventBridge documents in "Using dead-letter queues to process undelivered events"
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html): RULE_ARN, TARGET_ARN,
ERROR_CODE, ERROR_MESSAGE, RETRY_ATTEMPTS, and EXHAUSTED_RETRY_CONDITION when retries ran out.

The ERROR_CODE values are from that page's list; the ERROR_MESSAGE wording is this stand-in's own.

moto (5.2) leaves `account` out of the envelope it gives an SQS target, although EventBridge puts it in
every event ("Event structure reference",
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html) and the handler
requires it; the stand-in adds it, from the rule's ARN, before delivering.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3

from ops.delivery import Deliverer, Outcome
from ops.errors import Unreachable
from tests.ops.samples import TARGET_ARN


@dataclass
class StandIn:
    """What the stand-in did: every outcome, in order."""

    outcomes: list[Outcome] = field(default_factory=list)


@contextlib.contextmanager
def delivering(source_url: str, handler_url: str, dlq_url: str, *, rule_arn: str) -> Iterator[StandIn]:
    """Deliver every event arriving on the queue at `source_url` to `handler_url` until the block ends."""
    sqs = boto3.client("sqs")
    account = rule_arn.split(":")[4]
    deliverer = Deliverer(handler_url, retries=2, max_backoff=0, sign=False)
    state, stop = StandIn(), threading.Event()

    def run() -> None:
        while not stop.is_set():
            messages = sqs.receive_message(QueueUrl=source_url, MaxNumberOfMessages=10).get("Messages", [])
            for message in messages:
                event = {"account": account, **json.loads(message["Body"])}
                try:
                    outcome = deliverer.deliver(event)
                except Unreachable as error:
                    outcome = Outcome("failed", None, str(error), 1)
                state.outcomes.append(outcome)
                if outcome.kind != "delivered":
                    _dead_letter(sqs, dlq_url, event, outcome, rule_arn)
                sqs.delete_message(QueueUrl=source_url, ReceiptHandle=message["ReceiptHandle"])
            stop.wait(0 if messages else 0.02)

    thread = threading.Thread(target=run, name="delivery-stand-in", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        thread.join(timeout=10)
        deliverer.close()


def _dead_letter(sqs: Any, dlq_url: str, event: dict[str, Any], outcome: Outcome, rule_arn: str) -> None:
    if outcome.kind == "rejected":  # EventBridge does not retry a 4xx other than 429
        code, retries, condition = "SDK_CLIENT_ERROR", 0, None
        message = f"Target returned HTTP {outcome.status}: {outcome.detail}"
    elif outcome.status is None:
        code, retries, condition = "CONNECTION_FAILURE", outcome.attempts - 1, "MaximumRetryAttempts"
        message = outcome.detail
    else:
        code, retries, condition = "SDK_CLIENT_ERROR", outcome.attempts - 1, "MaximumRetryAttempts"
        message = f"Target returned HTTP {outcome.status}: {outcome.detail}"
    attributes = {
        "RULE_ARN": ("String", rule_arn),
        "TARGET_ARN": ("String", TARGET_ARN),
        "ERROR_CODE": ("String", code),
        "ERROR_MESSAGE": ("String", message),
        "RETRY_ATTEMPTS": ("Number", str(retries)),
    }
    if condition:
        attributes["EXHAUSTED_RETRY_CONDITION"] = ("String", condition)
    sqs.send_message(
        QueueUrl=dlq_url,
        MessageBody=json.dumps(event),
        MessageAttributes={name: {"DataType": t, "StringValue": v} for name, (t, v) in attributes.items()},
    )
