"""The smoke check's canary: valid for the handler, matched by the deployed rule, never business data."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest

from components.events import event_pattern
from handler.events import decode_event
from ops import envelope
from ops.publish import put_all
from ops.smoke import canary, diagnosis
from ops.smoke.outputs import Target
from ops.smoke.reader import Answer


def test_the_canary_passes_the_handlers_validation_and_keeps_its_marks() -> None:
    # Given a canary wrapped as EventBridge delivers it
    item = canary.build("orders-bus")
    delivered = envelope.build(item.entry, account="123456789012", region="us-east-1")
    # When the handler decodes it
    received = decode_event(json.dumps(delivered).encode())
    # Then it is valid, and the stored detail keeps every mark of a canary
    assert received.order_id == item.order_id
    assert canary.is_canary(received.detail)
    assert received.detail["smoke_run"] == item.run_id
    assert item.entry["Resources"] == [f"orders-smoke:{item.run_id}"]


def test_the_deployed_rule_matches_the_canary(moto) -> None:
    # Given a bus whose rule has the deployed pattern (components/events.py) and targets a queue
    events, sqs = boto3.client("events"), boto3.client("sqs")
    events.create_event_bus(Name="smoke")
    url = sqs.create_queue(QueueName="matched")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="orders", EventBusName="smoke", EventPattern=json.dumps(event_pattern()))
    events.put_targets(Rule="orders", EventBusName="smoke", Targets=[{"Id": "q", "Arn": arn}])
    item = canary.build("smoke")
    # When the canary is published
    assert put_all(events, [item.entry]) == []
    # Then the rule delivered it
    (message,) = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert json.loads(message["Body"])["detail"]["order_id"] == item.order_id


def test_each_canary_is_a_new_order_and_names_its_ci_run() -> None:
    # Given two canaries built under GitHub Actions
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r", "GITHUB_RUN_ID": "42"}
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    first, second = canary.build("b", now=now, environ=env), canary.build("b", now=now, environ=env)
    # Then their order ids and run ids differ, and each names the CI run that sent it
    assert first.order_id != second.order_id and first.run_id != second.run_id
    assert first.run_id.startswith("20250102T030405Z-")
    assert first.entry["Resources"][1] == "https://github.com/o/r/actions/runs/42"


@pytest.mark.parametrize(
    ("message", "status"),
    [("Target returned HTTP 404: Not Found", 404), ("status code 503 after retries", 503), ("no luck", None)],
)
def test_the_http_status_is_read_from_error_message_when_stated(message: str, status: int | None) -> None:
    assert diagnosis.http_status(message) == status


@pytest.mark.parametrize(
    ("status", "body", "words"),
    [
        (403, '{"message":"Missing Authentication Token"}', "API Gateway has no such route"),
        (403, '{"message":"The security token included in the request is invalid."}', "signature"),
        (403, '{"Message":"User: x is not authorized to perform: execute-api:Invoke"}', "reader_policy_arn"),
        (400, '{"error":"http_error"}', "answered 400"),
    ],
)
def test_a_refused_read_says_what_to_fix(status: int, body: str, words: str) -> None:
    # Given a GET answer that polling cannot fix / When it is diagnosed / Then the fix is named
    answer = Answer("https://a.execute-api.us-east-1.amazonaws.com/v1/orders/x", status, body)
    assert answer.kind("x") == "refused"
    lines = diagnosis.refused(answer, Target(bus="b", api_url="u", queue="q"), published=None)
    assert words in "\n".join(lines)


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (200, '{"order_id":"x"}', "readable"),
        (200, '{"order_id":"y"}', "refused"),
        (404, '{"error":"order_not_found"}', "absent"),
        (502, "Bad Gateway", "transient"),
        (429, "", "transient"),
        (None, "ReadTimeout", "transient"),
    ],
)
def test_what_each_answer_means_for_the_wait(status: int | None, body: str, kind: str) -> None:
    assert Answer("u", status, body).kind("x") == kind


@pytest.mark.parametrize(
    ("last", "words"),
    [
        (Answer("u", 502, "Bad Gateway"), "the read path itself is failing"),
        (Answer("u", None, "ReadTimeout: timed out"), "the read path itself is failing"),
        (Answer("u", 404, '{"error":"order_not_found"}'), "last GET u: 404"),
    ],
)
def test_a_timeout_names_the_last_answer_and_a_failing_read_path(last: Answer, words: str) -> None:
    # Given a wait that ended with this last GET / When it is diagnosed / Then the answer's meaning is said
    lines = diagnosis.not_delivered(5, "o", "e", Target(bus="b", api_url="u", queue="q"), last, 0)
    assert lines[0] == "smoke FAILED: not delivered in 5 s: the canary is not readable, nor found in the DLQ"
    assert words in "\n".join(lines)
    assert ("read path itself" in "\n".join(lines)) == (last.status != 404)


def test_the_docs_name_the_canarys_fixed_values() -> None:
    # Given docs/ops.md, which tells people how to recognise a canary / Then its values are the real ones
    docs = (Path(__file__).resolve().parents[2] / "docs" / "ops.md").read_text()
    for value in (canary.PRODUCT_ID, canary.CUSTOMER_ID, canary.CURRENCY, canary.RESOURCE_PREFIX):
        assert f"`{value}" in docs, value
