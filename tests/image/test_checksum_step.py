"""The Dockerfile's RDS CA bundle checksum step, run as the build runs it (`sh -c`), without a build.

Fast and needing no buildah: the step is cut out of the real Dockerfile, pointed at a temporary
directory instead of /opt/rds, and given the build args as environment variables, as RUN is.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from tests.image.build import ROOT

BUNDLE = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
SHA = hashlib.sha256(BUNDLE).hexdigest()


def _checksum_step() -> str:
    """The first RUN of the rds-ca stage, its continuation lines joined as the Dockerfile parser does."""
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    stage = lines[next(i for i, line in enumerate(lines) if line.endswith(" AS rds-ca")) :]
    start = next(i for i, line in enumerate(stage) if line.startswith("RUN "))
    joined = ""
    for line in stage[start:]:
        joined += line.removesuffix("\\")
        if not line.endswith("\\"):
            return joined.removeprefix("RUN ")
    raise AssertionError("the checksum step never ends")


def _run(tmp_path: Path, pin: str = "", sha256sum: str | None = None) -> subprocess.CompletedProcess[str]:
    opt = tmp_path / "opt-rds"
    opt.mkdir(parents=True)
    (opt / "global-bundle.pem").write_bytes(BUNDLE)
    path = os.environ["PATH"]
    if sha256sum is not None:  # a stand-in sha256sum, first on PATH
        fake = tmp_path / "bin"
        fake.mkdir(parents=True)
        (fake / "sha256sum").write_text(f"#!/bin/sh\n{sha256sum}\n")
        (fake / "sha256sum").chmod(0o755)
        path = f"{fake}:{path}"
    env = {"PATH": path, "RDS_CA_BUNDLE": "global-bundle.pem", "RDS_CA_BUNDLE_SHA256": pin}
    script = _checksum_step().replace("/opt/rds", str(opt))
    return subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True, check=False)


def _recorded(tmp_path: Path) -> Path:
    return tmp_path / "opt-rds" / "global-bundle.pem.sha256"


def test_without_a_pin_the_bundle_is_accepted_and_its_checksum_recorded(tmp_path):
    done = _run(tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"has sha256 {SHA}" in done.stdout
    assert _recorded(tmp_path).read_text() == f"{SHA}  global-bundle.pem\n"


def test_a_matching_pin_passes_and_a_wrong_one_fails_naming_the_checksum(tmp_path):
    assert _run(tmp_path / "right", pin=SHA).returncode == 0
    wrong = _run(tmp_path / "wrong", pin="0" * 64)
    assert wrong.returncode != 0 and f"has sha256 {SHA}" in wrong.stderr
    assert not _recorded(tmp_path / "wrong").exists()


@pytest.mark.parametrize(
    "sha256sum",
    ["exit 1", 'echo "deadbeef  $1"', 'echo "$(printf "%064d" 0)x  $1"'],
    ids=["fails", "short", "not-hex"],
)
def test_a_broken_sha256sum_fails_the_build_and_records_nothing(tmp_path, sha256sum):
    # Given no pin (so nothing to compare against), When sha256sum fails or prints no checksum,
    # Then the step fails closed instead of recording an empty or bogus checksum
    done = _run(tmp_path, sha256sum=sha256sum)
    assert done.returncode != 0
    assert not _recorded(tmp_path).exists()
