"""``python -m devtools.mongo_server``: a SecantusDB server in the foreground, or beside one command.

    python -m devtools.mongo_server                          # prints its URI; Ctrl-C stops it
    python -m devtools.mongo_server --user app:secret -- python -m handler

With a command after ``--``, that command runs with ``MONGODB_URI`` (and, given ``--user``,
``MONGODB_USERNAME``/``MONGODB_PASSWORD``) set as the ECS task sets them; the server stops when it exits,
and its exit status is returned.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

from devtools.mongo_server import MongoServer, ServerUnavailable


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.mongo_server", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--port", type=int, default=None, help="default: a free one")
    parser.add_argument("--storage", default=None, help="data directory kept after exit; default: a temp dir")
    parser.add_argument("--user", default=None, metavar="NAME:PASSWORD", help="create it, then require auth")
    parser.add_argument("--tls", nargs="+", metavar="FILE", help="cert-file key-file [ca-file]")
    parser.add_argument("--test-commands", action="store_true", help="allow configureFailPoint")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- a command to run beside it")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the server (and the command, if one is given); return an exit status."""
    args = _parser().parse_args(argv)
    users = {}
    if args.user:
        name, sep, password = args.user.partition(":")
        if not (name and sep and password):
            print("mongo_server: `--user` must be NAME:PASSWORD", file=sys.stderr)
            return 2
        users = {name: password}
    server = MongoServer(
        auth=bool(users),
        users=users,
        tls=args.tls,
        test_commands=args.test_commands,
        storage=args.storage,
        port=args.port,
    )
    try:
        server.start()
    except ServerUnavailable as exc:
        print(f"mongo_server: {exc.reason}", file=sys.stderr)
        server.close()
        return 1
    print(f"mongo_server: SecantusDB listening at {server.uri}", file=sys.stderr, flush=True)
    try:
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        return _run_beside(command, server, users) if command else _wait(server)
    finally:
        server.close()


def _wait(server: MongoServer) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.wait()  # until Ctrl-C, SIGTERM, or it dies
    except KeyboardInterrupt:
        return 0
    print(f"mongo_server: the server exited:\n{server.log_tail()}", file=sys.stderr)
    return 1


def _run_beside(command: list[str], server: MongoServer, users: dict[str, str]) -> int:
    env = dict(os.environ, MONGODB_URI=server.uri)
    for name, password in users.items():
        env.update(MONGODB_USERNAME=name, MONGODB_PASSWORD=password)
    if command[0] == "python":  # the same interpreter (the project's venv under `uv run`)
        command = [sys.executable, *command[1:]]
    child = subprocess.Popen(command, env=env)

    def stop_child(*_: object) -> None:  # Ctrl-C or SIGTERM: the command drains first, then the server
        if child.poll() is None:
            child.terminate()  # uvicorn: a graceful shutdown, even if the terminal's SIGINT reached it too

    signal.signal(signal.SIGINT, stop_child)
    signal.signal(signal.SIGTERM, stop_child)
    code = child.wait()
    return 128 - code if code < 0 else code  # killed by a signal: the shell's 128 + its number
