"""A real MongoDB-compatible server for tests and local runs: SecantusDB, in a tool venv of its own.

SecantusDB (https://pypi.org/project/secantusdb/) speaks the MongoDB wire protocol. It is GPL-2.0, so it
is only ever run as a separate process from its own venv under ``.tools/`` (``devtools.install``):
never a dependency of the package, of ``uv.lock`` or of the image. Standard library only.

    with MongoServer() as server:           # a free loopback port, storage in a temp dir
        client = AsyncMongoClient(server.uri)

``python -m devtools.mongo_server`` runs one in the foreground (see ``main``).
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

from devtools import opmsg
from devtools.install import SECANTUS_VERSION, ServerUnavailable, install

__all__ = ["SECANTUS_VERSION", "MongoServer", "ServerUnavailable", "free_port", "install"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class MongoServer:
    """One ``secantusd-py`` process on a loopback port; a context manager (start, then close).

    Args:
        auth: require SCRAM authentication. ``users`` are created first, on a start without it.
        users: ``{name: password}``, each made root on the ``admin`` database (or given that password,
            if a kept ``storage`` has it already) on a start without auth, before ``auth`` turns on.
        tls: ``(cert_file, key_file)`` or ``(cert_file, key_file, ca_file)``: serve TLS only.
        test_commands: allow ``configureFailPoint`` (``failCommand``).
        storage: the data directory; ``None`` means a temp dir of its own, removed by ``close()``.
            Either way it outlives ``stop()``/``kill()``, so ``restart()`` finds the data again.
        port: the port to listen on; ``None`` picks a free one (kept across restarts).
        standalone: answer ``hello`` as a standalone server rather than a one-node replica set.
        sync_on_commit: fsync the log on every commit, so that what was acknowledged survives ``kill()``
            (off, as in SecantusDB and mongod, acknowledged writes of the last moments may be lost).
    """

    def __init__(
        self,
        *,
        auth: bool = False,
        users: dict[str, str] | None = None,
        tls: tuple[str | Path, ...] | None = None,
        test_commands: bool = False,
        storage: str | Path | None = None,
        port: int | None = None,
        standalone: bool = False,
        sync_on_commit: bool = False,
        host: str = "127.0.0.1",
    ) -> None:
        self.host, self.port = host, port or free_port(host)
        self.auth, self.users, self.tls = auth, dict(users or {}), tuple(str(f) for f in tls or ())
        self.test_commands, self.standalone, self.sync_on_commit = test_commands, standalone, sync_on_commit
        self._own = Path(tempfile.mkdtemp(prefix="secantus-"))
        self.storage = Path(storage) if storage else self._own / "data"
        self.log_path = self._own / "server.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._executable: Path | None = None

    @property
    def uri(self) -> str:
        """``mongodb://host:port/``, with ``tls=true`` when it serves TLS (add the CA file yourself)."""
        return f"mongodb://{self.host}:{self.port}/" + ("?tls=true" if self.tls else "")

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 30.0) -> MongoServer:
        """Install if need be, create ``users``, start, and wait until it answers ``hello``.

        Raises:
            ServerUnavailable: it could not be installed, or did not answer within ``timeout``.
        """
        self._executable = self._executable or install()
        if self.users:
            self._launch(auth=False, timeout=timeout)
            for name, password in self.users.items():
                self._create_user(name, password)
            self.users = {}  # they live in the storage now
            self.stop()
        self._launch(auth=self.auth, timeout=timeout)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, wait (SIGKILL after ``timeout``); the storage stays."""
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def kill(self) -> None:
        """SIGKILL, as a crash would: no clean shutdown. The storage stays."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    def wait(self) -> int | None:
        """Block until the process exits; its exit status (``None`` if it was not running)."""
        return self._process.wait() if self._process is not None else None

    def restart(self, timeout: float = 30.0) -> MongoServer:
        """Stop if running, then start again on the same port with the same storage and options."""
        self.stop()
        return self.start(timeout)

    def close(self) -> None:
        """Stop, and remove the temp dir (and with it the storage, if it was its own)."""
        self.stop()
        shutil.rmtree(self._own, ignore_errors=True)

    def log_tail(self, lines: int = 20) -> str:
        """The last lines the server wrote (stdout and stderr)."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __enter__(self) -> MongoServer:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _launch(self, *, auth: bool, timeout: float) -> None:
        self.storage.mkdir(parents=True, exist_ok=True)
        config = self._own / "secantusd.toml"  # an empty one: no auto-discovery of ./secantusd.toml
        config.touch()
        command = [str(self._executable), "--config", str(config), "--host", self.host]
        command += ["--port", str(self.port), "--storage-path", str(self.storage), "--log-level", "WARNING"]
        command += ["--auth"] * auth + ["--enable-test-commands"] * self.test_commands
        command += ["--standalone"] * self.standalone + ["--sync-on-commit"] * self.sync_on_commit
        for flag, path in zip(("--tls-cert-file", "--tls-key-file", "--tls-ca-file"), self.tls, strict=False):
            command += [flag, path]
        with open(self.log_path, "ab") as log:
            # A session of its own: a terminal's Ctrl-C reaches whatever uses it, not the server first.
            self._process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, cwd=self._own, start_new_session=True
            )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._command({"hello": 1, "$db": "admin"}, timeout=1.0)
                return
            except opmsg.WireError as exc:
                if self._process is None or self._process.poll() is not None:
                    raise ServerUnavailable(f"secantusd-py exited: {self.log_tail()}") from exc
                if time.monotonic() > deadline:
                    self.kill()
                    raise ServerUnavailable(f"secantusd-py did not answer in {timeout} s: {exc}") from exc
                time.sleep(0.1)

    def _create_user(self, name: str, password: str) -> None:
        try:
            self._command({"createUser": name, "pwd": password, "roles": ["root"], "$db": "admin"})
        except opmsg.WireError:  # a storage kept from an earlier run has it already: set its password
            self._command({"updateUser": name, "pwd": password, "$db": "admin"})

    def _command(self, doc: dict, timeout: float = 5.0) -> bytes:
        context = None
        if self.tls:  # only to see that it answers, on loopback: the tests check certificates themselves
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        return opmsg.command(self.host, self.port, doc, tls=context, timeout=timeout)


if __name__ == "__main__":
    import sys

    from devtools.cli import main

    sys.exit(main())
