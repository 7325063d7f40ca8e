"""Serve a bench app exactly as ``python -m handler`` serves the product: ``python -m bench.serve NAME``.

``handler.server.main`` reads the same env vars and builds the uvicorn config (uvloop, httptools, no
access log, lifespan, log set-up); we only pass it another app factory, so no server setting is
forked. ``granian_app`` gives the same apps to granian (``--factory bench.serve:granian_app``).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any


def _factory(name: str) -> Callable[..., Any]:
    if name == "memory":  # the product app on the dict store
        from bench.memstore import MemoryStore
        from handler.app import create_app

        return functools.partial(create_app, store=MemoryStore())
    if name == "fastapi":
        from bench.twin_fastapi import create_app

        return create_app
    if name == "raw":
        from bench.raw_asgi import create_app

        return create_app
    raise SystemExit(f"bench.serve: unknown app {name!r} (memory, fastapi, raw)")


def granian_app() -> Any:
    """Granian factory: the app named by BENCH_APP, with the handler's log set-up and settings."""
    from handler import logs
    from handler.settings import Settings

    settings = Settings.from_env()
    logs.configure(settings.log_level)
    return _factory(os.environ["BENCH_APP"])(settings)


if __name__ == "__main__":
    from handler.server import main

    sys.exit(main(_factory(sys.argv[1])))
