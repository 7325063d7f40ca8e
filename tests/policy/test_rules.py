"""The policy pack: clean on both stacks' graphs, and each rule caught failing on a bad resource."""

import copy
import json

import pytest

from policy.rules import RULES, STACK_RULES, evaluate
from tests.components.harness import run_main


def _triples(graph):
    return [(r.type, r.inputs, r.outputs) for r in graph.resources]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_pack_passes_on_the_whole_program_graph(stack):
    assert evaluate(_triples(run_main(stack)), stack) == []


def _containers(mutate):
    def apply(props):
        containers = json.loads(props["containerDefinitions"])
        mutate(containers[0])
        props["containerDefinitions"] = json.dumps(containers)

    return apply


STAR = json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
BAD = [  # (rule, resource type to break, how, stack)
    (
        "ecs-no-public-ip",
        "aws:ecs/service:Service",
        lambda p: p["networkConfiguration"].update(assignPublicIp=True),
        "dev",
    ),
    (
        "ecs-container-hardening",
        "aws:ecs/taskDefinition:TaskDefinition",
        _containers(lambda c: c.update(readonlyRootFilesystem=False)),
        "dev",
    ),
    (
        "ecs-container-hardening",
        "aws:ecs/taskDefinition:TaskDefinition",
        _containers(lambda c: c.pop("user")),
        "dev",
    ),
    ("ecs-container-insights", "aws:ecs/cluster:Cluster", lambda p: p.update(settings=[]), "dev"),
    ("docdb-cluster", "aws:docdb/cluster:Cluster", lambda p: p.update(storageEncrypted=False), "dev"),
    ("docdb-cluster", "aws:docdb/cluster:Cluster", lambda p: p.update(backupRetentionPeriod=0), "dev"),
    ("docdb-cluster", "aws:docdb/cluster:Cluster", lambda p: p.update(deletionProtection=False), "prod"),
    ("docdb-cluster", "aws:docdb/cluster:Cluster", lambda p: p.update(masterPassword="hunter2"), "dev"),
    ("sqs-encrypted", "aws:sqs/queue:Queue", lambda p: p.update(sqsManagedSseEnabled=False), "dev"),
    (
        "ecr-scan-on-push",
        "aws:ecr/repository:Repository",
        lambda p: p.update(imageScanningConfiguration={}),
        "dev",
    ),
    ("apigateway-access-logs", "aws:apigateway/stage:Stage", lambda p: p.pop("accessLogSettings"), "dev"),
    (
        "apigateway-method-iam",
        "aws:apigateway/method:Method",
        lambda p: p.update(authorization="NONE"),
        "dev",
    ),
    ("apigateway-method-iam", "aws:apigateway/method:Method", lambda p: p.pop("authorization"), "prod"),
    ("alb-internal", "aws:lb/loadBalancer:LoadBalancer", lambda p: p.update(internal=False), "dev"),
    (
        "elb-access-logs",
        "aws:lb/loadBalancer:LoadBalancer",
        lambda p: p["accessLogs"].update(enabled=False),
        "prod",
    ),
    ("elb-access-logs", "aws:lb/loadBalancer:LoadBalancer", lambda p: p.pop("accessLogs"), "dev"),
    (
        "eventbridge-target-dlq",
        "aws:cloudwatch/eventTarget:EventTarget",
        lambda p: p.pop("deadLetterConfig"),
        "dev",
    ),
    ("iam-no-star-on-star", "aws:iam/rolePolicy:RolePolicy", lambda p: p.update(policy=STAR), "dev"),
    (
        "no-open-ingress",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        lambda p: p.update(cidrIpv4="0.0.0.0/0"),
        "dev",
    ),
]


@pytest.mark.parametrize(
    ("rule", "type_", "break_it", "stack"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)]
)
def test_each_rule_fails_on_a_deliberately_bad_resource(rule, type_, break_it, stack):
    # Given the real graph with one resource of the type broken
    triples = copy.deepcopy(_triples(run_main(stack)))
    index = next(i for i, (t, _, _) in enumerate(triples) if t == type_)
    break_it(triples[index][1])
    # When the pack runs, then that rule, and only that rule, reports it
    violations = evaluate(triples, stack)
    assert violations and all(v.startswith(f"{rule}: ") for v in violations), violations


def _without(type_):
    return lambda triples: [t for t in triples if t[0] != type_]


def _outputs_of(type_, mutate):
    def apply(triples):
        (outputs,) = [o for t, _, o in triples if t == type_]
        mutate(outputs)
        return triples

    return apply


def _tls_deny_dropped(outputs):
    document = json.loads(outputs["policy"])
    document["Statement"] = [s for s in document["Statement"] if s["Effect"] != "Deny"]
    outputs["policy"] = json.dumps(document)


S3 = "aws:s3/bucket"
BAD_STACK = [  # (stack rule, how to break the graph's outputs, stack): each reads settings held apart
    ("ecr-lifecycle-policy", _without("aws:ecr/lifecyclePolicy:LifecyclePolicy"), "dev"),
    ("s3-block-public-access", _without(f"{S3}PublicAccessBlock:BucketPublicAccessBlock"), "dev"),
    (
        "s3-block-public-access",
        _outputs_of(
            f"{S3}PublicAccessBlock:BucketPublicAccessBlock", lambda o: o.update(blockPublicPolicy=False)
        ),
        "prod",
    ),
    (
        "s3-default-encryption",
        _without(f"{S3}ServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"),
        "dev",
    ),
    ("s3-ssl-only", _outputs_of(f"{S3}Policy:BucketPolicy", _tls_deny_dropped), "prod"),
    ("s3-ssl-only", _without(f"{S3}Policy:BucketPolicy"), "dev"),
    ("s3-lifecycle", _without(f"{S3}LifecycleConfiguration:BucketLifecycleConfiguration"), "dev"),
    (
        "s3-lifecycle",
        _outputs_of(
            f"{S3}LifecycleConfiguration:BucketLifecycleConfiguration",
            lambda o: o["rules"][0].update(status="Disabled"),
        ),
        "prod",
    ),
]


@pytest.mark.parametrize(
    ("rule", "break_it", "stack"), BAD_STACK, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_STACK)]
)
def test_each_stack_rule_fails_on_a_deliberately_bad_graph(rule, break_it, stack):
    # Given the real graph with one setting resource removed or broken
    triples = break_it(copy.deepcopy(_triples(run_main(stack))))
    # When the pack runs, then that rule, and only that rule, reports it
    violations = evaluate(triples, stack)
    assert violations and all(v.startswith(f"{rule}: ") for v in violations), violations


def test_every_rule_has_a_failing_case():
    assert {b[0] for b in BAD} | {b[0] for b in BAD_STACK} == {r.name for r in RULES} | {
        r[0] for r in STACK_RULES
    }


def test_docdb_deletion_protection_is_only_required_in_prod():
    props = {"storageEncrypted": True, "backupRetentionPeriod": 7, "enabledCloudwatchLogsExports": ["audit"]}
    (docdb,) = [r for r in RULES if r.name == "docdb-cluster"]
    assert list(docdb.check(props, "dev")) == []
    assert len(list(docdb.check(props, "prod"))) == 1
