"""DocumentDB Serverless: the capacity range, `db.serverless` instances, and AWS's limits refused."""

import pytest

from components.database import Database, DatabaseArgs
from tests.components.harness import run, run_main


def _program(**overrides):
    def program():
        Database("db", DatabaseArgs(vpc_id="vpc-1", subnet_ids=["subnet-a", "subnet-b"], **overrides))

    return program


def test_serverless_instances_scale_in_the_clusters_range():
    # Given the serverless class with a range
    graph = run(
        _program(instance_class="db.serverless", serverless_min_capacity=1.5, serverless_max_capacity=8)
    )
    # Then the cluster carries the range and every instance is db.serverless
    cluster = graph.one("aws:docdb/cluster:Cluster").inputs
    assert cluster["serverlessV2ScalingConfiguration"] == {"minCapacity": 1.5, "maxCapacity": 8}
    assert cluster["engineVersion"] == "5.0.0"
    classes = {i.inputs["instanceClass"] for i in graph.of_type("aws:docdb/clusterInstance:ClusterInstance")}
    assert classes == {"db.serverless"}


def test_serverless_defaults_to_the_idle_state():
    graph = run(_program(instance_class="db.serverless"))
    scaling = graph.one("aws:docdb/cluster:Cluster").inputs["serverlessV2ScalingConfiguration"]
    assert scaling == {"minCapacity": 0.5, "maxCapacity": 2}


def test_a_provisioned_cluster_has_no_scaling_configuration():
    graph = run(_program(instance_class="db.r6g.large"))
    assert "serverlessV2ScalingConfiguration" not in graph.one("aws:docdb/cluster:Cluster").inputs


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        (
            {"serverless_min_capacity": 0.25},
            "`serverless_min_capacity` (stack config `dbServerlessMinCapacity`)",
        ),
        ({"serverless_min_capacity": 257}, "`serverless_min_capacity`"),
        ({"serverless_min_capacity": 1.25}, "`serverless_min_capacity`"),
        (
            {"serverless_max_capacity": 0.5},
            "`serverless_max_capacity` (stack config `dbServerlessMaxCapacity`)",
        ),
        ({"serverless_max_capacity": 300}, "`serverless_max_capacity`"),
        ({"serverless_max_capacity": 2.7}, "`serverless_max_capacity`"),
        ({"serverless_min_capacity": 4, "serverless_max_capacity": 2}, "is above `serverless_max_capacity`"),
        ({"engine_version": "4.0.0"}, "`engine_version` '4.0.0' has no DocumentDB Serverless"),
    ],
)
def test_out_of_range_serverless_settings_are_refused_by_name(overrides, named):
    # Given a serverless setting AWS would refuse, when the component is built, then it names the setting
    with pytest.raises(ValueError) as raised:
        run(_program(instance_class="db.serverless", **overrides))
    assert named in str(raised.value)


def test_a_capacity_for_a_provisioned_class_is_refused_not_ignored():
    with pytest.raises(ValueError, match=r"`serverless_max_capacity`.*is not `db\.serverless`"):
        run(_program(instance_class="db.t4g.medium", serverless_max_capacity=4))


def test_a_stack_refuses_an_out_of_range_config_value_naming_the_key():
    # Given dev with a maximum above AWS's 256 DCUs, when the program runs, then the config key is named
    with pytest.raises(Exception, match="dbServerlessMaxCapacity") as raised:
        run_main.__wrapped__("dev", dbServerlessMaxCapacity="512")
    assert "256" in str(raised.value)


def test_dev_runs_serverless_and_prod_stays_provisioned():
    dev, prod = run_main("dev"), run_main("prod")
    assert dev.one("aws:docdb/cluster:Cluster").inputs["serverlessV2ScalingConfiguration"] == {
        "minCapacity": 0.5,
        "maxCapacity": 2,
    }
    assert {i.inputs["instanceClass"] for i in prod.of_type("aws:docdb/clusterInstance:ClusterInstance")} == {
        "db.r6g.large"
    }
