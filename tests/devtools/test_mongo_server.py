"""devtools/mongo_server.py: the SecantusDB server the suite and `dev.py serve --mongo` run."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pymongo import MongoClient
from pymongo.errors import OperationFailure

from devtools import install as installer
from devtools.mongo_server import MongoServer, ServerUnavailable
from tests.handler.real_mongo import start_or_skip
from tests.samples import ROOT

_WRITE_WITH_THE_TASKS_VARIABLES = """
import os, sys
from pymongo import MongoClient
from pymongo.errors import OperationFailure
env = os.environ
with MongoClient(env["MONGODB_URI"], username=env["MONGODB_USERNAME"], password=env["MONGODB_PASSWORD"]) as c:
    c.local_run.orders.insert_one({"_id": "one"})
sys.exit(7)
"""


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_a_restart_keeps_the_port_the_users_and_the_data() -> None:
    # Given a server with authentication and a user, holding one document
    server = start_or_skip(auth=True, users={"app": "pw"})
    try:
        port = server.port
        with MongoClient(server.uri, username="app", password="pw") as client:
            client.t.t.insert_one({"_id": 1})
        # When it is restarted, and killed and started again
        server.restart()
        server.kill()
        assert not server.running and not _listening(port)
        server.start()
        # Then it is back on the same port, with the user, the data, and authentication still required
        with MongoClient(server.uri, username="app", password="pw") as client:
            assert client.t.t.find_one({"_id": 1}) == {"_id": 1}
        with MongoClient(server.uri) as anonymous, pytest.raises(OperationFailure) as refused:
            anonymous.t.t.find_one()
        assert refused.value.code == 13  # Unauthorized
        assert server.port == port
    finally:
        server.close()
    assert not _listening(port)


def test_the_launcher_runs_a_command_with_the_tasks_variables_then_stops_the_server() -> None:
    # When a command runs beside a server, as `dev.py serve --mongo` runs the handler
    done = subprocess.run(
        [sys.executable, "-m", "devtools.mongo_server", "--user", "app:pw", "--", "python", "-c",
         _WRITE_WITH_THE_TASKS_VARIABLES],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    # Then it could log in and write with MONGODB_URI/USERNAME/PASSWORD, and its exit status is returned
    if "could not install" in done.stderr:
        pytest.skip(done.stderr.strip())
    assert done.returncode == 7, done.stderr
    port = int(done.stderr.split("127.0.0.1:")[1].split("/")[0])
    # And the server is gone with it
    assert not _listening(port)


def test_ctrl_c_stops_the_command_gracefully_and_then_the_server() -> None:
    launcher = subprocess.Popen(
        [sys.executable, "-m", "devtools.mongo_server", "--", "python", "-c", "import time; time.sleep(60)"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    line = launcher.stderr.readline()
    if "listening" not in line:
        launcher.kill()
        pytest.skip(line.strip())
    port = int(line.split("127.0.0.1:")[1].split("/")[0])
    time.sleep(0.5)
    launcher.send_signal(signal.SIGINT)
    # Then the command was stopped with SIGTERM (a graceful shutdown for uvicorn), and so was the server
    assert launcher.wait(timeout=30) == 128 + signal.SIGTERM
    assert not _listening(port)


def test_a_server_that_cannot_be_installed_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a version no index has (as offline, every version is)
    monkeypatch.setattr(installer, "SECANTUS_VERSION", "0.0.0.dev0")
    monkeypatch.delenv(installer.ENV_EXECUTABLE, raising=False)
    # When it is installed, Then the error names what could not be installed, and nothing half-made stays
    with pytest.raises(ServerUnavailable, match=r"secantusdb==0\.0\.0\.dev0") as caught:
        installer.install(tmp_path)
    assert not (tmp_path / "secantusdb-0.0.0.dev0").exists()
    # And the suite's helper turns that into a visible skip
    monkeypatch.setattr(MongoServer, "start", lambda self: (_ for _ in ()).throw(caught.value))
    with pytest.raises(pytest.skip.Exception, match="no MongoDB-compatible server: could not install"):
        start_or_skip()
