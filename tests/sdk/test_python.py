"""The Python SDK and examples/python: imported, run under Pulumi's mocks, and type-checked by pyright."""

import json
import os
import runpy
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.components import harness
from tests.package.examples import as_yaml_numbers, yaml_pipeline
from tests.sdk import build

PY_EXAMPLE = harness.ROOT / "examples" / "python"


@pytest.fixture(scope="module")
def sdk(generated: Path) -> Iterator[Path]:
    """The generated `pulumi_order_events`, installed as a consumer's would be, importable here only."""
    where = build.pip_install(generated / "python")
    sys.path.insert(0, str(where))
    try:
        yield where
    finally:
        sys.path.remove(str(where))
        for name in [n for n in sys.modules if n.split(".")[0] == "pulumi_order_events"]:
            del sys.modules[name]


def test_the_example_registers_the_pipeline_the_yaml_example_declares(sdk):
    # Given the example's config at its declared defaults
    config = yaml.safe_load((PY_EXAMPLE / "Pulumi.yaml").read_text())["config"]
    values = {f"{harness.PROJECT}:{key}": str(spec["default"]) for key, spec in config.items()}
    # When the example runs under Pulumi's Python mocks, through the generated SDK
    graph = harness.run(lambda: runpy.run_path(str(PY_EXAMPLE / "__main__.py")) and None, config=values)
    # Then it registered the one Pipeline the YAML example declares, with the same inputs
    token, name, inputs = yaml_pipeline()
    pipeline = graph.one(token)
    assert pipeline.name == name
    assert as_yaml_numbers(pipeline.inputs) == inputs
    assert set(graph.values) >= {"apiInvokeUrl", "dlqUrl", "rdsCaBundleSha256"}


def test_a_wrong_enum_value_is_refused_by_the_sdk_before_anything_registers(sdk):
    import pulumi_order_events as order_events  # only importable once `sdk` ran

    assert [s.value for s in order_events.NatStrategy] == ["Single", "OnePerAz"]
    with pytest.raises(ValueError, match="Double"):
        order_events.NatStrategy("Double")


#: A consumer's mistakes the SDK's types must catch: a string for the NatStrategy enum, a string for an
#: integer, a field no settings type has, and the required image left out.
MISUSE = """
import pulumi_order_events as order_events

order_events.Pipeline("bad", network={"nat_strategy": "Double"})
order_events.Pipeline("bad", image={"context": "."}, database={"instance_count": "2"})
order_events.Pipeline("bad", image={"context": ".", "architecture": "ARM64"})
order_events.Pipeline("bad", order_events.PipelineArgs())
"""


def test_a_consumers_program_type_checks_and_its_mistakes_do_not(sdk, tmp_path):
    # Given the example and a program with four mistakes, each on its own line
    (tmp_path / "misuse.py").write_text(MISUSE)
    wrong = [i for i, line in enumerate(MISUSE.splitlines()) if line.startswith("order_events.Pipeline")]
    # When pyright checks both against the installed SDK (its own files are a library: not reported)
    diagnostics = _pyright(tmp_path, [PY_EXAMPLE, tmp_path / "misuse.py"], sdk)
    errors = [d for d in diagnostics if d["severity"] == "error"]
    # Then the example is clean, and every mistake is an error on its line
    assert not [e for e in errors if "misuse.py" not in e["file"]], errors
    assert len(wrong) == 4 and sorted({e["range"]["start"]["line"] for e in errors}) == wrong, errors


def _pyright(where: Path, paths: list[Path], sdk: Path) -> list[dict[str, Any]]:
    build.tool("node")  # pyright runs on node; its wrapper fetches it from npm on the first run
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent))
    assert pyright, "pyright is in the dev group: uv sync"
    config = {
        # Pyright takes paths relative to its config file, and skips dot-directories (.tools/) by default
        "include": [os.path.relpath(p, where) for p in paths],
        "exclude": [],
        "extraPaths": [os.path.relpath(sdk, where)],
        "pythonVersion": "3.11",
        "typeCheckingMode": "standard",
    }
    (where / "pyrightconfig.json").write_text(json.dumps(config))
    done = subprocess.run(
        [pyright, "--pythonpath", sys.executable, "--outputjson", "-p", str(where)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    # Exit 1 means it found errors (read from its report); anything else that is not 0 is its own failure
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return json.loads(done.stdout)["generalDiagnostics"]
