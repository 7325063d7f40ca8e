"""ApiAccount: API Gateway's CloudWatch Logs role, an account-wide setting of one region.

A REST API stage with access logs fails with "CloudWatch Logs role ARN must be set in account settings"
until the setting holds a role that API Gateway may assume and that has the AWS managed policy
`AmazonAPIGatewayPushToCloudWatchLogs` (AWS: "Set up CloudWatch logging for REST APIs in API Gateway",
https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html).
"""

import json

import pulumi
import pulumi_aws as aws

from components import _names

#: The AWS managed policy's path and name, after `arn:<partition>:iam::aws:policy/` (AWS Managed Policy
#: reference, "AmazonAPIGatewayPushToCloudWatchLogs").
PUSH_TO_LOGS_POLICY = "service-role/AmazonAPIGatewayPushToCloudWatchLogs"

TRUST_API_GATEWAY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "apigateway.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


class ApiAccount(pulumi.ComponentResource):
    """The role API Gateway assumes to write logs, its managed policy, and the region's account setting.

    It takes no args: there is nothing to choose. Every resource here is retained on delete. pulumi-aws
    7 (terraform-provider-aws 6) dropped `reset_on_delete`: deleting an `apigateway.Account` now always
    resets the setting (hashicorp/terraform-provider-aws#42226, "remove `reset_on_delete` argument").
    The setting is shared by every REST API of the account in this region, so a `pulumi destroy` of
    this stack, or a deleted role, would silently stop their logs too. Retaining leaves one idle IAM
    role behind after a destroy, which an operator deletes once no API logs through it.
    """

    role_arn: pulumi.Output[str]

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("order-events:index:ApiAccount", name, None, opts)
        kept = pulumi.ResourceOptions(parent=self, retain_on_delete=True)

        partition = aws.get_partition_output(opts=pulumi.InvokeOutputOptions(parent=self)).partition
        role = aws.iam.Role(
            f"{name}-role",
            name=_names.autoname_or_fit(f"{name}-role", _names.IAM_ROLE),
            assume_role_policy=TRUST_API_GATEWAY,
            opts=kept,
        )
        push_logs = aws.iam.RolePolicyAttachment(
            f"{name}-push-logs",
            role=role.name,
            policy_arn=pulumi.Output.concat("arn:", partition, f":iam::aws:policy/{PUSH_TO_LOGS_POLICY}"),
            opts=kept,
        )
        # After the attachment: UpdateAccount refuses a role that cannot write logs yet (the provider's
        # `apigateway/account.go` retries "The role ARN does not have required permissions" for that).
        aws.apigateway.Account(
            f"{name}-settings",
            cloudwatch_role_arn=role.arn,
            opts=pulumi.ResourceOptions.merge(kept, pulumi.ResourceOptions(depends_on=[push_logs])),
        )
        self.role_arn = role.arn
        self.register_outputs({"role_arn": self.role_arn})
