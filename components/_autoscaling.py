"""An ECS service's desired count between two bounds, tracking its average CPU."""

import pulumi
import pulumi_aws as aws


def track_cpu(
    name: str,
    *,
    cluster: aws.ecs.Cluster,
    service: aws.ecs.Service,
    bounds: tuple[int, int],
    cpu_percent: pulumi.Input[float],
    opts: pulumi.ResourceOptions,
) -> None:
    """Scale `service` between `bounds` (min, max) so that its average CPU stays near `cpu_percent`."""
    target = aws.appautoscaling.Target(
        f"{name}-scaling",
        service_namespace="ecs",
        scalable_dimension="ecs:service:DesiredCount",
        resource_id=pulumi.Output.concat("service/", cluster.name, "/", service.name),
        min_capacity=bounds[0],
        max_capacity=bounds[1],
        opts=opts,
    )
    aws.appautoscaling.Policy(
        f"{name}-cpu",
        policy_type="TargetTrackingScaling",
        service_namespace=target.service_namespace,
        scalable_dimension=target.scalable_dimension,
        resource_id=target.resource_id,
        target_tracking_scaling_policy_configuration={
            "predefined_metric_specification": {"predefined_metric_type": "ECSServiceAverageCPUUtilization"},
            "target_value": cpu_percent,
        },
        opts=opts,
    )
