"""Image: an ECR repository (scan on push, lifecycle policy) and the handler image pushed into it."""

import re
from pathlib import Path
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws
import pulumi_awsx as awsx

from components._component import register_annotated_outputs
from components.image import _ecr, _rds_ca
from components.image._build_context import content_tag
from components.task import DEFAULT_CPU_ARCHITECTURE, PLATFORMS, CpuArchitecture

DEFAULT_KEEP_IMAGES = 10
DEFAULT_FORCE_DELETE = False
_SHA256 = re.compile(r"[0-9a-f]{64}")
_BUNDLE_ARGS = {"RDS_CA_BUNDLE", "RDS_CA_BUNDLE_SHA256"}


class ImageArgs(TypedDict):
    """Inputs of :class:`Image`.

    All but `force_delete` are plain values: the image's content tag is computed from them while the
    program runs, before anything is built.
    """

    context: str
    """Docker build context (the repo root); the Dockerfile is looked up in it."""
    cpu_architecture: NotRequired[CpuArchitecture]
    """The task's `cpu_architecture` (`X86_64` or `ARM64`, the default); the image is built for the same
    platform."""
    dockerfile: NotRequired[str]
    """Path of the Dockerfile; defaults to `<context>/Dockerfile`."""
    build_args: NotRequired[dict[str, str]]
    """Other Docker build arguments (the RDS CA bundle's two are set from the fields below)."""
    rds_ca_bundle_sha256: NotRequired[str]
    """The RDS CA bundle's pinned sha256. Without one, the bundle at `rds_ca_bundle_url` is fetched now over
    verified HTTPS and its sha256 is used, and exposed as the `rds_ca_bundle_sha256` output to pin later."""
    rds_ca_bundle_url: NotRequired[str]
    """Where the bundle comes from (https only); the build fetches the same URL and checks the sha256."""
    keep_images: NotRequired[int]
    """How many content-tagged images the lifecycle policy keeps (at least 2: the one running and the one a
    rollback returns to); older ones expire, and nothing else ever does."""
    force_delete: NotRequired[pulumi.Input[bool]]
    """Let `pulumi destroy` delete a repository that still holds images."""


class Image(pulumi.ComponentResource):
    """Builds `Dockerfile` for the task's platform, pushes it, and exposes it by digest."""

    repository_url: pulumi.Output[str]
    """Where the image is pushed (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>`), to push by hand."""
    repository_arn: pulumi.Output[str]
    """The repository, for the one pull grant of the task's execution role."""
    image_uri: pulumi.Output[str]
    """The pushed image by digest (`<repo>@sha256:...`): a new build always rolls the service."""
    rds_ca_bundle_sha256: pulumi.Output[str]
    """The sha256 of the RDS CA bundle the image trusts (the pin, or the one fetched), to pin later."""

    def __init__(self, name: str, args: ImageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        check_settings(args)
        policy = _ecr.lifecycle_policy(args.get("keep_images", DEFAULT_KEEP_IMAGES))  # raises below 2
        super().__init__("order-events:index:Image", name, None, opts)
        # Resolved while the program runs (preview and up), never inside an apply: the build needs it.
        url = args.get("rds_ca_bundle_url", _rds_ca.RDS_CA_BUNDLE_URL)
        bundle_sha256 = args.get("rds_ca_bundle_sha256") or _rds_ca.fetch_sha256(url)
        build_args = {
            **args.get("build_args", {}),
            "RDS_CA_BUNDLE": url,
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
            force_delete=args.get("force_delete", DEFAULT_FORCE_DELETE),
            opts=child,
        )
        aws.ecr.LifecyclePolicy(f"{name}-lifecycle", repository=repo.name, policy=policy, opts=child)
        image = _image(self, name, args, repo, build_args)
        self.repository_url = repo.repository_url
        self.repository_arn = repo.arn
        # awsx returns the pushed repo digest (`<repo>@sha256:...`), so a new build always rolls the service.
        self.image_uri = image.image_uri
        self.rds_ca_bundle_sha256 = pulumi.Output.from_input(bundle_sha256)
        register_annotated_outputs(self)


def check_settings(args: ImageArgs) -> None:
    """Refuse a bad setting, naming it; `Pipeline` runs this for each child before it makes anything."""
    architecture = args.get("cpu_architecture", DEFAULT_CPU_ARCHITECTURE)
    if architecture not in PLATFORMS:
        raise ValueError(f"`cpu_architecture` must be one of {tuple(PLATFORMS)}, got {architecture!r}")
    pin = args.get("rds_ca_bundle_sha256")
    if pin is not None and not _SHA256.fullmatch(pin):
        raise ValueError(f"`rds_ca_bundle_sha256` must be 64 lowercase hex digits, got {pin!r}")
    if _BUNDLE_ARGS & args.get("build_args", {}).keys():
        raise ValueError(f"`build_args` must not set {sorted(_BUNDLE_ARGS)}: use `rds_ca_bundle_*`")


def _image(
    parent: Image, name: str, args: ImageArgs, repo: aws.ecr.Repository, build_args: dict[str, str]
) -> awsx.ecr.Image:
    """The build for the task's platform, tagged by content and never deleted by Pulumi (see `_ecr`)."""
    context = args["context"]
    dockerfile = args.get("dockerfile") or f"{context}/Dockerfile"
    platform = PLATFORMS[args.get("cpu_architecture", DEFAULT_CPU_ARCHITECTURE)]
    return awsx.ecr.Image(
        f"{name}-image",
        repository_url=repo.repository_url,
        context=context,
        dockerfile=dockerfile,
        platform=platform,
        args=build_args,
        image_tag=content_tag(Path(context), Path(dockerfile), build_args, platform),
        opts=pulumi.ResourceOptions(parent=parent, transforms=[_ecr.keep_pushed_images]),
    )
