"""`orders dlq show` says who refused an event and why: API Gateway's model (the edge) as readably as the
handler. ERROR_MESSAGE's wording is EventBridge's own (undocumented); these carry the body after a prefix,
as the stand-in (tests/ops/standin.py) writes it."""

from __future__ import annotations

import json

import pytest

from components._edge import BAD_BODY_TEMPLATE
from handler.contract import EVENT_SCHEMA_NAME
from ops.refusals import explain
from tests.ops.samples import event, put_dlq_message

#: What API Gateway's validator says (it puts bare quotes inside), and the stack's 400 built from it.
FINDING = '[object has missing required properties (["detail"])]'
EDGE_BODY = BAD_BODY_TEMPLATE.replace("$context.error.messageString", '"Invalid request body"').replace(
    "$context.error.validationErrorString", FINDING
)
HANDLER_BODY = json.dumps(
    {
        "error": "invalid_event",
        "message": "Expected `int` >= 1 - at `$.detail.items[0].quantity`",
        "path": "$.detail.items[0].quantity",
    }
)


def test_the_edges_400_is_not_json_yet_its_finding_and_schema_are_read() -> None:
    # Given the edge's 400 as API Gateway substitutes it (bare quotes inside: not valid JSON)
    with pytest.raises(json.JSONDecodeError):
        json.loads(EDGE_BODY)
    # When ERROR_MESSAGE carrying it is explained
    said = explain(f"Target returned HTTP 400: {EDGE_BODY}")
    # Then it names the edge, the schema and the finding
    assert said == (
        f"refused at the edge by API Gateway's {EVENT_SCHEMA_NAME} model: "
        'object has missing required properties (["detail"])'
    )


CASES = {
    "handler": (HANDLER_BODY, "refused by the handler: invalid_event: Expected `int` >= 1 - at `$.detail"),
    "edge, valid JSON": (
        json.dumps(
            {
                "error": "invalid_event",
                "message": "Invalid request body",
                "validation": "[x]",
                "schema": EVENT_SCHEMA_NAME,
                "at": "api-gateway",
            }
        ),
        f"refused at the edge by API Gateway's {EVENT_SCHEMA_NAME} model: x",
    ),
    "edge, API Gateway's default": (
        '{"message":"Invalid request body"}',
        "refused at the edge (API Gateway's model): Invalid request body; this answer names no field",
    ),
    "no body": ("", "Target returned HTTP 502"),
    "a body of someone else's": ('{"status":"down"}', 'Target returned HTTP 502: {"status":"down"}'),
}


@pytest.mark.parametrize(("body", "said"), CASES.values(), ids=CASES)
def test_each_answer_is_explained_or_left_as_written(body: str, said: str) -> None:
    status = 400 if "invalid" in body.lower() else 502
    message = f"Target returned HTTP {status}" + (f": {body}" if body else "")
    assert explain(message).startswith(said)


def test_dlq_show_reads_the_edges_refusal_as_readably_as_the_handlers(run, dlq) -> None:
    # Given one event refused at the edge and one refused by the handler, in the DLQ
    sqs, url = dlq
    edge, handler = event(), event()
    put_dlq_message(sqs, url, edge, message=f"Target returned HTTP 400: {EDGE_BODY}")
    put_dlq_message(sqs, url, handler, message=f"Target returned HTTP 400: {HANDLER_BODY}")
    # When the DLQ is shown, as a table and as JSON
    table = run("dlq", "show", "--queue", url, "--wait", "0")
    shown = json.loads(run("dlq", "show", "--queue", url, "--wait", "0", "--json").stdout)
    # Then each says who refused and why; the JSON keeps ERROR_MESSAGE as written beside `reason`
    assert table.exit_code == 0, table.output
    assert "refused at the edge by API Gateway's" in table.stdout
    assert 'missing required properties (["detail"])' in table.stdout
    assert "refused by the handler: invalid_event" in table.stdout
    by_id = {m["event"]["id"]: m for m in shown}
    assert by_id[edge["id"]]["reason"].startswith("refused at the edge")
    assert by_id[edge["id"]]["attributes"]["ERROR_MESSAGE"].endswith(EDGE_BODY)
    assert by_id[handler["id"]]["reason"].startswith("refused by the handler")
