"""Settings from environment variables, parsed once into a typed object.

A bad value stops start-up with a message that names the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Final, Literal

import msgspec
from msgspec import Meta

from handler import contract
from handler.errors import split_path


class SettingsError(ValueError):
    """A variable has a bad value; the message names it, and ``variable`` holds its name."""

    def __init__(self, message: str, variable: str | None = None) -> None:
        super().__init__(message)
        self.variable = variable


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    host: str = "127.0.0.1"
    port: Annotated[int, Meta(ge=1, le=65535)] = contract.CONTAINER_PORT
    #: The API Gateway stage, which a private integration puts in front of the backend path: the orders
    #: routes answer under ``/{api_stage}`` as well as at the root. API Gateway's own rule for a name.
    api_stage: Annotated[str, Meta(pattern=r"^[A-Za-z0-9_-]{1,128}$")] = contract.API_STAGE
    #: The embedded store's file, used when no MongoDB URI is set.
    sqlite_path: str = "data/orders.sqlite3"
    mongodb_uri: str | None = None
    mongodb_username: str | None = None
    mongodb_password: str | None = None
    mongodb_tls_ca_file: str | None = None
    mongodb_database: str = "orders"
    #: How long a request waits on the store before answering 503; inside EventBridge's 5 s.
    store_deadline_seconds: Annotated[float, Meta(gt=0, le=3.5)] = 3.0
    #: PUTs in flight beyond this get 429 (EventBridge retries them).
    max_in_flight: Annotated[int, Meta(ge=1)] = 512
    retry_after_seconds: Annotated[int, Meta(ge=1, le=3600)] = 5
    #: How long uvicorn keeps an idle keep-alive connection open. It must outlast the ALB's idle timeout:
    #: otherwise the ALB may send a request on a connection the handler is closing, and answer 502. The
    #: task sets it from its ALB's idle timeout (components/task.py), which the handler cannot see; the
    #: bound here is the margin the task adds, the least a keep-alive over a 1 s idle timeout can be.
    keep_alive_seconds: Annotated[int, Meta(gt=contract.KEEP_ALIVE_MARGIN_SECONDS)] = (
        contract.KEEP_ALIVE_SECONDS
    )
    #: How long a request's body may take to arrive once its head has; then 408, and the connection closes.
    body_timeout_seconds: Annotated[float, Meta(gt=0, le=60)] = contract.BODY_TIMEOUT_SECONDS
    #: How long a request's head may take once its first byte is in; then 408, and the connection closes.
    head_timeout_seconds: Annotated[float, Meta(gt=0, le=60)] = contract.HEAD_TIMEOUT_SECONDS
    #: On SIGTERM, how long requests in flight get to finish.
    drain_seconds: Annotated[float, Meta(ge=0, le=120)] = 20.0
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    metrics_namespace: str = "OrderEvents"
    metrics_interval_seconds: Annotated[float, Meta(gt=0)] = 60.0
    #: Where aws-embedded-metrics sends EMF lines (the library reads the same variable itself); unset,
    #: the handler prints them to stdout (``local``) rather than look for a CloudWatch agent.
    emf_environment: str | None = None

    def __repr__(self) -> str:  # never print the password
        shown = {f: getattr(self, f) for f in self.__struct_fields__ if f != "mongodb_password"}
        return f"Settings({', '.join(f'{k}={v!r}' for k, v in shown.items())}, mongodb_password=***)"

    __str__ = __repr__

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every setting from its variable (see ``ENV_VARS``); unset means the default.

        Raises:
            SettingsError: a variable's value is invalid.
        """
        environ = os.environ if environ is None else environ
        raw = {field: environ[var] for field, var in ENV_VARS.items() if environ.get(var, "") != ""}
        try:
            return msgspec.convert(raw, cls, strict=False)
        except msgspec.ValidationError as exc:
            raise _settings_error(str(exc)) from None


#: Each setting's environment variable, by name (all of them defined in ``handler.contract``).
ENV_VARS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "host": contract.ENV_HOST,
        "port": contract.ENV_PORT,
        "api_stage": contract.ENV_API_STAGE,
        "sqlite_path": contract.ENV_SQLITE_PATH,
        "mongodb_uri": contract.ENV_MONGODB_URI,
        "mongodb_username": contract.ENV_MONGODB_USERNAME,
        "mongodb_password": contract.ENV_MONGODB_PASSWORD,
        "mongodb_tls_ca_file": contract.ENV_MONGODB_TLS_CA_FILE,
        "mongodb_database": contract.ENV_MONGODB_DATABASE,
        "store_deadline_seconds": contract.ENV_STORE_DEADLINE_SECONDS,
        "max_in_flight": contract.ENV_MAX_IN_FLIGHT,
        "retry_after_seconds": contract.ENV_RETRY_AFTER_SECONDS,
        "keep_alive_seconds": contract.ENV_KEEP_ALIVE_SECONDS,
        "body_timeout_seconds": contract.ENV_BODY_TIMEOUT_SECONDS,
        "head_timeout_seconds": contract.ENV_HEAD_TIMEOUT_SECONDS,
        "drain_seconds": contract.ENV_DRAIN_SECONDS,
        "log_level": contract.ENV_LOG_LEVEL,
        "metrics_namespace": contract.ENV_METRICS_NAMESPACE,
        "metrics_interval_seconds": contract.ENV_METRICS_INTERVAL_SECONDS,
        "emf_environment": contract.ENV_EMF_ENVIRONMENT,
    }
)

#: The variables a deployed task must set, because the defaults suit a laptop, not a task: the host
#: (the default listens on loopback, out of the ALB's reach), the database and its credentials and CA
#: (the default is an SQLite file, on a read-only root filesystem), and the API stage (the default is
#: ``contract.API_STAGE``; a stack may name its stage otherwise), and the keep-alive (the default suits
#: the default ALB idle timeout only). Every other setting has a default that holds in a deployment too.
REQUIRED_IN_DEPLOYMENT: Final[frozenset[str]] = frozenset(
    {
        contract.ENV_HOST,
        contract.ENV_API_STAGE,
        contract.ENV_KEEP_ALIVE_SECONDS,
        contract.ENV_MONGODB_URI,
        contract.ENV_MONGODB_USERNAME,
        contract.ENV_MONGODB_PASSWORD,
        contract.ENV_MONGODB_TLS_CA_FILE,
    }
)


#: Why a bound is what it is, where msgspec's "Expected `int` >= 61" would not say.
_WHY = {
    "keep_alive_seconds": (
        f" (it must outlast the ALB's idle timeout: the task sets it to that plus"
        f" {contract.KEEP_ALIVE_MARGIN_SECONDS} s)"
    ),
}


def _settings_error(message: str) -> SettingsError:
    # msgspec names the field (``$.port``); the reader set a variable, so name that instead.
    problem, path = split_path(message)
    field = path.removeprefix("$.") if path else None
    if field not in ENV_VARS:
        return SettingsError(message)
    variable = ENV_VARS[field]
    return SettingsError(f"{variable}: {problem}{_WHY.get(field, '')}", variable)
