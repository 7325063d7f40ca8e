"""What the image repository keeps: every image a running task or a rollback may still pull.

How images reach ECR (read in the providers' source, since the docs say little):
- awsx `ecr.Image` (pulumi-awsx `awsx/ecr/image.ts`) builds with a docker-build `Image` child that it
  *names* after the tag. Without `imageTag` the tag is a hash of the context *path*, Dockerfile path, args
  and stack name: the same tag for every build, so each push moved it and left the image before
  untagged. The Image component now passes a content tag (`_build_context.content_tag`).
- A new tag therefore replaces that child, and docker-build's `Delete` deletes the pushed manifest from
  the registry (pulumi-docker-build `provider/internal/image.go` Delete -> `client.go` cli.Delete ->
  ManifestDelete): the image before would vanish at the end of every `pulumi up`, while ECS may still be
  rolling back to it. `keep_pushed_images` marks that child `retainOnDelete` ("Resource option:
  retainOnDelete": Pulumi then never calls the provider's Delete), through `transforms`, which reach the
  children of packaged components such as awsx ("Resource option: transforms"). Expiry is left to the
  lifecycle policy alone.
- docker-build turns off buildx's default provenance attestation (`client.go`: `Attests: {"provenance":
  nil}`), so a one-platform build pushes a single image manifest, not an image index whose attestation
  and platform manifests would show in ECR as untagged images.

The policy (ECR User Guide, "Automate the cleanup of images by using lifecycle policies", lifecycle
policy evaluation rules): a rule expires only images its `selection` matches; `imageCountMoreThan` ranks
them by push time and expires those past the count. One rule keeps the newest `keep` images tagged
`content-*`: the one running and, with `keep >= 2`, at least the one before, which is what the ECS
deployment circuit breaker rolls back to. No rule selects untagged images: the only untagged images left
are one whose tag a rebuild of the same content moved (that image may still be running until the new
deployment finishes), or children of an image index pushed by hand; ECR does not document that it spares
an index's children (aws/containers-roadmap#1466 asks for exactly that), so none of them is ever expired.
"""

import json

import pulumi

from components.image._build_context import CONTENT_TAG_PREFIX

MIN_KEEP = 2  # the image running and the one a rollback returns to
_DOCKER_BUILD_IMAGE = "docker-build:index:Image"


def lifecycle_policy(keep: int) -> str:
    """Expire content-tagged images past the newest `keep`; nothing else is ever selected."""
    if keep < MIN_KEEP:
        raise ValueError(f"`keep_images` must be at least {MIN_KEEP}, got {keep}")
    rule = {
        "rulePriority": 1,
        "description": f"keep the newest {keep} content-tagged images: the one running and rollback targets",
        "selection": {
            "tagStatus": "tagged",
            "tagPrefixList": [CONTENT_TAG_PREFIX],
            "countType": "imageCountMoreThan",
            "countNumber": keep,
        },
        "action": {"type": "expire"},
    }
    return json.dumps({"rules": [rule]})


def keep_pushed_images(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    """A `transforms` callback: docker-build images are never deleted by Pulumi, only by the policy."""
    if args.type_ != _DOCKER_BUILD_IMAGE:
        return None
    retain = pulumi.ResourceOptions(retain_on_delete=True)
    return pulumi.ResourceTransformResult(
        props=args.props, opts=pulumi.ResourceOptions.merge(args.opts, retain)
    )
