"""What DocumentDB logs, and where: audit events and slow operations, into log groups the stack owns.

- The profiler is off by default and logs only when the cluster parameter `profiler` is `enabled`, then every
  operation slower than `profiler_threshold_ms` (50 to 2147483646); AWS advises starting high (500 ms) and
  lowering it, since a low threshold costs the cluster resources ("Profiling Amazon DocumentDB operations",
  https://docs.aws.amazon.com/documentdb/latest/developerguide/profiling.html). It stays on here: slow
  operations are what on-call looks for when the store-latency alarm fires (docs/runbook.md).
- Exported logs go to `/aws/docdb/<cluster identifier>/<type>` (same page, "Accessing your profiler logs";
  "Auditing Amazon DocumentDB events", https://docs.aws.amazon.com/documentdb/latest/developerguide/event-auditing.html).
  A group the service makes itself never expires, so the stack makes both first, with its own retention.
  The identifier is the cluster's autonamed one, known only once the cluster exists; the instances, which
  are what writes the logs, are made after the groups.
"""

import pulumi
import pulumi_aws as aws

#: The log types the cluster exports; each gets its own group.
LOG_EXPORTS = ("audit", "profiler")
PROFILER_THRESHOLD_RANGE = (50, 2_147_483_646)
DEFAULT_PROFILER_THRESHOLD_MS = 500


def log_parameters(threshold_ms: int) -> list[aws.docdb.ClusterParameterGroupParameterArgs]:
    """The parameters that make both exports carry something: audit events, and the profiler's slow
    operations past `threshold_ms`."""
    return [
        aws.docdb.ClusterParameterGroupParameterArgs(name="audit_logs", value="enabled"),
        aws.docdb.ClusterParameterGroupParameterArgs(name="profiler", value="enabled"),
        aws.docdb.ClusterParameterGroupParameterArgs(name="profiler_threshold_ms", value=str(threshold_ms)),
    ]


def log_groups(
    name: str, cluster: aws.docdb.Cluster, retention_days: pulumi.Input[int], opts: pulumi.ResourceOptions
) -> list[aws.cloudwatch.LogGroup]:
    """One group per exported type, where DocumentDB writes it, kept `retention_days`."""
    return [
        aws.cloudwatch.LogGroup(
            f"{name}-{kind}-logs",
            name=pulumi.Output.concat("/aws/docdb/", cluster.cluster_identifier, f"/{kind}"),
            retention_in_days=retention_days,
            opts=opts,
        )
        for kind in LOG_EXPORTS
    ]
