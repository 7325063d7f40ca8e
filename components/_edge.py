"""The edge's check of an event body: API Gateway validates `PUT /orders` against the event's JSON Schema
(Draft 4, generated from the handler's Structs: handler/event_schema.py) and answers 400 before any
integration runs, so a malformed event never crosses the VPC link or wakes a task.

AWS, "Request validation for REST APIs in API Gateway": the body is validated against "the configured
JSON schema request of the method for a given content type. If no matching content type is found,
request validation is not performed. To use the same model regardless of the content type, set the
content type for your data model to $default." The handler reads the body whatever its Content-Type,
so the model is the method's `$default`.
"""

import json
from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_aws as aws

from handler.contract import EDGE_REFUSAL_AT, EVENT_SCHEMA_NAME, EVENT_SCHEMA_PATH

#: The model's name (API Gateway: alphanumeric only).
MODEL_NAME = "CreateOrderEvent"
ANY_CONTENT_TYPE = "$default"
#: Where a refusal came from, in the 400's body (`orders dlq show` reads it).
EDGE = EDGE_REFUSAL_AT

#: The edge's 400, in the handler's own `ErrorBody` shape plus the validator's finding and the schema to
#: follow. A gateway response template is not VTL, only `$context` substitution (AWS,
#: "x-amazon-apigateway-gateway-responses.responseTemplates object"); `messageString` comes quoted,
#: `validationErrorString` does not (and may hold quotes, so a reader must not insist on JSON).
BAD_BODY_TEMPLATE = (
    '{"error":"invalid_event","message":$context.error.messageString,'
    '"validation":"$context.error.validationErrorString",'
    f'"schema":"{EVENT_SCHEMA_NAME}","at":"{EDGE}"}}'
)


def model_schema() -> str:
    """The committed Draft 4 document, as its bytes say (the same text on every run)."""
    text = EVENT_SCHEMA_PATH.read_text()
    json.loads(text)  # a broken file fails the preview here, not at deploy time
    return text


def body_validation(
    make: Callable[..., Any], name: str, rest_api: aws.apigateway.RestApi
) -> dict[str, pulumi.Input[Any]]:
    """Make the model, the body validator and the 400's shape through `make` (the routes' trigger
    covers them, so a changed schema is deployed); return the PUT method's args that use them."""
    model = make(
        aws.apigateway.Model,
        f"{name}-event-model",
        rest_api=rest_api.id,
        name=MODEL_NAME,
        description=f"The {EVENT_SCHEMA_NAME} event (generated from handler/events.py)",
        content_type="application/json",
        schema=model_schema(),
    )
    validator = make(
        aws.apigateway.RequestValidator,
        f"{name}-body-validator",
        rest_api=rest_api.id,
        name=f"{name}-body",
        validate_request_body=True,
        validate_request_parameters=False,
    )
    make(
        aws.apigateway.Response,
        f"{name}-bad-body",
        rest_api_id=rest_api.id,
        response_type="BAD_REQUEST_BODY",
        status_code="400",
        response_templates={"application/json": BAD_BODY_TEMPLATE},
    )
    return {"request_models": {ANY_CONTENT_TYPE: model.name}, "request_validator_id": validator.id}
