"""The schema `pulumi package add` generates a consumer's SDK from: what it promises, and its snapshot."""

import difflib
import inspect
import json
import tomllib
import types
import typing
from collections.abc import Awaitable, Mapping, Sequence
from enum import Enum
from typing import Any

import pulumi
import pytest
import yaml
from pulumi.provider.experimental.util import camel_case

from provider import COMPONENTS, NAME, ROOT, version
from provider.hosting import _tidy
from provider.schema import REFRESH, SNAPSHOT, render, served

SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return served()


def test_the_served_schema_is_the_checked_in_snapshot(schema):
    # Given provider/schema.json, the public interface as last reviewed
    snapshot = SNAPSHOT.read_text()
    # Then the provider serves exactly that: a change to any component's args or outputs shows here first
    drift = "".join(
        difflib.unified_diff(
            snapshot.splitlines(True), render(schema).splitlines(True), "schema.json", "served"
        )
    )
    assert not drift, (
        f"the package schema drifted from provider/schema.json (a consumer's SDK would change):\n{drift}\n"
        f"If the change is intended, run `{REFRESH}` and commit provider/schema.json with it."
    )


def test_the_package_is_named_order_events_at_the_projects_version(schema):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert (schema["name"], schema["version"]) == (NAME, project["version"]) == ("order-events", version())
    assert set(schema["resources"]) == {f"order-events:index:{c.__name__}" for c in COMPONENTS}


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_each_component_has_its_args_as_inputs_and_its_outputs(schema, component):
    # Given what the Python code declares: the args TypedDict and the annotated Output attributes
    args = inspect.get_annotations(component.__init__)["args"]
    fields = inspect.get_annotations(args)
    outputs = {k: v for k, v in inspect.get_annotations(component).items() if _is_output(v)}
    # When the component's entry in the schema is read
    entry = schema["resources"][f"order-events:index:{component.__name__}"]
    inputs = entry["inputProperties"]
    # Then every field is an input under its camelCase name, required exactly when the TypedDict says
    assert list(inputs) == [camel_case(f) for f in fields]
    assert sorted(entry["requiredInputs"]) == sorted(camel_case(f) for f in args.__required_keys__)
    # with the type its annotation gives, and the docstring written under it as its description
    for field, hint in fields.items():
        prop = inputs[camel_case(field)]
        assert _schema_type(prop) == _python_type(hint), field
        assert prop.get("description"), f"`{field}` has no docstring: consumers' SDKs would show nothing"
    # And every annotated Output is an output, described too
    assert list(entry["properties"]) == [camel_case(o) for o in outputs]
    assert all(p.get("description") for p in entry["properties"].values())
    assert entry["description"] == _tidy({"description": component.__doc__})["description"]


def test_every_description_reads_as_prose(schema):
    # Docstrings that wrap keep no source indentation: each consumer's SDK shows them as written here
    descriptions = list(_descriptions(schema))
    assert descriptions and not [d for d in descriptions if "\n " in d or d != d.strip()]


def test_no_input_is_untyped(schema):
    # An `Any` would reach every consumer's SDK as an untyped value, checked by nobody before `pulumi up`
    assert "pulumi.json#/Any" not in json.dumps(schema)


def test_the_schema_says_what_the_alarms_take_in_a_consumers_words(schema):
    alarms = schema["resources"]["order-events:index:Alarms"]["inputProperties"]
    assert alarms["minTasks"]["type"] == "integer"
    assert alarms["storeLatencyShare"]["type"] == "number"
    assert alarms["minTasks"]["description"].startswith("The service's autoscaling minimum")
    assert alarms["alarmEmail"]["description"].endswith("not with `alarmTopicArn`.")


def test_the_running_plugin_serves_the_same_schema(plugin, schema):
    # Given the plugin started as the python language host starts it (`python provider/ <engine>`)
    # When the CLI asks it for its schema, as `pulumi package add` does
    # Then it answers the schema built in-process: the entry point imports the same components
    assert plugin.schema() == schema


def test_the_plugin_manifest_runs_python_in_the_projects_virtualenv():
    manifest = yaml.safe_load((ROOT / "provider" / "PulumiPlugin.yaml").read_text())
    assert manifest["runtime"]["name"] == "python"
    options = manifest["runtime"]["options"]
    assert options["toolchain"] == "uv"
    program = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["runtime"]["options"]["virtualenv"]
    assert (ROOT / "provider" / options["virtualenv"]).resolve() == (ROOT / program).resolve()
    # The root holds the program's __main__.py: a plugin there would run the program, not the provider
    assert not (ROOT / "PulumiPlugin.yaml").exists()


def _descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            yield node["description"]
        for value in node.values():
            yield from _descriptions(value)


def _is_output(hint: Any) -> bool:
    return typing.get_origin(hint) is pulumi.Output or any(_is_output(a) for a in typing.get_args(hint))


def _unwrap(hint: Any) -> Any:
    """`NotRequired[T]`, `Input[T]`, `Output[T]`, `T | None` -> T."""
    origin = typing.get_origin(hint)
    if origin in (pulumi.Output, typing.NotRequired, typing.Required):
        return _unwrap(typing.get_args(hint)[0])
    if origin in (typing.Union, types.UnionType):
        # Input[T] is T | Awaitable[T] | Output[T] (a forward reference); Optional[T] is T | None
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        plain = [a for a in args if typing.get_origin(a) is not Awaitable and not _is_wrapper(a)]
        return _unwrap((plain or args)[0])
    return hint


def _is_wrapper(hint: Any) -> bool:
    return isinstance(hint, typing.ForwardRef) or typing.get_origin(hint) is pulumi.Output


def _python_type(hint: Any) -> Any:
    hint = _unwrap(hint)
    origin = typing.get_origin(hint)
    if hint in SCALARS:
        return SCALARS[hint]
    if origin in (list, Sequence):
        return ("array", _python_type(typing.get_args(hint)[0]))
    if origin in (dict, Mapping):
        return ("map", _python_type(typing.get_args(hint)[1]))
    if isinstance(hint, type) and issubclass(hint, Enum):
        return f"#/types/order-events:index:{hint.__name__}"
    if typing.is_typeddict(hint):
        # Served under the name the SDKs read (provider/naming.py): NetworkArgs -> NetworkSettings
        return f"#/types/order-events:index:{hint.__name__.removesuffix('Args')}Settings"
    raise AssertionError(f"no schema type for {hint!r}")


def _schema_type(prop: dict[str, Any]) -> Any:
    if "$ref" in prop:
        return prop["$ref"]
    if prop["type"] == "array":
        return ("array", _schema_type(prop["items"]))
    if prop["type"] == "object" and "additionalProperties" in prop:
        return ("map", _schema_type(prop["additionalProperties"]))
    return prop["type"]
