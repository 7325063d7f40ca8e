"""The event's schema in an EventBridge Schema Registry the stack owns, for producers to find and to
generate code bindings from (`aws schemas get-code-binding-source`).

Its content is the committed Draft 4 document the API's model holds too (handler/event_schema.py), read
as its bytes say. EventBridge versions a schema itself: "Updating the content publishes a new schema
version" (UpdateSchema; AWS, "Amazon EventBridge schemas" / Schema Registry API), so the version moves
exactly when the document does, and the same bytes on every `pulumi up` leave it where it is.
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
