"""Args shared by the component tests: a task as a stack would configure it; an Api on placeholder wiring."""

from components.api import Api, ApiArgs
from components.task import HandlerTaskArgs

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/img@sha256:" + "0" * 64
REPO = "arn:aws:ecr:us-east-1:123456789012:repository/img"
ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/1"


def task_args(**overrides) -> HandlerTaskArgs:
    """Task args as a stack would give them, with `overrides`."""
    return HandlerTaskArgs(
        image=IMAGE,
        database_endpoint="db.local",
        database_secret_arn=SECRET,
        repository_arn=REPO,
        **overrides,
    )


def api_program(dns="internal-alb.elb.amazonaws.com", alb_arn=ALB_ARN, **overrides):
    """A program that makes one Api on placeholder wiring (with `overrides`) and returns its outputs."""

    def program():
        api = Api(
            "api",
            ApiArgs(
                vpc_id="vpc-1",
                subnet_ids=["subnet-a", "subnet-b"],
                alb_arn=alb_arn,
                alb_dns_name=dns,
                alb_security_group_id="sg-alb",
                **overrides,
            ),
        )
        return {
            "arn": api.orders_execute_arn,
            "url": api.invoke_url,
            "reader": api.reader_policy_arn,
            "name": api.rest_api_name,
            "stage": api.stage_name,
        }

    return program


def api_alone(**settings) -> Api:
    """An Api with placeholder wiring and the given settings (for checks that refuse before any resource)."""
    wiring = ApiArgs(vpc_id="v", subnet_ids=[], alb_arn="a", alb_dns_name="d", alb_security_group_id="s")
    return Api("api", ApiArgs(**wiring, **settings))
