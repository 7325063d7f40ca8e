"""`orders smoke` end to end, offline: moto plays EventBridge and SQS, a stand-in thread plays the rule's
API Gateway target (see `standin.py`), and the real handler stores the canary on loopback.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from handler.contract import API_STAGE, ORDERS_PATH
from ops.smoke.outputs import resolve
from tests.ops.conftest import Bus
from tests.ops.samples import event, put_dlq_message, queue_bodies
from tests.ops.standin import delivering

FAST = ("--interval", "0.05")
READER_POLICY = "arn:aws:iam::123456789012:policy/orders-dev-reader"


def _rule_arn(bus: Bus) -> str:
    return boto3.client("events").describe_rule(Name="orders", EventBusName=bus.name)["Arn"]


def _outputs(tmp_path: Path, bus: Bus, api_url: str, dlq_url: str) -> Path:
    """A file shaped like `pulumi stack output --json` for the test stack."""
    values = {
        "api_invoke_url": api_url,
        "event_bus_name": bus.name,
        "dlq_url": dlq_url,
        "rule_arn": _rule_arn(bus),
        "service_name": "orders-dev-service",
        "reader_policy_arn": READER_POLICY,
        "repository_url": "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders",  # not used: ignored
    }
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(values, indent=2))
    return path


def _canary_id(result: Any) -> str:
    match = re.search(r"published canary order (\S+) \(event (\S+)\)", result.stderr)
    assert match, result.stderr
    return match.group(1)


def _one_error_line(result: Any) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_a_healthy_pipeline_passes_and_prints_the_latency(run, bus, dlq, staged_handler, tmp_path) -> None:
    # Given the rule's deliveries going to the real handler at /v1/orders (the stage in the path, as a
    # private integration sends it), and the stack outputs in a file
    sqs, dlq_url = dlq
    api = f"{staged_handler}/{API_STAGE}"
    with delivering(bus.delivered_url, f"{api}{ORDERS_PATH}", dlq_url, rule_arn=_rule_arn(bus)) as standin:
        # When the smoke check runs from the outputs file
        result = run("smoke", "--outputs", _outputs(tmp_path, bus, api, dlq_url), "--timeout", "20", *FAST)
    # Then it passes and prints the latency, after exactly one PUT that the handler created
    assert result.exit_code == 0, result.output
    assert re.search(r"^smoke passed: publish -> readable in \d+\.\d\d s$", result.stdout, re.M), (
        result.stdout
    )
    assert [(outcome.kind, outcome.status) for outcome in standin.outcomes] == [("delivered", 201)]
    # And the stored order is recognisably a canary from this run, and nothing went to the DLQ
    order_id = _canary_id(result)
    assert f"canary order {order_id}" in result.stdout
    stored = httpx.get(f"{api}{ORDERS_PATH}/{order_id}").json()
    assert stored["order"]["canary"] is True
    assert stored["order"]["customer"]["customer_id"] == "orders-smoke-canary"
    assert stored["order"]["items"][0]["currency"] == "XXX"
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{8}", stored["order"]["smoke_run"])
    assert queue_bodies(sqs, dlq_url) == []


def test_a_handler_that_answers_404_is_diagnosed_from_the_dlq(
    run, bus, dlq, staged_handler, tmp_path
) -> None:
    # Given deliveries to a path the handler does not serve, and a business message already in the DLQ
    sqs, dlq_url = dlq
    business = event()
    put_dlq_message(sqs, dlq_url, business)
    api = f"{staged_handler}/{API_STAGE}"
    with delivering(bus.delivered_url, f"{staged_handler}/v2{ORDERS_PATH}", dlq_url, rule_arn=_rule_arn(bus)):
        # When the smoke check runs
        result = run("smoke", "--outputs", _outputs(tmp_path, bus, api, dlq_url), "--timeout", "20", *FAST)
    # Then it fails with the DLQ message's reason: the code, the message, the HTTP status and its meaning
    assert result.exit_code == 1, result.output
    err = result.stderr
    assert "smoke FAILED: the canary went to the dead-letter queue" in err
    assert re.search(r"ERROR_CODE +SDK_CLIENT_ERROR", err)
    assert re.search(r"ERROR_MESSAGE +Target returned HTTP 404", err)
    assert re.search(r"HTTP status +404 \(stated in ERROR_MESSAGE\)", err)
    assert "is HANDLER_API_STAGE=v1 set on the service?" in err
    assert "RuleName=orders, EventBusName=orders-test" in err
    assert "ECS service orders-dev-service" in err
    # And only the canary's own message was deleted: the business message is still there, visible
    assert "was deleted; no other message was touched" in err
    assert [body["id"] for body in queue_bodies(sqs, dlq_url)] == [business["id"]]


def test_a_rejected_event_names_the_400_and_can_be_kept(run, bus, dlq, staged_handler, stub) -> None:
    # Given a target that rejects every event as invalid (400), while reads go to the real handler
    sqs, dlq_url = dlq
    stub.script = [(400, '{"error":"invalid_event","message":"Expected `str` - at `$.detail.x`"}', 0.0)]
    api = f"{staged_handler}/{API_STAGE}"
    with delivering(bus.delivered_url, stub.url, dlq_url, rule_arn=_rule_arn(bus)):
        # When the smoke check runs with flags, keeping the canary's DLQ message
        result = run("smoke", "--bus", bus.name, "--api-url", api, "--queue", dlq_url, "--keep-canary", *FAST)
    # Then the diagnosis names the 400 and what it means, and the canary's message stays in the DLQ
    assert result.exit_code == 1, result.output
    assert re.search(r"HTTP status +400 \(stated in ERROR_MESSAGE\)", result.stderr)
    assert "refused the canary as invalid" in result.stderr
    assert "refused by the handler: invalid_event: Expected `str` - at `$.detail.x`" in result.stderr
    assert "was left in the queue (--keep-canary)" in result.stderr
    (kept,) = queue_bodies(sqs, dlq_url)
    assert kept["detail"]["order_id"] == _canary_id(result)
    assert kept["detail"]["canary"] is True


@pytest.mark.parametrize(
    ("stage", "hint"),
    [(API_STAGE, "last GET "), ("v2", "that 404 is not the handler's order_not_found")],
)
def test_no_delivery_at_all_is_not_delivered_in_n_s(
    run, bus, dlq, staged_handler, monkeypatch, stage, hint
) -> None:
    # Given no delivery at all (no stand-in), settings from the environment, and, in the second case, an
    # API URL whose reads do not reach the handler's GET route (a stage the handler does not serve)
    _, dlq_url = dlq
    monkeypatch.setenv("ORDERS_EVENT_BUS", bus.name)
    monkeypatch.setenv("ORDERS_API_URL", f"{staged_handler}/{stage}")
    monkeypatch.setenv("ORDERS_DLQ_URL", dlq_url)
    monkeypatch.setenv("COLUMNS", "40")  # a CI log has no terminal: rich would wrap at its default width
    # When the smoke check waits one second
    started = time.monotonic()
    result = run("smoke", "--timeout", "1", *FAST)
    # Then it fails quickly with "not delivered in 1 s", the last answer, and where to look
    assert result.exit_code == 1, result.output
    assert time.monotonic() - started < 10
    assert "smoke FAILED: not delivered in 1 s" in result.stderr
    assert hint in result.stderr
    assert "404" in result.stderr
    assert "FailedInvocations" in result.stderr and "access log" in result.stderr
    # And every line is whole, however narrow the console: ids are never split
    order_id = _canary_id(result)
    assert f"waiting for order {order_id} (up to 1 s)\n" in result.stderr
    # And the canary did go out: the rule matched it
    (published,) = bus.delivered()
    assert published["detail"]["order_id"] == order_id
    assert published["resources"][0].startswith("orders-smoke:")


def test_credentials_without_the_reader_policy_are_told_to_attach_it(run, bus, dlq, stub, tmp_path) -> None:
    # Given an API that refuses the caller's GET, as API Gateway does without execute-api:Invoke
    _, dlq_url = dlq
    denied = json.dumps(
        {"Message": "User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: "
         "execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:abc/v1/GET/orders/x"}
    )  # fmt: skip
    stub.get_script = [(403, denied, 0.0)]
    # When the smoke check runs
    result = run("smoke", "--outputs", _outputs(tmp_path, bus, f"{stub.base}/{API_STAGE}", dlq_url), *FAST)
    # Then it says to attach the reader policy, by its ARN, and published nothing
    assert result.exit_code == 1, result.output
    assert "answered 403" in result.stderr
    assert f"attach the stack's reader policy, output `reader_policy_arn` ({READER_POLICY})" in result.stderr
    assert "nothing was published" in result.stderr
    assert bus.delivered() == []
    # And the GET it made was signed with SigV4 for execute-api, at the stage's path
    (get,) = stub.gets
    assert get["path"].startswith(f"/{API_STAGE}{ORDERS_PATH}/")
    assert "/us-east-1/execute-api/aws4_request" in get["headers"]["Authorization"]


def test_missing_settings_are_one_line_naming_each(run, aws_env) -> None:
    # Given no flags, no environment variables and no outputs file / When the smoke check runs
    result = run("smoke")
    # Then one line names every missing setting and where it can come from
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert line.startswith(
        "orders: error: missing the event bus (--bus, ORDERS_EVENT_BUS, or `event_bus_name`"
    )
    assert "the API URL (--api-url, ORDERS_API_URL" in line and "`dlq_url` in --outputs" in line


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "no such file"),
        ("", "empty; expected the output of `pulumi stack output --json`"),
        ("[1, 2]", "expected a JSON object"),
        (
            '{"event_bus_name": "[secret]"}',
            "hidden as a secret: use `pulumi stack output --json --show-secrets`",
        ),
        ('{"event_bus_name": "b"}', "missing the API URL"),
    ],
)
def test_a_bad_outputs_file_is_one_line(run, aws_env, tmp_path, content, words) -> None:
    # Given an outputs file that is missing, empty, not an object, hides a secret, or lacks outputs
    path = tmp_path / "outputs.json"
    if content is not None:
        path.write_text(content)
    # When the smoke check reads it / Then one line says what is wrong, exit code 2
    result = run("smoke", "--outputs", path)
    assert result.exit_code == 2
    assert words in _one_error_line(result)


def test_no_credentials_is_one_line_and_publishes_nothing(run, bus, dlq, staged_handler, monkeypatch) -> None:
    # Given no AWS credentials anywhere (and no instance metadata to ask)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # When the smoke check runs
    result = run("smoke", "--bus", bus.name, "--api-url", f"{staged_handler}/{API_STAGE}", "--queue", dlq[1])
    # Then one line says what to set, and nothing reached the bus
    assert result.exit_code == 2
    assert "no AWS credentials found" in _one_error_line(result)
    assert bus.delivered() == []


def test_an_unreachable_api_is_one_line_and_publishes_nothing(run, bus, dlq) -> None:
    # Given an API URL nothing listens on / When the smoke check runs
    result = run("smoke", "--bus", bus.name, "--api-url", "http://127.0.0.1:9/v1", "--queue", dlq[1])
    # Then one line says so, and nothing reached the bus
    assert result.exit_code == 2
    assert _one_error_line(result).startswith("orders: error: cannot reach http://127.0.0.1:9/v1/orders/")
    assert bus.delivered() == []


def test_a_flag_beats_the_outputs_file_which_beats_the_environment() -> None:
    # Given the bus in all three places, the API URL in the file and the environment, the DLQ only in the env
    file = {"event_bus_name": "from-file", "api_invoke_url": "https://file/v1", "rule_arn": "arn:rule"}
    environment = {"event_bus_name": "from-env", "api_invoke_url": "https://env/v1", "dlq_url": "env-dlq"}
    # When the settings are resolved
    target = resolve(file, command_line={"event_bus_name": "from-flag"}, environment=environment)
    # Then the flag wins, then the file, then the environment; optional outputs come along
    assert (target.bus, target.api_url, target.queue) == ("from-flag", "https://file/v1", "env-dlq")
    assert target.rule_arn == "arn:rule"
    assert target.reader_policy_arn is None
