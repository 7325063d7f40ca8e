"""The consumer examples in examples/, read as their runtimes read them.

`yaml_pipeline()` gives the YAML example's one resource as Pulumi YAML would send it to the plugin: its
type, its name, and its properties with each `${configKey}` replaced by that key's default (the example
declares every key it reads with one). `check()` checks properties against the package schema, as Pulumi
YAML does before it sends anything: every name known, every required one present, every value typed.
"""

import re
from collections.abc import Iterator
from typing import Any

import yaml

from tests.components.harness import ROOT

YAML_EXAMPLE = ROOT / "examples" / "yaml" / "Pulumi.yaml"
TS_EXAMPLE = ROOT / "examples" / "typescript"
_REFERENCE = re.compile(r"\$\{(\w+)\}")
_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool}


def yaml_pipeline() -> tuple[str, str, dict[str, Any]]:
    program = yaml.safe_load(YAML_EXAMPLE.read_text())
    defaults = {key: spec["default"] for key, spec in program.get("config", {}).items()}
    ((name, resource),) = program["resources"].items()
    return resource["type"], name, _resolve(resource.get("properties", {}), defaults)


def as_yaml_numbers(node: Any) -> Any:
    """`node` with numbers as the YAML example has them: a program's mocks see every number as a double."""
    if isinstance(node, dict):
        return {k: as_yaml_numbers(v) for k, v in node.items()}
    if isinstance(node, float) and node.is_integer():
        return int(node)
    return node


def _resolve(node: Any, config: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        return {key: _resolve(value, config) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(value, config) for value in node]
    if isinstance(node, str) and (reference := _REFERENCE.fullmatch(node)):
        return config[reference[1]]
    return node


def check(schema: dict[str, Any], token: str, properties: dict[str, Any]) -> list[str]:
    """What Pulumi YAML would refuse in `properties` of a `token` resource; empty when nothing."""
    resource = schema["resources"][token]
    return list(_check(schema, resource["inputProperties"], resource["requiredInputs"], properties, ""))


def _check(
    schema: dict[str, Any], specs: dict[str, Any], required: list[str], given: dict[str, Any], path: str
) -> Iterator[str]:
    yield from (f"{path}{key}: required" for key in required if key not in given)
    for key, value in given.items():
        if key not in specs:
            yield f"{path}{key}: no such property"
        else:
            yield from _value(schema, specs[key], value, f"{path}{key}")


def _value(schema: dict[str, Any], spec: dict[str, Any], value: Any, path: str) -> Iterator[str]:
    if "$ref" in spec:
        named = schema["types"][spec["$ref"].removeprefix("#/types/")]
        if "enum" in named:
            if value not in [member["value"] for member in named["enum"]]:
                yield f"{path}: not one of the enum's values"
        elif not isinstance(value, dict):
            yield f"{path}: an object expected"
        else:
            yield from _check(schema, named["properties"], named.get("required", []), value, f"{path}.")
    elif spec["type"] == "array":
        for i, item in enumerate(value if isinstance(value, list) else [None]):
            yield from _value(schema, spec["items"], item, f"{path}[{i}]")
    elif spec["type"] == "object":
        for key, item in value.items() if isinstance(value, dict) else [("?", None)]:
            yield from _value(schema, spec["additionalProperties"], item, f"{path}.{key}")
    elif not _is(value, spec["type"]):
        yield f"{path}: {spec['type']} expected, got {value!r}"


def _is(value: Any, type_: str) -> bool:
    # bool is an int in Python, not in the schema
    return isinstance(value, _TYPES[type_]) and isinstance(value, bool) == (type_ == "boolean")
