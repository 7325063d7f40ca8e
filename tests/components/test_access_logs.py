"""AccessLogBucket: private, SSE-S3, TLS only, expiring; only ELB log delivery may write, under the prefix."""

import pytest

from components._elb_log_writer import LOG_DELIVERY_SERVICE, elb_log_writer
from components.access_logs import DEFAULT_RETENTION_DAYS, AccessLogBucket, AccessLogBucketArgs
from tests.components.harness import ACCOUNT, run


def _bucket(args: AccessLogBucketArgs):
    def program():
        logs = AccessLogBucket("logs", args)
        return {"bucket": logs.bucket, "prefix": logs.prefix}

    return run(program)


@pytest.fixture(scope="module")
def graph():
    # Given an access-log bucket kept for 30 days, under the default prefix, in us-east-1
    return _bucket(AccessLogBucketArgs(retention_days=30))


def _on_the_bucket(graph, type_):
    name = graph.one("aws:s3/bucket:Bucket").outputs["bucket"]
    (found,) = [r.inputs for r in graph.of_type(type_) if r.inputs["bucket"] == name]
    return found


def test_blocks_public_access_encrypts_with_s3_keys_and_expires(graph):
    public = _on_the_bucket(graph, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert {k: v for k, v in public.items() if k != "bucket"} == {
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }
    sse = _on_the_bucket(
        graph, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )
    # SSE-S3, the only encryption ALB log delivery supports: no KMS key
    assert sse["rules"] == [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]
    lifecycle = _on_the_bucket(graph, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    assert lifecycle["rules"] == [
        {
            "id": "expire-access-logs",
            "status": "Enabled",
            "filter": {"prefix": ""},
            "expiration": {"days": 30},
        }
    ]


def test_the_policy_lets_elb_write_under_the_prefix_and_refuses_plain_http(graph):
    bucket = graph.one("aws:s3/bucket:Bucket").outputs["bucket"]
    policy = graph.one("aws:s3/bucketPolicy:BucketPolicy")
    assert policy.inputs["bucket"] == bucket
    assert policy.json("policy") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ElbAccessLogDelivery",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::127311923021:root"},  # us-east-1's ELB account
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{bucket}/alb/AWSLogs/{ACCOUNT}/*",
            },
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }
    # And the outputs are what a load balancer's `access_logs` takes: the bucket, read from the policy
    assert (graph.values["bucket"], graph.values["prefix"]) == (bucket, "alb")


@pytest.mark.parametrize(
    ("region", "principal"),
    [
        ("us-east-1", {"AWS": "arn:aws:iam::127311923021:root"}),  # listed before August 2022
        ("eu-west-1", {"AWS": "arn:aws:iam::156460612806:root"}),
        ("eu-central-2", {"Service": LOG_DELIVERY_SERVICE}),  # Zurich: listed from August 2022
        ("ca-west-1", {"Service": LOG_DELIVERY_SERVICE}),  # opened later than either list
    ],
)
def test_the_writer_is_the_regions_elb_account_or_the_log_delivery_service(region, principal):
    assert elb_log_writer("aws", region) == principal


def test_china_is_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="`region`"):
        elb_log_writer("aws-cn", "cn-north-1")


def test_keeps_logs_for_the_default_days_unless_told():
    graph = _bucket(AccessLogBucketArgs())
    (rule,) = graph.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]
    assert rule["expiration"] == {"days": DEFAULT_RETENTION_DAYS}


@pytest.mark.parametrize("prefix", ["", "AWSLogs", "logs/AWSLogs", "/alb", "alb/"])
def test_rejects_a_prefix_elb_would_not_take(prefix):
    with pytest.raises(ValueError, match="`prefix`"):
        AccessLogBucket("logs", AccessLogBucketArgs(prefix=prefix))
