"""`orders smoke`: prove a deploy end to end with one canary order, bus -> rule -> API -> handler -> store.

Exit codes: 0 the canary was readable through the API (the latency is printed); 1 it was not (the
diagnosis says why and where to look); 2 the check could not run (one line: missing settings, no
credentials, an unreachable URL, a bus that refused the event).
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console

from ops import aws
from ops.errors import OpsError
from ops.publish import put_all
from ops.smoke import canary, deployed, diagnosis, outputs
from ops.smoke.reader import Reader
from ops.smoke.watch import Watch, fail

# The options, named here so that `smoke` reads as what it does.
OutputsFile = Annotated[
    Path | None,
    typer.Option(
        "--outputs",
        metavar="FILE",
        help="`pulumi stack output --json` (a file, or `<(pulumi stack output --json)`). Flags beat it; "
        "it beats the environment variables.",
    ),
]
Bus = Annotated[str | None, typer.Option(envvar="ORDERS_EVENT_BUS", help="Event bus name or ARN.")]
ApiUrl = Annotated[
    str | None,
    typer.Option(
        envvar="ORDERS_API_URL",
        help="The stage's invoke URL: `https://ID.execute-api.REGION.amazonaws.com/v1`.",
    ),
]
Queue = Annotated[
    str | None,
    typer.Option("--queue", envvar="ORDERS_DLQ_URL", help="The rule target's DLQ (URL or name)."),
]
Timeout = Annotated[float, typer.Option(min=0, help="Seconds to wait for the canary after publishing.")]
Interval = Annotated[float, typer.Option(min=0.05, help="Seconds between polls (GET and DLQ look).")]
KeepCanary = Annotated[
    bool,
    typer.Option("--keep-canary", help="Leave the canary's DLQ message in the queue (default: delete it)."),
]


def smoke(
    ctx: typer.Context,
    outputs_file: OutputsFile = None,
    bus: Bus = None,
    api_url: ApiUrl = None,
    queue_: Queue = None,
    timeout: Timeout = 120.0,
    interval: Interval = 0.5,
    keep_canary: KeepCanary = False,
) -> None:
    """Publish one canary order and wait until `GET {api}/orders/{id}` returns it, watching the DLQ meanwhile.

    The canary is a valid CreateOrder for customer `orders-smoke-canary` with `"canary": true` (see
    docs/ops.md); it stays stored. If it lands in the DLQ, its message is shown and then deleted (other
    messages are only looked at). Exit code 0 passed, 1 failed (with a diagnosis), 2 could not run.
    """
    target = _target(ctx, outputs_file, bus=bus, api_url=api_url, queue=queue_)
    sqs, events = aws.client("sqs"), aws.client("events")
    dlq_url = aws.queue_url(sqs, target.queue)
    err = Console(stderr=True, highlight=False)
    reader = Reader(target.api_url)
    try:
        if outputs_file:  # the old code passing the canary would prove nothing
            _check_deploy(target, err)
        # The read path first: a check that cannot read would only leave a canary behind.
        unknown = str(uuid.uuid4())
        first = reader.get(unknown)
        if first.kind(unknown) == "refused":
            fail(err, diagnosis.refused(first, target, published=None))
        item = canary.build(target.bus)
        started = time.monotonic()
        event_id = _publish(events, item)
        published = f"published canary order {item.order_id} (event {event_id}) to {target.bus}"
        err.print(published, markup=False, soft_wrap=True)
        run = Watch(target, item, event_id, started, reader, sqs, dlq_url, err)
        try:
            run.wait(timeout, interval, keep_canary)
        except (ClientError, BotoCoreError) as error:  # one line, but say that a canary went out
            why = aws.describe(error) or str(error)
            raise OpsError(
                f"{why} (after publishing canary order {item.order_id}, event {event_id})"
            ) from None
    finally:
        reader.close()


def _check_deploy(target: outputs.Target, err: Console) -> None:
    """Fail (exit 1) unless the service runs the task definition this deploy made; say so when the stack's
    outputs do not name it (a stack from before it was exported). Flags alone name no deploy to check."""
    names = (target.cluster_name, target.service_name, target.task_definition_arn)
    if not all(names):
        err.print(
            "deploy check skipped: needs cluster_name, service_name and task_definition_arn in --outputs",
            markup=False,
            soft_wrap=True,
        )
        return
    cluster, service, expected = (name or "" for name in names)
    lines, ok = deployed.check(aws.client("ecs"), cluster=cluster, service=service, expected=expected)
    if lines:
        fail(err, lines)
    err.print(ok, markup=False, soft_wrap=True)


def _target(ctx: typer.Context, outputs_file: Path | None, **given: str | None) -> outputs.Target:
    keys = {"bus": outputs.BUS.output, "api_url": outputs.API_URL.output, "queue": outputs.QUEUE.output}
    params = {"bus": "bus", "api_url": "api_url", "queue": "queue_"}
    command_line, environment = {}, {}
    for name, value in given.items():
        # By name: typer ships its own copy of click, so the enum is not click's.
        source = ctx.get_parameter_source(params[name])
        from_env = source is not None and source.name == "ENVIRONMENT"
        (environment if from_env else command_line)[keys[name]] = value
    stack = outputs.load(outputs_file) if outputs_file else {}
    return outputs.resolve(stack, command_line=command_line, environment=environment)


def _publish(events: Any, item: canary.Canary) -> str:
    accepted: dict[int, str] = {}
    failures = put_all(events, [item.entry], on_accepted=accepted.__setitem__)
    if failures:
        raise OpsError(f"PutEvents refused the canary: {failures[0].code}: {failures[0].message}")
    return accepted[0]
