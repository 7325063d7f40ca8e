"""Who may import whom: no cycles, the Pulumi program without the web stack, no test importing a test."""

import subprocess
import sys

from tests.import_graph import cycles, graph, modules, top_level_imports
from tests.samples import ROOT


def test_the_import_graph_reads_imports_and_finds_cycles():
    # Given the graph of this very suite, Then it sees what this module imports
    edges = graph()
    assert {"tests.import_graph", "tests.samples"} <= edges["tests.test_imports"]
    # And the cycle finder finds a cycle when there is one, and only then
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_project_modules_type_only_ones_included():
    # Given every import in the project, those under `if TYPE_CHECKING:` and in functions too
    edges = graph()
    # Then no module reaches itself again
    assert cycles(edges) == []


def test_no_test_module_imports_another_test_module():
    # Shared helpers live in helper modules; a `test_*` module is only ever collected, never imported
    tests = {name for name in graph() if name.rpartition(".")[2].startswith("test_")}
    offenders = {name: sorted(graph()[name] & tests) for name in tests if graph()[name] & tests}
    assert offenders == {}


def test_the_pulumi_programs_components_load_no_handler_module_but_the_contract():
    # Given a fresh interpreter, When it imports every module of components/ (what __main__.py and the
    # provider import), Then the only handler modules loaded are the package and its contract
    code = (
        "import pkgutil, sys, components\n"
        "for m in pkgutil.walk_packages(components.__path__, 'components.'):\n"
        "    __import__(m.name)\n"
        "print(sorted(n for n in sys.modules if n == 'handler' or n.startswith('handler.')))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[0] == "['handler', 'handler.contract']"


def _imported(prefixes: tuple[str, ...]) -> dict[str, set[str]]:
    """What the modules under `prefixes` import of the project, by importing module."""
    return {name: deps for name, deps in graph().items() if name.startswith(prefixes)}


def test_the_program_components_and_provider_import_only_the_contract_of_the_handler():
    importers = _imported(("components", "provider", "__main__"))
    handler = {dep for deps in importers.values() for dep in deps if dep.startswith("handler")}
    assert handler <= {"handler.contract"}


def test_the_handler_imports_nothing_of_the_project_outside_itself():
    outside = {
        dep for deps in _imported(("handler",)).values() for dep in deps if not dep.startswith("handler")
    }
    assert outside == set()


def test_only_the_store_touches_a_database_driver():
    drivers = {"pymongo", "bson", "motor", "sqlite3"}
    touching = {
        name for name, path in modules().items()
        if name.startswith("handler") and top_level_imports(path) & drivers
    }  # fmt: skip
    assert touching and all(name.startswith("handler.store") for name in touching), touching


def test_ops_imports_only_the_contract_and_the_errors_of_the_handler():
    handler = {dep for deps in _imported(("ops",)).values() for dep in deps if dep.startswith("handler")}
    assert handler <= {"handler.contract", "handler.errors"}


def test_nothing_outside_the_tests_imports_them():
    outside = {
        n: {d for d in deps if d.startswith("tests")}
        for n, deps in graph().items()
        if not n.startswith("tests")
    }
    assert {n: deps for n, deps in outside.items() if deps} == {}
