"""The OpenAPI document tells the truth: it is the one openapi.py generates from the wire Structs, valid
OpenAPI 3.1, with one operation per route and, per operation, every status with its body and headers.
(That real answers match it is checked on every response of the contract suite: see documented.py.)"""

from __future__ import annotations

import httpx
import pytest
from litestar.testing import AsyncTestClient
from openapi_spec_validator import validate

from handler import contract, openapi, storable
from handler.app import create_app
from handler.ids import UUID_FORMS
from handler.settings import Settings
from tests.handler.documented import Contract


async def test_the_served_document_is_the_generated_one_and_valid_openapi(client: AsyncTestClient) -> None:
    served = (await client.get("/schema/openapi.json")).json()

    assert served["openapi"].startswith("3.1")
    assert served["paths"] == openapi.document()["paths"]
    assert served["components"] == openapi.document()["components"]
    validate(served)


def test_every_route_is_one_documented_operation_and_staged_copies_are_not(settings: Settings) -> None:
    # Given the app's routes, less Litestar's own /schema pages
    app = create_app(settings)
    served = {
        (method.lower(), route.path_format)
        for route in app.routes
        if not route.path.startswith("/schema")
        for method in getattr(route, "methods", set()) - {"OPTIONS", "HEAD"}
    }
    served.add(("put", contract.ORDERS_PATH))  # the bare ASGI route has no methods of its own
    served.add(("put", f"/{settings.api_stage}{contract.ORDERS_PATH}"))

    # Then each one at the root is documented once, and nothing else is
    documented = {(op.method, op.path) for op in openapi.OPERATIONS}
    staged = {(method, path) for method, path in served if path.startswith(f"/{settings.api_stage}/")}
    assert served - staged == documented
    assert {(m, f"/{settings.api_stage}{p}") for m, p in documented if p.startswith("/orders")} == staged


@pytest.mark.parametrize("operation", openapi.OPERATIONS, ids=lambda op: op.operation_id)
def test_each_refusal_is_documented_with_its_code_and_headers(operation: openapi.Operation) -> None:
    responses = openapi.document()["paths"][operation.path][operation.method]["responses"]
    for error in operation.errors:
        documented = responses[str(error.status_code)]
        narrowed = documented["content"][openapi.JSON]["schema"]["allOf"][1]
        assert error.code in narrowed["properties"]["error"]["enum"]
        assert set(error.header_names) <= set(documented["headers"])
        assert all(documented["headers"][name]["required"] for name in error.header_names)


def test_the_put_answers_and_retry_after_are_documented() -> None:
    put = openapi.document()["paths"][contract.ORDERS_PATH]["put"]["responses"]
    assert set(put) == {"200", "201", "400", "408", "409", "413", "429", "500", "503"}
    assert put["201"]["headers"]["Location"]["required"] and put["200"]["headers"]["Location"]["required"]
    assert "Retry-After" in put["429"]["headers"] and "Retry-After" in put["503"]["headers"]
    get = openapi.document()["paths"][f"{contract.ORDERS_PATH}/{{order_id}}"]["get"]["responses"]
    assert set(get) == {"200", "400", "404", "500", "503"}


def test_the_request_schema_states_what_json_schema_can_of_the_decoder() -> None:
    schemas = openapi.document()["components"]["schemas"]
    field_name = {"$ref": "#/components/schemas/FieldName"}
    # Field names: every object under `detail`, typed or not, at any depth
    for name in ("Order", "Item", "Customer", "Payment", "DeliveryAddress", "DetailValue"):
        assert schemas[name]["propertyNames"] == field_name
        assert schemas[name]["additionalProperties"] == {"$ref": "#/components/schemas/DetailValue"}
    assert schemas["FieldName"]["pattern"] == storable.FIELD_NAME
    assert schemas["DetailValue"]["items"] == {"$ref": "#/components/schemas/DetailValue"}
    assert "propertyNames" not in schemas["OrderEvent"]  # the envelope's unknown fields are AWS's
    # Ids in every form the decoder takes; and what JSON Schema cannot state, in one line each
    assert schemas["Order"]["properties"]["order_id"]["pattern"] == UUID_FORMS
    assert schemas["Item"]["properties"]["product_id"]["pattern"] == UUID_FORMS
    assert storable.UNSTATED_DEPTH in schemas["Order"]["description"]
    assert storable.UNSTATED_INT64 in schemas["DetailValue"]["description"]
    assert "1.0" in schemas["Item"]["properties"]["quantity"]["description"]


def test_the_response_checker_refuses_what_the_document_does_not_say() -> None:
    # Given the checker the contract suite runs every response through
    checker = Contract()

    def answer(method: str, path: str, status: int, body: bytes, **headers: str) -> httpx.Response:
        request = httpx.Request(method, f"http://testserver{path}")
        headers = {"content-type": openapi.JSON, "content-length": str(len(body))} | headers
        return httpx.Response(status, headers=headers, content=body, request=request)

    ok = b'{"status":"ok"}'
    checker.check(answer("GET", "/healthz", 200, ok))
    # Then an undocumented status, a body off its schema, a missing header, or no length each fail
    bad = [
        answer("GET", "/healthz", 418, ok),
        answer("GET", "/healthz", 200, b'{"status":"ready"}'),
        answer("PUT", "/orders", 429, b'{"error":"overloaded","message":"m"}'),
        answer("PUT", "/orders", 429, b'{"error":"http_error","message":"m"}', retry_after="5"),
        answer("GET", "/orders/x", 200, ok),
        answer("GET", "/nowhere", 200, ok),
    ]
    for response in bad:
        with pytest.raises(AssertionError):
            checker.check(response)
    unframed = answer("GET", "/healthz", 200, ok)
    del unframed.headers["content-length"]
    with pytest.raises(AssertionError, match="Content-Length"):
        checker.check(unframed)


async def test_documented_client_checks_a_staged_path_as_its_root_operation(
    settings: Settings,
) -> None:
    # The checker knows the staged copies are the same operations as the root ones.
    assert Contract("v1").operation("GET", "/v1/orders/x")[0] == "/orders/{order_id}"
    assert Contract("v1").operation("GET", "/v1/healthz") is None
    assert Contract("prod").operation("PUT", "/v1/orders") is None
