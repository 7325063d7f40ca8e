"""`orders publish`: through a bus and rule to SQS (moto), batching, and partial failures."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber

from ops import aws, entries
from ops.publish import put_all
from tests.ops.samples import ENTRIES_FILE, entry, write


def test_published_events_arrive_through_the_rule(run, bus) -> None:
    # Given a bus whose rule delivers CreateOrder events to an SQS queue
    # When the sample entries file is published
    result = run("publish", ENTRIES_FILE, "--bus", bus.name)
    # Then it succeeds, and the queue receives the event EventBridge built from the entry
    assert result.exit_code == 0, result.output
    assert "published 1 of 1 entries" in result.stdout
    (delivered,) = bus.delivered()
    sample = json.loads(json.loads(ENTRIES_FILE.read_text())[0]["Detail"])
    assert (delivered["source"], delivered["detail-type"], delivered["detail"]) == (
        "ecommerce",
        "CreateOrder",
        sample,
    )


def test_the_bus_can_come_from_the_environment(run, bus, monkeypatch) -> None:
    # Given the bus name in ORDERS_EVENT_BUS and no --bus flag
    monkeypatch.setenv("ORDERS_EVENT_BUS", bus.name)
    # When the sample is published / Then it reaches that bus's rule
    assert run("publish", ENTRIES_FILE).exit_code == 0
    assert len(bus.delivered()) == 1


def test_more_than_ten_entries_go_in_batches_of_ten(run, bus, tmp_path, monkeypatch) -> None:
    # Given 23 entries, and an events client that records the size of each PutEvents request
    client, sizes = boto3.client("events"), []
    client.meta.events.register(
        "provide-client-params.events.PutEvents", lambda params, **_: sizes.append(len(params["Entries"]))
    )
    monkeypatch.setattr(aws, "client", lambda service: client)
    items = [entry() for _ in range(23)]
    # When they are published
    result = run("publish", write(tmp_path / "many.json", items), "--bus", bus.name)
    # Then three requests carried them, and every one was delivered
    assert result.exit_code == 0, result.output
    assert sizes == [10, 10, 3]
    delivered = {e["detail"]["order_id"] for e in bus.delivered()}
    assert delivered == {json.loads(item["Detail"])["order_id"] for item in items}


def _result(code: str | None = None) -> dict[str, str]:
    return {"ErrorCode": code, "ErrorMessage": f"{code} happened"} if code else {"EventId": "id"}


def test_only_retryable_failures_are_resent_and_final_ones_are_reported(run, aws_env, tmp_path, monkeypatch):
    # Given three entries, and PutEvents stubbed at the botocore level (moto cannot fail entries):
    # entry 1 is throttled once then accepted, entry 2 is denied for good
    items = [entry() for _ in range(3)]
    client = boto3.client("events")
    stubber = Stubber(client)
    sent = [{**item, "EventBusName": "b"} for item in items]
    first = [_result(), _result("ThrottlingException"), _result("AccessDeniedException")]
    stubber.add_response("put_events", {"FailedEntryCount": 2, "Entries": first}, {"Entries": sent})
    stubber.add_response(
        "put_events", {"FailedEntryCount": 0, "Entries": [_result()]}, {"Entries": [sent[1]]}
    )
    monkeypatch.setattr(aws, "client", lambda service: client)
    # When they are published
    with stubber:
        result = run("publish", write(tmp_path / "e.json", items), "--bus", "b", "--max-backoff", "0")
    # Then only entry 1 was re-sent, entry 2 is reported with its code, and the exit code is 1
    stubber.assert_no_pending_responses()
    assert result.exit_code == 1
    assert "published 2 of 3 entries" in result.stdout
    assert result.stderr.strip() == "entry 2: AccessDeniedException: AccessDeniedException happened"


def test_an_entry_still_throttled_after_every_attempt_is_reported(run, aws_env, tmp_path, monkeypatch):
    # Given PutEvents that throttles the only entry on all 3 attempts (botocore Stubber)
    client = boto3.client("events")
    stubber = Stubber(client)
    for _ in range(3):
        stubber.add_response(
            "put_events", {"FailedEntryCount": 1, "Entries": [_result("ThrottlingException")]}
        )
    monkeypatch.setattr(aws, "client", lambda service: client)
    # When it is published with 3 attempts
    with stubber:
        result = run("publish", ENTRIES_FILE, "--attempts", "3", "--max-backoff", "0")
    # Then it was tried exactly 3 times and is reported with its code
    stubber.assert_no_pending_responses()
    assert result.exit_code == 1
    assert "entry 0: ThrottlingException" in result.stderr


@pytest.mark.parametrize("content", ["[{", '[{"Source": "ecommerce"}]'])
def test_a_bad_file_sends_nothing(run, bus, tmp_path, content) -> None:
    # Given a file that is not valid entries / When it is published
    result = run("publish", write(tmp_path / "bad.json", content), "--bus", bus.name)
    # Then it is one line on stderr, exit code 2, and nothing reached the bus
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert bus.delivered() == []


def test_progress_advances_once_per_batch(aws_env) -> None:
    # Given 12 entries and PutEvents stubbed to accept everything (botocore Stubber)
    client = boto3.client("events")
    stubber = Stubber(client)
    for size in (10, 2):
        stubber.add_response("put_events", {"FailedEntryCount": 0, "Entries": [_result()] * size})
    advanced: list[int] = []
    # When they are put with a progress callback
    with stubber:
        failures = put_all(client, [entries.load(ENTRIES_FILE)[0]] * 12, on_batch=advanced.append)
    # Then the bar moved by each batch's size, and nothing failed
    assert (advanced, failures) == ([10, 2], [])


def test_put_all_reports_the_event_id_of_each_accepted_entry(bus) -> None:
    # Given two entries for a bus whose rule delivers to a queue
    items = [{**entry(), "EventBusName": bus.name} for _ in range(2)]
    accepted: dict[int, str] = {}
    # When they are put
    failures = put_all(boto3.client("events"), items, on_accepted=lambda i, e: accepted.setdefault(i, e))
    # Then each is reported once, with the event id that the rule's target receives
    assert failures == []
    assert sorted(accepted) == [0, 1]
    assert sorted(accepted.values()) == sorted(event["id"] for event in bus.delivered())
