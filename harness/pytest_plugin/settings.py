"""The session's :class:`~harness.pytest_plugin.options.Settings`, kept in the config's stash."""

from __future__ import annotations

import pytest

from harness.pytest_plugin.options import Settings, read_settings

SETTINGS_KEY = pytest.StashKey[Settings]()


def settings_of(config: pytest.Config) -> Settings:
    settings = config.stash.get(SETTINGS_KEY, None)
    if settings is None:
        settings = config.stash[SETTINGS_KEY] = read_settings(config)
    return settings
