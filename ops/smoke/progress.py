"""Show that a command is waiting, on stderr: a spinner on a terminal, a line now and then in a CI log."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.status import Status


class Waiting:
    """A context manager: `update` as time passes, `stop` before printing the result (idempotent)."""

    def __init__(self, console: Console, what: str, timeout: float, *, every: float = 10.0) -> None:
        self._console, self._what, self._timeout, self._every = console, what, timeout, every
        self._status: Status | None = None
        self._printed_at = 0.0

    def __enter__(self) -> Waiting:
        if self._console.is_terminal:
            self._status = self._console.status(escape(f"{self._what} (up to {self._timeout:g} s)"))
            self._status.start()
        else:  # a log: no spinner frames, only whole lines (never wrapped at the default 80 columns)
            self._console.print(f"{self._what} (up to {self._timeout:g} s)", markup=False, soft_wrap=True)
        return self

    def update(self, elapsed: float, note: str) -> None:
        line = f"{self._what}: {elapsed:.0f} s of {self._timeout:g} s, {note}"
        if self._status is not None:
            self._status.update(escape(line))
        elif elapsed - self._printed_at >= self._every:
            self._printed_at = elapsed
            self._console.print(line, markup=False, soft_wrap=True)

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
