"""What every component here does the same way: refuse missing args, and register its annotated outputs."""

import inspect
from collections.abc import Mapping
from typing import Any

import pulumi


def require(args: Mapping[str, Any], *fields: str, why: str = "") -> None:
    """Raise a `ValueError` naming the first of `fields` that `args` lacks (or holds as None).

    Wiring (the VPC, subnets, ARNs of other resources) is `NotRequired` in an args type so that `Pipeline`
    can hold that type without it; a component used alone still needs it, and says which one is missing.
    """
    for field in fields:
        if args.get(field) is None:
            raise ValueError(f"`{field}` is required{why}")


def register_annotated_outputs(component: pulumi.ComponentResource) -> None:
    """`register_outputs` with exactly the component's annotated `Output` attributes, as it assigned them."""
    names = inspect.get_annotations(type(component))
    component.register_outputs({name: getattr(component, name) for name in names})
