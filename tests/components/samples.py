"""Args shared by the component tests: a task as a stack would configure it."""

from components.task import HandlerTaskArgs

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/img@sha256:" + "0" * 64
REPO = "arn:aws:ecr:us-east-1:123456789012:repository/img"


def task_args(**overrides) -> HandlerTaskArgs:
    """Task args as a stack would give them, with `overrides`."""
    return HandlerTaskArgs(
        image=IMAGE,
        database_endpoint="db.local",
        database_secret_arn=SECRET,
        repository_arn=REPO,
        **overrides,
    )
