"""The `orders` command: publish events, send them to a handler, inspect and redrive the DLQ.

Exit codes: 0 all done; 1 some events were not delivered (each is listed); 2 a user error (one line
on stderr) or a usage error.
"""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from ops import aws, dlq, publish, send, smoke
from ops.cost import command as cost
from ops.errors import OpsError

USER_ERROR = 2


class _Group(TyperGroup):
    """Turns user errors from any subcommand into one line on stderr, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except OpsError as error:
            message = str(error)
        except Exception as error:
            message = aws.describe(error)
            if message is None:
                raise
        typer.echo(f"orders: error: {message}", err=True)
        raise typer.Exit(USER_ERROR)


app = typer.Typer(
    cls=_Group,
    name="orders",
    help="Operate the order-events pipeline: publish events, try them on a handler, redrive the DLQ, "
    "smoke-test a deploy, price a stack.\n\n"
    "AWS settings are boto3's own (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL for moto or LocalStack).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",  # docstring line breaks are wrapping, not layout
    pretty_exceptions_show_locals=False,  # locals may hold credentials
)
app.command()(publish.publish)
app.command()(send.send)
app.command()(smoke.smoke)
app.command()(cost.cost)
app.add_typer(dlq.app, name="dlq")


def main() -> None:
    """Console-script entry point (`orders`)."""
    app(prog_name="orders")
