"""The event's schema in an EventBridge Schema Registry the stack owns, for producers to find and to
generate code bindings from (`aws schemas get-code-binding-source`).

Its content is the committed Draft 4 document the API's model holds too (handler/event_schema.py), read
as its bytes say. EventBridge numbers a schema's versions itself: UpdateSchema answers the
`SchemaVersion` it made and its `VersionCreatedDate` (Schema Registry API reference, UpdateSchema), and
EventBridge emits "Schema Version Created" for "the creation of a new version of a new or existing event
schema" (AWS, "Amazon EventBridge events detail reference"). Pulumi calls UpdateSchema only when an input
differs from the last deployment's, and every input here is constant but the content, which is the
same bytes on every run until a rule changes: so the version moves exactly when the schema does. (The
provider also suppresses a diff between JSON-equivalent contents, and sends `Content` to UpdateSchema only
when it changed: terraform-provider-aws, internal/service/schemas/schema.go.)

Names, as that provider checks them: a registry 1-64 of `[.-_A-Za-z0-9]`, a schema 1-385 of
`[.-_A-Za-z@]`, a description at most 256 characters (tests/components/test_program_schema.py).
"""

import pulumi
import pulumi_aws as aws

from components._edge import model_schema
from handler.contract import EVENT_SCHEMA_NAME, EVENT_SOURCE

#: EventBridge's name for a JSON Schema Draft 4 document (CreateSchema's `Type`).
SCHEMA_TYPE = "JSONSchemaDraft4"


def event_schema(name: str, opts: pulumi.ResourceOptions) -> tuple[aws.schemas.Registry, aws.schemas.Schema]:
    """A registry named `<name>-schemas` holding `ecommerce@CreateOrder`."""
    registry = aws.schemas.Registry(
        f"{name}-schemas",
        name=f"{name}-schemas",
        description=f"Schemas of the events the {name} bus carries (source {EVENT_SOURCE})",
        opts=opts,
    )
    schema = aws.schemas.Schema(
        f"{name}-create-order",
        name=EVENT_SCHEMA_NAME,
        registry_name=registry.name,
        type=SCHEMA_TYPE,
        # Constant: a description that changed on every run would churn the resource for nothing.
        description="The CreateOrder event the API accepts (generated from handler/events.py)",
        content=model_schema(),
        opts=opts,
    )
    return registry, schema
