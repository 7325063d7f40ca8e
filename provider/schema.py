"""The package schema, as the provider serves it to `pulumi package add`, and its checked-in snapshot.

`provider/schema.json` is the public interface in one reviewable file: tests/package fails when the
served schema drifts from it. After an intended change to a component's args or outputs (or a version
bump), rewrite it and commit the diff with the change:

    uv run python -m provider.schema
"""

import asyncio
import json
import sys
from typing import Any

from pulumi.provider.server import ProviderServicer
from pulumi.runtime.proto import provider_pb2

from provider import ROOT, build

SNAPSHOT = ROOT / "provider" / "schema.json"
REFRESH = "uv run python -m provider.schema"


def served() -> dict[str, Any]:
    """The schema the provider's gRPC `GetSchema` answers, as the CLI asks for it (schema version 0)."""
    servicer = ProviderServicer(build(), [], engine_address="")
    response = asyncio.run(servicer.GetSchema(provider_pb2.GetSchemaRequest(version=0), None))
    return json.loads(response.schema)


def render(schema: dict[str, Any]) -> str:
    """The snapshot's text: properties in the order the components declare them, so diffs read well."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    SNAPSHOT.write_text(render(served()))
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
