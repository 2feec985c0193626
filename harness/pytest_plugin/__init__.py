"""The pytest plugin of pytest-run-harness, registered through the ``pytest11`` entry point.

Marker ``@pytest.mark.run_cassette(name=None, **options)``; fixtures ``run_cassette``,
``run_snapshot``, ``run_cassette_config``, ``run_chunking``, ``run_emulator`` (the built-in
emulator on 127.0.0.1); options ``--run-*`` (see
``pytest --help``).

Every pytest session of anyone who installs the package loads this module, so it imports only
pytest and the plugin's options; recording, replay and snapshots load when a test uses them.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

from harness.options import offline_test, set_offline_test
from harness.pytest_plugin.emulator import run_emulator, run_emulator_config, run_emulator_session
from harness.pytest_plugin.failures import shorten_harness_failure
from harness.pytest_plugin.fixtures import (
    CALL_FAILED,
    HARNESS_FIXTURE,
    _run_harness,
    run_cassette,
    run_cassette_config,
    run_chunking,
    run_snapshot,
    uses_cassette,
)
from harness.pytest_plugin.options import add_options
from harness.pytest_plugin.plan import MARKER, marker_chunkings
from harness.pytest_plugin.settings import offline_in_ci, settings_of
from harness.replay.chunking_ids import chunking_id

__all__ = [
    "_run_harness",
    "pytest_addoption",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_generate_tests",
    "pytest_runtest_makereport",
    "pytest_runtest_protocol",
    "run_cassette",
    "run_cassette_config",
    "run_chunking",
    "run_emulator",
    "run_emulator_config",
    "run_emulator_session",
    "run_snapshot",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(name=None, **options): record the test's HTTP exchanges to a run cassette, replay them "
        "after (options: record_mode, match_on, ignore_body_fields, scrub, chunking, chunkings, speed, "
        "faults, fail_on_unplayed, allow_playback_repeats)",
    )
    settings_of(config)  # fail at start-up on a bad ini value


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parser regression mode: one test instance per chunking, all replaying one cassette."""
    if metafunc.definition.get_closest_marker(MARKER) is None and "run_cassette" not in metafunc.fixturenames:
        return
    try:
        chunkings = marker_chunkings(metafunc.definition, settings_of(metafunc.config))
    except ValueError:
        return  # a bad marker: the test fails at set-up with the message, the session goes on
    if chunkings:
        if "run_chunking" not in metafunc.fixturenames:  # a marked test that requests no harness fixture
            metafunc.fixturenames.append("run_chunking")
        metafunc.parametrize("run_chunking", chunkings, ids=[chunking_id(chunking) for chunking in chunkings])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The harness fixture goes first on the tests that use a cassette (so the cassette is active
    before any other fixture sends a request) and, under ``--run-block-network``, on every test.
    Other tests pay nothing."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is None or HARNESS_FIXTURE in names:
            continue
        if uses_cassette(item) or settings_of(item.config).block_network:
            names.insert(0, HARNESS_FIXTURE)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    """Under CI (unless the command line records), any cassette the test opens, even through
    ``use_cassette(..., record_mode="all")``, replays only and reaches nothing but loopback."""
    previous = offline_test()  # a pytest session run in-process inside another one's test
    set_offline_test(item.nodeid if offline_in_ci(settings_of(item.config)) else None)
    try:
        return (yield)
    finally:
        set_offline_test(previous)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, object, object]:
    """A test failed by the harness's own error (a request missing from the cassette, a bad marker
    option, an unloadable cassette) shows the harness's message instead of a traceback."""
    report = yield
    if call.when == "call" and isinstance(report, pytest.TestReport) and report.failed:
        item.stash[CALL_FAILED] = True
    if isinstance(report, pytest.TestReport):
        shorten_harness_failure(item, call, report)
    return report
