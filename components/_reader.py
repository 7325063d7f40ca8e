"""The reader policy's one attachment the stack makes itself: to the role that reads orders back after a
deploy (the CI smoke check's), given by name or ARN.

Without it that role can hold the policy only after the first `pulumi up` has made it, so the first
post-deploy `orders smoke` reads with no grant and gets 403.
"""

import re

import pulumi
import pulumi_aws as aws

#: IAM role names: "Names of users, groups, roles, policies ... can contain only alphanumeric characters
#: and the following: plus (+), equal (=), comma (,), period (.), at (@), underscore (_), and hyphen (-)",
#: up to 64 characters (IAM user guide, "IAM object quotas" and "IAM identifiers",
#: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
_ROLE_NAME = r"[A-Za-z0-9_+=,.@-]{1,64}"
#: `arn:<partition>:iam::<account>:role/<path/><name>` ("IAM identifiers", "IAM ARNs",
#: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
_ROLE_ARN = re.compile(rf"arn:aws[a-z-]*:iam::\d{{12}}:role/(?:[\x21-\x7e]*/)?(?P<name>{_ROLE_NAME})")


def role_name(role: str) -> str:
    """The role's name, from its name or its ARN (a RolePolicyAttachment takes the name, without the path).

    Raises:
        ValueError: `role` is neither a role name nor an IAM role ARN (an STS assumed-role ARN, say).
    """
    if re.fullmatch(_ROLE_NAME, role):
        return role
    if match := _ROLE_ARN.fullmatch(role):
        return match.group("name")
    raise ValueError(
        "`reader_role` must be an IAM role name or a role ARN (arn:aws:iam::<account>:role/<name>), "
        f"got {role!r}"
    )


def attach(
    name: str, role: pulumi.Input[str], policy_arn: pulumi.Input[str], opts: pulumi.ResourceOptions
) -> aws.iam.RolePolicyAttachment:
    """Attach the reader policy to `role` (a name or an ARN in this account)."""
    return aws.iam.RolePolicyAttachment(
        name, role=pulumi.Output.from_input(role).apply(role_name), policy_arn=policy_arn, opts=opts
    )
