"""Settings from environment variables, parsed once into a typed object.

A bad value stops start-up with a message that names the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, Final, Literal

import msgspec
from msgspec import Meta

from handler import contract
from handler.errors import split_path

#: Each setting's default, from the one table of settings.
_D: Final[Mapping[str, Any]] = contract.DEFAULTS


class SettingsError(ValueError):
    """A variable has a bad value; the message names it, and ``variable`` holds its name."""

    def __init__(self, message: str, variable: str | None = None) -> None:
        super().__init__(message)
        self.variable = variable


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """The handler's settings: one field per ``contract.SETTINGS`` entry, in its order, with its default.

    What each one means, its variable and default are written once, in ``handler.contract.SETTINGS``;
    here each field adds only its type and bounds.
    """

    host: str = _D["host"]
    port: Annotated[int, Meta(ge=1, le=65535)] = _D["port"]
    #: API Gateway's own rule for a stage name.
    api_stage: Annotated[str, Meta(pattern=r"^[A-Za-z0-9_-]{1,128}$")] = _D["api_stage"]
    sqlite_path: str = _D["sqlite_path"]
    mongodb_uri: str | None = _D["mongodb_uri"]
    mongodb_username: str | None = _D["mongodb_username"]
    mongodb_password: str | None = _D["mongodb_password"]
    mongodb_tls_ca_file: str | None = _D["mongodb_tls_ca_file"]
    mongodb_database: str = _D["mongodb_database"]
    #: Inside EventBridge's 5 s target timeout, with room for the answer to leave.
    store_deadline_seconds: Annotated[float, Meta(gt=0, le=3.5)] = _D["store_deadline_seconds"]
    max_in_flight: Annotated[int, Meta(ge=1)] = _D["max_in_flight"]
    retry_after_seconds: Annotated[int, Meta(ge=1, le=3600)] = _D["retry_after_seconds"]
    #: Must outlast the ALB's idle timeout, which the handler cannot see: the task sets it to that timeout
    #: plus the margin, so the margin is the least it can be (a keep-alive over a 1 s idle timeout).
    keep_alive_seconds: Annotated[int, Meta(gt=contract.KEEP_ALIVE_MARGIN_SECONDS)] = _D["keep_alive_seconds"]
    body_timeout_seconds: Annotated[float, Meta(gt=0, le=60)] = _D["body_timeout_seconds"]
    head_timeout_seconds: Annotated[float, Meta(gt=0, le=60)] = _D["head_timeout_seconds"]
    drain_seconds: Annotated[float, Meta(ge=0, le=120)] = _D["drain_seconds"]
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = _D["log_level"]
    metrics_namespace: str = _D["metrics_namespace"]
    metrics_interval_seconds: Annotated[float, Meta(gt=0)] = _D["metrics_interval_seconds"]
    #: aws-embedded-metrics reads the same variable itself.
    emf_environment: str | None = _D["emf_environment"]

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


#: Each setting's environment variable, by field.
ENV_VARS: Final[Mapping[str, str]] = MappingProxyType({s.field: s.variable for s in contract.SETTINGS})

#: The variables a deployed task must set, because their defaults suit a laptop, not a task (see
#: ``contract.Setting.deployed``); every other setting has a default that holds in a deployment too.
REQUIRED_IN_DEPLOYMENT: Final[frozenset[str]] = frozenset(s.variable for s in contract.SETTINGS if s.deployed)


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
