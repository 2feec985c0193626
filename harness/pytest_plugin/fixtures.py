"""The fixtures: ``run_cassette_config``, ``run_chunking``, ``run_cassette``, ``run_snapshot``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion

from harness.playback.cassette import RunCassette
from harness.playback.context import use_cassette
from harness.pytest_plugin.locking import cassette_lock
from harness.pytest_plugin.network import blocked_network
from harness.pytest_plugin.plan import MARKER, marker_chunkings, plan_cassette
from harness.pytest_plugin.settings import settings_of
from harness.snapshot import MaskedTimestampsRunSnapshotExtension, RunSnapshotExtension


@pytest.fixture
def run_cassette_config() -> dict[str, Any]:
    """Defaults for every run cassette in scope; override in a conftest or a module, e.g.
    ``return {"match_on": ["method", "path"], "scrub": ScrubRules(...)}``. Any marker option
    except ``name`` and ``chunkings``, plus ``cassette_dir`` (relative to the test module)."""
    return {}


@pytest.fixture
def run_chunking() -> str | None:
    """The chunking this test instance replays with, in parser regression mode (``chunkings=[...]``
    or ``--run-replay-chunking=all``); None otherwise."""
    return None


def _uses_cassette(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker(MARKER) is not None or "run_cassette" in request.fixturenames


@pytest.fixture(autouse=True)
def _run_harness(request: pytest.FixtureRequest, run_chunking: str | None) -> Iterator[RunCassette | None]:
    """Activates the test's cassette (marker, or the ``run_cassette`` fixture requested) and,
    under ``--run-block-network``, blocks sockets unless that cassette is recording."""
    settings = settings_of(request.config)
    with ExitStack() as stack:
        cassette: RunCassette | None = None
        if _uses_cassette(request):
            chunkings = marker_chunkings(request.node, settings)
            plan = plan_cassette(
                request.node,
                settings,
                request.getfixturevalue("run_cassette_config"),
                run_chunking,
                first_chunking=not chunkings or run_chunking == chunkings[0],
            )
            if plan.may_record:
                stack.enter_context(cassette_lock(plan.path))
            cassette = stack.enter_context(use_cassette(plan.path, **plan.options))
        recording = cassette is not None and not cassette.write_protected
        if settings.block_network and not recording:
            stack.enter_context(blocked_network(settings.allowed_hosts))
        yield cassette


@pytest.fixture
def run_cassette(_run_harness: RunCassette | None) -> RunCassette:
    """The test's active cassette: ``.exchanges``, ``.streams``, ``.events`` (decoded, per stream),
    ``.transcript`` (the whole conversation reconstructed)."""
    assert _run_harness is not None, "the run-harness plugin did not activate a cassette for this test"
    return _run_harness


@pytest.fixture
def run_snapshot(snapshot: SnapshotAssertion, pytestconfig: pytest.Config) -> SnapshotAssertion:
    """syrupy's ``snapshot`` storing run conversations as normalized, readable text:
    ``assert run_snapshot == run_cassette.transcript``."""
    masked = settings_of(pytestconfig).snapshot_timestamps == "mask"
    return snapshot.use_extension(MaskedTimestampsRunSnapshotExtension if masked else RunSnapshotExtension)
