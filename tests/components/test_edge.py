"""Api: `PUT /orders` validates the body against the event's Draft 4 model, answers the edge's 400 in the
handler's shape, and a changed schema redeploys the API."""

import json

import msgspec
import pytest

from components import _edge
from handler import contract
from handler.answers import ErrorBody
from tests.components.harness import run
from tests.components.samples import api_program

MODEL = "aws:apigateway/model:Model"


@pytest.fixture(scope="module")
def graph():
    return run(api_program())


def test_put_orders_validates_its_body_against_the_committed_model_for_any_content_type(graph):
    # Given the API / Then the model holds the committed schema, byte for byte
    model = graph.one(MODEL)
    assert model.inputs["schema"] == contract.EVENT_SCHEMA_PATH.read_text()
    assert json.loads(model.inputs["schema"])["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert model.inputs["restApi"] == graph.one("aws:apigateway/restApi:RestApi").outputs["id"]
    # ...and PUT /orders uses it whatever the Content-Type, through a validator of the body only
    validator = graph.one("aws:apigateway/requestValidator:RequestValidator")
    assert (validator.inputs["validateRequestBody"], validator.inputs["validateRequestParameters"]) == (
        True,
        False,
    )
    put = graph.named("api-put-orders").inputs
    assert put["requestModels"] == {"$default": model.inputs["name"]}
    assert put["requestValidatorId"] == validator.outputs["id"]
    # ...while GET /orders/{order_id} has no body to check
    get = graph.named("api-get-order").inputs
    assert "requestValidatorId" not in get and "requestModels" not in get


def test_the_edges_400_names_the_finding_and_the_schema_in_the_handlers_shape(graph):
    # Given the BAD_REQUEST_BODY gateway response
    response = graph.one("aws:apigateway/response:Response").inputs
    assert (response["responseType"], response["statusCode"]) == ("BAD_REQUEST_BODY", "400")
    template = response["responseTemplates"]["application/json"]
    # When API Gateway substitutes its $context values (messageString comes quoted)
    body = template.replace("$context.error.messageString", '"Invalid request body"').replace(
        "$context.error.validationErrorString", "[object has missing required properties ([detail])]"
    )
    # Then it is the handler's ErrorBody (error, message) plus the validator's finding and the schema
    assert msgspec.json.decode(body, type=ErrorBody) == ErrorBody("invalid_event", "Invalid request body")
    assert json.loads(body) == {
        "error": "invalid_event",
        "message": "Invalid request body",
        "validation": "[object has missing required properties ([detail])]",
        "schema": contract.EVENT_SCHEMA_NAME,
        "at": _edge.EDGE,
    }


def test_a_changed_schema_changes_the_deployments_trigger(monkeypatch):
    # Given the deployment's trigger with the committed schema
    trigger = run(api_program()).one("aws:apigateway/deployment:Deployment").inputs["triggers"]
    # When the schema changes (a rule added)
    changed = json.loads(contract.EVENT_SCHEMA_PATH.read_text()) | {"minProperties": 1}
    monkeypatch.setattr(_edge, "model_schema", lambda: json.dumps(changed))
    # Then the trigger changes, so the API is redeployed with the new model
    assert run(api_program()).one("aws:apigateway/deployment:Deployment").inputs["triggers"] != trigger
