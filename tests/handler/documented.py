"""Every response a test client sees, checked against the OpenAPI document the app serves.

For a documented operation: the status is listed, the body validates against the schema documented for
that status (a JSON Schema validator, formats asserted, patterns read as ECMA-262 reads them, as the
document's dialect says), the documented headers are there and valid. For
any other request: only 404 or 405 (or the document itself). Every response carries Content-Length.
The test clients of the contract suite (conftest.py) run every response through ``Contract.check``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from handler import contract, openapi

_URI = "urn:order-events:openapi"


class Contract:
    """The document's operations, as the app under ``stage`` serves them (the orders routes under it too)."""

    def __init__(self, stage: str = contract.API_STAGE, document: dict[str, Any] | None = None) -> None:
        self.document = document or openapi.document()
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self._registry = Registry().with_resource(_URI, resource)
        self._validators: dict[str, Any] = {}
        self._routes = [
            (method, _route(path, stage), path)
            for path, item in self.document["paths"].items()
            for method in item
        ]

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        """The documented path template and operation that serve ``method path``, if any."""
        for documented_method, pattern, template in self._routes:
            if documented_method == method.lower() and pattern.fullmatch(path):
                return template, self.document["paths"][template][documented_method]
        return None

    def check(self, response: httpx.Response) -> None:
        """Raise AssertionError unless ``response`` (its body read) is what the document says."""
        method, path, status = response.request.method, response.request.url.path, response.status_code
        where = f"{method} {path} -> {status}"
        assert "content-length" in response.headers, f"{where}: no Content-Length"
        found = self.operation(method, path)
        if found is None:
            assert status in (404, 405) or path.startswith("/schema"), f"{where}: outside every operation"
            return
        template, operation = found
        assert str(status) in operation["responses"], f"{where}: status not in the document"
        pointer = f"/paths/{_escape(template)}/{method.lower()}/responses/{status}"
        documented = operation["responses"][str(status)]
        for name, header in documented.get("headers", {}).items():
            value = response.headers.get(name)
            assert value is not None or not header.get("required"), f"{where}: no {name} header"
            if value is not None:
                self._validate(_typed(value, header["schema"]), f"{pointer}/headers/{name}/schema", where)
        content = documented.get("content", {})
        if not content:
            assert response.content == b"", f"{where}: a body where none is documented"
            return
        assert response.headers["content-type"].startswith(openapi.JSON), f"{where}: not JSON"
        self._validate(response.json(), f"{pointer}/content/{_escape(openapi.JSON)}/schema", where)

    def validator(self, pointer: str) -> Any:
        """A validator for the schema at ``pointer`` in the document (its references resolved)."""
        if pointer not in self._validators:
            self._validators[pointer] = EcmaValidator(
                {"$ref": f"{_URI}#{pointer}"},
                registry=self._registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
        return self._validators[pointer]

    def _validate(self, value: Any, pointer: str, where: str) -> None:
        errors = sorted(self.validator(pointer).iter_errors(value), key=str)
        assert not errors, f"{where}: {errors[0].message} at {errors[0].json_path} ({pointer})"


@functools.cache
def _ecma(pattern: str) -> re.Pattern[str]:
    # ECMA-262's `$` (no `m` flag) matches only at the end; Python's also before a final newline.
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "[]":
            in_class = char == "["
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


#: Draft 2020-12, its `pattern` read as ECMA-262 reads it (jsonschema uses Python's `re` as it is).
EcmaValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})


def async_hook(checker: Contract) -> Callable[[httpx.Response], Awaitable[None]]:
    """An httpx response hook for async clients: read the body, then check the response."""

    async def hook(response: httpx.Response) -> None:
        await response.aread()
        checker.check(response)

    return hook


def sync_hook(checker: Contract) -> Callable[[httpx.Response], None]:
    def hook(response: httpx.Response) -> None:
        response.read()
        checker.check(response)

    return hook


def _route(template: str, stage: str) -> re.Pattern[str]:
    path = re.escape(template).replace(r"\{order_id\}", "[^/]+")
    if template.startswith(contract.ORDERS_PATH):
        path = f"(/{re.escape(stage)})?{path}"
    return re.compile(path)


def _escape(token: str) -> str:  # JSON Pointer (RFC 6901)
    return token.replace("~", "~0").replace("/", "~1")


def _typed(value: str, schema: dict[str, Any]) -> Any:
    return int(value) if schema.get("type") == "integer" and value.lstrip("-").isdigit() else value
