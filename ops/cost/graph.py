"""Run a Pulumi program under mocks and record the graph it registers.

Shared by `orders cost` (which prices the graph) and the tests (`tests/components/harness.py`). The mocks
answer with the computed outputs other resources read (`ops/cost/mock_outputs.py`), so the wiring
between components is real, not faked.
"""

from __future__ import annotations

import asyncio
import json
import runpy
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime import rpc, settings
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from ops.cost.mock_outputs import ACCOUNT, ELB_ARN_PREFIX, REGION, ZONES, computed

__all__ = [  # ELB_ARN_PREFIX is re-exported for the tests, which check ARNs the mocks derive
    "ACCOUNT", "ELB_ARN_PREFIX", "PROJECT", "REGION", "ROOT", "Graph", "RecordingMocks", "Res",
    "project_config", "run", "run_stack", "stack_config",
]  # fmt: skip

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "order-events"


@dataclass
class Res:
    """One registered resource: its type token, name, the inputs it was given and its mocked outputs."""

    type: str
    name: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]

    def json(self, key: str) -> Any:
        """Parse a JSON-string input such as a policy document or container definitions."""
        return json.loads(self.inputs[key])


@dataclass
class Graph:
    """What a program registered, plus the resolved values it asked for (stack exports or outputs).

    `options` holds, by resource name, the options the program gave it (the mocks never see them), and
    `dependencies` the names of what the engine was told it depends on (inputs and `depends_on` together).
    """

    resources: list[Res] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    options: dict[str, pulumi.ResourceOptions] = field(default_factory=dict, repr=False)
    dependencies: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def of_type(self, type_: str) -> list[Res]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str) -> Res:
        found = self.of_type(type_)
        assert len(found) == 1, f"expected one {type_}, got {[r.name for r in found]}"
        return found[0]

    def named(self, name: str) -> Res:
        return next(r for r in self.resources if r.name == name)

    def by_id(self, id_: str) -> Res:
        return next(r for r in self.resources if r.outputs.get("id") == id_)

    def depends_on(self, name: str) -> set[str]:
        """The names of the resources `name` was given in `depends_on`."""
        return {r._name for r in self.options[name].depends_on or []}

    def security_rules(self, type_: str) -> list[tuple[str, str, int, int]]:
        """Each security-group rule of `type_` as (group, peer, from port, to port); the peer is the
        referenced group, prefix list or CIDR, whichever the rule names."""
        return [
            (
                r.inputs["securityGroupId"],
                r.inputs.get("referencedSecurityGroupId")
                or r.inputs.get("prefixListId")
                or r.inputs.get("cidrIpv4"),
                r.inputs["fromPort"],
                r.inputs["toPort"],
            )
            for r in self.of_type(type_)
        ]


class _DependencyMonitor(MockMonitor):
    """The mock monitor, also recording what each registration depends on, as the engine would receive it
    (`depends_on` resolved, component dependencies expanded to their children), by resource name."""

    def __init__(self, mocks: RecordingMocks) -> None:
        super().__init__(mocks)
        self.dependencies: dict[str, set[str]] = {}

    def RegisterResource(self, request):  # the gRPC method, by its name
        self.dependencies[request.name] = {urn.rsplit("::", 1)[-1] for urn in request.dependencies}
        return super().RegisterResource(request)


class RecordingMocks(pulumi.runtime.Mocks):
    """Records every resource; returns inputs plus the computed outputs that others read."""

    def __init__(
        self,
        ids: Mapping[str, str] | None = None,
        associations: Sequence[tuple[str, str]] | None = None,
        zones: Mapping[str, str] | None = None,
    ) -> None:
        self.resources: list[Res] = []
        self.ids = dict(ids or {})
        self.associations = associations
        self.zones = dict(ZONES if zones is None else zones)
        self.monitor = _DependencyMonitor(self)

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        # awsx components are opaque nodes whose outputs differ from their inputs: return outputs only.
        given = {} if args.typ.startswith("awsx:") else args.inputs
        id_ = self.ids.get(args.name, f"{args.name}-id")
        outputs = {**given, "id": id_, **computed(args.typ, args.name, args.inputs)}
        if args.typ == "awsx:ec2:Vpc":
            outputs["routeTableAssociations"] = self._route_table_associations(args.name, outputs)
        self.resources.append(Res(args.typ, args.name, dict(args.inputs), outputs))
        return id_, outputs

    def _route_table_associations(self, vpc: str, outputs: dict[str, Any]) -> list[dict[str, str]]:
        """What awsx's `Vpc.route_table_associations` holds: references to its children, one route table
        per subnet. The SDK reads a referenced resource back from the monitor, so each is registered there."""
        subnets = [*outputs["privateSubnetIds"], *outputs["publicSubnetIds"]]
        pairs = self.associations or [(subnet, subnet.replace("subnet-", "rtb-")) for subnet in subnets]
        kind = "aws:ec2/routeTableAssociation:RouteTableAssociation"
        refs = []
        for subnet, table in pairs:
            id_ = f"{vpc}-{subnet}"
            urn = f"urn:pulumi:{pulumi.get_stack()}::{PROJECT}::awsx:ec2:Vpc${kind}::{id_}"
            state = {"subnetId": subnet, "routeTableId": table}
            self.monitor.resources[urn] = MockMonitor.ResourceRegistration(urn, id_, state)
            refs.append({rpc._special_sig_key: rpc._special_resource_sig, "urn": urn, "id": id_})
        return refs

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict:
        if args.token == "aws:index/getRegion:getRegion":
            return {"region": REGION, "name": REGION, "id": REGION}
        if args.token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:root", "id": ACCOUNT}
        if args.token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            return {"names": list(self.zones), "zoneIds": list(self.zones.values()), "id": REGION}
        return {}


def run(
    program: Callable[[], dict[str, Any] | None],
    *,
    stack: str = "dev",
    config: dict[str, str] | None = None,
    ids: Mapping[str, str] | None = None,
    associations: Sequence[tuple[str, str]] | None = None,
    zones: Mapping[str, str] | None = None,
) -> Graph:
    """Run `program` in a fresh stack under mocks; resolve the outputs it returns and its exports.

    `ids` gives chosen resources (by name) another physical id, as if AWS had replaced them;
    `associations` gives an awsx VPC's route table associations as (subnet, table) pairs, in that order
    (by default one table per subnet, private subnets first); `zones` is the account's zone names and
    their IDs (default `ZONES`).
    """
    mocks = RecordingMocks(ids, associations, zones)
    # Pulumi's runtime drives its futures on the main thread's current loop; async tests that ran
    # before (pytest-asyncio) leave none, so give each run a loop of its own.
    asyncio.set_event_loop(asyncio.new_event_loop())
    settings.set_root_resource(None)  # a new Stack resource per run, so exports don't leak between runs
    pulumi.runtime.set_all_config(config or {}, [])
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=False, monitor=mocks.monitor)
    root = settings.get_root_resource()
    graph = Graph(resources=mocks.resources, dependencies=mocks.monitor.dependencies)

    def record_options(args: pulumi.ResourceTransformationArgs) -> None:
        graph.options[args.name] = args.opts

    pulumi.runtime.register_stack_transformation(record_options)

    async def body() -> None:
        # Pulumi's callback server (what a resource's `transforms` go through: the image's) joins a
        # process-wide list before it sets its fields (`_CallbackServicer.__init__`), and the mock monitor
        # reads that list on worker threads for every registration: made lazily, mid-program, it could be
        # read half-made (AttributeError: no `_transforms`). Made here, before anything registers, it cannot.
        await settings._get_callbacks()
        wanted = {**(program() or {}), **root.outputs}
        for key, value in wanted.items():
            graph.values[key] = await pulumi.Output.from_input(value).future()

    settings.SETTINGS.rpc_manager.clear()
    settings.SETTINGS.outputs.clear()
    _sync_await(run_pulumi_func(body))
    return graph


def project_config() -> dict[str, dict[str, Any]]:
    """Pulumi.yaml's config keys, each with its `type`, `description` and `default`."""
    return yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"]


def stack_config(stack: str | None) -> dict[str, str]:
    """What the CLI hands the program: Pulumi.yaml defaults overlaid by Pulumi.<stack>.yaml (None: none)."""
    values = {f"{PROJECT}:{k}": spec["default"] for k, spec in project_config().items()}
    if stack is not None:
        values |= yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
    return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in values.items()}


#: The pager topic a deployer sets (`pulumi config set alarmTopicArn`) on a stack that requires an alarm
#: destination (prod) before its first `up`; without one, the stack refuses to deploy.
PAGER_TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:orders-pager"


def on_call(stack: str, overrides: Mapping[str, str]) -> dict[str, str]:
    """The destination a deployer gives a stack that requires one, unless the caller chose one ("": none)."""
    required = stack_config(stack)[f"{PROJECT}:alarmDestinationRequired"] == "true"
    if not required or {"alarmEmail", "alarmTopicArn"} & overrides.keys():
        return {}
    return {f"{PROJECT}:alarmTopicArn": PAGER_TOPIC}


def deployed_config(stack: str, **overrides: str) -> dict[str, str]:
    """The config `pulumi up` hands the program for `stack` as its deployer runs it: the stack's own, the
    on-call destination a stack that requires one is given, and `overrides` (`pulumi config set`)."""
    given = {f"{PROJECT}:{key}": value for key, value in overrides.items()}
    return stack_config(stack) | on_call(stack, overrides) | given


def run_stack(stack: str, **overrides: str) -> Graph:
    """Run `__main__.py` as `pulumi up` would for `stack`, under mocks (nothing reaches AWS).

    `overrides` sets project config keys on top of the stack's, as `pulumi config set` would. A stack that
    requires an alarm destination gets `PAGER_TOPIC`, as its deployer would set (the destination changes no
    price), unless `overrides` names one.
    """
    config = deployed_config(stack, **overrides)
    if str(ROOT) not in sys.path:  # `__main__.py` imports `components` from the project root
        sys.path.insert(0, str(ROOT))
    return run(
        lambda: runpy.run_path(str(ROOT / "__main__.py"), run_name="__main__") and None,
        stack=stack,
        config=config,
    )
