"""The handler's wire contract, written once.

Both the app and the Pulumi components import these names, so the rule's event pattern, the API's
route, the container port and the health check cannot drift from what the handler serves. This module
must stay import-light (standard library only): the Pulumi program loads it without the web stack.
"""

from pathlib import Path
from typing import Final

#: The EventBridge ``source`` and ``detail-type`` the rule matches and the handler accepts.
EVENT_SOURCE: Final = "ecommerce"
DETAIL_TYPE: Final = "CreateOrder"

#: The route EventBridge's API Gateway target calls, and the method it uses.
ORDERS_PATH: Final = "/orders"
ORDERS_METHOD: Final = "PUT"

#: Liveness (no I/O) and readiness (the store answers).
HEALTH_PATH: Final = "/healthz"
READY_PATH: Final = "/readyz"

#: The port the container listens on.
CONTAINER_PORT: Final = 8080

#: The API Gateway stage. A REST API private integration "includes the stage portion of the API
#: endpoint in the request to your backend" (AWS: "Private integrations for REST APIs in API Gateway"),
#: so the handler serves its routes both at the root and under ``/{API_STAGE}``.
API_STAGE: Final = "v1"

#: The internal ALB's default idle timeout, and the handler's keep-alive, which must be longer: AWS's ALB
#: guide ("Connection idle timeout") says the application's keep-alive must exceed the load balancer's idle
#: timeout, or the ALB may reuse a connection the target is closing and answer 502. The task sets the
#: keep-alive from the idle timeout its ALB is actually given, plus the margin; KEEP_ALIVE_SECONDS is the
#: handler's own default, for the default ALB (and a handler run anywhere else).
ALB_IDLE_TIMEOUT_SECONDS: Final = 60
KEEP_ALIVE_MARGIN_SECONDS: Final = 15
KEEP_ALIVE_SECONDS: Final = ALB_IDLE_TIMEOUT_SECONDS + KEEP_ALIVE_MARGIN_SECONDS

#: EventBridge's largest event; a bigger body cannot be one of ours.
MAX_EVENT_BYTES: Final = 256 * 1024

#: EventBridge gives an API Gateway target this long before it counts a timeout and retries.
EVENTBRIDGE_TARGET_TIMEOUT_SECONDS: Final = 5

#: How long a request's body may take to arrive once its head has (then 408, and the connection closes).
#: The ALB forwards a body as API Gateway hands it over, whole; one slower than EventBridge's whole budget
#: for a delivery belongs to a delivery EventBridge has already timed out (and will retry), so waiting
#: longer only lets a slow client hold a connection.
BODY_TIMEOUT_SECONDS: Final = EVENTBRIDGE_TARGET_TIMEOUT_SECONDS
#: How long a request's head may take to arrive once its first byte has (then 408, and the connection
#: closes). The ALB sends a head in one piece; the same reasoning as for the body sets the same value.
#: An idle connection (before its first request, or between requests) waits KEEP_ALIVE_SECONDS instead.
HEAD_TIMEOUT_SECONDS: Final = EVENTBRIDGE_TARGET_TIMEOUT_SECONDS

#: Environment variables the service reads, every one named here once; the task definition sets them by
#: these names. ``handler.settings.ENV_VARS`` maps each setting to its variable, and
#: ``handler.settings.REQUIRED_IN_DEPLOYMENT`` says which a deployed task must set.
ENV_HOST: Final = "HANDLER_HOST"
ENV_PORT: Final = "HANDLER_PORT"
ENV_API_STAGE: Final = "HANDLER_API_STAGE"
ENV_SQLITE_PATH: Final = "HANDLER_SQLITE_PATH"
ENV_MONGODB_URI: Final = "MONGODB_URI"
ENV_MONGODB_USERNAME: Final = "MONGODB_USERNAME"
ENV_MONGODB_PASSWORD: Final = "MONGODB_PASSWORD"  # noqa: S105 - a variable name, not a password
ENV_MONGODB_TLS_CA_FILE: Final = "MONGODB_TLS_CA_FILE"
ENV_MONGODB_DATABASE: Final = "MONGODB_DATABASE"
ENV_STORE_DEADLINE_SECONDS: Final = "HANDLER_STORE_DEADLINE_SECONDS"
ENV_MAX_IN_FLIGHT: Final = "HANDLER_MAX_IN_FLIGHT"
ENV_RETRY_AFTER_SECONDS: Final = "HANDLER_RETRY_AFTER_SECONDS"
ENV_KEEP_ALIVE_SECONDS: Final = "HANDLER_KEEP_ALIVE_SECONDS"
ENV_BODY_TIMEOUT_SECONDS: Final = "HANDLER_BODY_TIMEOUT_SECONDS"
ENV_HEAD_TIMEOUT_SECONDS: Final = "HANDLER_HEAD_TIMEOUT_SECONDS"
ENV_DRAIN_SECONDS: Final = "HANDLER_DRAIN_SECONDS"
ENV_LOG_LEVEL: Final = "HANDLER_LOG_LEVEL"
ENV_METRICS_NAMESPACE: Final = "HANDLER_METRICS_NAMESPACE"
ENV_METRICS_INTERVAL_SECONDS: Final = "HANDLER_METRICS_INTERVAL_SECONDS"
#: Read by aws-embedded-metrics too: `Local` prints EMF lines to stdout, which the awslogs driver ships.
ENV_EMF_ENVIRONMENT: Final = "AWS_EMF_ENVIRONMENT"

#: Where the image keeps the Amazon RDS CA bundle used to verify DocumentDB's TLS certificate.
RDS_CA_BUNDLE_PATH: Final = "/opt/rds/global-bundle.pem"

#: The CreateOrder event's JSON Schema (Draft 4), generated from the Structs (handler/event_schema.py) and
#: committed: API Gateway's model on ``PUT /orders`` and the schema in the stack's EventBridge registry.
EVENT_SCHEMA_PATH: Final = Path(__file__).resolve().parent / "schema" / "create-order.draft4.json"
#: Its name in the registry: ``<source>@<detail-type>``, the form EventBridge gives discovered schemas.
EVENT_SCHEMA_NAME: Final = f"{EVENT_SOURCE}@{DETAIL_TYPE}"
#: The `at` of the 400 API Gateway answers when the body breaks that schema (its BAD_REQUEST_BODY gateway
#: response), so a reader of the DLQ can tell the edge's refusal from the handler's.
EDGE_REFUSAL_AT: Final = "api-gateway"
