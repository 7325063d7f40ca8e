"""The pipeline's alarms all mean "this happened at least once in five minutes": one way to make them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
import pulumi_aws as aws


def any_in_five_minutes(
    name: str,
    *,
    namespace: str,
    metric_name: str,
    dimensions: Mapping[str, pulumi.Input[str]],
    alarm_actions: Sequence[pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
    statistic: str = "Sum",
) -> aws.cloudwatch.MetricAlarm:
    """Alarm when ``metric_name``'s ``statistic`` over five minutes is above 0; no data is not a breach."""
    return aws.cloudwatch.MetricAlarm(
        name,
        namespace=namespace,
        metric_name=metric_name,
        dimensions=dict(dimensions),
        statistic=statistic,
        period=300,
        evaluation_periods=1,
        threshold=0,
        comparison_operator="GreaterThanThreshold",
        treat_missing_data="notBreaching",
        alarm_actions=list(alarm_actions),
        opts=opts,
    )
