"""`orders dlq show` on a moto SQS queue in EventBridge's DLQ format."""

from __future__ import annotations

import json

from tests.ops.samples import RULE_ARN, event, put_dlq_message


def test_show_lists_events_and_why_they_failed(run, dlq) -> None:
    # Given two events EventBridge gave up on
    sqs, url = dlq
    events = [event(), event()]
    for item in events:
        put_dlq_message(sqs, url, item)
    # When the DLQ is shown
    result = run("dlq", "show", "--queue", url, "--wait", "0")
    # Then the table has each event id, its order, the error code and message, and the retries
    assert result.exit_code == 0, result.output
    for item in events:
        assert item["id"] in result.stdout and item["detail"]["order_id"] in result.stdout
    assert "2 message(s) in orders-dlq" in result.stdout
    assert (
        result.stdout.count("SDK_CLIENT_ERROR") == 2
        and "409 Conflict" in result.stdout
        and "185" in result.stdout
    )


def test_show_json_gives_the_event_and_every_attribute_and_leaves_messages_visible(run, dlq) -> None:
    # Given an event and a body that is not an event, in the DLQ (queue given by name)
    sqs, url = dlq
    item = event()
    put_dlq_message(sqs, url, item)
    put_dlq_message(sqs, url, "not json")
    # When it is shown as JSON
    result = run("dlq", "show", "--queue", "orders-dlq", "--json", "--wait", "0")
    # Then each message has its attributes and its event (or raw body)...
    shown = sorted(json.loads(result.stdout), key=lambda m: "event" in m)
    assert shown[0]["body"] == "not json"
    assert shown[1]["event"] == item
    assert (
        shown[1]["attributes"]["RULE_ARN"] == RULE_ARN and shown[1]["attributes"]["RETRY_ATTEMPTS"] == "185"
    )
    # ...and both are visible again at once for the next reader
    assert len(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]) == 2
