"""Pure helpers for HandlerTask: the container definition and the execution role's policy document.

Kept apart from the component so that tests can call them and the component file stays short.
"""

import json
from typing import Any

from components.database import DOCDB_PORT
from handler.contract import (
    CONTAINER_PORT,
    ENV_API_STAGE,
    ENV_EMF_ENVIRONMENT,
    ENV_HOST,
    ENV_KEEP_ALIVE_SECONDS,
    ENV_MONGODB_PASSWORD,
    ENV_MONGODB_TLS_CA_FILE,
    ENV_MONGODB_URI,
    ENV_MONGODB_USERNAME,
    ENV_PORT,
    ENV_STORE_DEADLINE_SECONDS,
    HEALTH_PATH,
    RDS_CA_BUNDLE_PATH,
)

CONTAINER_NAME = "handler"


def mongodb_uri(endpoint: str) -> str:
    """The handler's connection string: TLS, the replica set DocumentDB exposes, no credentials in it."""
    return (
        f"mongodb://{endpoint}:{DOCDB_PORT}/?tls=true&replicaSet=rs0"
        "&readPreference=primary&retryWrites=false"  # DocumentDB does not support retryable writes
    )


def health_command() -> list[str]:
    """A container health check that needs only the image's Python (no curl in a slim image)."""
    url = f"http://127.0.0.1:{CONTAINER_PORT}{HEALTH_PATH}"
    return ["CMD", "python", "-c", f"import urllib.request; urllib.request.urlopen('{url}', timeout=2)"]


def environment(*, endpoint: str, deadline: float, api_stage: str, keep_alive: int) -> dict[str, str]:
    """The container's variables, named by the handler's contract; the credentials come as `secrets`."""
    return {
        ENV_HOST: "0.0.0.0",  # noqa: S104 - inside the task's own network namespace
        ENV_PORT: str(CONTAINER_PORT),
        ENV_MONGODB_URI: mongodb_uri(endpoint),
        ENV_MONGODB_TLS_CA_FILE: RDS_CA_BUNDLE_PATH,
        ENV_EMF_ENVIRONMENT: "Local",  # EMF metrics go to stdout, then to the awslogs group
        ENV_STORE_DEADLINE_SECONDS: str(deadline),
        # The private integration sends the stage in the backend path (/v1/orders): serve under it too.
        ENV_API_STAGE: api_stage,
        # Longer than the ALB's idle timeout, from the value the ALB is given (see components/alb.py).
        ENV_KEEP_ALIVE_SECONDS: str(keep_alive),
    }


def container_definitions(
    *,
    image: str,
    endpoint: str,
    secret_arn: str,
    log_group: str,
    region: str,
    user: str,
    deadline: float,
    api_stage: str,
    keep_alive: int,
) -> str:
    """The task's single container, as the JSON ECS expects."""
    env = environment(endpoint=endpoint, deadline=deadline, api_stage=api_stage, keep_alive=keep_alive)
    container: dict[str, Any] = {
        "name": CONTAINER_NAME,
        "image": image,
        "essential": True,
        "user": user,
        # Nothing in the container is writable, and no volume is mounted: with MONGODB_URI set the handler
        # writes no file (its only file is the embedded store's, unused here). A task volume on /tmp would be
        # a root-owned mount the app's uid could not write to anyway.
        "readonlyRootFilesystem": True,
        "portMappings": [{"containerPort": CONTAINER_PORT, "protocol": "tcp"}],
        "environment": [{"name": k, "value": v} for k, v in env.items()],
        # The master secret's JSON keys; ECS resolves them at start, so they never sit in the task definition.
        "secrets": [
            {"name": ENV_MONGODB_USERNAME, "valueFrom": f"{secret_arn}:username::"},
            {"name": ENV_MONGODB_PASSWORD, "valueFrom": f"{secret_arn}:password::"},
        ],
        "linuxParameters": {"initProcessEnabled": True, "capabilities": {"drop": ["ALL"]}},
        "healthCheck": {
            "command": health_command(),
            "interval": 15,
            "timeout": 5,
            "retries": 3,
            "startPeriod": 15,
        },
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": log_group,
                "awslogs-region": region,
                "awslogs-stream-prefix": "handler",
            },
        },
    }
    return json.dumps([container])


def execution_policy(*, secret_arn: str, log_group_arn: str, repository_arn: str | None) -> str:
    """What ECS needs to start the task: pull the image, write logs, read the one DB secret."""
    statements: list[dict[str, Any]] = [
        # GetAuthorizationToken has no resource-level permissions: "*" is the only valid resource.
        {"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{log_group_arn}:*",
        },
        {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": secret_arn},
    ]
    if repository_arn:
        statements.append(
            {
                "Effect": "Allow",
                "Action": [
                    "ecr:BatchGetImage",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchCheckLayerAvailability",
                ],
                "Resource": repository_arn,
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def assume_role_policy(service: str) -> str:
    """A trust policy for one AWS service principal."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        }
    )
