"""The database for the ``mongo`` variant: SecantusDB (devtools/mongo_server.py), or BENCH_MONGODB_URI.

SecantusDB speaks the MongoDB wire protocol; it runs from a tool venv of its own (GPL-2.0: never a
dependency). It is pinned to the server's CPU, so that the handler and its database share one core as
the handler and its embedded SQLite do: the mongo/SQLite ratio then compares the stores, like for like,
and its CPU time counts in the mongo row's CPU us/req (RSS is the handler's and the database's too).
"""

from __future__ import annotations

import os
import sys

import psutil

from bench import server
from devtools.mongo_server import MongoServer, ServerUnavailable


def start(keys: list[str]) -> tuple[list[str], MongoServer | None]:
    """Make the mongo variant runnable if it is asked for: the keys to run, and a server to close after.

    Without a URI and when SecantusDB cannot be installed or started, mongo is dropped from the keys,
    with the reason on stderr.
    """
    if "mongo" not in keys:
        return keys, None
    if uri := os.environ.get("BENCH_MONGODB_URI"):
        server.use_mongodb(uri)
        return keys, None
    db = MongoServer()
    try:
        db.start()
    except ServerUnavailable as exc:
        db.close()
        print(f"bench: the mongo variant is left out: {exc.reason}", file=sys.stderr, flush=True)
        return [k for k in keys if k != "mongo"], None
    pids = []
    for process in psutil.Process().children(recursive=True):
        if "secantusd" in " ".join(process.cmdline()):
            for thread in process.threads():  # each thread: affinity is per thread, and they exist already
                os.sched_setaffinity(thread.id, {int(server.SERVER_CPU)})
            pids.append(process.pid)
    server.use_mongodb(db.uri, tuple(pids))
    return keys, db
