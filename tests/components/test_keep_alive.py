"""The handler's keep-alive follows the idle timeout its ALB is given, not a constant.

AWS's ALB guide ("Edit attributes for your Application Load Balancer", "Connection idle timeout",
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html):
the target's keep-alive must be longer than the ALB's idle timeout, or the ALB may send a request on a
connection the target is closing, and answer 502.
"""

import pytest

from components.alb import InternalAlb, InternalAlbArgs
from components.service import Service, ServiceArgs
from handler import contract
from handler.settings import Settings
from tests.components.harness import run
from tests.components.samples import task_args


def _service(**overrides) -> ServiceArgs:
    wiring = ServiceArgs(
        vpc_id="vpc-1", subnet_ids=["subnet-a", "subnet-b"], database_security_group_id="sg-db"
    )
    return wiring | ServiceArgs(task=task_args()) | ServiceArgs(**overrides)


def _deployed(graph) -> tuple[int, Settings]:
    """The ALB's idle timeout, and the settings the handler reads from the task's environment."""
    idle = graph.one("aws:lb/loadBalancer:LoadBalancer").inputs["idleTimeout"]
    (container,) = graph.one("aws:ecs/taskDefinition:TaskDefinition").json("containerDefinitions")
    env = {e["name"]: e["value"] for e in container["environment"]}
    return idle, Settings.from_env(env)


@pytest.mark.parametrize("idle", [contract.ALB_IDLE_TIMEOUT_SECONDS, 70, 10, 900])
def test_the_task_keeps_connections_longer_than_its_alb_whatever_the_idle_timeout(idle):
    # Given a service whose ALB is given an idle timeout (the default, longer, shorter than the default)
    graph = run(
        lambda: {"n": Service("svc", _service(alb=InternalAlbArgs(idle_timeout_seconds=idle))).service_name}
    )
    # When the handler reads the task's environment
    given, settings = _deployed(graph)
    # Then the ALB got that timeout, and the handler keeps an idle connection the margin longer
    assert given == idle
    assert settings.keep_alive_seconds == idle + contract.KEEP_ALIVE_MARGIN_SECONDS > idle


def test_by_default_the_handler_keeps_its_own_default():
    # Given a service with the ALB's default idle timeout
    graph = run(lambda: {"n": Service("svc", _service()).service_name})
    # Then the task sets the keep-alive the handler would default to anyway
    assert _deployed(graph)[1].keep_alive_seconds == contract.KEEP_ALIVE_SECONDS


@pytest.mark.parametrize("idle", [0, 4001])
def test_an_idle_timeout_outside_the_albs_range_is_refused(idle):
    with pytest.raises(ValueError, match=r"`idle_timeout_seconds` must be 1-4000 \(the ALB's range\)"):
        InternalAlb(
            "alb",
            InternalAlbArgs(
                vpc_id="vpc-1",
                subnet_ids=["subnet-a"],
                target_security_group_id="sg-t",
                idle_timeout_seconds=idle,
            ),
        )


def test_the_keep_alive_is_not_the_users_to_set():
    # Given a task told its keep-alive directly: it could fall below the ALB's idle timeout
    args = _service(task=task_args(keep_alive_seconds=30))
    # Then the service refuses it, naming it
    with pytest.raises(ValueError, match=r"`task.keep_alive_seconds` is wired by `Service`"):
        Service("svc", args)
