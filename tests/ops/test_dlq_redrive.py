"""`orders dlq redrive` on a moto SQS queue in EventBridge's DLQ format."""

from __future__ import annotations

import json
from typing import Any

import boto3

from ops import aws, redrive
from tests.ops.samples import event, put_dlq_message, queue_bodies


def _count(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return sum(int(value) for value in attributes.values())


def test_redrive_to_the_bus_republishes_and_deletes(run, bus, dlq) -> None:
    # Given 12 events in the DLQ (more than one SQS batch), and a bus whose rule delivers to a queue
    sqs, url = dlq
    events = [event() for _ in range(12)]
    for item in events:
        put_dlq_message(sqs, url, item)
    # When the DLQ is redriven to the bus
    result = run("dlq", "redrive", "--queue", url, "--to-bus", bus.name, "--wait", "0")
    # Then every event arrived with its source, detail-type and detail, and the DLQ is empty
    assert result.exit_code == 0, result.output
    assert "redriven 12, failed 0" in result.stdout
    delivered = bus.delivered()
    assert sorted(e["detail"]["order_id"] for e in delivered) == sorted(
        e["detail"]["order_id"] for e in events
    )
    assert {(e["source"], e["detail-type"]) for e in delivered} == {("ecommerce", "CreateOrder")}
    assert _count(sqs, url) == 0


class _FailsAfterFirstCall:
    """Wraps the real (moto) events client: the first PutEvents works, later ones fail every entry."""

    def __init__(self, client: Any) -> None:
        self._client, self.calls = client, 0

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:  # boto3 keyword name
        self.calls += 1
        if self.calls == 1:
            return self._client.put_events(Entries=Entries)
        failed = {"ErrorCode": "InternalFailure", "ErrorMessage": "outage"}
        return {"FailedEntryCount": len(Entries), "Entries": [failed] * len(Entries)}


def test_a_redrive_that_fails_halfway_keeps_the_undelivered(run, bus, dlq, monkeypatch) -> None:
    # Given 13 events in the DLQ, and a bus that accepts one PutEvents (first SQS batch) then fails
    sqs, url = dlq
    for _ in range(13):
        put_dlq_message(sqs, url, event())
    events = _FailsAfterFirstCall(boto3.client("events"))
    monkeypatch.setattr(
        aws, "client", lambda service: events if service == "events" else boto3.client(service)
    )
    # When the DLQ is redriven to the bus
    result = run("dlq", "redrive", "--queue", url, "--to-bus", bus.name, "--wait", "0", "--max-backoff", "0")
    # Then the 10 delivered are gone, the 3 undelivered stay (visible again) and are reported; exit 1
    assert result.exit_code == 1
    assert "redriven 10, failed 3" in result.stdout
    assert result.stderr.count("InternalFailure: outage") == 3
    assert len(bus.delivered()) == 10
    assert len(queue_bodies(sqs, url)) == 3


def test_redrive_to_a_url_deletes_only_what_the_handler_took(run, dlq, handler_url) -> None:
    # Given two good events and one the handler rejects (order id not a UUID)
    sqs, url = dlq
    good = [event(), event()]
    bad = event()
    bad["detail"]["order_id"] = "not-a-uuid"
    for item in [good[0], bad, good[1]]:
        put_dlq_message(sqs, url, item)
    # When the DLQ is redriven to the real handler
    result = run(
        "dlq", "redrive", "--queue", url, "--to-url", handler_url, "--wait", "0", "--max-backoff", "0"
    )
    # Then the good ones were stored and deleted; the bad one stays, reported with the handler's 400
    assert result.exit_code == 1
    assert "redriven 2, failed 1" in result.stdout
    assert "400, would go to the DLQ again" in result.stderr
    assert queue_bodies(sqs, url) == [bad]


def test_a_url_redrive_that_fails_halfway_keeps_the_undelivered(run, dlq, stub) -> None:
    # Given 4 events, and a handler that takes 2 then answers 503 (store down)
    sqs, url = dlq
    events = [event() for _ in range(4)]
    for item in events:
        put_dlq_message(sqs, url, item)
    stub.script = [(201, "{}", 0.0), (201, "{}", 0.0), (503, '{"error":"store_unavailable"}', 0.0)]
    # When the DLQ is redriven there, without retries
    result = run("dlq", "redrive", "--queue", url, "--to-url", stub.url, "--wait", "0", "--retries", "0")
    # Then exactly the two events the handler took are gone; the other two remain
    assert result.exit_code == 1
    taken = [request["body"]["id"] for request in stub.requests[:2]]
    assert sorted(e["id"] for e in queue_bodies(sqs, url)) == sorted(
        e["id"] for e in events if e["id"] not in taken
    )


def test_a_dry_run_changes_nothing(run, bus, dlq) -> None:
    # Given two events in the DLQ
    sqs, url = dlq
    for _ in range(2):
        put_dlq_message(sqs, url, event())
    # When a dry run is asked for
    result = run("dlq", "redrive", "--queue", url, "--to-bus", bus.name, "--dry-run", "--wait", "0")
    # Then both are listed, nothing is published and both are still there, visible
    assert result.exit_code == 0, result.output
    assert result.stdout.count("would redrive") == 2
    assert bus.delivered() == []
    assert len(queue_bodies(sqs, url)) == 2


def test_max_limits_how_many_are_redriven(run, bus, dlq) -> None:
    sqs, url = dlq
    for _ in range(3):
        put_dlq_message(sqs, url, event())
    # When at most one message is redriven
    result = run("dlq", "redrive", "--queue", url, "--to-bus", bus.name, "--max", "1", "--wait", "0")
    # Then one was delivered and two remain
    assert result.exit_code == 0, result.output
    assert len(bus.delivered()) == 1
    assert _count(sqs, url) == 2


def test_the_command_line_target_beats_the_other_targets_environment(run, bus, dlq, monkeypatch) -> None:
    # Given ORDERS_URL set in the environment, and --to-bus on the command line
    sqs, url = dlq
    put_dlq_message(sqs, url, event())
    monkeypatch.setenv("ORDERS_URL", "http://127.0.0.1:9/orders")
    # When redriving / Then the flag wins
    result = run("dlq", "redrive", "--queue", url, "--to-bus", bus.name, "--wait", "0")
    assert result.exit_code == 0, result.output
    assert len(bus.delivered()) == 1


def test_redrive_needs_exactly_one_target(run, dlq) -> None:
    _, url = dlq
    result = run("dlq", "redrive", "--queue", url, "--to-bus", "b", "--to-url", "http://127.0.0.1:9/orders")
    assert result.exit_code == 2
    assert result.stderr.startswith("orders: error: give exactly one of --to-bus or --to-url")


class _QueueReturningTheSameMessageTwice:
    """A fake SQS client: a failed message comes back once its visibility timeout ran out."""

    def __init__(self) -> None:
        message = {"MessageId": "m1", "ReceiptHandle": "r", "Body": json.dumps(event())}
        self.receives = [[message], [message], []]
        self.released: list[str] = []

    def receive_message(self, **_: Any) -> dict[str, Any]:
        return {"Messages": self.receives.pop(0)}

    def change_message_visibility_batch(self, QueueUrl: str, Entries: list[dict[str, Any]]) -> None:
        self.released += [entry["ReceiptHandle"] for entry in Entries]

    def delete_message_batch(self, **_: Any) -> dict[str, Any]:
        raise AssertionError("nothing was delivered, so nothing may be deleted")


def test_a_message_that_comes_back_in_the_same_run_is_not_tried_twice() -> None:
    # Given a queue that returns a failing message again later in the run
    sqs, tried = _QueueReturningTheSameMessageTwice(), []

    def deliver(batch):
        for message in batch:
            tried.append(message.message_id)
            yield message, "still failing"

    # When it is redriven
    summary = redrive.run(sqs, "url", deliver, limit=None, wait=0, dry_run=False)
    # Then it was tried once, reported once, and released (kept in the queue)
    assert tried == ["m1"]
    assert [message.message_id for message, _ in summary.failed] == ["m1"]
    assert sqs.released and not summary.redriven


def test_an_unreachable_handler_stops_the_redrive_and_keeps_everything(run, dlq, aws_env) -> None:
    # Given two events in the DLQ, and nothing listening at the target URL
    sqs, url = dlq
    for _ in range(2):
        put_dlq_message(sqs, url, event())
    # When the DLQ is redriven there
    result = run("dlq", "redrive", "--queue", url, "--to-url", "http://127.0.0.1:9/orders", "--wait", "0")
    # Then it stops at once, says why, exits 1, and both messages are still in the queue
    assert result.exit_code == 1
    assert "stopped: cannot reach http://127.0.0.1:9/orders" in result.stderr
    assert "redriven 0, failed 0; 2 received message(s) left in the queue" in result.stdout
    assert len(queue_bodies(sqs, url)) == 2
