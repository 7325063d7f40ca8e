"""``uv run python -m bench.profile [VARIANT]``: where a server's CPU goes under load, by py-spy.

Starts the variant pinned to CPU 0, loads it with wrk on CPU 1, samples it with py-spy (installed by
the ``bench`` group) and prints the frames that hold the most samples, inclusive, per cent.
"""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench import ids, load, stages
from bench import server as servers

_FRAME = re.compile(r"^(?P<name>.*?) \((?P<file>.*?):\d+\)$")


def _fold(path: Path) -> tuple[int, collections.Counter[str]]:
    """Inclusive samples per function (counted once per stack) from py-spy's raw format."""
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        seen = set()
        for frame in stack.split(";"):
            match = _FRAME.match(frame)
            name = f"{match['name']} ({match['file'].split('site-packages/')[-1]})" if match else frame
            if name not in seen:
                seen.add(name)
                inclusive[name] += int(count)
    return total, inclusive


def main(argv: list[str]) -> int:
    key = argv[0] if argv else "memory"
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    load.require_wrk()
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        server = servers.Server(servers.VARIANTS[key], Path(tmp))
        try:
            server.wait_first_201()
            random_ids = (ids.ids_file(14, servers.PYCACHE.parent), 0)
            loaded: dict = {}
            cpu0 = server.cpu_seconds()

            def _load() -> None:
                loaded.update(load.wrk(server.port, 14, 64, "random", random_ids))

            loader = threading.Thread(target=_load)
            loader.start()
            out = Path(tmp) / "profile.txt"
            cmd = [spy, "record", "-p", str(server.proc.pid), "-d", "10", "-r", "250", "-f", "raw"]
            subprocess.run([*cmd, "-o", str(out)], check=True, capture_output=True, timeout=60)
            loader.join(timeout=30)
            us_per_req = 1e6 * (server.cpu_seconds() - cpu0) / max(1, loaded.get("requests", 0))
        finally:
            server.stop()
        total, inclusive = _fold(out)
        _, by_stage = stages.shares(out.read_text())
    print(f"{key}: {total} samples; inclusive share of the server's CPU samples")
    for name, count in inclusive.most_common(45):
        print(f"{100 * count / total:5.1f}%  {name}")
    requests = loaded.get("requests", 0)
    print(f"\nCPU per request by stage ({us_per_req:.0f} us/req in all, {requests} requests):")
    for stage, share in sorted(by_stage.items(), key=lambda x: -x[1]):
        print(f"{share * us_per_req:6.1f} us  {100 * share:5.1f}%  {stage}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
