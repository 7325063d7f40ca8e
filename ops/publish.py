"""`orders publish`: put entries on a bus in batches, re-sending only what is worth re-sending."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ops import aws, entries, schema_check
from ops.retry import backoff

#: The PutEvents entry errors AWS documents as retryable; every other code is final.
RETRYABLE = frozenset({"ThrottlingException", "InternalFailure"})


@dataclass(frozen=True)
class Failure:
    """An entry that finally failed: its position in the input and EventBridge's error."""

    index: int
    code: str
    message: str


def put_all(
    client: Any,
    items: list[dict[str, Any]],
    *,
    attempts: int = 5,
    max_backoff: float = 5.0,
    on_batch: Callable[[int], None] = lambda _n: None,
    on_accepted: Callable[[int, str], None] = lambda _index, _event_id: None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Failure]:
    """Put `items` with PutEvents in batches and return the entries that finally failed.

    Args:
        client: A boto3 `events` client.
        items: Checked entries (see `ops.entries`), each naming its bus or using the default bus.
        attempts: Tries per entry, counting the first; only retryable errors use more than one.
        max_backoff: Cap on the wait between tries, in seconds.
        on_batch: Called with the size of each batch when it is done (progress).
        on_accepted: Called with an entry's index and the EventId EventBridge gave it, once accepted.
        sleep: Injected so tests don't wait.
    """
    failures: list[Failure] = []
    for batch in entries.batches(list(enumerate(items))):
        failures += _put_batch(client, batch, attempts, max_backoff, sleep, on_accepted)
        on_batch(len(batch))
    return sorted(failures, key=lambda failure: failure.index)


def _put_batch(client, batch, attempts, max_backoff, sleep, on_accepted) -> list[Failure]:
    pending, final = batch, []
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            sleep(backoff(attempt - 1, base=0.2, cap=max_backoff))
        results = client.put_events(Entries=[entry for _, entry in pending])["Entries"]
        retry = []
        # Result entries are in request order, one per request entry.
        for (index, entry), result in zip(pending, results, strict=True):
            code = result.get("ErrorCode")
            if not code:
                on_accepted(index, result.get("EventId", ""))
                continue
            failure = Failure(index, code, result.get("ErrorMessage", ""))
            if code in RETRYABLE and attempt < attempts:
                retry.append((index, entry))
            else:
                final.append(failure)
        if not retry:
            break
        pending = retry
    return final


SchemaCheck = Annotated[
    bool,
    typer.Option(
        "--schema-check/--no-schema-check",
        help="Check every entry against the CreateOrder schema first; send nothing if one fails. "
        "Turn off only to exercise the API's refusal and the DLQ on purpose.",
    ),
]


def publish(
    file: entries.File,
    bus: Annotated[
        str | None,
        typer.Option(
            envvar="ORDERS_EVENT_BUS",
            help="Event bus name or ARN for every entry. Without it, an entry's own EventBusName, "
            "else the default bus.",
        ),
    ] = None,
    attempts: Annotated[int, typer.Option(min=1, help="Tries per entry for throttling/internal errors.")] = 5,
    max_backoff: Annotated[float, typer.Option(min=0, help="Longest wait between tries, seconds.")] = 5.0,
    schema: SchemaCheck = True,
) -> None:
    """Put the events in FILE on an EventBridge bus, 10 per request.

    Every entry is first checked against the event's schema (the one the API validates with and the
    registry publishes); if any fails, each is listed and nothing is sent (exit code 2).

    Entries that fail with ThrottlingException or InternalFailure are re-sent with backoff; every
    entry that still fails is listed with its error code, and the exit code is 1.
    """
    items = entries.load(file)
    if schema:
        schema_check.check(items)
    if bus:
        items = [{**item, "EventBusName": bus} for item in items]
    client = aws.client("events")
    err = Console(stderr=True)
    columns = (TextColumn("publishing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # A bar only helps when there is more than one request and someone is watching.
    quiet = len(items) <= entries.MAX_BATCH_ENTRIES or not err.is_terminal
    with Progress(*columns, console=err, transient=True, disable=quiet) as progress:
        task = progress.add_task("publish", total=len(items))
        failures = put_all(
            client,
            items,
            attempts=attempts,
            max_backoff=max_backoff,
            on_batch=lambda n: progress.advance(task, n),
        )
    target = bus or "the entries' buses"
    typer.echo(f"published {len(items) - len(failures)} of {len(items)} entries to {target}")
    for failure in failures:
        typer.echo(f"entry {failure.index}: {failure.code}: {failure.message}", err=True)
    if failures:
        raise typer.Exit(1)
