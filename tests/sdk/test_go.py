"""The Go SDK and examples/go: `go build` and `go vet` of each, against the generated module."""

from pathlib import Path

import pytest

from tests.components.harness import ROOT
from tests.sdk import build

GO_EXAMPLE = ROOT / "examples" / "go"
#: The generator asks for the Pulumi Go SDK it was released beside (v3.269.0), whose go.sum names a
#: pulumi-cloud-sdk version this machine's module proxy does not serve; the example's version (the
#: generator's own) is asked for instead, as MVS would choose for the example anyway.
GO_SDK = "github.com/pulumi/pulumi/sdk/v3@v3.276.0"


@pytest.fixture(scope="module")
def example(generated: Path) -> Path:
    """examples/go beside its SDK, with go.sum written as `pulumi install` would (`go mod tidy`)."""
    go = build.tool("go")
    where = build.workspace(GO_EXAMPLE, generated / "go", "go")
    build.run([go, "mod", "edit", f"-require={GO_SDK}"], where / "sdks" / "order-events", build.GO_ENV)
    build.run([go, "mod", "tidy"], where / "sdks" / "order-events", build.GO_ENV)
    build.run([go, "mod", "tidy"], where, build.GO_ENV)
    return where


def test_the_sdk_builds_and_vets(example):
    go = build.tool("go")
    sdk = example / "sdks" / "order-events"
    build.run([go, "build", "./..."], sdk, build.GO_ENV)
    build.run([go, "vet", "./..."], sdk, build.GO_ENV)
    # And the package a program imports is the one `pulumi package add` tells it to
    listed = build.run([go, "list", "./..."], sdk, build.GO_ENV).split()
    assert "example.com/pulumi-order-events/sdk/go/orderevents" in listed


def test_the_example_builds_and_vets_against_it(example):
    go = build.tool("go")
    build.run([go, "vet", "."], example, build.GO_ENV)
    build.run([go, "build", "-o", str(example / "order-events-go"), "."], example, build.GO_ENV)
    assert (example / "order-events-go").stat().st_size > 0
