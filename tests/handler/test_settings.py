"""Settings come from the environment once; a bad value names its variable; the password never shows."""

from __future__ import annotations

import gc
import importlib
from types import ModuleType

import pytest

from handler import contract
from handler.settings import ENV_VARS, REQUIRED_IN_DEPLOYMENT, Settings, SettingsError


def test_defaults_serve_the_embedded_store_on_loopback() -> None:
    settings = Settings.from_env({})

    assert (settings.host, settings.port) == ("127.0.0.1", 8080)
    assert settings.mongodb_uri is None
    assert settings.store_deadline_seconds == 3.0


def test_values_are_parsed_to_their_types() -> None:
    settings = Settings.from_env(
        {
            "HANDLER_HOST": "0.0.0.0",
            "HANDLER_PORT": "9000",
            "HANDLER_STORE_DEADLINE_SECONDS": "1.5",
            "HANDLER_MAX_IN_FLIGHT": "64",
            "MONGODB_URI": "mongodb://db:27017/?tls=true&replicaSet=rs0",
            "MONGODB_USERNAME": "orders",
            "MONGODB_PASSWORD": "s3cret-value",
            "HANDLER_SQLITE_PATH": "",  # empty means unset
        }
    )

    assert (settings.host, settings.port, settings.max_in_flight) == ("0.0.0.0", 9000, 64)
    assert settings.store_deadline_seconds == 1.5
    assert settings.mongodb_password == "s3cret-value"
    assert settings.sqlite_path == "data/orders.sqlite3"


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("HANDLER_PORT", "eighty", "Expected `int`"),
        ("HANDLER_PORT", "70000", "<= 65535"),
        ("HANDLER_STORE_DEADLINE_SECONDS", "5", "<= 3.5"),
        ("HANDLER_MAX_IN_FLIGHT", "0", ">= 1"),
        ("HANDLER_LOG_LEVEL", "LOUD", "Invalid enum value 'LOUD'"),
        ("HANDLER_API_STAGE", "v1/orders", "Expected `str` matching regex"),
        (
            "HANDLER_KEEP_ALIVE_SECONDS",
            str(contract.KEEP_ALIVE_MARGIN_SECONDS),
            f"the task sets it to that plus {contract.KEEP_ALIVE_MARGIN_SECONDS} s",
        ),
    ],
)
def test_a_bad_value_names_its_variable(variable: str, value: str, problem: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({variable: value})

    assert str(caught.value).startswith(f"{variable}: ")
    assert problem in str(caught.value)
    assert caught.value.variable == variable


def test_every_setting_has_a_variable() -> None:
    assert set(ENV_VARS) == set(Settings.__struct_fields__)
    assert ENV_VARS["mongodb_password"] == "MONGODB_PASSWORD"


def test_every_variable_is_named_once_in_the_contract() -> None:
    # The infrastructure sets variables by the contract's names; the settings read exactly those.
    named = {value for name, value in vars(contract).items() if name.startswith("ENV_")}

    assert sorted(ENV_VARS.values()) == sorted(named)
    assert REQUIRED_IN_DEPLOYMENT.issubset(named)
    assert contract.ENV_MONGODB_URI in REQUIRED_IN_DEPLOYMENT
    assert contract.ENV_HOST in REQUIRED_IN_DEPLOYMENT


def test_the_emf_environment_is_a_setting_too() -> None:
    # aws-embedded-metrics reads the variable itself; the handler reads it to leave the library be.
    assert Settings.from_env({}).emf_environment is None
    assert Settings.from_env({contract.ENV_EMF_ENVIRONMENT: "Local"}).emf_environment == "Local"


def test_the_password_never_appears_in_repr_or_str() -> None:
    settings = Settings(mongodb_password="s3cret-value")

    assert "s3cret-value" not in repr(settings)
    assert "s3cret-value" not in str(settings)
    assert "mongodb_password=***" in repr(settings)


def test_the_api_stage_defaults_to_the_deployed_stage_and_is_read_from_its_contract_variable() -> None:
    # Unset, the handler still answers under the stage the infrastructure deploys (and at the root).
    assert Settings.from_env({}).api_stage == contract.API_STAGE
    assert ENV_VARS["api_stage"] == contract.ENV_API_STAGE
    assert Settings.from_env({contract.ENV_API_STAGE: "prod_2"}).api_stage == "prod_2"


def test_the_keep_alive_outlasts_the_alb_idle_timeout_and_configures_uvicorn() -> None:
    # Given the default settings, When the server's config is built as `python -m handler` builds it
    settings = Settings.from_env({})
    config = _main().server_config(settings, app=None)

    # Then uvicorn keeps an idle connection open longer than the ALB does (else the ALB may reuse a
    # connection the handler is closing, and answer 502)
    assert settings.keep_alive_seconds == contract.KEEP_ALIVE_SECONDS
    assert config.timeout_keep_alive == settings.keep_alive_seconds > contract.ALB_IDLE_TIMEOUT_SECONDS
    assert _main().server_config(Settings(keep_alive_seconds=90), app=None).timeout_keep_alive == 90


def _main() -> ModuleType:
    # `handler.__main__` turns garbage collection off while it imports (see there); keep it on here.
    enabled = gc.isenabled()
    module = importlib.import_module("handler.__main__")
    if enabled:
        gc.enable()
    return module


def test_a_stalled_request_gets_eventbridges_budget_and_an_idle_connection_the_keep_alive() -> None:
    # Given the defaults
    settings = Settings.from_env({})

    # Then a request's head and body each get what EventBridge gives a whole delivery, far less than
    # the keep-alive an idle connection gets (which outlasts the ALB's idle timeout)
    assert settings.head_timeout_seconds == settings.body_timeout_seconds
    assert settings.body_timeout_seconds == contract.EVENTBRIDGE_TARGET_TIMEOUT_SECONDS
    assert settings.body_timeout_seconds < contract.ALB_IDLE_TIMEOUT_SECONDS < settings.keep_alive_seconds
    # And each is read from its variable
    env = {contract.ENV_HEAD_TIMEOUT_SECONDS: "0.5", contract.ENV_BODY_TIMEOUT_SECONDS: "2"}
    assert (Settings.from_env(env).head_timeout_seconds, Settings.from_env(env).body_timeout_seconds) == (
        0.5,
        2.0,
    )
    with pytest.raises(SettingsError, match=contract.ENV_BODY_TIMEOUT_SECONDS):
        Settings.from_env({contract.ENV_BODY_TIMEOUT_SECONDS: "0"})
