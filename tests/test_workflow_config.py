"""CI's deploy step gives the stack the settings only CI knows: the smoke check's role and the runbook's URL;
and its smoke step reads the stack's outputs, so it checks the deploy took before the canary."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
STACK_WORKFLOW = ROOT / ".github" / "workflows" / "pulumi-stack.yml"


def _steps() -> list[dict]:
    return yaml.safe_load(STACK_WORKFLOW.read_text())["jobs"]["pulumi"]["steps"]


def test_the_deploy_sets_reader_role_to_the_role_the_smoke_check_runs_as():
    # Given the Pulumi step's config and the role the smoke step assumes (or the deploy role, without one)
    steps = _steps()
    (pulumi,) = [s for s in steps if s.get("uses", "").startswith("pulumi/actions@")]
    config = yaml.safe_load(pulumi["with"]["config-map"])
    (smoke_credentials,) = [s for s in steps if s.get("name") == "Credentials for the smoke check"]
    # Then readerRole names that role, so the stack attaches the reader policy to it in the same `up`
    assert config["readerRole"] == {
        "value": "${{ vars.SMOKE_ROLE_ARN || vars.AWS_ROLE_ARN }}",
        "secret": False,
    }
    assert smoke_credentials["with"]["role-to-assume"] == "${{ vars.SMOKE_ROLE_ARN }}"
    # And runbookUrl is this repository's runbook, absolute
    runbook = config["runbookUrl"]["value"]
    assert runbook.startswith("${{ github.server_url }}/${{ github.repository }}/blob/")
    assert runbook.endswith("/docs/runbook.md")
    # And both are keys the project declares
    declared = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"]
    assert {"readerRole", "runbookUrl"} <= declared.keys()


def test_the_smoke_step_reads_the_stacks_outputs():
    (smoke,) = [s for s in _steps() if s.get("name") == "orders smoke"]
    assert re.search(r"orders smoke --outputs \S+", smoke["run"])
