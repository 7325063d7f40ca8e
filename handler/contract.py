"""The handler's wire contract, written once.

Both the app and the Pulumi components import these names, so the rule's event pattern, the API's
route, the container port and the health check cannot drift from what the handler serves. This module
must stay import-light (standard library only): the Pulumi program loads it without the web stack.
"""

from dataclasses import dataclass
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
#: these names. ``SETTINGS`` below says which setting each one holds, its default and what it means.
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

#: The handler's CloudWatch metrics (EMF): the one dimension, ``Service``, and its value, and the counter
#: names, one per request outcome worth alarming on. The dashboard and the alarms select on these.
METRIC_SERVICE: Final = "order-handler"
METRIC_CREATED: Final = "OrdersCreated"
METRIC_REPLAYED: Final = "OrdersReplayed"
METRIC_CONFLICTS: Final = "OrderConflicts"
METRIC_REJECTED: Final = "EventsRejected"
METRIC_STORE_FAILURES: Final = "StoreUnavailable"
METRIC_OVERLOADED: Final = "RequestsShed"
#: The database refused the password: the task exits so that ECS starts one with the current secret.
METRIC_CREDENTIALS_REJECTED: Final = "StoreCredentialsRejected"
#: Milliseconds per store call.
METRIC_STORE_LATENCY: Final = "StoreLatency"


@dataclass(frozen=True)
class Setting:
    """One handler setting: everything said about it, in one place.

    ``handler.settings.Settings`` has one field per entry, in this order, with this default (and the
    bounds its type annotation adds); ``docs/handler.md`` tabulates these rows, and a test holds both to
    them.
    """

    #: The ``Settings`` field.
    field: str
    #: The environment variable that sets it.
    variable: str
    #: Its value when the variable is unset or empty (None: no value).
    default: str | int | float | None
    #: What it does, for the docs table.
    description: str
    #: Whether a deployed task must set it: the defaults suit a laptop, not a task.
    deployed: bool = False


SETTINGS: Final[tuple[Setting, ...]] = (
    Setting(
        "host",
        ENV_HOST,
        "127.0.0.1",
        "where to listen; loopback, out of the ALB's reach, until a task sets `0.0.0.0`",
        deployed=True,
    ),
    Setting("port", ENV_PORT, CONTAINER_PORT, "the port to listen on"),
    Setting(
        "api_stage",
        ENV_API_STAGE,
        API_STAGE,
        "the API Gateway stage; the order routes also answer "
        "under `/{stage}` (the task sets it from the stack's stage)",
        deployed=True,
    ),
    Setting(
        "sqlite_path",
        ENV_SQLITE_PATH,
        "data/orders.sqlite3",
        "the embedded store's file, used when no MongoDB URI is set",
    ),
    Setting(
        "mongodb_uri", ENV_MONGODB_URI, None, "use DocumentDB / MongoDB instead of SQLite", deployed=True
    ),
    Setting(
        "mongodb_username",
        ENV_MONGODB_USERNAME,
        None,
        "the database user (from Secrets Manager on ECS)",
        deployed=True,
    ),
    Setting(
        "mongodb_password",
        ENV_MONGODB_PASSWORD,
        None,
        "its password (from Secrets Manager on ECS; never printed)",
        deployed=True,
    ),
    Setting(
        "mongodb_tls_ca_file",
        ENV_MONGODB_TLS_CA_FILE,
        None,
        f"the CA bundle that verifies the database's TLS certificate (`{RDS_CA_BUNDLE_PATH}` in the image)",
        deployed=True,
    ),
    Setting("mongodb_database", ENV_MONGODB_DATABASE, "orders", "the database name"),
    Setting(
        "store_deadline_seconds",
        ENV_STORE_DEADLINE_SECONDS,
        3.0,
        "store calls slower than this "
        "answer 503 (at most 3.5, so the answer leaves inside EventBridge's "
        f"{EVENTBRIDGE_TARGET_TIMEOUT_SECONDS} s)",
    ),
    Setting("max_in_flight", ENV_MAX_IN_FLIGHT, 512, "PUTs in flight beyond this answer 429"),
    Setting("retry_after_seconds", ENV_RETRY_AFTER_SECONDS, 5, "the `Retry-After` on 429 and 503"),
    Setting(
        "keep_alive_seconds",
        ENV_KEEP_ALIVE_SECONDS,
        KEEP_ALIVE_SECONDS,
        "how long an idle keep-alive connection stays open; it must outlast the ALB's idle timeout, or "
        "the ALB may reuse a connection the handler is closing and answer 502, so the task sets it to "
        f"that timeout plus {KEEP_ALIVE_MARGIN_SECONDS} s",
        deployed=True,
    ),
    Setting(
        "body_timeout_seconds",
        ENV_BODY_TIMEOUT_SECONDS,
        BODY_TIMEOUT_SECONDS,
        "a request's body must be whole this long after its head, or 408 and close",
    ),
    Setting(
        "head_timeout_seconds",
        ENV_HEAD_TIMEOUT_SECONDS,
        HEAD_TIMEOUT_SECONDS,
        "a request's head must be whole this long after its first byte, or 408 and close",
    ),
    Setting(
        "drain_seconds", ENV_DRAIN_SECONDS, 20.0, "on SIGTERM, how long requests in flight get to finish"
    ),
    Setting("log_level", ENV_LOG_LEVEL, "INFO", "`DEBUG`, `INFO`, `WARNING` or `ERROR`"),
    Setting(
        "metrics_namespace",
        ENV_METRICS_NAMESPACE,
        "OrderEvents",
        "the CloudWatch namespace of the handler's metrics (the dashboard and alarms read this default)",
    ),
    Setting(
        "metrics_interval_seconds",
        ENV_METRICS_INTERVAL_SECONDS,
        60.0,
        "how often the metrics leave, as one EMF line",
    ),
    Setting(
        "emf_environment",
        ENV_EMF_ENVIRONMENT,
        None,
        "where aws-embedded-metrics sends EMF lines; unset, stdout (which the awslogs driver ships)",
    ),
)

#: Each setting's default, by field.
DEFAULTS: Final[dict[str, str | int | float | None]] = {s.field: s.default for s in SETTINGS}
