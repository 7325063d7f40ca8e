"""Helpers to build the real Dockerfile with buildah on a Debian base.

Why buildah and not Docker: CI has no Docker engine, and the official python slim image cannot be pulled
there, so the base is Debian's python3 from debootstrap (``build-base.sh``, cached in podman's storage).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import platform
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import psutil

from handler.contract import ENV_PORT

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
STORAGE = ["--storage-driver", os.environ.get("IMAGE_STORAGE_DRIVER", "vfs")]
_BASE_SCRIPT_HASH = hashlib.sha256((HERE / "build-base.sh").read_bytes()).hexdigest()[:12]
BUILD_TIMEOUT = 20 * 60
#: Debian's names for the machine's architecture and the one other that Fargate runs.
HOST_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
_QEMU = {"amd64": "x86_64", "arm64": "aarch64"}


def base_name(arch: str) -> str:
    """Tagged with build-base.sh's hash, so a changed script builds a new base, not the cached one."""
    return f"localhost/order-events-base:bookworm-{arch}-{_BASE_SCRIPT_HASH}"


def missing_tools(arch: str = HOST_ARCH) -> str | None:
    tools = [t for t in ("buildah", "podman", "debootstrap", "git", "unshare") if shutil.which(t) is None]
    if tools:
        return f"{', '.join(tools)} not found (bash .ci/install-system-tools installs them)"
    if os.geteuid() != 0:
        return "not root: debootstrap and buildah's vfs storage need root"
    if arch != HOST_ARCH and not Path(f"/proc/sys/fs/binfmt_misc/qemu-{_QEMU.get(arch, arch)}").exists():
        return f"no binfmt_misc entry to run {arch} binaries (install qemu-user-static; see docs/image.md)"
    return None


def buildah(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``buildah`` on the test storage, capturing text output."""
    return subprocess.run(
        ["buildah", *STORAGE, *args], capture_output=True, text=True, timeout=timeout, check=check
    )


def throwaway_ca_pem() -> bytes:
    """A self-signed CA standing in for AWS's RDS bundle, which cannot be fetched offline."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "order-events test RDS CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def bud(
    context: Path,
    arch: str,
    tag: str,
    *build_args: str,
    target: str | None = None,
    timeout: float = BUILD_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """``buildah bud`` the context's Dockerfile (up to stage `target`, if given) on the Debian base,
    reaching PyPI with the host's CAs.

    ``--format docker``: the OCI format has no HEALTHCHECK, and buildah would drop it.
    """
    args = ["--platform", f"linux/{arch}", "--build-arg", f"BASE_IMAGE={base_name(arch)}"]
    args += ["--target", target] if target else []
    for arg in build_args:
        args += ["--build-arg", arg]
    ca = "/etc/ssl/certs/ca-certificates.crt"  # mounted for the build only, never copied into a layer
    mount = ["-v", f"{ca}:{ca}:ro"] if Path(ca).is_file() else []
    return buildah(
        "bud", "--isolation", "chroot", "--network", "host", "--format", "docker", *mount, *args,
        "-t", tag, "-f", str(context / "Dockerfile"), str(context), timeout=timeout, check=False,
    )  # fmt: skip


#: In a mount namespace of its own (gone with the process): the container's root read-only, a tmpfs on
#: /tmp if "$2" is "tmpfs" (as `docker run --read-only --tmpfs /tmp`; ECS mounts nothing there), and one
#: on /run where buildah itself puts /run/.containerenv. Then exec buildah with the rest.
READ_ONLY_ROOT = """set -e
root="$1"; tmp="$2"; shift 2
mount --bind "$root" "$root" && mount -o remount,bind,ro "$root"
if [ "$tmp" = tmpfs ]; then mount -t tmpfs -o mode=1777,size=64m tmpfs "$root/tmp"; fi
mount -t tmpfs -o mode=0755,size=1m tmpfs "$root/run"
exec buildah "$@"
"""


@dataclass
class Running:
    """A started container: its buildah name, where it answers, and its server process."""

    name: str
    base_url: str
    pid: int  # the server process, as the host sees it


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listener(port: int) -> int | None:
    """The pid listening on a TCP port, once something does."""
    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            return conn.pid
    return None


@contextlib.contextmanager
def serve(
    image: str, cmd: list[str], log_dir: Path, *, env: Mapping[str, str] = {}, tmpfs_tmp: bool = True
) -> Iterator[Running]:
    """Run the image's `cmd` as its own user, on the host network with a read-only root; only the port
    moves (to a free one) and `env` is added. Removes the container afterwards.

    Raises:
        RuntimeError: the container did not listen within a minute (its output is in the message).
    """
    name = buildah("from", "--pull=never", image).stdout.strip()
    rootfs = buildah("mount", name).stdout.strip()
    port = free_port()
    log = (log_dir / f"{name}.log").open("w+b")  # a file: a pipe could fill
    env_args = [a for k, v in {ENV_PORT: str(port), **env}.items() for a in ("--env", f"{k}={v}")]
    command = [*STORAGE, "run", "--isolation", "chroot", "--network", "host", *env_args, name, "--", *cmd]
    server = subprocess.Popen(  # its own session, so teardown can end exactly what it started
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", READ_ONLY_ROOT, "sh", rootfs,
         "tmpfs" if tmpfs_tmp else "none", *command],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        yield Running(name, f"http://127.0.0.1:{port}", _listening(server, port, log))
    finally:
        _stop(server)
        log.close()
        buildah("umount", name, check=False)
        buildah("rm", name, check=False)


def _listening(server: subprocess.Popen, port: int, log: IO[bytes]) -> int:
    """The pid listening on `port` once the container listens (within a minute), or RuntimeError."""
    deadline, pid = time.monotonic() + 60, None
    while pid is None and server.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
        pid = listener(port)
    if pid is None:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        log.seek(0)
        raise RuntimeError(f"the container did not listen on {port}:\n{log.read().decode()[-4000:]}")
    return pid


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM the container's session, then SIGKILL it if it has not ended within 30 s."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
