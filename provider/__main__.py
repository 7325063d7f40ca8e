"""The component package's entry point: the python language host runs the plugin directory,
`python provider/ <engine address>` (see PulumiPlugin.yaml), and this serves the components over gRPC.

The interpreter puts this directory, not the repo root, first on `sys.path`; the components, and the
`handler` constants they share, are imported from the root, so the root takes this directory's place.

`component_provider_host(COMPONENTS, name=NAME, version=...)` would serve a plain `ComponentProvider`;
this serves `OrderEventsProvider` (provider/hosting.py), which repairs what the plain one does to
integer inputs, through the same `pulumi.provider.server.main` that `component_provider_host` ends in.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [str(HERE.parent), *(p for p in sys.path if Path(p or ".").resolve() != HERE)]

from pulumi.provider.server import main  # noqa: E402

from provider import build  # noqa: E402

if __name__ == "__main__":
    main(build(), sys.argv[1:])
