"""Run provider/ as the engine runs a plugin, offline, and talk to it as `pulumi up` would.

`Plugin` starts `python provider/ <engine address>` (what the python language host runs for a plugin
directory) in a subprocess, reads the port it prints, and sends it gRPC requests: `GetSchema`, as
`pulumi package add` does, and `Construct`, as `pulumi up` does for each component a consumer declares.
A `Construct` carries the address of a resource monitor; here that is a gRPC server in this process
whose answers come from `harness.RecordingMocks` (the same mocked outputs the component tests use), so
every resource the component registers is recorded. The engine address serves `Log`.
"""

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.proto import (
    engine_pb2,
    engine_pb2_grpc,
    errors_pb2,
    provider_pb2,
    provider_pb2_grpc,
    resource_pb2,
    resource_pb2_grpc,
    status_pb2,
)

from tests.components.harness import ROOT, RecordingMocks, Res

PROJECT, STACK = "consumer", "dev"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"


class _Monitor(MockMonitor):
    """Pulumi's mock monitor, with URNs in the consumer's stack (it would ask this process's settings)."""

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        if parent:
            type_ = f"{parent.split('::')[2].split('$')[-1]}${type_}"
        return f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"


class _MonitorServicer(resource_pb2_grpc.ResourceMonitorServicer):
    """The gRPC face of a `_Monitor`: one for each construct, so a late registration lands in its own."""

    def __init__(self) -> None:
        mocks = RecordingMocks()
        self.monitor = _Monitor(mocks)
        # The mocks register the children awsx returns references to (route table associations) in
        # their own monitor; this one must hold them, since it answers the plugin's reads.
        mocks.monitor = self.monitor
        self.resources: list[Res] = self.monitor.mocks.resources

    def SupportsFeature(self, request, context):
        return resource_pb2.SupportsFeatureResponse(
            hasSupport=self.monitor.SupportsFeature(request).hasSupport
        )

    def GetDeploymentInfo(self, request, context):
        return self.monitor.GetDeploymentInfo(request)

    def RegisterResource(self, request, context):
        return self.monitor.RegisterResource(request)

    def RegisterResourceOutputs(self, request, context):
        return self.monitor.RegisterResourceOutputs(request)

    def Invoke(self, request, context):
        return self.monitor.Invoke(request)

    def RegisterPackage(self, request, context):
        return self.monitor.RegisterPackage(request)


class _EngineServicer(engine_pb2_grpc.EngineServicer):
    def __init__(self) -> None:
        self.messages: list[str] = []

    def Log(self, request, context):
        self.messages.append(request.message)
        return empty_pb2.Empty()

    def GetRootResource(self, request, context):
        return engine_pb2.GetRootResourceResponse(urn=STACK_URN)

    def SetRootResource(self, request, context):
        return engine_pb2.SetRootResourceResponse()


@dataclass
class Constructed:
    """What one `Construct` did: the component's URN, its outputs (state), every resource registered."""

    urn: str
    state: dict[str, Any]
    resources: list[Res]


@dataclass
class Refused:
    """A `Construct` the provider refused: the gRPC status and the property errors the engine prints.

    `registered` is what the component registered before it failed. The provider answers without
    waiting for registrations still in flight, so it may grow for a moment: see `Plugin.settled`.
    """

    code: grpc.StatusCode
    message: str
    property_errors: list[tuple[str, str]]  # (property path, reason)
    registered: list[Res]

    def engine_message(self, inputs: dict[str, Any]) -> str:
        """The error as the engine shows it to the consumer (pkg/resource/deploy `errorToMessage`)."""
        lines = [self.message]
        for path, reason in self.property_errors:
            value = inputs.get(path)
            shown = f" with value '{value}'" if value is not None else ""
            lines.append(f"\t\t- property {path}{shown} has a problem: {reason}")
        return "\n".join(lines)


class Plugin:
    """The package's plugin process, a fake engine, and a mocked resource monitor.

    `offline` starts it through tests/package/offline_entry.py, which answers the RDS CA bundle fetch an
    unpinned pipeline makes; otherwise it runs exactly what the language host runs.
    """

    def __init__(self, *, offline: bool = False, cwd: Path = ROOT / "examples") -> None:
        self._servers = []
        self.engine = _EngineServicer()
        engine_port = self._serve(engine_pb2_grpc.add_EngineServicer_to_server, self.engine)
        entry = ROOT / "tests" / "package" / "offline_entry.py" if offline else ROOT / "provider"
        self._stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (open as long as the plugin runs)
        self.process = subprocess.Popen(
            [sys.executable, str(entry), f"127.0.0.1:{engine_port}"],
            stdout=subprocess.PIPE,
            # A file, not a pipe: warnings the plugin logs over many constructs could fill a pipe nobody reads
            stderr=self._stderr,
            cwd=cwd,  # the consumer's program directory, as the engine starts a plugin
            text=True,
        )
        port = self.process.stdout.readline().strip()
        if not port.isdigit():
            died = self.stderr()
            self.close()
            raise RuntimeError(f"the plugin printed no port: {port!r}\n{died}")
        self._channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.provider = provider_pb2_grpc.ResourceProviderStub(self._channel)

    def _serve(self, add, servicer) -> int:
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        add(servicer, server)
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        self._servers.append(server)
        return port

    def stderr(self) -> str:
        """What the plugin wrote to stderr so far (Python warnings, a traceback if it died)."""
        self._stderr.seek(0)
        return self._stderr.read()

    def schema(self) -> dict[str, Any]:
        """What `GetSchema` answers, as the CLI asks for it."""
        response = self.provider.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=60)
        return json.loads(response.schema)

    def construct(self, type_: str, name: str, inputs: dict[str, Any]) -> Constructed | Refused:
        """Ask for a component as the engine does for a consumer's resource: plain values, numbers as
        doubles (protobuf has no integers), parented to the consumer's stack."""
        monitor = _MonitorServicer()
        port = self._serve(resource_pb2_grpc.add_ResourceMonitorServicer_to_server, monitor)
        wire = struct_pb2.Struct()
        wire.update(inputs)
        request = provider_pb2.ConstructRequest(
            project=PROJECT,
            stack=STACK,
            organization="organization",
            monitorEndpoint=f"127.0.0.1:{port}",
            type=type_,
            name=name,
            parent=STACK_URN,
            inputs=wire,
            accepts_output_values=True,
        )
        try:
            response = self.provider.Construct(request, timeout=120)
        except grpc.RpcError as error:
            return Refused(
                error.code(), error.details() or "", list(_property_errors(error)), monitor.resources
            )
        state = struct_pb2.Struct()
        state.CopyFrom(response.state)
        return Constructed(response.urn, _plain(state), list(monitor.resources))

    @staticmethod
    def settled(records: list[Res], *, quiet: float = 0.5, limit: float = 10.0) -> list[Res]:
        """`records` once nothing has been added to them for `quiet` seconds."""
        deadline, seen, since = time.monotonic() + limit, len(records), time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - since < quiet:
            time.sleep(0.05)
            if len(records) != seen:
                seen, since = len(records), time.monotonic()
        return list(records)

    def close(self) -> None:
        if hasattr(self, "_channel"):
            self._channel.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self._stderr.close()
        for server in self._servers:
            server.stop(grace=None)


def _property_errors(error: grpc.RpcError) -> Iterator[tuple[str, str]]:
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        status = status_pb2.Status.FromString(value)
        for detail in status.details:
            errors = errors_pb2.InputPropertiesError()
            if detail.Unpack(errors):
                yield from ((e.property_path, e.reason) for e in errors.errors)


def _plain(state: struct_pb2.Struct) -> dict[str, Any]:
    return rpc.deserialize_properties(state)
