"""Image: an ECR repository (scan on push, lifecycle policy) and the handler image pushed into it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pulumi_awsx as awsx

from components import _ecr, _rds_ca
from components._build_context import content_tag

#: ECS `cpu_architecture` -> the docker build platform that runs on it.
PLATFORMS = {"X86_64": "linux/amd64", "ARM64": "linux/arm64"}
_SHA256 = re.compile(r"[0-9a-f]{64}")
_BUNDLE_ARGS = {"RDS_CA_BUNDLE", "RDS_CA_BUNDLE_SHA256"}


@dataclass(kw_only=True)
class ImageArgs:
    """Inputs of :class:`Image`."""

    context: str
    """Docker build context (the repo root); the Dockerfile is looked up in it."""
    cpu_architecture: str = "ARM64"
    """The task's `cpu_architecture` (`X86_64` or `ARM64`); the image is built for the same platform."""
    dockerfile: str | None = None
    """Path of the Dockerfile; defaults to `<context>/Dockerfile`."""
    build_args: dict[str, str] = field(default_factory=dict)
    """Other Docker build arguments (the RDS CA bundle's two are set from the fields below)."""
    rds_ca_bundle_sha256: str | None = None
    """The RDS CA bundle's pinned sha256. Without one, the bundle at `rds_ca_bundle_url` is fetched now over
    verified HTTPS and its sha256 is used, and exposed as the `rds_ca_bundle_sha256` output to pin later."""
    rds_ca_bundle_url: str = _rds_ca.RDS_CA_BUNDLE_URL
    """Where the bundle comes from (https only); the build fetches the same URL and checks the sha256."""
    keep_images: int = 10
    """How many content-tagged images the lifecycle policy keeps (at least 2: the one running and the one a
    rollback returns to); older ones expire, and nothing else ever does."""
    force_delete: bool = False
    """Let `pulumi destroy` delete a repository that still holds images."""


class Image(pulumi.ComponentResource):
    """Builds `Dockerfile` for the task's platform, pushes it, and exposes it by digest."""

    repository_url: pulumi.Output[str]
    repository_arn: pulumi.Output[str]
    image_uri: pulumi.Output[str]
    rds_ca_bundle_sha256: pulumi.Output[str]

    def __init__(self, name: str, args: ImageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if args.cpu_architecture not in PLATFORMS:
            raise ValueError(
                f"`cpu_architecture` must be one of {tuple(PLATFORMS)}, got {args.cpu_architecture!r}"
            )
        policy = _ecr.lifecycle_policy(args.keep_images)  # raises for a `keep_images` below 2
        if args.rds_ca_bundle_sha256 is not None and not _SHA256.fullmatch(args.rds_ca_bundle_sha256):
            raise ValueError(
                f"`rds_ca_bundle_sha256` must be 64 lowercase hex digits, got {args.rds_ca_bundle_sha256!r}"
            )
        if _BUNDLE_ARGS & args.build_args.keys():
            raise ValueError(f"`build_args` must not set {sorted(_BUNDLE_ARGS)}: use `rds_ca_bundle_*`")
        super().__init__("order-events:index:Image", name, None, opts)
        # Resolved while the program runs (preview and up), never inside an apply: the build needs it.
        bundle_sha256 = args.rds_ca_bundle_sha256 or _rds_ca.fetch_sha256(args.rds_ca_bundle_url)
        build_args = {
            **args.build_args,
            "RDS_CA_BUNDLE": args.rds_ca_bundle_url,
            "RDS_CA_BUNDLE_SHA256": bundle_sha256,
        }
        child = pulumi.ResourceOptions(parent=self)

        repo = aws.ecr.Repository(
            f"{name}-repo",
            image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=True),
            encryption_configurations=[
                aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="AES256")
            ],
            # Mutable: a rebuild of the same content (same tag) must be able to push. The service runs the
            # digest, so a tag never decides what runs; it only decides what the lifecycle policy keeps.
            image_tag_mutability="MUTABLE",
            force_delete=args.force_delete,
            opts=child,
        )
        aws.ecr.LifecyclePolicy(f"{name}-lifecycle", repository=repo.name, policy=policy, opts=child)
        dockerfile = args.dockerfile or f"{args.context}/Dockerfile"
        platform = PLATFORMS[args.cpu_architecture]
        image = awsx.ecr.Image(
            f"{name}-image",
            repository_url=repo.repository_url,
            context=args.context,
            dockerfile=dockerfile,
            platform=platform,
            args=build_args,
            # Tagged by content, and never deleted by Pulumi: see components/_ecr.py for why both matter.
            image_tag=content_tag(Path(args.context), Path(dockerfile), build_args, platform),
            opts=pulumi.ResourceOptions(parent=self, transforms=[_ecr.keep_pushed_images]),
        )
        self.repository_url = repo.repository_url
        self.repository_arn = repo.arn
        # awsx returns the pushed repo digest (`<repo>@sha256:...`), so a new build always rolls the service.
        self.image_uri = image.image_uri
        self.rds_ca_bundle_sha256 = pulumi.Output.from_input(bundle_sha256)
        self.register_outputs(
            {
                "repository_url": self.repository_url,
                "repository_arn": self.repository_arn,
                "image_uri": self.image_uri,
                "rds_ca_bundle_sha256": self.rds_ca_bundle_sha256,
            }
        )
