"""`orders dlq show` and `orders dlq redrive`: look at the dead-letter queue and empty it safely."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from handler.contract import EVENTBRIDGE_TARGET_TIMEOUT_SECONDS
from ops import aws, dlq_messages, redrive, refusals
from ops.delivery import Deliverer
from ops.errors import OpsError
from ops.send import MaxBackoff, Retries, Sign, Timeout

app = typer.Typer(
    help="Inspect and redrive the EventBridge dead-letter queue.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)

Queue = Annotated[
    str, typer.Option("--queue", envvar="ORDERS_DLQ_URL", help="The DLQ: an SQS queue URL (or a queue name).")
]
Wait = Annotated[
    int, typer.Option(min=0, max=20, help="Long-poll seconds per receive (0: poll once, fine for moto).")
]


@app.command()
def show(
    queue_: Queue,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list instead of a table.")] = False,
    max_: Annotated[int, typer.Option("--max", min=1, help="Show at most this many messages.")] = 50,
    wait: Wait = 1,
) -> None:
    """List DLQ messages: the event, and why EventBridge gave up on it.

    A 400 says who refused the event: API Gateway's model (the schema's finding) or the handler (its
    error and message); `--json` keeps ERROR_MESSAGE as written and adds that line as `reason`.

    Messages are only looked at: each is made visible again straight after it is listed.
    """
    sqs = aws.client("sqs")
    url = aws.queue_url(sqs, queue_)
    messages: list[dlq_messages.DlqMessage] = []
    try:
        for batch in dlq_messages.receive(sqs, url, limit=max_, visibility=30, wait=wait):
            messages += batch
    finally:
        dlq_messages.release(sqs, url, messages)
    if as_json:
        typer.echo(json.dumps([message.as_json() for message in messages], indent=2))
        return
    table = Table(title=f"{len(messages)} message(s) in {url.rsplit('/', 1)[-1]}")
    for column in ("event id", "type", "order", "error", "message", "retries", "target"):
        table.add_column(column, overflow="fold")
    for message in messages:
        event, attrs = message.event or {}, message.attributes
        detail = event.get("detail") if isinstance(event.get("detail"), dict) else {}
        table.add_row(
            str(event.get("id", "(not an event)")),
            f"{event.get('source', '?')}/{event.get('detail-type', '?')}",
            str(detail.get("order_id", "")),
            attrs.get("ERROR_CODE", ""),
            refusals.explain(attrs.get("ERROR_MESSAGE", "")),
            attrs.get("RETRY_ATTEMPTS", ""),
            attrs.get("TARGET_ARN", "").rsplit(":", 1)[-1],
        )
    Console().print(table)


@app.command("redrive")
def redrive_(
    ctx: typer.Context,
    queue_: Queue,
    to_bus: Annotated[
        str | None, typer.Option(envvar="ORDERS_EVENT_BUS", help="Re-publish to this bus (PutEvents).")
    ] = None,
    to_url: Annotated[
        str | None, typer.Option(envvar="ORDERS_URL", help="Re-deliver to this handler URL.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be redriven; change nothing.")
    ] = False,
    max_: Annotated[int | None, typer.Option("--max", min=1, help="Redrive at most N messages.")] = None,
    wait: Wait = 1,
    retries: Retries = 3,
    max_backoff: MaxBackoff = 10.0,
    timeout: Timeout = EVENTBRIDGE_TARGET_TIMEOUT_SECONDS,
    sign: Sign = None,
) -> None:
    """Re-deliver DLQ messages to a bus or a handler URL; delete each only once it was delivered.

    A message whose re-delivery fails stays in the queue and is reported. Exit code 1 if any did.
    """
    to_bus, to_url = _one_target(ctx, to_bus, to_url)
    sqs = aws.client("sqs")
    url = aws.queue_url(sqs, queue_)
    deliverer = None
    if to_bus:
        deliver = redrive.to_bus(aws.client("events"), to_bus, attempts=retries + 1, max_backoff=max_backoff)
    else:
        deliverer = Deliverer(to_url, retries=retries, max_backoff=max_backoff, timeout=timeout, sign=sign)
        deliver = redrive.to_url(deliverer)
    try:
        summary = redrive.run(sqs, url, deliver, limit=max_, wait=wait, dry_run=dry_run)
    finally:
        if deliverer:
            deliverer.close()
    _report(summary, to_bus or to_url)
    if summary.failed or summary.stopped:
        raise typer.Exit(1)


def _one_target(ctx: typer.Context, to_bus: str | None, to_url: str | None) -> tuple[str | None, str | None]:
    """Exactly one target; a flag on the command line beats the other target's environment variable."""
    if to_bus and to_url:
        # By name: typer ships its own copy of click, so the enum is not click's.
        bus_env, url_env = (ctx.get_parameter_source(p).name == "ENVIRONMENT" for p in ("to_bus", "to_url"))
        if bus_env and not url_env:
            to_bus = None
        elif url_env and not bus_env:
            to_url = None
    if to_bus and to_url:
        raise OpsError("give exactly one of --to-bus or --to-url (ORDERS_EVENT_BUS and ORDERS_URL count too)")
    if not to_bus and not to_url:
        raise OpsError("give one of --to-bus or --to-url")
    return to_bus, to_url


def _report(summary: redrive.Summary, target: str) -> None:
    for message in summary.dry_run:
        typer.echo(
            f"would redrive {message.message_id} (event {(message.event or {}).get('id', '?')}) to {target}"
        )
    for message, error in summary.failed:
        typer.echo(f"left in queue {message.message_id}: {error}", err=True)
    if summary.stopped:
        typer.echo(f"stopped: {summary.stopped}", err=True)
    typer.echo(
        f"redriven {len(summary.redriven)}, failed {len(summary.failed)}"
        + (f", dry run {len(summary.dry_run)}" if summary.dry_run else "")
        + f"; {summary.kept} received message(s) left in the queue"
    )
