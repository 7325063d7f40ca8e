"""Build what the SDK tests need, once, under `.tools/sdk/` (git-ignored), skipping what this machine lacks.

- `generator()`: provider/sdkgen built with `go build`, kept as `.tools/sdk/sdkgen-<key>` where the key
  hashes its go.mod, go.sum and main.go: a new Pulumi version or a code change builds a new one.
- `generate()`: the TypeScript, Go and Python SDKs from provider/schema.json (a third of a second: always
  fresh).
- `workspace()`: an example's files copied beside the generated SDK at `sdks/order-events`, where
  `pulumi package add` puts it; node_modules stays there between runs and is reinstalled only when
  package.json changes. Go's module and build caches are the user's own (`go env GOMODCACHE`).
"""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.components.harness import ROOT

SDKGEN = ROOT / "provider" / "sdkgen"
SCHEMA = ROOT / "provider" / "schema.json"
WORK = ROOT / ".tools" / "sdk"
#: Go never fetches a toolchain here: the machine's own runs the generator and the SDK.
GO_ENV = {"GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod"}


def tool(name: str) -> str:
    """The path of `name` on PATH, or a visible skip saying it is absent."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"`{name}` is not on PATH: this machine cannot build that SDK")
    return found


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600) -> str:
    """Run `command`; its output on success, a test failure showing that output otherwise."""
    done = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        shown = " ".join(command)
        pytest.fail(f"`{shown}` in {cwd} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _key(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def generator() -> Path:
    """The sdkgen binary, built only when no build for its go.mod, go.sum and main.go exists yet."""
    go = tool("go")
    binary = WORK / f"sdkgen-{_key(SDKGEN / 'go.mod', SDKGEN / 'go.sum', SDKGEN / 'main.go')}"
    if not binary.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        for stale in WORK.glob("sdkgen-*"):
            stale.unlink()
        partial = binary.with_suffix(".partial")
        run([go, "build", "-o", str(partial), "."], SDKGEN, GO_ENV)
        partial.rename(binary)
    return binary


def generate() -> Path:
    """`.tools/sdk/generated/{nodejs,go,python}`, written afresh from provider/schema.json."""
    out = WORK / "generated"
    run([str(generator()), "-schema", str(SCHEMA), "-out", str(out)], ROOT)
    return out


def workspace(example: Path, sdk: Path, name: str) -> Path:
    """`.tools/sdk/<name>`: the example's files (not its build outputs) and the SDK at sdks/order-events."""
    where = WORK / name
    where.mkdir(parents=True, exist_ok=True)
    for path in example.iterdir():
        if path.is_file():
            shutil.copy2(path, where / path.name)
    target = where / "sdks" / "order-events"
    # The SDK's own node_modules (its typescript) was installed for it: keep it across a refresh.
    kept = where / "sdk-node_modules"
    if (target / "node_modules").exists():
        shutil.rmtree(kept, ignore_errors=True)
        (target / "node_modules").rename(kept)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(sdk, target)
    if kept.exists():
        kept.rename(target / "node_modules")
    return where


def npm_install(where: Path) -> None:
    """`npm install` when package.json differs from the one the node_modules there was installed for."""
    npm = tool("npm")
    stamp = where / "node_modules" / ".installed-for"
    wanted = (where / "package.json").read_text() + (where / "sdks/order-events/package.json").read_text()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error"], where)
    stamp.write_text(wanted)


def pip_install(sdk: Path) -> Path:
    """`.tools/sdk/python-site`: the SDK installed there alone (its metadata gives it its version)."""
    uv = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    site, source = WORK / "python-site", WORK / "python-source"
    # Built from a copy: the build leaves build/ and *.egg-info beside setup.py, not in what was generated
    for stale in (site, source):
        shutil.rmtree(stale, ignore_errors=True)
    shutil.copytree(sdk, source)
    run([uv, "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(source)], ROOT)
    return site
