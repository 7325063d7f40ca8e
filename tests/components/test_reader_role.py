"""The reader policy attached by the stack to the role that reads orders back after a deploy.

Without it, CI's first `orders smoke` runs as a role that cannot yet hold `reader_policy_arn` (the first
`up` makes it), and its GET answers 403.
"""

import pytest

from components._reader import role_name
from tests.components.harness import ACCOUNT, run, run_main
from tests.components.samples import api_alone, api_program

ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
SMOKE_ROLE = f"arn:aws:iam::{ACCOUNT}:role/ci/orders-smoke"


def _readers(graph):
    """The attachments of the reader policy (the account's API Gateway logging role has one of its own)."""
    reader = graph.one("aws:iam/policy:Policy").outputs["arn"]
    return [a for a in graph.of_type(ATTACHMENT) if a.inputs["policyArn"] == reader]


@pytest.mark.parametrize("given", ["orders-smoke", SMOKE_ROLE, f"arn:aws:iam::{ACCOUNT}:role/orders-smoke"])
def test_the_reader_policy_is_attached_to_the_role_given_by_name_or_arn(given):
    # Given an API told the smoke check's role, by name or by ARN (with or without a path)
    graph = run(api_program(reader_role=given))
    # Then exactly the reader policy is attached to that role, by its name (as IAM's attachment takes it)
    (attachment,) = _readers(graph)
    assert attachment.inputs["role"] == "orders-smoke"
    assert (
        attachment.inputs["policyArn"]
        == graph.values["reader"]
        == graph.one("aws:iam/policy:Policy").outputs["arn"]
    )


def test_without_a_role_nothing_is_attached():
    assert _readers(run(api_program())) == []


@pytest.mark.parametrize(
    "bad",
    [
        f"arn:aws:sts::{ACCOUNT}:assumed-role/orders-smoke/github",  # a session, not the role
        f"arn:aws:iam::{ACCOUNT}:user/alice",
        "orders smoke",
        "x" * 65,
        "",
    ],
)
def test_anything_but_a_role_name_or_arn_is_refused_naming_the_field(bad):
    with pytest.raises(ValueError, match="`reader_role` must be an IAM role name or a role ARN"):
        api_alone(reader_role=bad)
    with pytest.raises(ValueError, match="`reader_role`"):
        role_name(bad)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_a_stack_with_reader_role_grants_the_smoke_check_on_its_first_up(stack):
    # Given the stack's config with readerRole set, as CI sets it
    graph = run_main(stack, readerRole=SMOKE_ROLE)
    # Then the reader policy the stack exports is attached to that role in the same `up`
    (attachment,) = _readers(graph)
    assert attachment.inputs["role"] == "orders-smoke"
    assert attachment.inputs["policyArn"] == graph.values["reader_policy_arn"]
    # And a stack that leaves it empty (Pulumi.yaml's default) attaches nothing
    assert _readers(run_main(stack)) == []
