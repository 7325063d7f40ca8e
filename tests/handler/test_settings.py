"""Settings come from the environment once; a bad value names its variable; the password never shows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from handler import contract
from handler.server import server_config
from handler.settings import ENV_VARS, REQUIRED_IN_DEPLOYMENT, Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


def test_unset_the_handler_serves_the_embedded_store_on_loopback() -> None:
    # Given an empty environment, When the settings are read
    settings = Settings.from_env({})

    # Then nothing outside this machine can reach it, and no database server is needed
    assert settings.host == "127.0.0.1"
    assert settings.mongodb_uri is None and settings.sqlite_path.endswith(".sqlite3")
    # And a store call is cut off with room to answer inside EventBridge's target timeout
    assert settings.store_deadline_seconds < contract.EVENTBRIDGE_TARGET_TIMEOUT_SECONDS


def test_each_setting_is_described_once_and_the_struct_follows_the_table() -> None:
    # Given the one table of settings in the contract
    table = {s.field: s for s in contract.SETTINGS}

    # Then Settings has one field per row, in its order, each defaulting to the row's default
    assert Settings.__struct_fields__ == tuple(table)
    assert {f: getattr(Settings(), f) for f in table} == {f: s.default for f, s in table.items()}
    # And each variable sets its own field and no other
    for field, setting in table.items():
        assert ENV_VARS[field] == setting.variable
    assert len(set(ENV_VARS.values())) == len(table)
    # And the deployed task must set exactly the rows marked so
    assert {s.variable for s in contract.SETTINGS if s.deployed} == REQUIRED_IN_DEPLOYMENT


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


def test_every_variable_is_named_once_in_the_contract() -> None:
    # The infrastructure sets variables by the contract's names; the settings read exactly those.
    named = {value for name, value in vars(contract).items() if name.startswith("ENV_")}

    assert sorted(ENV_VARS.values()) == sorted(named)
    assert {contract.ENV_MONGODB_URI, contract.ENV_HOST} <= REQUIRED_IN_DEPLOYMENT


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
    config = server_config(settings, app=None)

    # Then uvicorn keeps an idle connection open longer than the ALB does (else the ALB may reuse a
    # connection the handler is closing, and answer 502)
    assert settings.keep_alive_seconds == contract.KEEP_ALIVE_SECONDS
    assert config.timeout_keep_alive == settings.keep_alive_seconds > contract.ALB_IDLE_TIMEOUT_SECONDS
    assert server_config(Settings(keep_alive_seconds=90), app=None).timeout_keep_alive == 90


def test_importing_the_server_leaves_the_garbage_collector_alone() -> None:
    # Given a fresh interpreter, When it imports the module that configures the server
    code = "import gc, handler.server; assert gc.isenabled(), 'gc was disabled on import'"
    # Then collection is still on: only `python -m handler` turns it off while it starts
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr


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
