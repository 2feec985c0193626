"""The session's :class:`~harness.pytest_plugin.options.Settings`, kept in the config's stash."""

from __future__ import annotations

import pytest

from harness.options import RECORDING_MODES
from harness.pytest_plugin.options import Settings, read_settings

SETTINGS_KEY = pytest.StashKey[Settings]()


def settings_of(config: pytest.Config) -> Settings:
    settings = config.stash.get(SETTINGS_KEY, None)
    if settings is None:
        settings = config.stash[SETTINGS_KEY] = read_settings(config)
    return settings


def offline_in_ci(settings: Settings) -> bool:
    """A CI variable is set and the command line does not ask for recording: tests stay offline."""
    return settings.in_ci and settings.record_mode_from_command_line not in RECORDING_MODES
