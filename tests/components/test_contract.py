"""The task and the handler agree: every variable the task sets is one the handler reads, and the
handler gets every variable it needs in a deployment, with values it accepts."""

import pytest

from handler import contract
from handler.settings import ENV_VARS, REQUIRED_IN_DEPLOYMENT, Settings
from tests.components.harness import run_main


@pytest.fixture(params=["dev", "prod"])
def container(request):
    graph = run_main(request.param)
    (container,) = graph.one("aws:ecs/taskDefinition:TaskDefinition").json("containerDefinitions")
    return container


def _variables(container) -> dict[str, str]:
    """Every variable the container starts with; a secret's value is a stand-in (ECS resolves it)."""
    env = {e["name"]: e["value"] for e in container["environment"]}
    secrets = {s["name"]: f"<{s['valueFrom']}>" for s in container["secrets"]}
    assert not env.keys() & secrets.keys()
    return env | secrets


def test_every_variable_the_task_sets_is_one_the_handler_reads(container):
    unknown = _variables(container).keys() - set(ENV_VARS.values())
    assert unknown == set()


def test_every_variable_a_deployed_handler_needs_is_set(container):
    assert REQUIRED_IN_DEPLOYMENT - _variables(container).keys() == set()


def test_the_handler_accepts_the_values_the_task_gives_it(container):
    # Given the task's variables, when the handler reads its settings from them, then none is refused
    settings = Settings.from_env(_variables(container))
    # And it listens where the load balancer sends, and serves under the API's stage
    assert (settings.host, settings.port) == ("0.0.0.0", contract.CONTAINER_PORT)
    assert settings.api_stage == contract.API_STAGE
    assert settings.mongodb_tls_ca_file == contract.RDS_CA_BUNDLE_PATH
