"""components/ reads in small pieces: no function there runs past about 50 lines."""

import ast

from tests.components.harness import ROOT

LONGEST = 50


def test_no_function_in_components_is_longer_than_50_lines():
    # Given every function and method in components/, from its `def` line to its last, docstring included
    lengths = {
        f"{path.name}:{node.name}": node.end_lineno - node.lineno + 1
        for path in sorted((ROOT / "components").glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    # Then none is longer than the limit
    assert {name: n for name, n in lengths.items() if n > LONGEST} == {}
