"""The whole program under a long stack name: every name AWS limits fits, and two stacks never share one."""

import re
import runpy

import pytest

from tests.components.harness import ROOT, deployed_config, run

#: Resource type -> (the input that names it, AWS's limit): ELB `CreateLoadBalancer`/`CreateTargetGroup`,
#: S3 "General purpose bucket naming rules", IAM "IAM object quotas", SQS `CreateQueue`, EventBridge
#: `PutRule`/`CreateArchive`, DocumentDB `CreateDBCluster`/`CreateDBInstance`/`CreateDBSubnetGroup`.
LIMITED = {
    "aws:lb/loadBalancer:LoadBalancer": ("name", 32),
    "aws:lb/targetGroup:TargetGroup": ("name", 32),
    "aws:s3/bucket:Bucket": ("bucket", 63),
    "aws:iam/role:Role": ("name", 64),
    "aws:iam/rolePolicy:RolePolicy": ("name", 128),
    "aws:iam/policy:Policy": ("name", 128),
    "aws:sqs/queue:Queue": ("name", 80),
    "aws:cloudwatch/eventRule:EventRule": ("name", 64),
    "aws:cloudwatch/eventArchive:EventArchive": ("name", 48),
    "aws:docdb/cluster:Cluster": ("clusterIdentifier", 63),
    "aws:docdb/clusterInstance:ClusterInstance": ("identifier", 63),
    "aws:docdb/subnetGroup:SubnetGroup": ("name", 255),
    "aws:docdb/clusterParameterGroup:ClusterParameterGroup": ("name", 255),
}
LOWERCASE = {"aws:s3/bucket:Bucket", "aws:docdb/cluster:Cluster", "aws:docdb/clusterInstance:ClusterInstance"}
#: Pulumi's autoname: the logical name, `-`, 7 random characters.
AUTONAME_SUFFIX = "-a1b2c3d"
#: Two 30-character stack names that share their first 29 characters.
STACKS = ("staging-eu-west-1-blue-green-a", "staging-eu-west-1-blue-green-b")
#: Pulumi's longest stack names (100), in every character a stack name may hold: letters of both cases,
#: digits, `-`, `_` and `.`.
LONGEST = tuple(("Team_A.Orders-" * 8)[:99] + end for end in "ab")


def _names(stack: str, config_of: str) -> dict[tuple[str, str], str]:
    """(type, logical name) -> the physical name AWS would get, for every limited resource of the program."""
    graph = run(
        lambda: runpy.run_path(str(ROOT / "__main__.py"), run_name="__main__") and None,
        stack=stack,
        config=deployed_config(config_of),
    )
    return {
        (r.type, r.name): r.inputs.get(LIMITED[r.type][0]) or r.name + AUTONAME_SUFFIX
        for r in graph.resources
        if r.type in LIMITED
    }


@pytest.mark.parametrize(
    ("stacks", "config_of"),
    [(STACKS, "dev"), (STACKS, "prod"), (LONGEST, "prod")],
    ids=["30-dev", "30-prod", "100"],
)
def test_every_limited_name_fits_for_a_30_character_stack_and_differs_between_stacks(stacks, config_of):
    # Given a stack whose name is 30 characters long (with dev's or prod's values), or 100 in mixed
    # characters, and a second one whose name differs only in its last character
    assert all(len(stack) == len(stacks[0]) in (30, 100) for stack in stacks)
    first, second = (_names(stack, config_of) for stack in stacks)
    # Then every name AWS limits fits that limit, in letters, digits and hyphens (lowercase where AWS asks)
    for (type_, logical), physical in first.items():
        assert len(physical) <= LIMITED[type_][1], (logical, physical)
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]", physical) and "--" not in physical, physical
        assert type_ not in LOWERCASE or physical == physical.lower(), physical
    # And no two resources of the two stacks share a name (Pulumi's random suffix or the stack's hash)
    explicit = [name for name in [*first.values(), *second.values()] if not name.endswith(AUTONAME_SUFFIX)]
    assert len(set(explicit)) == len(explicit)
    assert {t for t, _ in first} >= {"aws:lb/loadBalancer:LoadBalancer", "aws:docdb/cluster:Cluster"}


def test_short_stack_names_keep_pulumis_autonames():
    # Given dev's own name, whose autonames fit, then every limited resource keeps its autoname, but the
    # archive (named outright, as before) and the DocumentDB cluster (named up front for its log groups)
    names = _names("dev", "dev")
    explicit = {t.split(":")[-1]: p for (t, logical), p in names.items() if p != logical + AUTONAME_SUFFIX}
    assert set(explicit) == {"EventArchive", "Cluster"}
    assert explicit["EventArchive"] == "orders-dev-events-archive"
