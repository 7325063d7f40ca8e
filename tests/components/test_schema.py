"""The components as a multi-language package: Pulumi's component host infers each schema from the types.

`pulumi.provider.experimental` reads the `args` annotation of each `__init__` (a TypedDict, whose nested
types are TypedDicts too), the docstring under each field, and the annotated `Output` class attributes.
"""

import inspect
import typing

import pytest
from pulumi.provider.experimental.analyzer import Analyzer
from pulumi.provider.experimental.util import camel_case

from provider import COMPONENTS
from tests.components.harness import ROOT

#: What the `order-events` package hosts: the provider's own list.
HOSTED = COMPONENTS


@pytest.fixture(scope="module")
def schema():
    # When the package's components are analysed together, as the host does
    return Analyzer("order-events").analyze(HOSTED)


def _args_type(component: type) -> type:
    return inspect.get_annotations(component.__init__)["args"]


@pytest.mark.parametrize("component", HOSTED, ids=lambda c: c.__name__)
def test_each_component_has_its_args_as_inputs_and_its_annotated_outputs(schema, component):
    definition = schema["component_definitions"][component.__name__]
    args = _args_type(component)
    # Then the inputs are the args type's fields, optional exactly where they are NotRequired
    assert typing.is_typeddict(args)
    assert set(definition.inputs) == {camel_case(field) for field in inspect.get_annotations(args)}
    optional = {name for name, prop in definition.inputs.items() if prop.optional}
    assert optional == {camel_case(field) for field in args.__optional_keys__}
    # And the outputs are the class's annotated attributes
    assert set(definition.outputs) == {camel_case(name) for name in inspect.get_annotations(component)}
    # And every one of them is documented, once, where it is declared
    undocumented = [
        name for name, prop in {**definition.inputs, **definition.outputs}.items() if not prop.description
    ]
    assert undocumented == []


def test_the_pipeline_holds_its_childrens_args_types(schema):
    # Given Pipeline's inputs: each child's args type, referenced, not re-declared
    pipeline = schema["component_definitions"]["Pipeline"]
    refs = {name: prop.ref.rsplit(":", 1)[-1] for name, prop in pipeline.inputs.items() if prop.ref}
    assert refs == {
        "image": "ImageArgs",
        "network": "NetworkArgs",
        "endpoints": "EndpointsArgs",
        "database": "DatabaseArgs",
        "service": "ServiceArgs",
        "api": "ApiArgs",
        "events": "EventsArgs",
    }
    # Then each is the very type its component takes, and the task's args nest inside the service's
    types = schema["type_definitions"]
    nested = {c.__name__: c for c in HOSTED}
    for component in (nested[ref.removesuffix("Args")] for ref in refs.values()):
        args = _args_type(component)
        assert types[args.__name__].python_type is args
        assert set(types[args.__name__].properties) == set(
            schema["component_definitions"][component.__name__].inputs
        )
    assert schema["component_definitions"]["Service"].inputs["task"].ref.endswith(":HandlerTaskArgs")
    assert all(prop.description for t in types.values() for prop in t.properties.values())


def test_no_component_module_postpones_its_annotations():
    # The analyzer reads annotations as objects: under `from __future__ import annotations` they would be
    # strings it does not evaluate. No module in components/ uses it, helpers included.
    postponed = [
        p.name for p in (ROOT / "components").rglob("*.py") if "from __future__ import" in p.read_text()
    ]
    assert postponed == []
