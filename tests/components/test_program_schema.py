"""The whole program, each stack: the event's schema checked at the edge and published in a registry the
stack owns, from the one committed document."""

import json
import re

from components._registry import SCHEMA_TYPE
from handler import contract
from tests.components.harness import run_main


def test_put_orders_is_validated_against_the_model(graph, stack):
    # Given the stack's graph / Then its API has the model and a body validator on PUT /orders
    model = graph.one("aws:apigateway/model:Model").inputs
    validator = graph.one("aws:apigateway/requestValidator:RequestValidator")
    put = next(
        r.inputs
        for r in graph.of_type("aws:apigateway/method:Method")
        if r.inputs["httpMethod"] == contract.ORDERS_METHOD
    )
    assert put["requestValidatorId"] == validator.outputs["id"] and validator.inputs["validateRequestBody"]
    assert put["requestModels"] == {"$default": model["name"]}
    assert model["schema"] == contract.EVENT_SCHEMA_PATH.read_text()
    assert graph.one("aws:apigateway/response:Response").inputs["responseType"] == "BAD_REQUEST_BODY"


def test_the_registry_holds_the_same_document_under_the_name_producers_look_for(graph, stack):
    # Given the stack's graph / Then it owns a registry holding `ecommerce@CreateOrder`, Draft 4, whose
    # content is the API model's, and it tells producers where to look
    registry = graph.one("aws:schemas/registry:Registry")
    schema = graph.one("aws:schemas/schema:Schema").inputs
    assert schema["registryName"] == registry.outputs["name"] == f"orders-{stack}-events-schemas"
    assert (schema["name"], schema["type"]) == (contract.EVENT_SCHEMA_NAME, SCHEMA_TYPE)
    assert schema["content"] == graph.one("aws:apigateway/model:Model").inputs["schema"]
    assert json.loads(schema["content"])["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert (graph.values["schema_registry_name"], graph.values["schema_name"]) == (
        registry.outputs["name"],
        contract.EVENT_SCHEMA_NAME,
    )


def test_a_second_run_registers_the_same_schema_so_its_version_stays(graph, stack):
    # Given a second run of the same stack's program
    again = run_main(stack)
    # Then every input of the schema is the same (EventBridge makes a new version only on new content)
    assert again.one("aws:schemas/schema:Schema").inputs == graph.one("aws:schemas/schema:Schema").inputs


def test_names_and_descriptions_keep_to_the_registrys_limits(graph, stack):
    # Given the registry and schema (limits as terraform-provider-aws checks them, see _registry.py)
    registry = graph.one("aws:schemas/registry:Registry").inputs
    schema = graph.one("aws:schemas/schema:Schema").inputs
    # Then each name has only the characters and length allowed, and each description fits
    assert re.fullmatch(r"[.\-_A-Za-z0-9]{1,64}", registry["name"]), registry["name"]
    assert re.fullmatch(r"[.\-_A-Za-z@]{1,385}", schema["name"]), schema["name"]
    assert len(registry["description"]) <= 256 and len(schema["description"]) <= 256
