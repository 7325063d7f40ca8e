"""Database: a DocumentDB cluster in private subnets, TLS-only, with a Secrets-Manager-managed password."""

import hashlib
from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import _docdb_serverless as serverless
from components import _names
from components._component import register_annotated_outputs, require
from components._docdb_logs import (
    DEFAULT_PROFILER_THRESHOLD_MS,
    LOG_EXPORTS,
    PROFILER_THRESHOLD_RANGE,
    log_groups,
    log_parameters,
)
from components.security import allow_in

#: DocumentDB's port: the cluster admits it, the tasks open it, the connection string names it.
DOCDB_PORT = 27017
ENGINE = "docdb"
STORAGE_ENCRYPTED = True  # always: not an arg
DEFAULT_INSTANCE_CLASS = "db.t4g.medium"
SERVERLESS_INSTANCE_CLASS = serverless.INSTANCE_CLASS
DEFAULT_INSTANCE_COUNT = 1
DEFAULT_BACKUP_RETENTION_DAYS = 1
DEFAULT_MASTER_USERNAME = "orders"
DEFAULT_ENGINE_VERSION = "5.0.0"
DEFAULT_DELETION_PROTECTION = False
DEFAULT_FINAL_SNAPSHOT = False
DEFAULT_LOG_RETENTION_DAYS = 14


class DatabaseArgs(TypedDict):
    """Inputs of :class:`Database`. `vpc_id` and `subnet_ids` are needed; `Pipeline` wires them itself.

    The instance count, the final-snapshot switch and the engine version are plain values: they decide
    which resources exist and the parameter group's family.
    """

    vpc_id: NotRequired[pulumi.Input[str]]
    """The VPC the cluster's security group belongs to. Needed."""
    subnet_ids: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """Private subnets (two AZs at least) for the subnet group. Needed."""
    client_security_group_ids: NotRequired[Sequence[pulumi.Input[str]]]
    """The only security groups admitted on 27017; none means nothing can connect yet."""
    instance_class: NotRequired[pulumi.Input[str]]
    """Instance class of every instance; `db.serverless` makes them DocumentDB Serverless instances."""
    instance_count: NotRequired[int]
    """Instances in the cluster; 2+ gives a replica to fail over to."""
    backup_retention_days: NotRequired[pulumi.Input[int]]
    """Days of automated backups (1-35)."""
    deletion_protection: NotRequired[pulumi.Input[bool]]
    """Refuse to delete the cluster; off unless given, turn it on in prod."""
    final_snapshot: NotRequired[bool]
    """Take a final snapshot when the cluster is deleted; off unless given, turn it on in prod."""
    master_username: NotRequired[pulumi.Input[str]]
    """Master user name; its password is generated and kept by Secrets Manager, never seen here."""
    engine_version: NotRequired[str]
    """DocumentDB engine version; the parameter group family follows it. Serverless needs 5.0.0 or 8.0.0."""
    serverless_min_capacity: NotRequired[float]
    """Serverless only: the DCUs an instance scales down to (0.5-256, half steps). Default 0.5."""
    serverless_max_capacity: NotRequired[float]
    """Serverless only: the DCUs an instance scales up to (1-256, half steps, not below the minimum).
    Default 2."""
    log_retention_days: NotRequired[pulumi.Input[int]]
    """Retention of the audit and profiler log groups (`/aws/docdb/<cluster>/<type>`) the stack makes."""
    profiler_threshold_ms: NotRequired[int]
    """The profiler logs every operation slower than this (50 to 2147483646 ms; AWS advises starting high)."""


def final_snapshot_id(
    name: str,
    *,
    engine: str,
    master_username: str,
    storage_encrypted: bool,
    subnet_group: str,
    security_group: str,
) -> str:
    """The final snapshot's name for one cluster instance: `<name>-final-<12 hex>`.

    A snapshot name must be new at every delete, and the provider reads it from the state when it deletes
    the cluster (terraform-provider-aws `internal/service/docdb/cluster.go`, resourceClusterDelete), so it
    must be fixed when the cluster is created and differ for the next cluster. A deploy-time timestamp with
    `ignore_changes` does not do that: the engine copies an ignored input's old value into the new goal
    state (Pulumi docs, "Resource option: ignoreChanges"; pulumi `pkg/resource/deploy/step_generator.go`,
    processIgnoreChanges), so a replacement would inherit the old name and collide when it is deleted.

    Instead the name hashes what makes a new cluster: the inputs that force its replacement (`engine`,
    `master_username`, `storage_encrypted`, `db_subnet_group_name` are ForceNew in the provider's schema),
    and two values that exist once per stack instance: the subnet group's autonamed name (logical name plus
    a random suffix: Pulumi docs, "Resource names") and the security group's AWS-assigned id. A destroyed
    and re-created stack, or a replaced cluster, gets a new name; an unchanged cluster keeps its own.
    `pulumi up --replace` on the cluster alone changes none of these: replace the subnet group with it.
    """
    parts = (engine, master_username, str(storage_encrypted), subnet_group, security_group)
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]
    return f"{name}-final-{digest}"


class Database(pulumi.ComponentResource):
    """Creates the subnet group, security group, TLS parameter group, cluster and instances."""

    endpoint: pulumi.Output[str]
    """The cluster endpoint (the writer) the handler connects to."""
    secret_arn: pulumi.Output[str]
    """The managed master secret (JSON keys `username`, `password`), for the task's `secrets`."""
    security_group_id: pulumi.Output[str]
    """The cluster's group: a client's only egress to it, on 27017."""
    cluster_identifier: pulumi.Output[str]
    """The cluster, as `aws docdb` commands and CloudWatch's `DBClusterIdentifier` know it."""

    def __init__(self, name: str, args: DatabaseArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _check(args)
        super().__init__("order-events:index:Database", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        subnets = aws.docdb.SubnetGroup(
            f"{name}-subnets",
            name=_names.autoname_or_fit(f"{name}-subnets", _names.DOCDB_GROUP, lowercase=True),
            subnet_ids=args["subnet_ids"],
            opts=child,
        )
        sg = _security_group(name, args, child)
        # Chosen, not autonamed: its log groups are named after it and made before it (see _docdb_logs).
        identifier = _names.fit(f"{name}-cluster", _names.DOCDB_IDENTIFIER, lowercase=True)
        retention = args.get("log_retention_days", DEFAULT_LOG_RETENTION_DAYS)
        groups = log_groups(name, identifier, retention, child)
        cluster = _cluster(
            name, args, (identifier, subnets, sg), pulumi.ResourceOptions(parent=self, depends_on=groups)
        )
        for i in range(args.get("instance_count", DEFAULT_INSTANCE_COUNT)):
            aws.docdb.ClusterInstance(
                f"{name}-instance-{i}",
                identifier=_names.autoname_or_fit(
                    f"{name}-instance-{i}", _names.DOCDB_IDENTIFIER, lowercase=True
                ),
                cluster_identifier=cluster.id,
                instance_class=args.get("instance_class", DEFAULT_INSTANCE_CLASS),
                auto_minor_version_upgrade=True,
                opts=child,
            )
        self.endpoint = cluster.endpoint
        self.secret_arn = cluster.master_user_secrets.apply(lambda s: s[0].secret_arn)
        self.security_group_id = sg.id
        self.cluster_identifier = cluster.cluster_identifier
        register_annotated_outputs(self)


def check_settings(args: DatabaseArgs) -> None:
    """Refuse a bad setting, naming it; `Pipeline` runs this for each child before it makes anything."""
    count = args.get("instance_count", DEFAULT_INSTANCE_COUNT)
    if count < 1:
        raise ValueError(f"`instance_count` must be at least 1, got {count}")
    backups = args.get("backup_retention_days", DEFAULT_BACKUP_RETENTION_DAYS)
    if isinstance(backups, int) and not 1 <= backups <= 35:  # an Output is checked by AWS instead
        raise ValueError(f"`backup_retention_days` must be 1-35, got {backups}")
    serverless.check(
        args,
        instance_class=args.get("instance_class", DEFAULT_INSTANCE_CLASS),
        engine_version=args.get("engine_version", DEFAULT_ENGINE_VERSION),
    )
    low, high = PROFILER_THRESHOLD_RANGE
    threshold = args.get("profiler_threshold_ms", DEFAULT_PROFILER_THRESHOLD_MS)
    if not low <= threshold <= high:
        raise ValueError(f"`profiler_threshold_ms` must be {low}-{high}, got {threshold}")


def _check(args: DatabaseArgs) -> None:
    require(args, "vpc_id", "subnet_ids")
    check_settings(args)


def _security_group(name: str, args: DatabaseArgs, opts: pulumi.ResourceOptions) -> aws.ec2.SecurityGroup:
    """The cluster's group: 27017 from each client group, and no egress (the cluster never dials out)."""
    sg = aws.ec2.SecurityGroup(
        f"{name}-sg", vpc_id=args["vpc_id"], description="DocumentDB: 27017 from the service only", opts=opts
    )
    for i, client in enumerate(args.get("client_security_group_ids", [])):
        allow_in(f"{name}-from-client-{i}", group=sg.id, source=client, port=DOCDB_PORT, opts=opts)
    return sg


def _cluster(
    name: str,
    args: DatabaseArgs,
    placed: tuple[str, aws.docdb.SubnetGroup, aws.ec2.SecurityGroup],
    opts: pulumi.ResourceOptions,
) -> aws.docdb.Cluster:
    identifier, subnets, sg = placed
    version = args.get("engine_version", DEFAULT_ENGINE_VERSION)
    threshold = args.get("profiler_threshold_ms", DEFAULT_PROFILER_THRESHOLD_MS)
    params = _parameter_group(name, version, threshold, pulumi.ResourceOptions(parent=opts.parent))
    username = args.get("master_username", DEFAULT_MASTER_USERNAME)
    final_snapshot = args.get("final_snapshot", DEFAULT_FINAL_SNAPSHOT)
    return aws.docdb.Cluster(
        f"{name}-cluster",
        cluster_identifier=identifier,
        engine=ENGINE,
        engine_version=version,
        master_username=username,
        manage_master_user_password=True,
        storage_encrypted=STORAGE_ENCRYPTED,
        db_subnet_group_name=subnets.name,
        vpc_security_group_ids=[sg.id],
        db_cluster_parameter_group_name=params.name,
        backup_retention_period=args.get("backup_retention_days", DEFAULT_BACKUP_RETENTION_DAYS),
        deletion_protection=args.get("deletion_protection", DEFAULT_DELETION_PROTECTION),
        skip_final_snapshot=not final_snapshot,
        final_snapshot_identifier=(
            pulumi.Output.all(username, subnets.name, sg.id).apply(
                lambda a: final_snapshot_id(
                    name,
                    engine=ENGINE,
                    master_username=a[0],
                    storage_encrypted=STORAGE_ENCRYPTED,
                    subnet_group=a[1],
                    security_group=a[2],
                )
            )
            if final_snapshot
            else None
        ),
        enabled_cloudwatch_logs_exports=list(LOG_EXPORTS),
        serverless_v2_scaling_configuration=_scaling(args),
        opts=opts,
    )


def _scaling(args: DatabaseArgs) -> aws.docdb.ClusterServerlessV2ScalingConfigurationArgs | None:
    """The capacity range every `db.serverless` instance of the cluster scales in; none when provisioned."""
    if not serverless.is_serverless(args.get("instance_class", DEFAULT_INSTANCE_CLASS)):
        return None
    low, high = serverless.capacities(args)
    return aws.docdb.ClusterServerlessV2ScalingConfigurationArgs(min_capacity=low, max_capacity=high)


def _parameter_group(
    name: str, version: str, profiler_threshold_ms: int, opts: pulumi.ResourceOptions
) -> aws.docdb.ClusterParameterGroup:
    """TLS required, audit logs and the profiler on, for the family of `version` (`5.0.0` -> `docdb5.0`)."""
    return aws.docdb.ClusterParameterGroup(
        f"{name}-params",
        name=_names.autoname_or_fit(f"{name}-params", _names.DOCDB_GROUP, lowercase=True),
        family=f"docdb{version.rsplit('.', 1)[0]}",
        parameters=[
            aws.docdb.ClusterParameterGroupParameterArgs(name="tls", value="enabled"),
            *log_parameters(profiler_threshold_ms),
        ],
        opts=opts,
    )
