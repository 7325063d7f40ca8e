"""``python -m handler``: serve the app with uvicorn (uvloop + httptools), configured from the env."""

from __future__ import annotations

import gc

# No collections while the start-up import graph loads (measured: ~40 ms of a ~320 ms cold start);
# the app's lifespan collects once, freezes what start-up built, and turns collection back on.
gc.disable()

import sys  # noqa: E402
from typing import Any  # noqa: E402

import uvicorn  # noqa: E402

from handler import connections, logs  # noqa: E402
from handler.app import create_app, exit_requested  # noqa: E402
from handler.settings import Settings, SettingsError  # noqa: E402


def main() -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"handler: configuration error: {exc}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level)
    server = _Server(server_config(settings, create_app(settings)))
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


if __name__ == "__main__":
    sys.exit(main())
