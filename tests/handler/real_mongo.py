"""A real MongoDB-compatible server for the whole test session (SecantusDB, see devtools/mongo_server.py).

The suite starts it itself, set up as DocumentDB is: TLS only (a CA made here, handed to the client as
a CA file, as the task hands it the RDS bundle), SCRAM authentication, ``retryWrites=false``. One server
per session is shared by every ``mongo-real`` case, each case in a database of its own; tests that stop,
kill or re-key a server start their own (``start_or_skip``). ``MONGODB_URI`` (with ``MONGODB_USERNAME``,
``MONGODB_PASSWORD``, ``MONGODB_TLS_CA_FILE``) points the suite at another server instead. If the server
cannot be installed (offline, no package index), the cases that need it skip and say why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import trustme

from devtools.mongo_server import MongoServer, ServerUnavailable
from handler import contract
from handler.store.mongo import MongoOrderStore, client_options

APP_USER, APP_PASSWORD = "orders-app", "session-password"
#: What the tests append to a server's URI: what the task's URI says to DocumentDB, but its replica set.
URI_OPTIONS = "retryWrites=false"


@dataclass(frozen=True)
class Target:
    """Where a real server is, and how the handler logs in to it (what the ECS task is given)."""

    uri: str
    username: str | None = None
    password: str | None = None
    tls_ca_file: str | None = None
    server: MongoServer | None = None  # when this session started it

    def env(self) -> dict[str, str]:
        """The handler's variables for this server, as the task sets them."""
        env = {contract.ENV_MONGODB_URI: self.uri}
        for name, value in (
            (contract.ENV_MONGODB_USERNAME, self.username),
            (contract.ENV_MONGODB_PASSWORD, self.password),
            (contract.ENV_MONGODB_TLS_CA_FILE, self.tls_ca_file),
        ):
            if value is not None:
                env[name] = value
        return env

    def options(self, deadline_seconds: float = 3.0, **overrides: Any) -> dict[str, Any]:
        """The production client options for this server (``client_options``), then ``overrides``."""
        options = client_options(
            deadline_seconds=deadline_seconds,
            username=self.username,
            password=self.password,
            tls_ca_file=self.tls_ca_file,
        )
        return options | overrides


@dataclass(frozen=True)
class TlsFiles:
    ca: Path
    cert: Path
    key: Path


def make_tls_files(directory: Path) -> TlsFiles:
    """A new CA, and a certificate it signed for the loopback address, as PEM files in ``directory``."""
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1", "localhost")
    files = TlsFiles(directory / "ca.pem", directory / "server.pem", directory / "server-key.pem")
    ca.cert_pem.write_to_path(files.ca)
    issued.cert_chain_pems[0].write_to_path(files.cert)
    issued.private_key_pem.write_to_path(files.key)
    return files


def start_or_skip(**options: Any) -> MongoServer:
    """A started server with ``options`` (see MongoServer); the test skips, saying why, if it cannot."""
    server = MongoServer(**options)
    try:
        return server.start()
    except ServerUnavailable as exc:
        server.close()
        pytest.skip(f"no MongoDB-compatible server: {exc.reason}")


def with_options(uri: str, options: str) -> str:
    """``uri`` with more query ``options``."""
    return f"{uri}{'&' if '?' in uri else '?'}{options}"


@pytest.fixture(scope="session")
def real_mongo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """The session's server: ``MONGODB_URI`` and its credentials if set, else a SecantusDB started here,
    with TLS, authentication and test commands (``failCommand``)."""
    if uri := os.environ.get(contract.ENV_MONGODB_URI):
        given = os.environ.get
        yield Target(
            uri,
            given(contract.ENV_MONGODB_USERNAME),
            given(contract.ENV_MONGODB_PASSWORD),
            given(contract.ENV_MONGODB_TLS_CA_FILE),
        )
        return
    tls = make_tls_files(tmp_path_factory.mktemp("tls"))
    server = start_or_skip(
        auth=True, users={APP_USER: APP_PASSWORD}, tls=(tls.cert, tls.key), test_commands=True
    )
    try:
        uri = with_options(server.uri, URI_OPTIONS)
        yield Target(uri, APP_USER, APP_PASSWORD, str(tls.ca), server)
    finally:
        server.close()


def real_store(target: Target, deadline_seconds: float = 3.0, **overrides: Any) -> MongoOrderStore:
    """The production store and client options on ``target``, in a new database of its own."""
    options = target.options(deadline_seconds, **overrides)
    database = f"orders_test_{uuid.uuid4().hex[:12]}"
    return MongoOrderStore.connect(target.uri, database=database, **options)
