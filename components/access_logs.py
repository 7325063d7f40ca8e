"""AccessLogBucket: where an Application Load Balancer writes its access logs (Security Hub ELB.5).

Private (S3.8), encrypted with S3-managed keys, TLS only (S3.5), expiring (S3.13); its policy lets the
region's Elastic Load Balancing log delivery write under the prefix, and says nothing else.
"""

import json
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import _names
from components._component import register_annotated_outputs
from components._elb_log_writer import elb_log_writer

DEFAULT_RETENTION_DAYS = 90
DEFAULT_PREFIX = "alb"
DEFAULT_FORCE_DESTROY = False


class AccessLogBucketArgs(TypedDict):
    """Inputs of :class:`AccessLogBucket`; all optional. The prefix is a plain value, checked here."""

    retention_days: NotRequired[pulumi.Input[int]]
    """Days an access log file is kept; S3 then deletes it."""
    prefix: NotRequired[str]
    """The key prefix the load balancer writes under: `<prefix>/AWSLogs/<account>/...`."""
    force_destroy: NotRequired[pulumi.Input[bool]]
    """Let `pulumi destroy` delete the bucket with the logs still in it (S3 refuses to delete a bucket that
    holds objects). Default false: the logs go only when someone empties the bucket on purpose."""


class AccessLogBucket(pulumi.ComponentResource):
    """An S3 bucket that blocks public access, encrypts with SSE-S3, refuses plain HTTP, expires its objects,
    and lets ELB log delivery put objects under the prefix."""

    bucket: pulumi.Output[str]
    """The bucket's name: the load balancer's `access_logs.bucket`, and where on-call finds the logs. Read
    from the bucket policy, so that whoever uses it waits until log delivery may write."""
    prefix: pulumi.Output[str]
    """The load balancer's `access_logs.prefix`: the policy allows writing under it only."""

    def __init__(
        self, name: str, args: AccessLogBucketArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        prefix = args.get("prefix", DEFAULT_PREFIX)
        # "The prefix that you specify must not include AWSLogs" (ELB guide, "Enable access logs for your
        # Application Load Balancer", step 1); slashes at either end would double up in the object keys.
        if not prefix or "AWSLogs" in prefix or prefix.strip("/") != prefix:
            raise ValueError(
                f"`prefix` must be non-empty, without `AWSLogs` or outer slashes, got {prefix!r}"
            )
        super().__init__("order-events:index:AccessLogBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        # `force_destroy` empties the bucket before deleting it: the provider's doing, not S3's (pulumi-aws
        # `s3.Bucket`, `forceDestroy`); it takes effect once an `up` has stored it, before the `destroy`.
        bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=_names.autoname_or_fit(f"{name}-bucket", _names.S3_BUCKET, lowercase=True),
            force_destroy=args.get("force_destroy", DEFAULT_FORCE_DESTROY),
            opts=child,
        )
        _private_encrypted_expiring(name, bucket, args.get("retention_days", DEFAULT_RETENTION_DAYS), child)
        invoke = pulumi.InvokeOutputOptions(parent=self)
        policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=bucket.bucket,
            policy=pulumi.Output.all(
                aws.get_partition_output(opts=invoke).partition,
                aws.get_region_output(opts=invoke).region,
                aws.get_caller_identity_output(opts=invoke).account_id,
                bucket.bucket,
            ).apply(lambda a: access_log_policy(*a, prefix=prefix)),
            opts=child,
        )
        self.bucket = policy.bucket
        self.prefix = pulumi.Output.from_input(prefix)
        register_annotated_outputs(self)


def _private_encrypted_expiring(
    name: str, bucket: aws.s3.Bucket, days: pulumi.Input[int], opts: pulumi.ResourceOptions
) -> None:
    """Block public access (all four settings, S3.8), encrypt with S3-managed keys, expire after `days`."""
    aws.s3.BucketPublicAccessBlock(
        f"{name}-public-access",
        bucket=bucket.bucket,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=opts,
    )
    # "The only server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)" (ELB
    # guide, same page, step 1): AES256, not aws:kms.
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-encryption",
        bucket=bucket.bucket,
        rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
        opts=opts,
    )
    aws.s3.BucketLifecycleConfiguration(
        f"{name}-expiry",
        bucket=bucket.bucket,
        rules=[
            {
                "id": "expire-access-logs",
                "status": "Enabled",
                "filter": {"prefix": ""},  # every object
                "expiration": {"days": days},
            }
        ],
        opts=opts,
    )


def access_log_policy(partition: str, region: str, account: str, bucket: str, *, prefix: str) -> str:
    """The bucket policy: ELB log delivery may put objects under `<prefix>/AWSLogs/<account>/`, and nobody may
    use the bucket over plain HTTP.

    The first statement is the ELB guide's (same page, step 2), with the principal its region takes
    (`_elb_log_writer`); the second is Security Hub's remediation for S3.5 ("S3 general purpose buckets
    should require requests to use SSL": a deny on `aws:SecureTransport` false, for `s3:*` on the bucket and
    its objects). ARNs are built from the bucket's name, which is known at preview, so the policy pack can
    read the whole document then.
    """
    arn = f"arn:{partition}:s3:::{bucket}"
    write_logs = {
        "Sid": "ElbAccessLogDelivery",
        "Effect": "Allow",
        "Principal": elb_log_writer(partition, region),
        "Action": "s3:PutObject",
        "Resource": f"{arn}/{prefix}/AWSLogs/{account}/*",
    }
    tls_only = {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [write_logs, tls_only]})
