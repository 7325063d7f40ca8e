"""The CrossGuard adapter: the pack `pulumi preview --policy-pack policy` loads runs the same rules."""

from types import SimpleNamespace

from policy import pack
from policy.rules import RULES, STACK_RULES


def test_crossguard_adapter_runs_the_same_rules_with_the_stack_from_the_urn():
    # Given the pack's policies, as `pulumi preview --policy-pack policy` loads them
    policies = {p.name: p for p in pack.policies()}
    assert set(policies) == {r.name for r in RULES} | {r[0] for r in STACK_RULES}
    reported = []
    args = SimpleNamespace(
        resource_type="aws:docdb/cluster:Cluster",
        urn="urn:pulumi:prod::order-events::t::n",
        props={
            "storageEncrypted": True,
            "backupRetentionPeriod": 7,
            "enabledCloudwatchLogsExports": ["audit"],
            "deletionProtection": False,
        },
    )
    # When the DocumentDB policy validates an unprotected cluster in prod, then it reports it
    policies["docdb-cluster"].validate(args, lambda message, urn=None: reported.append(message))
    assert reported == ["DocumentDB has no deletion protection in prod (DocumentDB.5)"]
    stack_args = SimpleNamespace(
        resources=[SimpleNamespace(resource_type="aws:ecr/repository:Repository", props={"name": "repo"})]
    )
    policies["ecr-lifecycle-policy"].validate(stack_args, lambda message, urn=None: reported.append(message))
    assert reported[-1].startswith("ECR repository `repo` has no lifecycle policy")
