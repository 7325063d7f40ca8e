"""`orders send`: the real handler on loopback, and a scripted stub for retries and signing."""

from __future__ import annotations

import json

import pytest

from ops import aws
from tests.ops.samples import ENTRIES_FILE, entry, write
from tests.samples import ORDER_ID

CREATED = (201, '{"status":"created"}', 0.0)


def test_the_sample_order_is_created_then_recognised_as_a_duplicate(run, handler_url) -> None:
    # Given the real handler on an empty embedded store (the only test that sends the sample's id)
    # When the sample is sent twice
    first = run("send", ENTRIES_FILE, "--url", handler_url)
    second = run("send", ENTRIES_FILE, "--url", handler_url)
    # Then the first is created (201, with its Location) and the second is a duplicate (200)
    assert first.exit_code == 0, first.output
    assert f": 201 Location: /orders/{ORDER_ID}" in first.stdout
    assert second.exit_code == 0, second.output
    assert ": 200 " in second.stdout


def test_a_bad_event_would_go_to_the_dlq(run, handler_url, tmp_path) -> None:
    # Given an event whose order id is not a UUID
    bad = {**entry(), "Detail": json.dumps({**json.loads(entry()["Detail"]), "order_id": "not-a-uuid"})}
    # When it is sent to the real handler
    result = run("send", write(tmp_path / "bad.json", [bad]), "--url", handler_url, "--max-backoff", "0")
    # Then the 400 is reported as a DLQ case, with the handler's body, and the exit code is 1
    assert result.exit_code == 1
    assert "400, would go to the DLQ: " in result.stderr
    assert json.loads(result.stderr.split("would go to the DLQ: ")[1].splitlines()[0])["error"]
    assert "1 of 1 entries not delivered" in result.stderr


def test_the_same_order_with_other_content_is_a_conflict(run, handler_url, tmp_path) -> None:
    # Given an order the handler already stored
    original = entry()
    assert run("send", write(tmp_path / "a.json", [original]), "--url", handler_url).exit_code == 0
    changed = json.loads(original["Detail"]) | {"create_date": "2021-01-01T00:00:00Z"}
    # When the same order id comes with other content
    result = run(
        "send",
        write(tmp_path / "b.json", [{**original, "Detail": json.dumps(changed)}]),
        "--url",
        handler_url,
    )
    # Then the 409 would go to the DLQ
    assert result.exit_code == 1
    assert "409, would go to the DLQ" in result.stderr


@pytest.mark.parametrize("status", [503, 429, 500])
def test_overload_and_outages_are_retried(run, stub, aws_env, status) -> None:
    # Given a target that fails once with a retryable status, then accepts
    stub.script = [(status, '{"error":"busy"}', 0.0), CREATED]
    # When the sample is sent
    result = run("send", ENTRIES_FILE, "--url", stub.url, "--max-backoff", "0")
    # Then it was delivered on the second try, with the same event (same id) both times
    assert result.exit_code == 0, result.output
    assert "201" in result.stdout and "after 2 tries" in result.stdout
    assert stub.requests[0]["body"] == stub.requests[1]["body"]


def test_a_timeout_is_retried_and_retries_are_limited(run, stub, aws_env) -> None:
    # Given a target slower than the timeout, every time
    stub.script = [(201, "{}", 0.5)]
    # When the sample is sent with a short timeout and 1 retry
    result = run(
        "send", ENTRIES_FILE, "--url", stub.url, "--timeout", "0.1", "--retries", "1", "--max-backoff", "0"
    )
    # Then it was tried twice, reported as failed, and the exit code is 1
    assert result.exit_code == 1
    assert "failed after 2 tries: no response timed out" in result.stderr
    assert len(stub.requests) == 2


def test_every_put_is_an_eventbridge_envelope_with_a_new_id(run, stub, aws_env, tmp_path) -> None:
    # Given two entries
    stub.script = [CREATED]
    items = [entry(), entry()]
    # When they are sent
    assert run("send", write(tmp_path / "two.json", items), "--url", stub.url).exit_code == 0
    # Then each PUT is an envelope from its entry, JSON, unsigned locally, with distinct ids
    bodies = [request["body"] for request in stub.requests]
    assert [body["detail"] for body in bodies] == [json.loads(item["Detail"]) for item in items]
    assert bodies[0]["id"] != bodies[1]["id"]
    assert stub.requests[0]["headers"]["Content-Type"] == "application/json"
    assert "Authorization" not in stub.requests[0]["headers"]


def test_signing_uses_sigv4_for_execute_api(run, stub, aws_env) -> None:
    # Given a target, and signing asked for explicitly (the stub is not an execute-api host)
    stub.script = [CREATED]
    # When the sample is sent
    assert run("send", ENTRIES_FILE, "--url", stub.url, "--sign").exit_code == 0
    # Then the request carries a SigV4 signature for execute-api in the configured region
    headers = stub.requests[0]["headers"]
    assert headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=testing/")
    assert "/us-east-1/execute-api/aws4_request" in headers["Authorization"]
    assert "X-Amz-Date" in headers


@pytest.mark.parametrize(
    ("host", "region"),
    [("a1b2c3.execute-api.eu-west-1.amazonaws.com", "eu-west-1"), ("127.0.0.1", None), ("example.com", None)],
)
def test_deployed_api_hosts_are_recognised_for_signing(host: str, region: str | None) -> None:
    assert aws.execute_api_region(host) == region


def test_an_unreachable_url_is_one_line(run, aws_env) -> None:
    # Given nothing listens on port 9 of loopback / When the sample is sent there
    result = run("send", ENTRIES_FILE, "--url", "http://127.0.0.1:9/orders")
    # Then one line says so, exit code 2, no traceback
    assert result.exit_code == 2
    assert result.stderr.startswith("orders: error: cannot reach http://127.0.0.1:9/orders")
    assert len(result.stderr.strip().splitlines()) == 1
