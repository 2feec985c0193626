"""The one exception a subcommand raises to stop with a clear message and no traceback."""

from __future__ import annotations


class CommandError(Exception):
    """Printed as one line on stderr by :func:`harness.cli.main`, which then exits ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
