"""Image: scanned, encrypted repository with a lifecycle policy; image built for the task's platform."""

import json

import pytest

from components.image import Image, ImageArgs
from tests.components.harness import run


@pytest.mark.parametrize(("arch", "platform"), [("ARM64", "linux/arm64"), ("X86_64", "linux/amd64")])
def test_repository_is_hardened_and_image_matches_the_architecture(arch, platform):
    # Given an image for one task architecture
    def program():
        image = Image(
            "img",
            ImageArgs(context="/repo", cpu_architecture=arch, build_args={"RDS_CA_BUNDLE_SHA256": "ab"}),
        )
        return {"uri": image.image_uri, "url": image.repository_url}

    # When it is registered
    graph = run(program)

    # Then the repository scans on push and is encrypted
    repo = graph.one("aws:ecr/repository:Repository")
    assert repo.inputs["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repo.inputs["encryptionConfigurations"][0]["encryptionType"] == "AES256"
    # And it has a lifecycle policy that expires untagged and old images
    lifecycle = graph.one("aws:ecr/lifecyclePolicy:LifecyclePolicy")
    assert lifecycle.inputs["repository"] == repo.outputs["name"]
    rules = json.loads(lifecycle.inputs["policy"])["rules"]
    assert [r["action"]["type"] for r in rules] == ["expire", "expire"]
    # And the image is built from the repo's Dockerfile for the same platform, pushed to that repository
    built = graph.one("awsx:ecr:Image").inputs
    assert built["platform"] == platform
    assert built["dockerfile"] == "/repo/Dockerfile" and built["context"] == "/repo"
    assert built["args"] == {"RDS_CA_BUNDLE_SHA256": "ab"}
    assert built["repositoryUrl"] == graph.values["url"]
    # And the service gets it by digest
    assert graph.values["uri"].startswith(graph.values["url"] + "@sha256:")


def test_rejects_unknown_architecture():
    with pytest.raises(ValueError, match="`cpu_architecture`"):
        Image("img", ImageArgs(context="/repo", cpu_architecture="ppc64le"))
