"""The API's routes are made through one `Routes` object, so the deployment's trigger covers all of them.

A REST API serves a *deployment*: a snapshot of its resources, methods and integrations. Changing
one of those in place changes nothing live until a new deployment is made, so the deployment is
replaced whenever its trigger changes. The trigger is the hash of exactly the args each route
resource was created with, taken from the same dict that created it, so a new input can't be left out.
"""

import hashlib
import json
from typing import Any, TypeVar

import pulumi

R = TypeVar("R", bound=pulumi.CustomResource)


def fingerprint(wiring: dict[str, dict[str, Any]]) -> str:
    """sha256 of the resolved args of every route resource, as canonical JSON.

    No `default=`: a value JSON cannot carry fails here, rather than hashing a `repr` that differs
    between runs (which would redeploy on every `pulumi up`).
    """
    canonical = json.dumps(wiring, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class Routes:
    """Makes the API's resources, methods and integrations, and remembers the args each one was given."""

    def __init__(self, opts: pulumi.ResourceOptions) -> None:
        self._opts = opts
        self._args: dict[str, dict[str, Any]] = {}
        self.made: list[pulumi.CustomResource] = []

    def make(self, kind: type[R], name: str, **args: Any) -> R:
        """Create `kind(name, **args)` and record `args`, under `name`, for the trigger."""
        self._args[name] = args
        made = kind(name, **args, opts=self._opts)
        self.made.append(made)
        return made

    def trigger(self) -> pulumi.Output[str]:
        """The hash of every recorded args dict, once its Outputs (ids, ARNs, DNS names) resolve."""
        return pulumi.Output.from_input(self._args).apply(fingerprint)
