"""Database: a DocumentDB cluster in private subnets, TLS-only, with a Secrets-Manager-managed password."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components._security import allow_in

#: DocumentDB's port: the cluster admits it, the tasks open it, the connection string names it.
DOCDB_PORT = 27017
ENGINE = "docdb"
STORAGE_ENCRYPTED = True  # always: not an arg


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


@dataclass(kw_only=True)
class DatabaseArgs:
    """Inputs of :class:`Database`."""

    vpc_id: pulumi.Input[str]
    """The VPC the cluster's security group belongs to."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Private subnets (two AZs at least) for the subnet group."""
    client_security_group_ids: Sequence[pulumi.Input[str]] = field(default_factory=list)
    """The only security groups admitted on 27017; empty means nothing can connect yet."""
    instance_class: str = "db.t4g.medium"
    """Instance class of every instance."""
    instance_count: int = 1
    """Instances in the cluster; 2+ gives a replica to fail over to."""
    backup_retention_days: int = 1
    """Days of automated backups (1-35)."""
    deletion_protection: bool = False
    """Refuse to delete the cluster; turn on in prod."""
    final_snapshot: bool = False
    """Take a final snapshot when the cluster is deleted; turn on in prod."""
    master_username: str = "orders"
    """Master user name; its password is generated and kept by Secrets Manager, never seen here."""
    engine_version: str = "5.0.0"
    """DocumentDB engine version; the parameter group family follows it."""


class Database(pulumi.ComponentResource):
    """Creates the subnet group, security group, TLS parameter group, cluster and instances."""

    endpoint: pulumi.Output[str]
    secret_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]

    def __init__(self, name: str, args: DatabaseArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if args.instance_count < 1:
            raise ValueError(f"`instance_count` must be at least 1, got {args.instance_count}")
        if not 1 <= args.backup_retention_days <= 35:
            raise ValueError(f"`backup_retention_days` must be 1-35, got {args.backup_retention_days}")
        super().__init__("order-events:index:Database", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        subnets = aws.docdb.SubnetGroup(f"{name}-subnets", subnet_ids=args.subnet_ids, opts=child)
        sg = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description="DocumentDB: 27017 from the service only",
            opts=child,
        )
        # No egress rule: the cluster never opens connections.
        for i, client in enumerate(args.client_security_group_ids):
            allow_in(f"{name}-from-client-{i}", group=sg.id, source=client, port=DOCDB_PORT, opts=child)
        params = aws.docdb.ClusterParameterGroup(
            f"{name}-params",
            family=f"docdb{args.engine_version.rsplit('.', 1)[0]}",
            parameters=[
                aws.docdb.ClusterParameterGroupParameterArgs(name="tls", value="enabled"),
                aws.docdb.ClusterParameterGroupParameterArgs(name="audit_logs", value="enabled"),
            ],
            opts=child,
        )
        cluster = aws.docdb.Cluster(
            f"{name}-cluster",
            engine=ENGINE,
            engine_version=args.engine_version,
            master_username=args.master_username,
            manage_master_user_password=True,
            storage_encrypted=STORAGE_ENCRYPTED,
            db_subnet_group_name=subnets.name,
            vpc_security_group_ids=[sg.id],
            db_cluster_parameter_group_name=params.name,
            backup_retention_period=args.backup_retention_days,
            deletion_protection=args.deletion_protection,
            skip_final_snapshot=not args.final_snapshot,
            final_snapshot_identifier=(
                pulumi.Output.all(subnets.name, sg.id).apply(
                    lambda a: final_snapshot_id(
                        name,
                        engine=ENGINE,
                        master_username=args.master_username,
                        storage_encrypted=STORAGE_ENCRYPTED,
                        subnet_group=a[0],
                        security_group=a[1],
                    )
                )
                if args.final_snapshot
                else None
            ),
            enabled_cloudwatch_logs_exports=["audit", "profiler"],
            opts=child,
        )
        for i in range(args.instance_count):
            aws.docdb.ClusterInstance(
                f"{name}-instance-{i}",
                cluster_identifier=cluster.id,
                instance_class=args.instance_class,
                auto_minor_version_upgrade=True,
                opts=child,
            )
        self.endpoint = cluster.endpoint
        self.secret_arn = cluster.master_user_secrets.apply(lambda s: s[0].secret_arn)
        self.security_group_id = sg.id
        self.register_outputs(
            {
                "endpoint": self.endpoint,
                "secret_arn": self.secret_arn,
                "security_group_id": self.security_group_id,
            }
        )
