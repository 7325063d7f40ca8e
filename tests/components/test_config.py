"""Pulumi.yaml: every key documented and defaulted, and the defaults are the components' own.

Pulumi requires a project key without a default to be set in every stack ("Stack '<stack>' is missing
configuration value"), so each optional key states a default; these tests keep those from drifting from
the component defaults (the `DEFAULT_*` constants in `components/`), which are the one place they live.
"""

import runpy

from components.image import ImageArgs
from components.pipeline import Pipeline, PipelineArgs
from tests.components.harness import ROOT, project_config, run, stack_config


def test_every_key_has_a_type_a_description_and_a_default():
    for key, spec in project_config().items():
        assert {"type", "description", "default"} <= spec.keys(), key


def _graph(program):
    graph = run(program, stack="dev", config=stack_config(None))
    return sorted((r.type, r.name, repr(r.inputs)) for r in graph.resources)


def test_a_stack_that_sets_nothing_builds_what_the_components_default_to():
    # Given the program with Pulumi.yaml's defaults only, and the pipeline given nothing but its image
    from_config = _graph(lambda: runpy.run_path(str(ROOT / "__main__.py"), run_name="__main__") and None)

    def bare() -> None:
        Pipeline("orders-dev", PipelineArgs(image=ImageArgs(context=str(ROOT))))

    # Then both make the same resources with the same inputs: no default is set differently in two places
    assert from_config == _graph(bare)
