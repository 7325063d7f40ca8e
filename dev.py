#!/usr/bin/env python3
"""Set-up and run in one step, on a machine with only Python 3.11+.

    python3 dev.py serve          # the handler on its embedded SQLite store, http://127.0.0.1:8080
    python3 dev.py serve --mongo  # the handler on a local MongoDB-compatible server, as in production
    python3 dev.py test           # the whole test suite (extra args go to pytest)

It finds uv, or installs it into .tools/ with pip, then lets uv create .venv from uv.lock and run the
command. Standard library only: this file runs before anything is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
UV_VERSION = "0.13.8"
TOOLS = ROOT / ".tools"

COMMANDS = {
    # Only the handler's own dependencies: what the image runs.
    "serve": ["run", "--locked", "--no-default-groups", "python", "-m", "handler"],
    # Everything: handler, ops CLI, Pulumi program, test and bench tools.
    "test": ["run", "--locked", "--all-extras", "pytest"],
}

#: `serve --mongo`: the handler, with only its own dependencies, on SecantusDB (devtools/mongo_server.py:
#: GPL-2.0, installed into a venv of its own under .tools/, never a dependency), with authentication on
#: and the handler given MONGODB_URI, MONGODB_USERNAME and MONGODB_PASSWORD as the ECS task is. Its data
#: stays in data/secantus between runs.
LOCAL_USER = "orders-app:local-only-password"  # a loopback server's, not a secret
SERVE_MONGO = [
    *["run", "--locked", "--no-default-groups", "python", "-m", "devtools.mongo_server"],
    *["--storage", "data/secantus", "--user", LOCAL_USER, "--", "python", "-m", "handler"],
]


def _uv() -> str:
    found = shutil.which("uv")
    if found:
        return found
    bindir = TOOLS / ("Scripts" if os.name == "nt" else "bin")
    uv = bindir / "uv"
    if not uv.exists():
        print(f"dev.py: installing uv {UV_VERSION} into {TOOLS}", file=sys.stderr)
        try:
            venv.EnvBuilder(with_pip=True).create(TOOLS)
            pip = [str(bindir / "python"), "-m", "pip"]
        except (OSError, subprocess.CalledProcessError):  # no ensurepip (Debian without python3-venv)
            shutil.rmtree(TOOLS, ignore_errors=True)
            pip = [sys.executable, "-m", "pip"]
            bindir.mkdir(parents=True)
            subprocess.run([*pip, "install", "--target", str(TOOLS / "lib"), f"uv=={UV_VERSION}"], check=True)
            (TOOLS / "lib" / "bin" / "uv").rename(uv)
            return str(uv)
        subprocess.run([*pip, "install", "--quiet", f"uv=={UV_VERSION}"], check=True)
    return str(uv)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[:2] == ["serve", "--mongo"]:
        command = [_uv(), *SERVE_MONGO, *argv[2:]]
    else:
        command = [_uv(), *COMMANDS[argv[0]], *argv[1:]]
    os.chdir(ROOT)
    return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
