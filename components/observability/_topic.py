"""An encrypted SNS topic that CloudWatch alarms can publish to, with one e-mail subscription.

Why not the AWS managed key `alias/aws/sns`: for an AWS service to publish to an encrypted topic, SNS's
guide says to "use a customer managed KMS key" and add a key-policy statement granting the service
principal `kms:GenerateDataKey*` and `kms:Decrypt` ("Enable compatibility between event sources from AWS
services and encrypted topics",
https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services). An
AWS managed key's policy cannot be edited, so CloudWatch could never be granted it and every alarm
notification would be dropped without an error. Hence a customer managed key, rotated yearly, used by
this topic only.
"""

import json

import pulumi
import pulumi_aws as aws

CLOUDWATCH = "cloudwatch.amazonaws.com"


def key_policy(topic_arn: str) -> str:
    """The key's policy: the topic's account administers the key; CloudWatch may encrypt with it.

    The account statement is the default key policy's, which IAM policies rely on; without it the key
    could not be managed. The CloudWatch statement is the SNS guide's, unconditioned: a condition CloudWatch
    does not send would drop notifications silently, and the key protects nothing but this topic, whose
    own policy (SNS's default) admits publishers from this account only.
    """
    _, partition, _, _, account, _ = topic_arn.split(":", 5)
    statements = [
        {
            "Sid": "AccountAdministersTheKey",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "CloudWatchAlarmsPublishToTheTopic",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDWATCH},
            "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
            "Resource": "*",
        },
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def email_topic(
    name: str, email: pulumi.Input[str], opts: pulumi.ResourceOptions
) -> tuple[aws.sns.Topic, aws.kms.KeyPolicy]:
    """Key, topic, the key's policy (set once the topic's ARN is known) and the e-mail subscription.

    Returns the topic, and the key policy that alarms should wait for.
    """
    key = aws.kms.Key(
        f"{name}-key",
        description="Encrypts the alarm topic; CloudWatch alarms may use it",
        enable_key_rotation=True,
        opts=opts,
    )
    topic = aws.sns.Topic(f"{name}-topic", kms_master_key_id=key.arn, opts=opts)
    policy = aws.kms.KeyPolicy(
        f"{name}-key-policy", key_id=key.id, policy=topic.arn.apply(key_policy), opts=opts
    )
    # SNS mails a confirmation link first; nothing is delivered until someone follows it.
    aws.sns.TopicSubscription(f"{name}-email", topic=topic.arn, protocol="email", endpoint=email, opts=opts)
    return topic, policy
