"""Database: private, TLS-only, encrypted, managed secret, admits only its clients."""

import re

import pytest

from components.database import Database, DatabaseArgs, final_snapshot_id
from tests.components.harness import run


def _program(**overrides):
    def program():
        db = Database(
            "db",
            DatabaseArgs(
                vpc_id="vpc-1",
                subnet_ids=["subnet-a", "subnet-b"],
                client_security_group_ids=["sg-tasks"],
                **overrides,
            ),
        )
        return {"secret": db.secret_arn, "endpoint": db.endpoint, "sg": db.security_group_id}

    return program


def test_prod_like_cluster_is_private_encrypted_tls_only_and_protected():
    # Given prod-like settings
    graph = run(
        _program(
            instance_count=2,
            instance_class="db.r6g.large",
            backup_retention_days=7,
            deletion_protection=True,
            final_snapshot=True,
        )
    )

    # Then the cluster is encrypted, keeps its password in Secrets Manager, and is protected
    cluster = graph.one("aws:docdb/cluster:Cluster").inputs
    assert cluster["storageEncrypted"] is True
    assert cluster["manageMasterUserPassword"] is True
    assert "masterPassword" not in cluster
    assert cluster["backupRetentionPeriod"] == 7
    assert cluster["deletionProtection"] is True
    assert cluster["skipFinalSnapshot"] is False
    # And its final snapshot is named for this cluster instance, not a fixed "<name>-final" that a second
    # delete (or a replacement) would collide with
    subnets, sg = (
        graph.one("aws:docdb/subnetGroup:SubnetGroup"),
        graph.one("aws:ec2/securityGroup:SecurityGroup"),
    )
    assert cluster["finalSnapshotIdentifier"] == final_snapshot_id(
        "db",
        engine="docdb",
        master_username="orders",
        storage_encrypted=True,
        subnet_group=subnets.outputs["name"],
        security_group=sg.outputs["id"],
    )
    assert cluster["finalSnapshotIdentifier"] != "db-final"
    assert {"audit", "profiler"} <= set(cluster["enabledCloudwatchLogsExports"])
    # And it sits in the given private subnets, behind its own security group, with TLS enforced
    sg = graph.one("aws:ec2/securityGroup:SecurityGroup")
    assert cluster["vpcSecurityGroupIds"] == [sg.outputs["id"]]
    assert graph.one("aws:docdb/subnetGroup:SubnetGroup").inputs["subnetIds"] == ["subnet-a", "subnet-b"]
    params = graph.one("aws:docdb/clusterParameterGroup:ClusterParameterGroup")
    assert cluster["dbClusterParameterGroupName"] == params.outputs["name"]
    assert {"name": "tls", "value": "enabled"} in [
        {k: p[k] for k in ("name", "value")} for p in params.inputs["parameters"]
    ]
    # And 27017 is open to the service's group only, with no egress and no CIDR anywhere
    (ingress,) = graph.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert ingress.inputs["referencedSecurityGroupId"] == "sg-tasks"
    assert ingress.inputs["securityGroupId"] == sg.outputs["id"]
    assert (ingress.inputs["fromPort"], ingress.inputs["toPort"]) == (27017, 27017)
    assert not graph.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    assert "ingress" not in sg.inputs and "cidrIpv4" not in ingress.inputs
    # And instance count and class come from args; outputs are the endpoint and the managed secret
    instances = graph.of_type("aws:docdb/clusterInstance:ClusterInstance")
    assert [i.inputs["instanceClass"] for i in instances] == ["db.r6g.large"] * 2
    assert graph.values["secret"].startswith("arn:aws:secretsmanager:")


def test_dev_defaults_skip_the_final_snapshot_and_protection():
    cluster = run(_program()).one("aws:docdb/cluster:Cluster").inputs
    assert cluster["deletionProtection"] is False
    assert cluster["skipFinalSnapshot"] is True
    assert cluster["storageEncrypted"] is True


@pytest.mark.parametrize(
    ("args", "field"),
    [({"instance_count": 0}, "instance_count"), ({"backup_retention_days": 0}, "backup_retention_days")],
)
def test_rejects_bad_args_naming_the_field(args, field):
    with pytest.raises(ValueError, match=f"`{field}`"):
        Database("db", DatabaseArgs(vpc_id="v", subnet_ids=[], **args))


SNAPSHOT = {
    "engine": "docdb",
    "master_username": "orders",
    "storage_encrypted": True,
    "subnet_group": "db-subnets-1a2b3c4",
    "security_group": "sg-0123456789abcdef0",
}


def test_final_snapshot_name_is_stable_for_one_cluster_and_new_for_the_next():
    # Given the inputs of one cluster instance, Then its name does not change from deploy to deploy
    name = final_snapshot_id("orders-prod-db", **SNAPSHOT)
    assert name == final_snapshot_id("orders-prod-db", **SNAPSHOT)
    # And it is a valid DocumentDB snapshot identifier: a letter first, letters, digits, single hyphens
    assert re.fullmatch(r"[A-Za-z](?:-?[A-Za-z0-9])*", name) and len(name) <= 255
    # When the stack is destroyed and created again (new autonamed subnet group, new security group id),
    # or the cluster is replaced because an input that forces replacement changed
    others = [
        {"subnet_group": "db-subnets-9f8e7d6"},
        {"security_group": "sg-0fedcba9876543210"},
        {"engine": "docdb-elastic"},
        {"master_username": "admin"},
        {"storage_encrypted": False},
    ]
    # Then each new cluster gets a name no earlier cluster had
    names = {final_snapshot_id("orders-prod-db", **(SNAPSHOT | o)) for o in others}
    assert len(names) == len(others) and name not in names


def test_used_alone_it_needs_its_vpc_and_subnets():
    # Given no VPC (Pipeline would wire it), then the database says which arg is missing
    with pytest.raises(ValueError, match="`vpc_id` is required"):
        Database("db", DatabaseArgs(subnet_ids=["subnet-a", "subnet-b"]))


def test_every_exported_log_has_a_source_and_a_group_of_the_stacks_own_made_before_the_cluster():
    # Given a cluster with a chosen log retention and profiler threshold
    graph = run(_program(instance_count=2, log_retention_days=30, profiler_threshold_ms=250))
    cluster = graph.one("aws:docdb/cluster:Cluster")
    exported = cluster.inputs["enabledCloudwatchLogsExports"]
    # Then each exported type is switched on in the parameter group (else its export carries nothing),
    # the profiler at the chosen threshold
    params = {
        p["name"]: p["value"]
        for p in graph.one("aws:docdb/clusterParameterGroup:ClusterParameterGroup").inputs["parameters"]
    }
    assert sorted(exported) == ["audit", "profiler"]
    assert (params["audit_logs"], params["profiler"], params["profiler_threshold_ms"]) == (
        "enabled",
        "enabled",
        "250",
    )
    # And each goes to a group the stack made where DocumentDB writes it, kept as long as configured
    identifier = cluster.inputs["clusterIdentifier"]
    assert identifier == cluster.outputs["clusterIdentifier"] and identifier.startswith("db-cluster-")
    groups = {g.inputs["name"]: g for g in graph.of_type("aws:cloudwatch/logGroup:LogGroup")}
    assert set(groups) == {f"/aws/docdb/{identifier}/{kind}" for kind in exported}
    assert all(g.inputs["retentionInDays"] == 30 for g in groups.values())
    # And the cluster is made after both groups, so DocumentDB never makes them itself (never expiring)
    assert {g.name for g in groups.values()} <= graph.dependencies[cluster.name]


@pytest.mark.parametrize("threshold", [49, 2_147_483_647])
def test_a_profiler_threshold_out_of_range_is_refused_naming_it(threshold):
    with pytest.raises(ValueError, match="`profiler_threshold_ms`"):
        run(_program(profiler_threshold_ms=threshold))
