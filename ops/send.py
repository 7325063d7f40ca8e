"""`orders send`: deliver entries to a handler URL exactly as EventBridge would."""

from __future__ import annotations

from typing import Annotated

import typer

from handler.contract import EVENTBRIDGE_TARGET_TIMEOUT_SECONDS
from ops import aws, entries, envelope
from ops.delivery import Deliverer, Outcome

# Options shared with `dlq redrive --to-url`, so both deliver the same way.
Retries = Annotated[int, typer.Option(min=0, help="Retries after the first try, for 429, 5xx and timeouts.")]
MaxBackoff = Annotated[float, typer.Option(min=0, help="Longest wait between tries, seconds.")]
Timeout = Annotated[float, typer.Option(min=0.1, help="Per-request timeout, seconds (EventBridge's is 5).")]
Sign = Annotated[
    bool | None,
    typer.Option(
        "--sign/--no-sign",
        show_default="auto: sign *.execute-api.*.amazonaws.com",
        help="Sign with SigV4 (service execute-api) from your AWS credentials.",
    ),
]


def report(label: str, outcome: Outcome) -> None:
    """Print one line per delivery; rejections say where EventBridge would have put the event."""
    tries = f" after {outcome.attempts} tries" if outcome.attempts > 1 else ""
    if outcome.kind == "delivered":
        typer.echo(f"{label}: {outcome.status} {outcome.detail}{tries}")
    elif outcome.kind == "rejected":
        typer.echo(f"{label}: {outcome.status}, would go to the DLQ: {outcome.detail}", err=True)
    else:
        status = outcome.status or "no response"
        typer.echo(f"{label}: failed{tries}: {status} {outcome.detail}", err=True)


def send(
    file: entries.File,
    url: Annotated[
        str, typer.Option(envvar="ORDERS_URL", help="Handler URL, e.g. http://127.0.0.1:8080/orders.")
    ],
    account: Annotated[
        str, typer.Option(envvar="AWS_ACCOUNT_ID", help="Account id written into each envelope.")
    ] = "123456789012",
    retries: Retries = 3,
    max_backoff: MaxBackoff = 10.0,
    timeout: Timeout = EVENTBRIDGE_TARGET_TIMEOUT_SECONDS,
    sign: Sign = None,
) -> None:
    """Wrap each entry in FILE in an EventBridge envelope and PUT it to URL.

    This is what EventBridge's API Gateway target does: a new event id per entry, a 5 s timeout,
    retries with backoff on 429, 5xx and timeouts, and any other 4xx is reported as "would go to the
    DLQ" with the response body. Exit code 1 if any entry was not delivered.
    """
    items = entries.load(file)
    region = aws.region()
    deliverer = Deliverer(url, retries=retries, max_backoff=max_backoff, timeout=timeout, sign=sign)
    undelivered = 0
    try:
        for index, item in enumerate(items):
            event = envelope.build(item, account=account, region=region)
            outcome = deliverer.deliver(event)
            report(f"entry {index} (event {event['id']})", outcome)
            undelivered += outcome.kind != "delivered"
    finally:
        deliverer.close()
    if undelivered:
        typer.echo(f"{undelivered} of {len(items)} entries not delivered", err=True)
        raise typer.Exit(1)
