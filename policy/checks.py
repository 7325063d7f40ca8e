"""The AWS FSBP checks, as plain functions over a resource's properties (camelCase, as the engine sends them).

A resource check takes `(props, stack)` and yields one message per violation; a stack check takes every
`(type, props)` at once. `rules.py` says which types each one reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

Props = Mapping[str, Any]


def is_prod(stack: str) -> bool:
    """Prod-only controls apply to stacks named `prod` or `prod-*`."""
    return stack == "prod" or stack.startswith("prod-")


def _containers(props: Props) -> list[dict]:
    raw = props.get("containerDefinitions") or "[]"
    return json.loads(raw) if isinstance(raw, str) else list(raw)


def ecs_no_public_ip(props: Props, stack: str) -> Iterator[str]:
    """ECS.2: services do not assign public IPs."""
    if (props.get("networkConfiguration") or {}).get("assignPublicIp"):
        yield "ECS service assigns a public IP (ECS.2)"


def ecs_containers_hardened(props: Props, stack: str) -> Iterator[str]:
    """ECS.5 read-only root filesystem; ECS.4 not privileged; and not running as root."""
    for c in _containers(props):
        if not c.get("readonlyRootFilesystem"):
            yield f"container `{c.get('name')}` has a writable root filesystem (ECS.5)"
        if c.get("privileged"):
            yield f"container `{c.get('name')}` is privileged (ECS.4)"
        if str(c.get("user", "root")).split(":")[0] in ("root", "0"):
            yield f"container `{c.get('name')}` runs as root"


def ecs_container_insights(props: Props, stack: str) -> Iterator[str]:
    """ECS.12: clusters use Container Insights."""
    if not any(
        s.get("name") == "containerInsights" and s.get("value") in ("enabled", "enhanced")
        for s in props.get("settings") or []
    ):
        yield "ECS cluster has Container Insights off (ECS.12)"


def docdb_cluster(props: Props, stack: str) -> Iterator[str]:
    """DocumentDB.1 encrypted, .2 backups (7 days in prod), .4 audit logs, .5 deletion protection in prod."""
    if not props.get("storageEncrypted"):
        yield "DocumentDB storage is not encrypted (DocumentDB.1)"
    retention = props.get("backupRetentionPeriod") or 0
    if retention < (7 if is_prod(stack) else 1):
        yield f"DocumentDB keeps {retention} days of backups (DocumentDB.2)"
    if "audit" not in (props.get("enabledCloudwatchLogsExports") or []):
        yield "DocumentDB does not export audit logs (DocumentDB.4)"
    if is_prod(stack) and not props.get("deletionProtection"):
        yield "DocumentDB has no deletion protection in prod (DocumentDB.5)"
    if props.get("masterPassword"):
        yield "DocumentDB master password is set in the program; use manageMasterUserPassword"


def sqs_encrypted(props: Props, stack: str) -> Iterator[str]:
    """SQS.1: queues are encrypted at rest."""
    if not (props.get("sqsManagedSseEnabled") or props.get("kmsMasterKeyId")):
        yield "SQS queue is not encrypted (SQS.1)"


def ecr_scan_on_push(props: Props, stack: str) -> Iterator[str]:
    """ECR.1: images are scanned on push."""
    if not (props.get("imageScanningConfiguration") or {}).get("scanOnPush"):
        yield "ECR repository does not scan on push (ECR.1)"


def api_access_logs(props: Props, stack: str) -> Iterator[str]:
    """APIGateway (access logging): stages write access logs."""
    if not (props.get("accessLogSettings") or {}).get("destinationArn"):
        yield "API Gateway stage has no access logs"


def api_method_iam(props: Props, stack: str) -> Iterator[str]:
    """Every REST API method is IAM-authorised: the only callers are AWS principals (SigV4)."""
    if props.get("authorization") != "AWS_IAM":
        yield (
            f"API Gateway method {props.get('httpMethod')} uses authorization "
            f"`{props.get('authorization')}`, not AWS_IAM"
        )


def alb_internal(props: Props, stack: str) -> Iterator[str]:
    """The load balancer is internal (this service is never public), and ELB.4 drops invalid headers."""
    if not props.get("internal"):
        yield "load balancer is internet-facing"
    if props.get("loadBalancerType", "application") == "application" and not props.get(
        "dropInvalidHeaderFields"
    ):
        yield "ALB keeps invalid HTTP headers (ELB.4)"


def alb_access_logs(props: Props, stack: str) -> Iterator[str]:
    """ELB.5: Application Load Balancers write access logs."""
    logging = (props.get("accessLogs") or {}).get("enabled")
    if props.get("loadBalancerType", "application") == "application" and logging is not True:
        yield "ALB writes no access logs (ELB.5)"


def event_target_dlq(props: Props, stack: str) -> Iterator[str]:
    """EventBridge targets have a dead-letter queue, so nothing is lost once retries give up."""
    if not (props.get("deadLetterConfig") or {}).get("arn"):
        yield "EventBridge target has no dead-letter queue"


def statements(document: Any) -> list[dict]:
    """The statements of an IAM policy document, given as JSON or parsed, always as a list."""
    doc = json.loads(document) if isinstance(document, str) else document or {}
    statements = doc.get("Statement", [])
    return [statements] if isinstance(statements, dict) else list(statements)


def as_list(value: Any) -> list:
    """`value` if it is a list, else a list of it (IAM takes one string or a list in most places)."""
    return value if isinstance(value, list) else [value]


def iam_no_star(props: Props, stack: str) -> Iterator[str]:
    """IAM.1/IAM.21: no statement allows `*` actions on `*` resources."""
    documents = [props.get("policy")] + [p.get("policy") for p in props.get("inlinePolicies") or []]
    for doc in filter(None, documents):
        for s in statements(doc):
            actions = as_list(s.get("Action", []))
            wild = any(a == "*" or str(a).endswith(":*") for a in actions)
            if s.get("Effect") == "Allow" and wild and "*" in as_list(s.get("Resource", [])):
                yield f"IAM policy allows {actions} on `*` (IAM.1)"


def no_open_ingress(props: Props, stack: str) -> Iterator[str]:
    """EC2.18/19: no ingress from the whole internet."""
    rules = [props] if "cidrIpv4" in props or "cidrIpv6" in props else list(props.get("ingress") or [])
    for r in rules:
        cidrs = [
            r.get("cidrIpv4"),
            r.get("cidrIpv6"),
            *(r.get("cidrBlocks") or []),
            *(r.get("ipv6CidrBlocks") or []),
        ]
        if {"0.0.0.0/0", "::/0"} & set(filter(None, cidrs)):
            yield "security group admits ingress from anywhere (EC2.18)"


def ecr_lifecycle(resources: Iterable[tuple[str, Props]]) -> Iterator[str]:
    """ECR.3: every repository has a lifecycle policy (a stack rule: the policy is its own resource)."""
    resources = list(resources)
    covered = {p.get("repository") for t, p in resources if t == "aws:ecr/lifecyclePolicy:LifecyclePolicy"}
    for t, p in resources:
        if t == "aws:ecr/repository:Repository" and p.get("name") not in covered:
            yield f"ECR repository `{p.get('name')}` has no lifecycle policy (ECR.3)"
