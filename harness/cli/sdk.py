"""The openai SDK is needed only by the commands that drive a conversation (``record``, ``demo``)."""

from __future__ import annotations

import importlib.util

from harness.cli.errors import CommandError


def require_openai() -> None:
    if importlib.util.find_spec("openai") is None:
        raise CommandError(
            "this command drives the official openai SDK, which is not installed: "
            "pip install 'pytest-run-harness[sdk]'"
        )
