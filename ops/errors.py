"""The one exception type the CLI turns into a single line on stderr."""


class OpsError(Exception):
    """A user error (bad input, missing resource, no credentials): shown as one line, exit code 2."""


class Unreachable(OpsError):
    """The target URL did not accept a connection: nothing was delivered, so stop early."""
