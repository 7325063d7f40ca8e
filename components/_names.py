"""Physical names that fit AWS's limits whatever the project and stack are called, and differ per stack.

A resource's name here starts with the Pipeline's name, `orders-<stack>`, and Pulumi's autoname adds `-` and
7 random characters ("Resource names", https://www.pulumi.com/docs/iac/concepts/resources/names/): for a
load balancer, `orders-staging-svc-alb-lb-1a2b3c4` is already 33 characters, over ELB's 32. Where the
autoname fits AWS's limit and characters, it stays (random, so a replacement never collides with the old
resource, and nothing already deployed is renamed; the DocumentDB cluster is the exception, see
`_docdb_logs`); where it would not, the name is explicit: the logical
name cleaned to letters, digits and single hyphens, cut to fit, then `-` and 8 hex digits of a hash of the
project, stack and logical name, so two stacks whose long names share a beginning still differ.

The limits, from each service's API reference:
- ELB `CreateLoadBalancer` and `CreateTargetGroup`: 32, letters, digits and hyphens;
- S3 "General purpose bucket naming rules": 63, lowercase;
- IAM "IAM object quotas": role 64, policy 128, inline policy 128;
- SQS `CreateQueue`: 80, letters, digits, hyphens and underscores;
- EventBridge `PutRule` 64, `CreateArchive` 48;
- DocumentDB `CreateDBCluster` / `CreateDBInstance`: 63, a letter first, letters, digits and single hyphens
  (stored lowercase), and subnet and parameter group names lowercase.
"""

import hashlib
import re

import pulumi

ALB = 32
TARGET_GROUP = 32
S3_BUCKET = 63
IAM_ROLE = 64
IAM_POLICY = 128
SQS_QUEUE = 80
EVENT_RULE = 64
EVENT_ARCHIVE = 48
DOCDB_IDENTIFIER = 63
DOCDB_GROUP = 255

#: What Pulumi's autoname adds: `-` and 7 random characters.
_AUTONAME_SUFFIX = 8
_HASH = 8
#: Letters, digits and single inner hyphens, a letter first: valid for every service above.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*")


def autoname_or_fit(logical: str, limit: int, *, lowercase: bool = False) -> str | None:
    """None where Pulumi's autoname of `logical` is valid within `limit` (let Pulumi name it); else a name
    that is (see `fit`)."""
    if _valid(logical, lowercase) and len(logical) + _AUTONAME_SUFFIX <= limit:
        return None
    return fit(logical, limit, lowercase=lowercase)


def exact_or_fit(logical: str, limit: int, *, lowercase: bool = False) -> str:
    """`logical` itself where it is valid within `limit` (a name given outright, an archive's); else `fit`."""
    return (
        logical
        if _valid(logical, lowercase) and len(logical) <= limit
        else fit(logical, limit, lowercase=lowercase)
    )


def _valid(logical: str, lowercase: bool) -> bool:
    return bool(_PLAIN.fullmatch(logical)) and not (lowercase and logical != logical.lower())


def fit(logical: str, limit: int, *, lowercase: bool = False) -> str:
    """`logical` cleaned and cut to fit `limit`, then `-<8 hex>` of the project, stack and `logical`."""
    seed = f"{pulumi.get_project()}/{pulumi.get_stack()}/{logical}"
    digest = hashlib.sha256(seed.encode()).hexdigest()[:_HASH]
    body = re.sub(r"[^A-Za-z0-9]+", "-", logical).strip("-")
    body = body.lower() if lowercase else body
    if not body[:1].isalpha():  # DocumentDB identifiers begin with a letter
        body = f"r-{body}".rstrip("-")
    return f"{body[: limit - _HASH - 1].rstrip('-')}-{digest}"
