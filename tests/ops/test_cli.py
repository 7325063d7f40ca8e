"""The CLI's surface: help at every level, user errors as one line, boto3's standard settings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.ops.samples import ENTRIES_FILE, event, put_dlq_message, write

ORDERS = Path(sys.executable).parent / "orders"  # the console script from pyproject.toml


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ["publish", "send", "smoke", "dlq", "AWS_ENDPOINT_URL"]),
        (["publish"], ["FILE", "--bus", "ORDERS_EVENT_BUS", "--attempts"]),
        (["send"], ["FILE", "--url", "ORDERS_URL", "--retries", "--timeout", "--sign"]),
        (["smoke"], ["--outputs", "ORDERS_EVENT_BUS", "ORDERS_API_URL", "ORDERS_DLQ_URL", "--keep-canary"]),
        (["dlq"], ["show", "redrive"]),
        (["dlq", "show"], ["--queue", "ORDERS_DLQ_URL", "--json", "--max"]),
        (["dlq", "redrive"], ["--to-bus", "--to-url", "--dry-run", "--max", "only once it was delivered"]),
    ],
)
def test_help_reads_well_at_every_level(run, args: list[str], expected: list[str]) -> None:
    # Given a command / When its help is asked for / Then it names its options and their env vars
    result = run(*args, "--help")
    assert result.exit_code == 0
    for word in expected:
        assert word in result.stdout


def _one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize(
    "command", [["publish", "--bus", "b"], ["send", "--url", "http://127.0.0.1:9/orders"]]
)
def test_a_missing_or_malformed_file_is_one_line(run, aws_env, tmp_path, command) -> None:
    # Given a missing file and a file that is not JSON
    missing, broken = tmp_path / "missing.json", write(tmp_path / "broken.json", '[{"Source": ')
    # When each is given / Then each is one line naming the file, with exit code 2
    for path, words in [(missing, "no such file"), (broken, "not valid JSON")]:
        result = run(command[0], path, *command[1:])
        assert result.exit_code == 2
        assert _one_error_line(result).startswith(f"orders: error: {path}: {words}")


@pytest.mark.parametrize("command", [["dlq", "show"], ["dlq", "redrive", "--to-bus", "b"]])
@pytest.mark.parametrize("queue", ["no-such-queue", "https://sqs.us-east-1.amazonaws.com/123456789012/nope"])
def test_an_unknown_queue_is_one_line(run, moto, command, queue) -> None:
    # Given no such queue (by name or URL) / When it is shown or redriven
    result = run(*command, "--queue", queue, "--wait", "0")
    # Then one line says so
    assert result.exit_code == 2
    assert _one_error_line(result).startswith("orders: error: queue not found")


def test_no_credentials_is_one_line(run, aws_env, monkeypatch) -> None:
    # Given no AWS credentials anywhere (and no instance metadata to ask)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # When publishing
    result = run("publish", ENTRIES_FILE, "--bus", "b")
    # Then one line says what to set
    assert result.exit_code == 2
    assert "no AWS credentials found" in _one_error_line(result)


def test_the_console_script_prints_one_line_and_no_traceback(tmp_path) -> None:
    # Given the installed `orders` script / When it is run on a missing file
    result = subprocess.run(
        [ORDERS, "send", tmp_path / "missing.json", "--url", "http://127.0.0.1:9/orders"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # Then stderr is exactly one line and the exit code is 2
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"orders: error: {tmp_path / 'missing.json'}: no such file"]


def test_aws_endpoint_url_points_the_cli_at_another_endpoint(run, aws_env, monkeypatch) -> None:
    # Given a moto server on loopback, reachable only through AWS_ENDPOINT_URL, with a DLQ message
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://{host}:{port}")
        sqs = boto3.client("sqs")
        url = sqs.create_queue(QueueName="dlq-on-server")["QueueUrl"]
        item = event()
        put_dlq_message(sqs, url, item)
        # When the DLQ is shown by name
        result = run("dlq", "show", "--queue", "dlq-on-server", "--json", "--wait", "0")
        # Then the CLI found the queue on that endpoint
        assert result.exit_code == 0, result.output
        assert [message["event"]["id"] for message in json.loads(result.stdout)] == [item["id"]]
    finally:
        server.stop()


@pytest.mark.parametrize("variable", ["AWS_REGION", "AWS_DEFAULT_REGION"])
def test_the_region_comes_from_either_variable(run, aws_env, stub, monkeypatch, variable) -> None:
    # Given only one of the two region variables, set to eu-west-1
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv(variable, "eu-west-1")
    stub.script = [(201, "{}", 0.0)]
    # When the sample is sent / Then the envelope carries that region
    assert run("send", ENTRIES_FILE, "--url", stub.url).exit_code == 0
    assert stub.requests[0]["body"]["region"] == "eu-west-1"


def test_no_region_is_one_line(run, aws_env, monkeypatch) -> None:
    # Given credentials but no region anywhere / When publishing / Then one line says what to set
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION", raising=False)
    result = run("publish", ENTRIES_FILE, "--bus", "b")
    assert result.exit_code == 2
    assert "no AWS region set" in _one_error_line(result)
