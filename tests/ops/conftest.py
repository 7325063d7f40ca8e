"""Fixtures for the `orders` CLI: fake AWS (moto), the real handler on loopback, a scripted stub.

Network stays on 127.0.0.1. Waiting is turned off through the CLI's own flags (`--wait 0`,
`--max-backoff 0`), so the suite stays fast without patching sleeps.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from moto import mock_aws
from typer.testing import CliRunner

from handler.contract import API_STAGE, ENV_API_STAGE, EVENT_SOURCE, ORDERS_PATH
from ops import aws
from ops.cli import app
from tests.ops.servers import Stub, real_handler, stub_server

BUS = "orders-test"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Invoke the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    monkeypatch.setenv("COLUMNS", "200")  # rich tables: no wrapping inside the asserted cells
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(app, [str(arg) for arg in args])

    return invoke


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and a region; nothing from the developer's own AWS set-up leaks in."""
    for name in (
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_SESSION_TOKEN",
        "ORDERS_EVENT_BUS",
        "ORDERS_URL",
        "ORDERS_DLQ_URL",
        "ORDERS_API_URL",
        "GITHUB_RUN_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    aws.session.cache_clear()  # the CLI caches its session per process
    yield
    aws.session.cache_clear()


@pytest.fixture
def moto(aws_env: None) -> Iterator[None]:
    with mock_aws():
        yield


@dataclass
class Bus:
    """A bus whose rule (source = ecommerce) delivers to an SQS queue, as the real rule would."""

    name: str
    delivered_url: str
    sqs: Any = field(repr=False)

    def delivered(self) -> list[dict[str, Any]]:
        """Every event the rule delivered so far (and removes them from the queue)."""
        events = []
        while batch := self.sqs.receive_message(QueueUrl=self.delivered_url, MaxNumberOfMessages=10).get(
            "Messages"
        ):
            events += [json.loads(message["Body"]) for message in batch]
            for message in batch:
                self.sqs.delete_message(QueueUrl=self.delivered_url, ReceiptHandle=message["ReceiptHandle"])
        return events


@pytest.fixture
def bus(moto: None) -> Bus:
    events, sqs = boto3.client("events"), boto3.client("sqs")
    events.create_event_bus(Name=BUS)
    url = sqs.create_queue(QueueName="delivered")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="orders", EventBusName=BUS, EventPattern=json.dumps({"source": [EVENT_SOURCE]}))
    events.put_targets(Rule="orders", EventBusName=BUS, Targets=[{"Id": "q", "Arn": arn}])
    return Bus(BUS, url, sqs)


@pytest.fixture(scope="session")
def handler_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real handler (`python -m handler`) on its SQLite store, shared by the whole session.

    Because the store is shared, only one test may send the sample's own order id.
    """
    with real_handler(tmp_path_factory.mktemp("handler")) as url:
        yield url


@pytest.fixture(scope="session")
def staged_handler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real handler told the API stage, as the service is: it serves `/v1/orders` too. Yields its root."""
    with real_handler(tmp_path_factory.mktemp("staged"), env={ENV_API_STAGE: API_STAGE}) as url:
        yield url.removesuffix(ORDERS_PATH)


@pytest.fixture
def stub() -> Iterator[Stub]:
    with stub_server() as server:
        yield server


@pytest.fixture
def dlq(moto: None) -> tuple[Any, str]:
    """An empty SQS queue standing in for the rule target's dead-letter queue: (client, URL)."""
    sqs = boto3.client("sqs")
    return sqs, sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
