"""Security Hub's S3 controls as stack checks: a bucket's settings are resources of their own, so each check
finds, for every bucket, the resource that configures it (matched on the bucket's name, known at preview).

Controls from Security Hub's "Security Hub CSPM controls for Amazon S3" page. S3.1 (block public access for
the account) is an account setting, outside any stack; S3.8 is its bucket-level twin. S3.4 (server-side
encryption) is gone from that page, since S3 encrypts every new object with SSE-S3 by default ("Using
server-side encryption with Amazon S3 managed keys", S3 guide); the pack still wants the setting written
down, since what reads a bucket (ALB log delivery: SSE-S3 only) depends on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from policy.checks import Props, as_list, statements

BUCKET = "aws:s3/bucket:Bucket"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
BLOCKS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _uncovered(
    resources: Iterable[tuple[str, Props]], setting: str, good: Callable[[Props, str], bool]
) -> Iterator[str]:
    """The name of every bucket that no resource of type `setting` configures the `good` way."""
    resources = list(resources)
    for name in (p.get("bucket") for t, p in resources if t == BUCKET):
        if not any(t == setting and p.get("bucket") == name and good(p, name) for t, p in resources):
            yield name


def s3_block_public_access(resources: Iterable[tuple[str, Props]]) -> Iterator[str]:
    """S3.8: every bucket blocks public access, all four settings on."""
    for name in _uncovered(
        resources, PUBLIC_ACCESS_BLOCK, lambda p, _: all(p.get(b) is True for b in BLOCKS)
    ):
        yield f"S3 bucket `{name}` does not block public access with all four settings (S3.8)"


def _encrypts(props: Props, _: str) -> bool:
    rules = props.get("rules") or []
    algorithms = {(r.get("applyServerSideEncryptionByDefault") or {}).get("sseAlgorithm") for r in rules}
    return bool(algorithms) and algorithms <= {"AES256", "aws:kms", "aws:kms:dsse"}


def s3_default_encryption(resources: Iterable[tuple[str, Props]]) -> Iterator[str]:
    """S3.4, retired: every bucket states its default encryption."""
    for name in _uncovered(resources, ENCRYPTION, _encrypts):
        yield f"S3 bucket `{name}` states no default encryption (S3.4)"


def _denies_plain_http(props: Props, bucket: str) -> bool:
    """A statement that denies `s3:*` to everyone on the bucket and its objects without TLS (S3.5's fix)."""
    for s in statements(props.get("policy")):
        actions, resources = as_list(s.get("Action")), as_list(s.get("Resource"))
        insecure = (s.get("Condition") or {}).get("Bool", {}).get("aws:SecureTransport")
        if (
            s.get("Effect") == "Deny"
            and s.get("Principal") in ("*", {"AWS": "*"})
            and "s3:*" in actions
            and str(insecure).lower() == "false"
            and {f":::{bucket}", f":::{bucket}/*"} <= {str(r)[str(r).find(":::") :] for r in resources}
        ):
            return True
    return False


def s3_ssl_only(resources: Iterable[tuple[str, Props]]) -> Iterator[str]:
    """S3.5: every bucket's policy refuses requests without TLS."""
    for name in _uncovered(resources, POLICY, _denies_plain_http):
        yield f"S3 bucket `{name}` has no policy denying requests without TLS (S3.5)"


def _expires_or_moves(props: Props, _: str) -> bool:
    return any(
        r.get("status") == "Enabled" and (r.get("expiration") or r.get("transitions"))
        for r in props.get("rules") or []
    )


def s3_lifecycle(resources: Iterable[tuple[str, Props]]) -> Iterator[str]:
    """S3.13: every bucket has an enabled lifecycle rule that expires or moves its objects."""
    for name in _uncovered(resources, LIFECYCLE, _expires_or_moves):
        yield f"S3 bucket `{name}` has no enabled lifecycle rule (S3.13)"
