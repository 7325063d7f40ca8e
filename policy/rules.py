"""AWS FSBP controls for this project: which check reads which resource types, and how to run them all.

Tests and CrossGuard (`pack.py`) run the same `RULES`, so an offline test and `pulumi preview
--policy-pack policy` cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from policy.checks import (
    Props,
    alb_access_logs,
    alb_internal,
    api_access_logs,
    api_method_iam,
    docdb_cluster,
    ecr_lifecycle,
    ecr_scan_on_push,
    ecs_container_insights,
    ecs_containers_hardened,
    ecs_no_public_ip,
    event_target_dlq,
    iam_no_star,
    no_open_ingress,
    sqs_encrypted,
)
from policy.s3_checks import s3_block_public_access, s3_default_encryption, s3_lifecycle, s3_ssl_only


@dataclass(frozen=True)
class Rule:
    """One control: a name for the pack, the resource types it reads, and the check itself."""

    name: str
    description: str
    types: tuple[str, ...]
    check: Callable[[Props, str], Iterable[str]]


RULES: tuple[Rule, ...] = (
    Rule(
        "ecs-no-public-ip", "ECS services assign no public IP", ("aws:ecs/service:Service",), ecs_no_public_ip
    ),
    Rule(
        "ecs-container-hardening",
        "Containers: read-only root fs, not privileged, not root",
        ("aws:ecs/taskDefinition:TaskDefinition",),
        ecs_containers_hardened,
    ),
    Rule(
        "ecs-container-insights",
        "ECS clusters use Container Insights",
        ("aws:ecs/cluster:Cluster",),
        ecs_container_insights,
    ),
    Rule(
        "docdb-cluster",
        "DocumentDB: encrypted, backed up, audited, protected in prod",
        ("aws:docdb/cluster:Cluster",),
        docdb_cluster,
    ),
    Rule("sqs-encrypted", "SQS queues are encrypted", ("aws:sqs/queue:Queue",), sqs_encrypted),
    Rule(
        "ecr-scan-on-push",
        "ECR repositories scan on push",
        ("aws:ecr/repository:Repository",),
        ecr_scan_on_push,
    ),
    Rule(
        "apigateway-access-logs",
        "API Gateway stages log access",
        ("aws:apigateway/stage:Stage",),
        api_access_logs,
    ),
    Rule(
        "apigateway-method-iam",
        "API Gateway methods use AWS_IAM authorization",
        ("aws:apigateway/method:Method",),
        api_method_iam,
    ),
    Rule(
        "alb-internal",
        "Load balancers are internal",
        ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"),
        alb_internal,
    ),
    Rule(
        "elb-access-logs",
        "Application Load Balancers write access logs",
        ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"),
        alb_access_logs,
    ),
    Rule(
        "eventbridge-target-dlq",
        "EventBridge targets have a DLQ",
        ("aws:cloudwatch/eventTarget:EventTarget",),
        event_target_dlq,
    ),
    Rule(
        "iam-no-star-on-star",
        "IAM grants no `*` actions on `*`",
        ("aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"),
        iam_no_star,
    ),
    Rule(
        "no-open-ingress",
        "No ingress from 0.0.0.0/0",
        ("aws:ec2/securityGroup:SecurityGroup", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
        no_open_ingress,
    ),
)


STACK_RULES: tuple[tuple[str, str, Callable[[Iterable[tuple[str, Props]]], Iterable[str]]], ...] = (
    ("ecr-lifecycle-policy", "ECR repositories have a lifecycle policy", ecr_lifecycle),
    ("s3-block-public-access", "S3 buckets block public access (S3.8)", s3_block_public_access),
    ("s3-default-encryption", "S3 buckets state their default encryption (S3.4)", s3_default_encryption),
    ("s3-ssl-only", "S3 bucket policies deny requests without TLS (S3.5)", s3_ssl_only),
    ("s3-lifecycle", "S3 buckets expire or move their objects (S3.13)", s3_lifecycle),
)


def evaluate(resources: Iterable[tuple[str, Props, Props]], stack: str) -> list[str]:
    """Every violation in a graph of `(type, inputs, outputs)`, as `rule: message`, like the pack reports.

    Resource rules read inputs and stack rules read outputs, as CrossGuard gives them.
    """
    resources = list(resources)
    found = [
        f"{r.name}: {m}" for t, i, _ in resources for r in RULES if t in r.types for m in r.check(i, stack)
    ]
    outputs = [(t, o) for t, _, o in resources]
    return found + [f"{name}: {m}" for name, _, check in STACK_RULES for m in check(outputs)]
