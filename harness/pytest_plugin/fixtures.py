"""The fixtures: ``run_cassette_config``, ``run_chunking``, ``run_cassette``, ``run_snapshot``.

Playback, syrupy and the snapshot extension are imported inside the fixtures, so a session
that uses no cassette never imports them. ``_run_harness`` is not autouse: the plugin adds it
to the tests that carry the marker or request ``run_cassette`` (and to every test under
``--run-block-network``), see :func:`harness.pytest_plugin.pytest_collection_modifyitems`.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from harness.http.guard import LOOPBACK, blocked_network
from harness.options import offline_reason
from harness.pytest_plugin.locking import cassette_lock
from harness.pytest_plugin.plan import MARKER, CassettePlan, marker_chunkings, marker_options, plan_cassette
from harness.pytest_plugin.settings import offline_in_ci, settings_of

if TYPE_CHECKING:
    from syrupy.assertion import SnapshotAssertion

    from harness.playback.cassette import RunCassette

HARNESS_FIXTURE = "_run_harness"
CALL_FAILED = pytest.StashKey[bool]()


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


def uses_cassette(item: pytest.Item) -> bool:
    return item.get_closest_marker(MARKER) is not None or "run_cassette" in getattr(item, "fixturenames", ())


@pytest.fixture
def _run_harness(request: pytest.FixtureRequest, run_chunking: str | None) -> Iterator[RunCassette | None]:
    """Activates the test's cassette (marker, or the ``run_cassette`` fixture requested) and
    blocks sockets: under ``--run-block-network`` unless that cassette is recording, and with a
    CI variable set unless the command line asks for recording (loopback stays open)."""
    settings = settings_of(request.config)
    with ExitStack() as stack:
        cassette: RunCassette | None = None
        if uses_cassette(request.node):
            from harness.playback.context import use_cassette

            if offline_in_ci(settings):
                allowed = (LOOPBACK, *settings.allowed_hosts)
                stack.enter_context(blocked_network(allowed, offline_reason(request.node.nodeid)))
            from_marker = marker_options(request.node)  # merged once, for both
            chunkings = marker_chunkings(request.node, settings, from_marker)
            first_chunking = not chunkings or run_chunking == chunkings[0]
            plan = plan_cassette(
                request.node,
                settings,
                request.getfixturevalue("run_cassette_config"),
                run_chunking,
                first_chunking=first_chunking,
                from_marker=from_marker,
            )
            if first_chunking:  # once per test, not once per chunking
                _warn_if_legacy_name(request.node, plan)
            if plan.may_record:
                stack.enter_context(cassette_lock(plan.path))
                _warn_if_recording_unasked(request.node, plan.path)
            cassette = stack.enter_context(use_cassette(plan.path, **plan.options))
            stack.callback(_note_outcome, cassette, request.node)
        recording = cassette is not None and not cassette.write_protected
        if settings.block_network and not recording:
            stack.enter_context(blocked_network(settings.allowed_hosts))
        yield cassette


class RecordingWithoutMarkerWarning(UserWarning):
    """A test without the marker records a new cassette because it (or a fixture it uses) requested
    ``run_cassette``."""


def _warn_if_recording_unasked(item: pytest.Item, path: Path) -> None:
    if item.get_closest_marker(MARKER) is None and not path.exists():
        warnings.warn(
            RecordingWithoutMarkerWarning(
                f"{item.nodeid} has no @pytest.mark.{MARKER} but requests the run_cassette fixture (itself "
                f"or through one of its fixtures), so the harness turned recording on: its HTTP exchanges "
                f"go to {path}. Mark the test to say so, or stop requesting run_cassette where no cassette "
                "is wanted."
            ),
            stacklevel=1,
        )


class LegacyCassetteNameWarning(UserWarning):
    """A test replays the cassette recorded under the name the harness gave it before test ids
    kept a leading ``-`` (``test_x[-1]`` and ``test_x[1]`` shared ``test_x[1].json``)."""


def _warn_if_legacy_name(item: pytest.Item, plan: CassettePlan) -> None:
    if plan.own_path is None:
        return
    warnings.warn(
        LegacyCassetteNameWarning(
            f"{item.nodeid} replays {plan.path}, recorded under its old name, because its own cassette "
            f"{plan.own_path} does not exist (names now keep a leading '-' of a test id, so test_x[-1] "
            f"and test_x[1] no longer share one); give it its own cassette: pytest '{item.nodeid}' "
            f"--run-record-mode=all records {plan.own_path.name} and leaves {plan.path.name} as it is."
        ),
        stacklevel=1,
    )


def _note_outcome(cassette: RunCassette, item: pytest.Item) -> None:
    cassette.test_failed = item.stash.get(CALL_FAILED, False)


@pytest.fixture
def run_cassette(_run_harness: RunCassette | None) -> RunCassette:
    """The test's active cassette: ``.exchanges``, ``.streams``, ``.events`` (decoded, per stream),
    ``.transcript`` (the whole conversation reconstructed), ``.transport()`` (to inject)."""
    assert _run_harness is not None, "the run-harness plugin did not activate a cassette for this test"
    return _run_harness


@pytest.fixture
def run_snapshot(snapshot: SnapshotAssertion, pytestconfig: pytest.Config) -> SnapshotAssertion:
    """syrupy's ``snapshot`` storing run conversations as normalized, readable text:
    ``assert run_snapshot == run_cassette.transcript``."""
    from harness.snapshot import MaskedTimestampsRunSnapshotExtension, RunSnapshotExtension

    masked = settings_of(pytestconfig).snapshot_timestamps == "mask"
    return snapshot.use_extension(MaskedTimestampsRunSnapshotExtension if masked else RunSnapshotExtension)
