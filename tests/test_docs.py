"""The docs say what is true: the README's commands run, every link lands, the settings table and the
module map follow the code they describe."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from handler import contract
from tests.samples import ORDER_ID, ROOT

README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "results" / "README.md"]
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_FENCE = re.compile(r"```(?:sh|text)?\n(.*?)```", re.S)


def _section(page: Path, heading: str) -> str:
    text = page.read_text()
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _slug(heading: str) -> str:
    # GitHub's anchors: lower case, punctuation dropped (hyphens kept), spaces to hyphens.
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_slug(line.lstrip("#")) for line in page.read_text().splitlines() if line.startswith("#")}


def test_the_readme_is_a_front_page():
    # About 150 lines: what it is, the picture, two commands, try it, deploy, links
    lines = README.read_text().splitlines()
    assert len(lines) <= 170, len(lines)
    headings = [line for line in lines if line.startswith("## ")]
    assert headings[:5] == ["## The picture", "## Two commands", "## Try it locally", "## Deploy",
                            "## Where to read next"]  # fmt: skip


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_lands_on_a_file_and_heading(page: Path):
    broken = []
    for target in _LINK.findall(page.read_text()):
        if re.match(r"[a-z]+:", target):
            continue  # http(s) and mailto links: not ours to check offline
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists() or (anchor and anchor not in _anchors(file)):
            broken.append(target)
    assert broken == []


def test_the_readmes_dev_commands_are_the_ones_dev_py_has():
    # Given the `python3 dev.py <command>` lines the README shows
    named = set(re.findall(r"python3 dev\.py (\w+)", README.read_text()))
    sys.path.insert(0, str(ROOT))
    try:
        import dev
    finally:
        sys.path.remove(str(ROOT))
    # Then they are exactly dev.py's commands, and anything else gets the usage and status 2
    assert named == set(dev.COMMANDS) == {"serve", "test"}
    usage = subprocess.run([sys.executable, "dev.py", "nonsense"], cwd=ROOT, capture_output=True, text=True)
    assert usage.returncode == 2 and "python3 dev.py serve" in usage.stderr


def test_the_config_keys_and_stack_outputs_the_readme_names_exist():
    text = README.read_text()
    keys = set(yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"])
    named = set(re.findall(r"pulumi config set (\w+)", text)) | set(re.findall(r"or\s+`(\w+)` for", text))
    assert named and named <= keys, named - keys
    exported = set(re.findall(r'pulumi\.export\("(\w+)"', (ROOT / "__main__.py").read_text()))
    outputs = set(re.findall(r"pulumi stack output (\w+)", text))
    assert outputs and outputs <= exported, outputs - exported


def test_the_settings_table_is_the_contracts():
    # Given the table in docs/handler.md, Then it has one row per contract.SETTINGS entry, in order,
    # with its variable, its default and its meaning
    rows = [line for line in _section(ROOT / "docs" / "handler.md", "Configuration").splitlines()]
    rows = [row for row in rows if row.startswith("| `")]
    expected = [
        f"| `{s.variable}` | {'unset' if s.default is None else f'`{s.default}`'} | {s.description} |"
        for s in contract.SETTINGS
    ]
    assert rows == expected, "docs/handler.md's settings table, as the contract has it:\n" + "\n".join(
        expected
    )


def test_the_module_map_names_every_module_and_only_those():
    # Given the map in docs/architecture.md
    (block,) = _FENCE.findall(_section(ROOT / "docs" / "architecture.md", "Module map"))
    listed = {line.split()[0] for line in block.splitlines() if line.strip()}
    # And every source module of the project
    packages = ("handler", "components", "ops", "provider", "policy", "bench", "devtools")
    modules = {str(p.relative_to(ROOT)) for pkg in packages for p in (ROOT / pkg).rglob("*.py")}
    modules |= {"__main__.py", "dev.py"}
    # Then the map names each (a package's __init__ where it has one worth a line) and nothing else
    assert listed - modules == set(), "listed but gone"
    assert {m for m in modules - listed if not m.endswith("__init__.py")} == set(), "missing from the map"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path: Path):
    """`python3 dev.py serve`, as the README runs it, on a free port and a fresh store."""
    port = _free_port()
    env = os.environ | {"HANDLER_PORT": str(port), "HANDLER_SQLITE_PATH": str(tmp_path / "orders.sqlite3")}
    server = subprocess.Popen(
        [sys.executable, "dev.py", "serve"], cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120  # uv may first have to install the handler's dependencies
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        assert server.poll() is None, server.stderr.read() if server.stderr else ""
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # dev.py, uv and the handler: the session this test started
        server.wait(timeout=30)


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's commands use curl, not installed here")
def test_the_try_it_locally_commands_work_as_written(served: int):
    # Given the commands of "Try it locally", against the server `python3 dev.py serve` started
    blocks = _FENCE.findall(_section(README, "Try it locally"))
    commands = [c.replace("127.0.0.1:8080", f"127.0.0.1:{served}") for c in blocks]
    uv = subprocess.run([sys.executable, "-c", "import dev; print(dev._uv())"], cwd=ROOT, capture_output=True,
                        text=True, check=True).stdout.strip()  # fmt: skip
    env = os.environ | {"PATH": f"{Path(uv).parent}{os.pathsep}{os.environ['PATH']}"}
    # When each block runs in a shell, as a reader would paste it
    runs = [
        subprocess.run(["bash", "-ec", c], cwd=ROOT, env=env, capture_output=True, text=True)
        for c in commands
    ]
    # Then each succeeds: the PUT is 201 and the GET returns the order, and `orders send` delivers it again
    assert [r.returncode for r in runs] == [0] * len(runs), [r.stderr for r in runs]
    put_answer, _, got = runs[0].stdout.partition("\n\n")
    assert put_answer.startswith("HTTP/1.1 201")
    created, end = json.JSONDecoder().raw_decode(got)
    assert created == {"order_id": ORDER_ID, "status": "created"}
    assert json.loads(got[end:])["order_id"] == ORDER_ID
    assert "200" in runs[1].stdout, runs[1].stdout
