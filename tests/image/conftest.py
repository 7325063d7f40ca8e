"""Builds the image from the real Dockerfile once per test session, runs it, and removes both.

IMAGE_TEST_ARCHES (e.g. ``amd64,arm64``) builds and tests each one; the default is the machine's own.
Another architecture runs under qemu-user-static (docs/image.md), ~4 min more on a cold cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.image.build import (
    HERE,
    HOST_ARCH,
    ROOT,
    Running,
    base_name,
    bud,
    buildah,
    missing_tools,
    serve,
    throwaway_ca_pem,
)

ARCHES = [a.strip() for a in os.environ.get("IMAGE_TEST_ARCHES", HOST_ARCH).split(",") if a.strip()]


@pytest.fixture(scope="session", params=ARCHES)
def arch(request: pytest.FixtureRequest) -> str:
    """The architecture to build for; with the Debian base for it built (~45 s natively, then cached)."""
    reason = missing_tools(request.param)
    if reason:
        pytest.skip(reason)
    base, env = base_name(request.param), {**os.environ, "DEB_ARCH": request.param}
    subprocess.run(["bash", str(HERE / "build-base.sh"), base], env=env, check=True, timeout=900)
    # A base left by an older build-base.sh is never used again: drop it (vfs keeps ~130 MB per layer).
    stale_prefix = base.rsplit("-", 1)[0] + "-"
    for tagged in buildah("images", "--format", "{{.Name}}:{{.Tag}}").stdout.split():
        if tagged.startswith(stale_prefix) and tagged != base:
            buildah("rmi", tagged, check=False)
    return request.param


@pytest.fixture(scope="session")
def build_context(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the checkout (what git would commit, plus new files) with an offline RDS bundle.

    Returns:
        The context directory and the bundle's sha256.
    """
    reason = missing_tools()
    if reason:
        pytest.skip(reason)
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    context = tmp_path_factory.mktemp("image-context")
    for rel in filter(None, listed):
        if (ROOT / rel).is_file():  # a file deleted but not yet staged is still listed
            (context / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, context / rel)
    pem = throwaway_ca_pem()
    (context / "global-bundle.pem").write_bytes(pem)  # the one .pem that .dockerignore lets through
    return context, hashlib.sha256(pem).hexdigest()


@pytest.fixture(scope="session")
def image(arch: str, build_context: tuple[Path, str]) -> Iterator[str]:
    """The image built from the real Dockerfile; removed afterwards (vfs layers are full copies)."""
    context, sha = build_context
    tag = f"localhost/order-events:test-{arch}-{os.getpid()}"
    built = bud(context, arch, tag, "RDS_CA_BUNDLE=global-bundle.pem", f"RDS_CA_BUNDLE_SHA256={sha}")
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    yield tag
    buildah("rmi", "--force", tag, check=False)


@pytest.fixture(scope="module")
def config(image: str) -> dict:
    return json.loads(buildah("inspect", "--type", "image", image).stdout)["Docker"]["config"]


@pytest.fixture(scope="module")
def running(image: str, config: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """Given the image's own CMD, user and env (only the port moved to a free one), serving on the host
    with a read-only root and a tmpfs on /tmp, as `docker run --read-only --tmpfs /tmp` would."""
    try:
        with serve(image, config["Cmd"], tmp_path_factory.mktemp("container")) as server:
            yield server
    except RuntimeError as exc:
        pytest.fail(str(exc))
