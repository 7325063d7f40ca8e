"""Say, in the schema, which settings `Pipeline` fills in itself.

A `Pipeline` takes each part's settings type (`DatabaseSettings`, `ServiceSettings`, ...), and some of
their fields are the wiring between parts (`vpcId`, `subnetIds`, security groups): `Pipeline` sets them
and refuses them from a consumer (components/_wiring.py `WIRED`). Their docstrings say what they are for
the part alone ("Needed."), so each SDK would show them as settable. Here their descriptions say so too.
"""

from typing import Any

from pulumi.provider.experimental.util import camel_case

from components._wiring import WIRED

NOTE = "Under `Pipeline`, leave it out: `Pipeline` sets it from the other parts."
PIPELINE = "order-events:index:Pipeline"


def mark_wired(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with NOTE after the description of every field in WIRED (changed in place, returned)."""
    for path, fields in WIRED.items():
        properties = _properties_at(schema, path.split("."))
        for field in fields:
            prop = properties[camel_case(field)]
            prop["description"] = f"{prop.get('description', '').rstrip()} {NOTE}".lstrip()
    return schema


def _properties_at(schema: dict[str, Any], path: list[str]) -> dict[str, Any]:
    """The properties of the settings type that `path` (`service.task`) reaches from Pipeline's inputs."""
    properties = schema["resources"][PIPELINE]["inputProperties"]
    for part in path:
        token = properties[camel_case(part)]["$ref"].removeprefix("#/types/")
        properties = schema["types"][token]["properties"]
    return properties
