"""``python -m tests.handler.rotating_server``: ``python -m handler`` exactly (same ``main()``, uvicorn,
lifespan, SQLite store), except that the store is wrapped so that a test can rotate the password away.

Test-only. Whenever the file named by ``ROTATE_CREDENTIALS_FLAG`` exists, the next store operation
consumes it and fails with ``CredentialsRejected``, as the first new connection after a real rotation
does; the operations after it pass, as those on connections opened before the rotation do.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import handler.app
from handler.server import main
from handler.settings import Settings
from handler.store.base import OrderStore
from tests.handler.fakes import RotatingCredentialsStore

_open_store = handler.app.open_store


def _flag_consumed(flag: Path) -> bool:
    try:
        flag.unlink()
    except FileNotFoundError:
        return False
    return True


async def _open_rotating_store(settings: Settings) -> OrderStore:
    flag = Path(os.environ["ROTATE_CREDENTIALS_FLAG"])
    return RotatingCredentialsStore(await _open_store(settings), lambda: _flag_consumed(flag))


if __name__ == "__main__":
    handler.app.open_store = _open_rotating_store
    sys.exit(main())
