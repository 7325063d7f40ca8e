"""Events: a custom bus with an archive, and a rule that calls the API with retries and a DLQ."""

import json
from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import _names
from components._component import register_annotated_outputs, require
from components._registry import event_schema
from handler.contract import DETAIL_TYPE, EVENT_SOURCE

DLQ_RETENTION_SECONDS = 14 * 24 * 3600  # SQS's maximum: two weeks to notice and redrive
DEFAULT_ARCHIVE_RETENTION_DAYS = 7
DEFAULT_MAX_EVENT_AGE_SECONDS = 86_400
DEFAULT_MAX_RETRY_ATTEMPTS = 185
#: Each retry-policy and archive arg: its default and the range EventBridge accepts.
_LIMITS = {
    "archive_retention_days": (DEFAULT_ARCHIVE_RETENTION_DAYS, 0, None),
    "max_event_age_seconds": (DEFAULT_MAX_EVENT_AGE_SECONDS, 60, 86_400),
    "max_retry_attempts": (DEFAULT_MAX_RETRY_ATTEMPTS, 0, 185),
}


def event_pattern() -> dict[str, list[str]]:
    """The rule's pattern: only the handler's source and detail-type."""
    return {"source": [EVENT_SOURCE], "detail-type": [DETAIL_TYPE]}


def _policy(statement: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class EventsArgs(TypedDict):
    """Inputs of :class:`Events`. The target is needed; `Pipeline` wires it (the API's route)."""

    target_arn: NotRequired[pulumi.Input[str]]
    """The route's ARN, `arn:aws:execute-api:<region>:<acct>:<api>/<stage>/PUT/orders`. Needed."""
    archive_retention_days: NotRequired[pulumi.Input[int]]
    """How long the archive keeps events for replay; 0 keeps them forever."""
    max_event_age_seconds: NotRequired[pulumi.Input[int]]
    """Give up retrying after this long (60 s - 24 h)."""
    max_retry_attempts: NotRequired[pulumi.Input[int]]
    """Give up after this many retries (0-185)."""


class Events(pulumi.ComponentResource):
    """Bus, archive, rule, API target (with its invoke role), encrypted DLQ and its policy, and the
    event's schema in a registry of its own.

    Its alarms (failed invocations, DLQ depth) are `Alarms`', by the rule's and the queue's names.
    """

    bus_name: pulumi.Output[str]
    """The bus producers put events on (`aws events put-events --event-bus-name`)."""
    bus_arn: pulumi.Output[str]
    """The bus, for a producer's `events:PutEvents` grant."""
    rule_name: pulumi.Output[str]
    """The rule, as CloudWatch's `RuleName` knows it (its metrics, with the bus's name)."""
    rule_arn: pulumi.Output[str]
    """The rule, to replay the archive through (`aws events start-replay`)."""
    dlq_name: pulumi.Output[str]
    """The dead-letter queue, as CloudWatch's `QueueName` knows it."""
    dlq_url: pulumi.Output[str]
    """The dead-letter queue, to read and redrive what EventBridge gave up on."""
    schema_registry_name: pulumi.Output[str]
    """The registry producers read the event's schema from (`aws schemas describe-schema`)."""
    schema_name: pulumi.Output[str]
    """The event's schema in that registry: `ecommerce@CreateOrder`."""
    schema_version: pulumi.Output[str]
    """The schema's current version: EventBridge's, moved only when the schema's content changes."""

    def __init__(self, name: str, args: EventsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _check(args)
        super().__init__("order-events:index:Events", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        bus = aws.cloudwatch.EventBus(f"{name}-bus", name=f"{name}-bus", opts=child)
        aws.cloudwatch.EventArchive(
            f"{name}-archive",
            name=_names.exact_or_fit(f"{name}-archive", _names.EVENT_ARCHIVE),
            event_source_arn=bus.arn,
            retention_days=args.get("archive_retention_days", DEFAULT_ARCHIVE_RETENTION_DAYS),
            opts=child,
        )
        rule = aws.cloudwatch.EventRule(
            f"{name}-rule",
            name=_names.autoname_or_fit(f"{name}-rule", _names.EVENT_RULE),
            event_bus_name=bus.name,
            event_pattern=json.dumps(event_pattern()),
            opts=child,
        )
        dlq = _dead_letter_queue(name, rule, child)
        _target(name, args, bus, rule, dlq, child)
        registry, schema = event_schema(name, child)
        self.bus_name = bus.name
        self.bus_arn = bus.arn
        self.rule_name = rule.name
        self.rule_arn = rule.arn
        self.dlq_name = dlq.name
        self.dlq_url = dlq.url
        self.schema_registry_name = registry.name
        self.schema_name = schema.name
        self.schema_version = schema.version
        register_annotated_outputs(self)


def check_settings(args: EventsArgs) -> None:
    """Refuse a bad setting, naming it; `Pipeline` runs this for each child before it makes anything."""
    for field, (default, low, high) in _LIMITS.items():
        value = args.get(field, default)
        if isinstance(value, int) and not (low <= value and (high is None or value <= high)):
            span = f">= {low}" if high is None else f"{low}-{high}"
            raise ValueError(f"`{field}` must be {span}, got {value}")


def _check(args: EventsArgs) -> None:
    require(args, "target_arn")
    check_settings(args)


def _dead_letter_queue(
    name: str, rule: aws.cloudwatch.EventRule, opts: pulumi.ResourceOptions
) -> aws.sqs.Queue:
    """An encrypted queue, kept two weeks, that only this rule may send to."""
    # SSE-SQS rather than the AWS-managed KMS key, whose key policy EventBridge cannot be granted.
    dlq = aws.sqs.Queue(
        f"{name}-dlq",
        name=_names.autoname_or_fit(f"{name}-dlq", _names.SQS_QUEUE),
        sqs_managed_sse_enabled=True,
        message_retention_seconds=DLQ_RETENTION_SECONDS,
        opts=opts,
    )
    aws.sqs.QueuePolicy(
        f"{name}-dlq-policy",
        queue_url=dlq.url,
        policy=pulumi.Output.all(dlq.arn, rule.arn).apply(
            lambda a: _policy(
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": a[0],
                    "Condition": {"ArnEquals": {"aws:SourceArn": a[1]}},
                }
            )
        ),
        opts=opts,
    )
    return dlq


def _target(
    name: str,
    args: EventsArgs,
    bus: aws.cloudwatch.EventBus,
    rule: aws.cloudwatch.EventRule,
    dlq: aws.sqs.Queue,
    opts: pulumi.ResourceOptions,
) -> None:
    """The API as the rule's target, called with a role that may invoke that one route, retried, then DLQ."""
    role = aws.iam.Role(
        f"{name}-invoke",
        name=_names.autoname_or_fit(f"{name}-invoke", _names.IAM_ROLE),
        # Only this rule may assume the role (confused-deputy guard).
        assume_role_policy=rule.arn.apply(
            lambda arn: _policy(
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"ArnEquals": {"aws:SourceArn": arn}},
                }
            )
        ),
        opts=opts,
    )
    aws.iam.RolePolicy(
        f"{name}-invoke-policy",
        name=_names.autoname_or_fit(f"{name}-invoke-policy", _names.IAM_POLICY),
        role=role.id,
        policy=pulumi.Output.from_input(args["target_arn"]).apply(
            lambda arn: _policy({"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": arn})
        ),
        opts=opts,
    )
    aws.cloudwatch.EventTarget(
        f"{name}-target",
        rule=rule.name,
        event_bus_name=bus.name,
        arn=args["target_arn"],
        role_arn=role.arn,
        retry_policy=aws.cloudwatch.EventTargetRetryPolicyArgs(
            maximum_event_age_in_seconds=args.get("max_event_age_seconds", DEFAULT_MAX_EVENT_AGE_SECONDS),
            maximum_retry_attempts=args.get("max_retry_attempts", DEFAULT_MAX_RETRY_ATTEMPTS),
        ),
        dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=dlq.arn),
        opts=opts,
    )
