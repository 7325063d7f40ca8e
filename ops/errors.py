"""The exception type the CLI turns into a single line on stderr, and reading a file the user named."""

from pathlib import Path


class OpsError(Exception):
    """A user error (bad input, missing resource, no credentials): shown as one line, exit code 2."""


class Unreachable(OpsError):
    """The target URL did not accept a connection: nothing was delivered, so stop early."""


def read_user_file(path: Path) -> str:
    """The text of a file the user named; a missing or unreadable one is an `OpsError` saying so."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OpsError(f"{path}: no such file") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as error:
        raise OpsError(f"{path}: cannot read: {error}") from None
