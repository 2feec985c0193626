"""The versions a bug report needs: the harness, the openai SDK, Python and the platform."""

from __future__ import annotations

import platform
from importlib import metadata

HARNESS_DISTRIBUTION = "pytest-run-harness"
NOT_INSTALLED = "not installed"


def installed_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return NOT_INSTALLED


def collect_versions() -> dict[str, str]:
    return {
        HARNESS_DISTRIBUTION: installed_version(HARNESS_DISTRIBUTION),
        "openai": installed_version("openai"),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }
