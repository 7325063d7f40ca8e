"""`orders cost`: price a stack from its own graph, run under the test mocks (nothing reaches AWS)."""

from typing import Annotated

import typer

from ops.cost import events, idle, report, table
from ops.errors import OpsError

#: An RDS CA pin, so that pricing never fetches AWS's bundle (the bundle costs nothing either way).
_NO_FETCH = {"rdsCaBundleSha256": "0" * 64}


def cost(
    stack: Annotated[str, typer.Option("--stack", help="The stack whose Pulumi.<stack>.yaml to price.")],
    overrides: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="Price a what-if: a project config key set on top of the stack's, as `pulumi config set` "
            "would (repeatable), e.g. `--set dbInstanceClass=db.t4g.medium`.",
        ),
    ] = None,
) -> None:
    """Print a stack's monthly cost while idle, per resource, and what a million events add.

    Runs `__main__.py` with the stack's config under the mocks the tests use, then prices every
    resource it registers from the committed, dated price table (`ops/cost/prices.toml`, us-east-1).
    A resource type the table does not know is an error naming it.
    """
    import pulumi  # Pulumi (the `infra` group) is needed only here

    from ops.cost.graph import ROOT, run_stack

    if not (ROOT / f"Pulumi.{stack}.yaml").is_file():
        raise OpsError(f"no stack `{stack}`: {ROOT / f'Pulumi.{stack}.yaml'} does not exist")
    settings = dict(_setting(pair) for pair in overrides or [])
    prices = table.load()
    try:
        graph = run_stack(stack, **(_NO_FETCH | settings))
    except (ValueError, pulumi.RunError) as error:  # the program refused the config, naming the setting
        raise OpsError(f"stack {stack}: {error}") from None
    typer.echo(
        f"Stack {stack}, {prices.region}, {prices.hours:g} hours a month (prices: {table.TABLE.name})\n"
    )
    typer.echo(report.render("idle, a month", idle.idle_lines(graph, prices), "USD a month"))
    typer.echo("")
    typer.echo(report.render("per million events", events.per_million(graph, prices), "USD per M events"))


def _setting(pair: str) -> tuple[str, str]:
    key, sep, value = pair.partition("=")
    if not sep or not key:
        raise OpsError(f"--set {pair!r}: expected KEY=VALUE, e.g. dbInstanceClass=db.t4g.medium")
    return key.removeprefix("order-events:"), value
