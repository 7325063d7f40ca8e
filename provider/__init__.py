"""The `order-events` component package: which components it hosts, under what name, at what version.

Other Pulumi languages use the components through it: `pulumi package add` starts `provider/__main__.py`,
asks it for a schema (inferred from each component's args `TypedDict` and annotated outputs) and
generates an SDK from that schema; `pulumi up` then asks it to construct each component. The Python
program, `__main__.py` at the repo root, does not go through it: it imports the components directly.
"""

import tomllib
from pathlib import Path

from components.api import Api
from components.database import Database
from components.endpoints import Endpoints
from components.events import Events
from components.image import Image
from components.network import Network
from components.observability import Alarms, Dashboard
from components.pipeline import Pipeline
from components.service import Service
from provider.hosting import OrderEventsProvider

ROOT = Path(__file__).resolve().parent.parent
#: The package name: the first part of every type token (`order-events:index:Pipeline`) and the name of
#: the SDK a consumer generates.
NAME = "order-events"
#: What the package hosts, each under `order-events:index:<class name>`: the pipeline, and each of its
#: parts for a consumer who composes them differently. The one list: the schema tests read it too.
#: `Endpoints` is public: a consumer who builds `Service` alone in private subnets needs its endpoints
#: (and `ServiceArgs` takes their group and prefix list). `AccessLogBucket` is not: it is the ALB's own
#: part, made inside `Service`, and so are `HandlerTask`, `InternalAlb`, `VpcLink` and `ApiAccount`.
COMPONENTS = [Pipeline, Network, Endpoints, Database, Image, Service, Api, Events, Dashboard, Alarms]


def version() -> str:
    """The package version: the project's, `[project] version` in pyproject.toml, read when it runs.

    Read from the file rather than from the installed distribution's metadata, so a version bump shows
    without reinstalling the project into the virtualenv.
    """
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def build() -> OrderEventsProvider:
    """What `__main__.py` serves: the components, analysed into a schema, under NAME and `version()`."""
    return OrderEventsProvider(COMPONENTS, NAME, version=version())
