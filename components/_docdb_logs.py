"""What DocumentDB logs, and where: audit events and slow operations, into log groups the stack owns.

- The profiler is off by default and logs only when the cluster parameter `profiler` is `enabled`, then every
  operation slower than `profiler_threshold_ms` (50 to 2147483646); AWS advises starting high (500 ms) and
  lowering it, since a low threshold costs the cluster resources ("Profiling Amazon DocumentDB operations",
  https://docs.aws.amazon.com/documentdb/latest/developerguide/profiling.html). It stays on here: slow
  operations are what on-call looks for when the store-latency alarm fires (docs/runbook.md).
- Exported logs go to `/aws/docdb/<cluster identifier>/<type>` (same page, "Accessing your profiler logs";
  "Auditing Amazon DocumentDB events", https://docs.aws.amazon.com/documentdb/latest/developerguide/event-auditing.html).
  A group the service makes itself never expires, so the stack makes both, with its own retention, before
  the cluster: a database cluster may start writing as soon as it exists, and a group made after it would
  then fail as already existing (aws-cloudformation/cloudformation-coverage-roadmap#190, for RDS). So
  `Database` chooses the cluster's identifier up front instead of letting Pulumi autoname it.
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
    name: str, cluster_identifier: str, retention_days: pulumi.Input[int], opts: pulumi.ResourceOptions
) -> list[aws.cloudwatch.LogGroup]:
    """One group per exported type, where DocumentDB will write it, kept `retention_days`."""
    return [
        aws.cloudwatch.LogGroup(
            f"{name}-{kind}-logs",
            name=f"/aws/docdb/{cluster_identifier}/{kind}",
            retention_in_days=retention_days,
            opts=opts,
        )
        for kind in LOG_EXPORTS
    ]
