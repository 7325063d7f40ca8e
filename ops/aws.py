"""boto3 clients, SigV4 signing for `execute-api`, and AWS errors worded for a person.

Clients come from a plain `boto3.Session()`, so the standard settings apply unchanged: `AWS_PROFILE`,
`AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL` (moto, LocalStack), `AWS_RETRY_MODE`, ... (plus `AWS_REGION`).
"""

from __future__ import annotations

import functools
import os
import re
from typing import Any

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
)

from ops.errors import OpsError

#: The region EventBridge would write into an envelope when none is configured locally.
FALLBACK_REGION = "us-east-1"

_EXECUTE_API_HOST = re.compile(r"^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$")
_MISSING_QUEUE = {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"}


@functools.cache
def session() -> boto3.Session:
    """The one session; `AWS_REGION` is honoured too, which botocore reads only as `AWS_DEFAULT_REGION`.

    Lambda, ECS and the other AWS SDKs set and read `AWS_REGION`, and give it precedence.
    """
    return boto3.Session(region_name=os.environ.get("AWS_REGION") or None)


def client(service: str) -> Any:
    """Return a boto3 client for `service` built with boto3's standard settings."""
    return session().client(service)


def region() -> str:
    """The configured region, or EventBridge's usual one for local envelopes."""
    return session().region_name or FALLBACK_REGION


def execute_api_region(host: str) -> str | None:
    """The region of an API Gateway default endpoint host, or None for any other host."""
    match = _EXECUTE_API_HOST.match(host)
    return match.group(1) if match else None


def sigv4_headers(method: str, url: str, body: bytes, headers: dict[str, str], region: str) -> dict[str, str]:
    """Sign a request for `execute-api` with the caller's credentials, as EventBridge's role would.

    Signing happens per attempt: the signature carries a timestamp that API Gateway checks.
    """
    credentials = session().get_credentials()
    if credentials is None:
        raise NoCredentialsError()
    request = AWSRequest(method=method, url=url, data=body, headers=headers)
    SigV4Auth(credentials.get_frozen_credentials(), "execute-api", region).add_auth(request)
    return dict(request.headers.items())


def describe(error: Exception) -> str | None:
    """One line for an AWS error a user can fix, or None if `error` is not an AWS error."""
    if isinstance(error, NoCredentialsError):
        return "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
    if isinstance(error, NoRegionError):
        return "no AWS region set: set AWS_REGION, or use a profile that has one"
    if isinstance(error, EndpointConnectionError):
        return f"cannot reach the AWS endpoint: {error}"
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "")
        if code in _MISSING_QUEUE:
            return "queue not found: check --queue (a queue URL or name) and the region/endpoint"
        return f"{error.operation_name} failed: {code}: {message}"
    if isinstance(error, ParamValidationError | BotoCoreError):
        return str(error).replace("\n", " ")
    return None


def queue_url(sqs: Any, queue: str) -> str:
    """Accept a queue URL or a queue name; a name is resolved with GetQueueUrl."""
    if queue.startswith(("https://", "http://")):
        return queue
    if not queue:
        raise OpsError("--queue is empty")
    return sqs.get_queue_url(QueueName=queue)["QueueUrl"]
