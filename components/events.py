"""Events: a custom bus with an archive, and a rule that calls the API with retries, a DLQ and alarms."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components._alarms import any_in_five_minutes
from handler.contract import DETAIL_TYPE, EVENT_SOURCE

DLQ_RETENTION_SECONDS = 14 * 24 * 3600  # SQS's maximum: two weeks to notice and redrive


def event_pattern() -> dict[str, list[str]]:
    """The rule's pattern: only the handler's source and detail-type."""
    return {"source": [EVENT_SOURCE], "detail-type": [DETAIL_TYPE]}


def _policy(statement: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@dataclass(kw_only=True)
class EventsArgs:
    """Inputs of :class:`Events`."""

    target_arn: pulumi.Input[str]
    """The route's `execute-api` ARN: `arn:aws:execute-api:<region>:<acct>:<api>/<stage>/PUT/orders`."""
    archive_retention_days: int = 7
    """How long the archive keeps events for replay; 0 keeps them forever."""
    max_event_age_seconds: int = 86_400
    """Give up retrying after this long (60 s - 24 h)."""
    max_retry_attempts: int = 185
    """Give up after this many retries (0-185)."""
    alarm_actions: Sequence[pulumi.Input[str]] = field(default_factory=list)
    """Where the alarms notify (SNS topic ARNs)."""


class Events(pulumi.ComponentResource):
    """Bus, archive, rule, API target (with its invoke role), encrypted DLQ and its policy, alarms."""

    bus_name: pulumi.Output[str]
    bus_arn: pulumi.Output[str]
    rule_arn: pulumi.Output[str]
    dlq_url: pulumi.Output[str]

    def __init__(self, name: str, args: EventsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if not 60 <= args.max_event_age_seconds <= 86_400:
            raise ValueError(f"`max_event_age_seconds` must be 60-86400, got {args.max_event_age_seconds}")
        if not 0 <= args.max_retry_attempts <= 185:
            raise ValueError(f"`max_retry_attempts` must be 0-185, got {args.max_retry_attempts}")
        if args.archive_retention_days < 0:
            raise ValueError(f"`archive_retention_days` must be >= 0, got {args.archive_retention_days}")
        super().__init__("order-events:index:Events", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        bus = aws.cloudwatch.EventBus(f"{name}-bus", name=f"{name}-bus", opts=child)
        aws.cloudwatch.EventArchive(
            f"{name}-archive",
            name=f"{name}-archive",
            event_source_arn=bus.arn,
            retention_days=args.archive_retention_days,
            opts=child,
        )
        rule = aws.cloudwatch.EventRule(
            f"{name}-rule", event_bus_name=bus.name, event_pattern=json.dumps(event_pattern()), opts=child
        )
        # SSE-SQS rather than the AWS-managed KMS key, whose key policy EventBridge cannot be granted.
        dlq = aws.sqs.Queue(
            f"{name}-dlq",
            sqs_managed_sse_enabled=True,
            message_retention_seconds=DLQ_RETENTION_SECONDS,
            opts=child,
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
            opts=child,
        )
        role = aws.iam.Role(
            f"{name}-invoke",
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
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-invoke-policy",
            role=role.id,
            policy=pulumi.Output.from_input(args.target_arn).apply(
                lambda arn: _policy({"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": arn})
            ),
            opts=child,
        )
        aws.cloudwatch.EventTarget(
            f"{name}-target",
            rule=rule.name,
            event_bus_name=bus.name,
            arn=args.target_arn,
            role_arn=role.arn,
            retry_policy=aws.cloudwatch.EventTargetRetryPolicyArgs(
                maximum_event_age_in_seconds=args.max_event_age_seconds,
                maximum_retry_attempts=args.max_retry_attempts,
            ),
            dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=dlq.arn),
            opts=child,
        )
        any_in_five_minutes(
            f"{name}-dlq-depth",
            namespace="AWS/SQS",
            metric_name="ApproximateNumberOfMessagesVisible",
            dimensions={"QueueName": dlq.name},
            statistic="Maximum",
            alarm_actions=args.alarm_actions,
            opts=child,
        )
        any_in_five_minutes(
            f"{name}-failed-invocations",
            namespace="AWS/Events",
            metric_name="FailedInvocations",
            dimensions={"EventBusName": bus.name, "RuleName": rule.name},
            alarm_actions=args.alarm_actions,
            opts=child,
        )
        self.bus_name = bus.name
        self.bus_arn = bus.arn
        self.rule_arn = rule.arn
        self.dlq_url = dlq.url
        self.register_outputs(
            {
                "bus_name": self.bus_name,
                "bus_arn": self.bus_arn,
                "rule_arn": self.rule_arn,
                "dlq_url": self.dlq_url,
            }
        )
