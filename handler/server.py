"""The server `python -m handler` runs: uvicorn (uvloop + httptools), configured from the settings.

Importing this module has no side effects; `handler/__main__.py` is what starts it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import uvicorn

from handler import connections, logs
from handler.app import create_app, exit_requested
from handler.settings import Settings, SettingsError


def main(app_factory: Callable[[Settings], Any] = create_app) -> int:
    """Read the settings, serve ``app_factory(settings)`` until stopped, and return the exit status.

    A bad setting prints one line naming its variable and returns 2. ``bench/serve.py`` passes its own
    factory, so a benchmarked app is served with exactly these settings.
    """
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"handler: configuration error: {exc}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level)
    server = _Server(server_config(settings, app_factory(settings)))
    server.run()  # returns after a graceful shutdown the app asked for; a SIGTERM ends as SIGTERM
    return server.exit_code


class _Server(uvicorn.Server):
    """uvicorn's server, which also begins its graceful shutdown (as on SIGTERM) once the app asks to
    exit (rotation.py), and then exits with the status the app gave."""

    exit_code = 0

    async def on_tick(self, counter: int) -> bool:
        # uvicorn calls this every 0.1 s; it stops serving once should_exit is set.
        if not self.should_exit and (code := exit_requested(self.config.app)) is not None:
            self.exit_code, self.should_exit = code, True
        return await super().on_tick(counter)


def server_config(settings: Settings, app: Any) -> uvicorn.Config:
    """uvicorn's configuration for ``app`` under ``settings``."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        # httptools, with deadlines on a request's head and body and a new connection (connections.py).
        http=connections.protocol(settings.head_timeout_seconds, settings.body_timeout_seconds),
        lifespan="on",
        access_log=False,  # the routes log one line per outcome themselves
        log_config=None,
        server_header=False,
        # SIGTERM: stop accepting, let requests in flight finish, then run the lifespan's shutdown.
        timeout_graceful_shutdown=settings.drain_seconds,
        # Idle keep-alive connections stay open longer than the ALB keeps its side (contract.py); so do
        # new connections before their first request.
        timeout_keep_alive=settings.keep_alive_seconds,
    )
