"""A DLQ message's ERROR_MESSAGE, made readable: who refused the event, and what they said.

EventBridge writes why it gave up in message attributes (AWS, "Using dead-letter queues to process
undelivered events", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html):
`ERROR_CODE` (e.g. `SDK_CLIENT_ERROR`, `ERROR_FROM_TARGET`) and `ERROR_MESSAGE`, free text that for an
HTTP target carries the status and the answer's body. AWS does not document that text's wording, so it is
read leniently: the first JSON object in it is the body, whatever comes before.

Two refusers answer 400 in the same shape (`{"error", "message", ...}`): the handler, and API Gateway's
request validator through the stack's BAD_REQUEST_BODY gateway response (components/_edge.py), which
adds the validator's finding (`validation`), the schema to follow and `"at": "api-gateway"`. That
response is a plain substitution, not a JSON encoder, so its `validation` may hold bare quotes: it is
recovered by pattern when the body is not valid JSON. Without the stack's response (before it is
deployed) API Gateway answers its default `{"message": "Invalid request body"}`, which names no field.
"""

from __future__ import annotations

import json
import re
from typing import Any

from handler.contract import EDGE_REFUSAL_AT

EDGE = EDGE_REFUSAL_AT
_EDGE_BODY = re.compile(r'"validation":"(?P<validation>.*)","schema":"(?P<schema>[^"]*)","at":"' + EDGE)
_DEFAULT_EDGE_MESSAGE = "Invalid request body"


def explain(error_message: str) -> str:
    """Who refused and why, in one line; the message unchanged when it carries no body we know."""
    start = error_message.find("{")
    if start < 0:
        return error_message
    body = _json_object(error_message[start:])
    if body is None:
        edge = _EDGE_BODY.search(error_message)
        return _edge(edge["validation"], edge["schema"]) if edge else error_message
    if body.get("at") == EDGE:
        return _edge(str(body.get("validation", "")), str(body.get("schema", "")))
    if set(body) == {"message"} and body["message"] == _DEFAULT_EDGE_MESSAGE:
        return (
            f"refused at the edge (API Gateway's model): {_DEFAULT_EDGE_MESSAGE}; this answer names no "
            "field, the stage's execution log does"
        )
    if isinstance(body.get("error"), str) and isinstance(body.get("message"), str):
        return f"refused by the handler: {body['error']}: {body['message']}"
    return error_message


def _edge(validation: str, schema: str) -> str:
    finding = validation.strip().removeprefix("[").removesuffix("]") or "(no finding given)"
    return f"refused at the edge by API Gateway's {schema or 'event'} model: {finding}"


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        value, _end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None
