"""The names the schema gives the nested args types, as each consumer's SDK spells them.

The analyzer names a type after its `TypedDict`: `NetworkArgs`. Every generator then appends its own
`Args` to an input type, so a consumer would write `inputs.NetworkArgsArgs` (TypeScript),
`NetworkArgsArgs` (Python) or, where that collides with the `Network` resource's own `NetworkArgs`,
`NetworkArgsType` (Go). Served as `NetworkSettings`, they read `NetworkSettingsArgs` in each language,
distinct from the resource's `NetworkArgs`. Only the schema changes: the engine sends a component plain
objects, never these names, so construction is the same.

An enum's members are named by their values (`OnePerAz`, `ARM64`), the AWS spelling a consumer knows,
rather than by the Python members (`ONE_PER_AZ`): each generator then spells them its own way
(TypeScript `NatStrategy.OnePerAz`, Python `NatStrategy.ONE_PER_AZ`, Go `NatStrategyOnePerAz`).
"""

from typing import Any

PREFIX = "#/types/"


def settings_names(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with each `<X>Args` type, and every `$ref` to it, renamed `<X>Settings`."""
    renamed = {token: _settings(token) for token in schema.get("types", {})}
    out = _rename(schema, renamed)
    out["types"] = {renamed[token]: _named_by_value(spec) for token, spec in out.get("types", {}).items()}
    return out


def _named_by_value(spec: dict[str, Any]) -> dict[str, Any]:
    if "enum" not in spec:
        return spec
    members = [m | {"name": m["value"]} if isinstance(m["value"], str) else m for m in spec["enum"]]
    return spec | {"enum": members}


def _settings(token: str) -> str:
    return token.removesuffix("Args") + "Settings" if token.endswith("Args") else token


def _rename(node: Any, renamed: dict[str, str]) -> Any:
    if isinstance(node, list):
        return [_rename(item, renamed) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _rename(value, renamed) for key, value in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.removeprefix(PREFIX) in renamed:
        out["$ref"] = PREFIX + renamed[ref.removeprefix(PREFIX)]
    return out
