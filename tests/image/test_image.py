"""The production image: built from the real Dockerfile, started with its own CMD, and exercised over HTTP."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from handler import contract
from tests.image.build import ROOT, Running, bud, buildah, free_port, serve

pytestmark = pytest.mark.image

SAMPLE = ROOT / "examples" / "create-order.json"
#: Packages that only the dev, infra or bench groups or the ops extra bring; none may be in the image.
NOT_IN_IMAGE = {"pulumi", "pulumi-aws", "pulumi-awsx", "pulumi-policy", "pytest", "pytest-asyncio",
                "hypothesis", "moto", "mongomock", "ruff", "boto3", "botocore", "typer", "fastapi",
                "pydantic", "granian", "matplotlib", "psutil"}  # fmt: skip
LIST_DISTS = (
    "import importlib.metadata as m; print('\\n'.join(f'{d.name}=={d.version}' for d in m.distributions()))"
)


def _pin(requirement: str) -> tuple[str, str]:
    """``Foo_Bar==1.0`` -> ``("foo-bar", "1.0")``: names compared as PEP 503 normalises them."""
    name, version = requirement.strip().split("==")
    return re.sub(r"[-_.]+", "-", name).lower(), version


def _http(method: str, url: str, body: bytes | None = None) -> tuple[int, bytes]:
    headers = {"content-type": "application/json"}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_image_is_configured_to_serve_on_all_interfaces_as_non_root(config: dict) -> None:
    env = dict(item.split("=", 1) for item in config["Env"])
    assert config["User"].split(":")[0] not in ("", "0", "root")
    assert env[contract.ENV_HOST] == "0.0.0.0"
    assert env[contract.ENV_PORT] == str(contract.CONTAINER_PORT)
    assert f"{contract.CONTAINER_PORT}/tcp" in config["ExposedPorts"]
    assert contract.HEALTH_PATH in " ".join(config["Healthcheck"]["Test"])


def test_server_process_is_not_root(running: Running) -> None:
    uids = psutil.Process(running.pid).uids()
    assert uids.real != 0 and uids.effective != 0


def test_liveness_answers(running: Running) -> None:
    status, _ = _http("GET", running.base_url + contract.HEALTH_PATH)
    assert status == 200


def test_put_then_get_the_sample_order(running: Running) -> None:
    # Given the sample EventBridge event; When it is PUT; Then it is stored, and GET returns it.
    event = SAMPLE.read_bytes()
    order_id = json.loads(event)["detail"]["order_id"]
    status, body = _http(contract.ORDERS_METHOD, running.base_url + contract.ORDERS_PATH, event)
    assert status == 201, body
    status, body = _http("GET", f"{running.base_url}{contract.ORDERS_PATH}/{order_id}")
    assert status == 200, body
    assert order_id in body.decode()


def test_it_runs_on_a_read_only_root_writing_only_to_tmp(running: Running) -> None:
    # The container's root as the server process sees it: nothing can be written there but /tmp,
    # where the embedded store keeps its file.
    root = Path(f"/proc/{running.pid}/root")
    with pytest.raises(OSError, match="Read-only file system"):
        (root / "probe").touch()
    assert (root / "tmp" / "orders.sqlite3").is_file()
    # ...so bytecode must ship in the image, or every start compiles from source.
    assert list((root / "app" / "handler" / "__pycache__").glob("app.*.pyc"))


def test_only_the_handlers_locked_dependencies_are_inside(running: Running) -> None:
    listed = buildah("run", "--isolation", "chroot", running.name, "--", "python", "-c", LIST_DISTS).stdout
    inside = dict(_pin(line) for line in listed.split())
    assert not NOT_IN_IMAGE & inside.keys()
    assert {"litestar", "msgspec", "pymongo", "uvicorn", "uvloop"} <= inside.keys()
    # Every distribution inside is pinned, at that version, in the runtime export of uv.lock.
    uv = os.environ.get("UV") or shutil.which("uv")  # `uv run` sets UV to its own path
    assert uv, "uv is needed to export the lockfile; run the suite through `python3 dev.py test`"
    export = subprocess.run(
        [uv, "export", "--frozen", "--no-default-groups", "--no-hashes", "--no-emit-project"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    locked = dict(_pin(line.split(" ;")[0]) for line in export.splitlines() if "==" in line)
    assert inside.items() <= locked.items()


def test_a_bundle_fetched_by_url_is_checked_against_its_pin(
    arch: str, build_context: tuple[Path, str]
) -> None:
    # Given the bundle served over HTTP on loopback (as AWS's URL would be) and a wrong pin;
    # When the image is built; Then the build stops at the check and names the sha256 it got.
    context, sha = build_context
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(context))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/global-bundle.pem"
            failed = bud(context, arch, "localhost/order-events:must-fail", f"RDS_CA_BUNDLE={url}",
                         f"RDS_CA_BUNDLE_SHA256={'0' * 64}", timeout=600)  # fmt: skip
        finally:
            server.shutdown()
    assert failed.returncode != 0
    assert f"has sha256 {sha}" in failed.stderr + failed.stdout


def test_with_a_mongodb_uri_it_serves_on_a_read_only_root_with_no_tmp_at_all(
    image: str, config: dict, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Given the task's set-up: a read-only root and nothing mounted on /tmp (ECS gets no volume for it),
    # and MONGODB_URI pointing at a loopback port where nothing listens (the client connects lazily)
    closed = free_port()
    env = {contract.ENV_MONGODB_URI: f"mongodb://127.0.0.1:{closed}/?directConnection=true"}
    with serve(image, config["Cmd"], tmp_path_factory.mktemp("no-tmp"), env=env, tmpfs_tmp=False) as running:
        # Then /tmp cannot be written, yet liveness answers: the Mongo store needs no file
        with pytest.raises(OSError, match="Read-only file system"):
            (Path(f"/proc/{running.pid}/root/tmp") / "probe").touch()
        assert _http("GET", running.base_url + contract.HEALTH_PATH)[0] == 200
        # And readiness says the store is MongoDB, unreachable (not the embedded file)
        assert _http("GET", running.base_url + contract.READY_PATH)[0] == 503


def test_the_pinned_bundle_is_labelled_and_its_checksum_recorded(
    config: dict, running: Running, build_context: tuple[Path, str]
) -> None:
    # Given the image built with the bundle pinned (as the Pulumi program always builds it)
    _, sha = build_context
    # Then the label carries the sha256 and the file next to the bundle records it
    assert config["Labels"]["order-events.rds-ca-bundle.sha256"] == sha
    rds = Path(f"/proc/{running.pid}/root/opt/rds")
    assert hashlib.sha256((rds / "global-bundle.pem").read_bytes()).hexdigest() == sha
    assert (rds / "global-bundle.pem.sha256").read_text() == f"{sha}  global-bundle.pem\n"


def test_an_unpinned_offline_bundle_is_accepted_and_its_checksum_recorded(
    arch: str, build_context: tuple[Path, str]
) -> None:
    # Given the bundle from a local file and no pin; When its stage is built
    context, sha = build_context
    tag = f"localhost/order-events:rds-ca-{arch}-{os.getpid()}"
    built = bud(context, arch, tag, "RDS_CA_BUNDLE=global-bundle.pem", target="rds-ca", timeout=600)
    try:
        # Then the build succeeds, says which sha256 it got, and records it next to the bundle
        assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
        assert f"has sha256 {sha}" in built.stdout + built.stderr
        name = buildah("from", "--pull=never", tag).stdout.strip()
        try:
            recorded = Path(buildah("mount", name).stdout.strip(), "opt/rds/global-bundle.pem.sha256")
            assert recorded.read_text() == f"{sha}  global-bundle.pem\n"
        finally:
            buildah("rm", name, check=False)
    finally:
        buildah("rmi", "--force", tag, check=False)
