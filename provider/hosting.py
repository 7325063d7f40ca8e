"""`OrderEventsProvider`: Pulumi's `ComponentProvider`, with integers that stay integers and errors that
name the consumer's field.

Two things the plain provider (pulumi 3.272, `pulumi.provider.experimental.component`) gets wrong for
a consumer in another language:

- Every number crosses the wire as a protobuf double, so `minTasks: 2` arrives as `2.0`. The plain
  provider converts an `integer` property with `int()` and then overwrites the result with the raw
  value, so the component receives `2.0`: `isinstance(v, int)` checks refuse it and `range(v)` raises.
  Here an integer property gets an `int`, and `2.5` is refused as an input error on that property.
- A component rejects bad args with `ValueError("`min_tasks` is out of range: -1")`. The plain provider
  reports that as a Python traceback. Here a `ValueError` that names one of the component's input
  fields in backticks (`min_tasks`, or `database.vpc_id` for a nested one) becomes an input-property
  error on that field, in the consumer's spelling (`minTasks`), which the engine prints as "property
  minTasks with value '-1' has a problem: ...". Other errors pass through as they were.

It also tidies the schema's descriptions, which every consumer's SDK shows as docs: a docstring that
wraps keeps its source indentation in the plain schema; here each becomes the paragraphs it reads as,
with the field names it mentions in the consumer's spelling (`rds_ca_bundle_url` -> `rdsCaBundleUrl`)
and Sphinx's ":class:`Image`" as plain `Image`; and it names the nested args types as the SDKs read
them (provider/naming.py: `NetworkSettings`, not `NetworkArgs`), and says which of their fields
`Pipeline` wires itself (provider/wired.py).
"""

import inspect
import json
import re
from collections.abc import Iterator
from functools import partial
from typing import Any

from pulumi import ComponentResource, Input, Inputs, Output, ResourceOptions
from pulumi.errors import InputPropertyError
from pulumi.provider.experimental.analyzer import ComponentDefinition, PropertyDefinition, PropertyType
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.experimental.util import camel_case
from pulumi.provider.provider import ConstructResult
from pulumi.provider.server import ComponentInitError

from provider.naming import settings_names
from provider.wired import mark_wired

_SPHINX_ROLE = re.compile(r":[a-z]+:`([^`]+)`")
_SNAKE = re.compile(r"`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`")
_BACKTICKED = re.compile(r"`([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)`")


class OrderEventsProvider(ComponentProvider):
    """The component provider `provider/__main__.py` serves."""

    def __init__(self, components: list[type[ComponentResource]], name: str, version: str) -> None:
        super().__init__(components, name, version=version)
        self.schema = json.dumps(settings_names(mark_wired(_tidy(json.loads(self.schema)))))

    def construct(
        self, name: str, resource_type: str, inputs: Inputs, options: ResourceOptions | None = None
    ) -> ConstructResult:
        try:
            return super().construct(name, resource_type, inputs, options)
        except ComponentInitError as error:
            if not isinstance(error.inner, ValueError):
                raise
            # The base class keeps each component's analysed definition (inputs, their types) here.
            component = self._component_defs[resource_type.rsplit(":", 1)[-1]]
            named = _named(error.inner, self.field_names(component, inputs))
            if named is None:
                raise
            raise named from error.inner

    def map_input_properties(
        self,
        inputs: Inputs,
        properties: dict[str, PropertyDefinition],
        mapping: dict[str, str],
        component_name: str,
        property_path: str,
    ) -> Inputs:
        given = dict(inputs) if isinstance(inputs, dict) else {}
        deferred: dict[str, Input[Any]] = {}
        for key, prop in properties.items():
            value = given.get(key)
            self._check_enum(prop, value, f"{property_path}.{key}" if property_path else key)
            if prop.type is not PropertyType.INTEGER or value is None:
                continue
            path = f"{property_path}.{key}" if property_path else key
            if isinstance(value, Output):
                # The base class calls int() on the value, which an Output refuses: hand it a stand-in.
                deferred[mapping[key]] = value.apply(partial(_whole, path))
                given[key] = 0
            else:
                given[key] = _whole(path, value)
        mapped = super().map_input_properties(given, properties, mapping, component_name, property_path)
        return {**mapped, **deferred}

    def _check_enum(self, prop: PropertyDefinition, value: Any, path: str) -> None:
        """A plain enum input outside its values is the consumer's mistake, said as the components say it."""
        named = self.get_type_definition(prop) if prop.ref and isinstance(value, str) else None
        allowed = tuple(member.value for member in named.enum) if named and named.enum else None
        if allowed is not None and value not in allowed:
            raise InputPropertyError(path, f"`{path}` must be one of {allowed}, got {value!r}")

    def field_names(self, component: ComponentDefinition, given: Inputs) -> dict[str, str]:
        """Python name -> schema path, for every input of `component`, nested args types included.

        Each input is there by its dotted path (`database.vpc_id` -> `database.vpcId`, as `Pipeline`
        names a child's field) and by its bare name (`nat_strategy` -> `network.natStrategy`, as the
        child component itself names it) when that names one input, or one the consumer `given`:
        `cpu_architecture` is `image.cpuArchitecture` unless `service.task.cpuArchitecture` is given too.
        """
        pairs = list(self._paths(component.inputs, component.inputs_mapping, "", ""))
        return _by_bare_name(pairs, given) | dict(pairs)

    def _paths(
        self, properties: dict[str, PropertyDefinition], mapping: dict[str, str], python: str, schema: str
    ) -> Iterator[tuple[str, str]]:
        for key, prop in properties.items():
            python_path, schema_path = f"{python}{mapping[key]}", f"{schema}{key}"
            yield python_path, schema_path
            nested = self.get_type_definition(prop) if prop.ref else None
            if nested is not None and not nested.enum:
                yield from self._paths(
                    nested.properties, nested.properties_mapping, f"{python_path}.", f"{schema_path}."
                )


def _tidy(node: Any) -> Any:
    """Every `description` under `node` as paragraphs: no source indentation, no line breaks within one."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    tidied = {key: _tidy(value) for key, value in node.items()}
    if isinstance(tidied.get("description"), str):
        paragraphs = inspect.cleandoc(tidied["description"]).split("\n\n")
        text = "\n\n".join(" ".join(p.split()) for p in paragraphs)
        text = _SPHINX_ROLE.sub(r"`\1`", text)
        tidied["description"] = _SNAKE.sub(lambda m: f"`{camel_case(m[1])}`", text)
    return tidied


def _whole(path: str, value: Any) -> Any:
    """An integer property's value as an `int`; a number with a fraction is the consumer's mistake."""
    if isinstance(value, float) and not isinstance(value, bool):
        if not value.is_integer():
            raise InputPropertyError(path, f"must be a whole number, got {value}")
        return int(value)
    return value


def _by_bare_name(pairs: list[tuple[str, str]], given: Inputs) -> dict[str, str]:
    """Bare Python name -> the one schema path it names: the only one, or the only one given."""
    paths: dict[str, list[str]] = {}
    for python, path in pairs:
        paths.setdefault(python.rsplit(".", 1)[-1], []).append(path)
    named = {}
    for bare, candidates in paths.items():
        if len(candidates) > 1:
            candidates = [path for path in candidates if _given(given, path)]
        if len(candidates) == 1:
            named[bare] = candidates[0]
    return named


def _given(inputs: Any, path: str) -> bool:
    for key in path.split("."):
        if not isinstance(inputs, dict) or inputs.get(key) is None:
            return False
        inputs = inputs[key]
    return True


def _named(error: ValueError, paths: dict[str, str]) -> InputPropertyError | None:
    """`error` as an input error on the first field it names, every named field in schema spelling."""
    named = [paths[field] for field in _BACKTICKED.findall(str(error)) if field in paths]
    if not named:
        return None
    reason = _BACKTICKED.sub(lambda m: f"`{paths.get(m[1], m[1])}`", str(error))
    return InputPropertyError(named[0], reason)
