"""Test ids starting with ``-``: ``test_x[-1]`` and ``test_x[1]`` each get their own cassette and
snapshot, and a test whose cassette was recorded under the old, shared name replays it with a
warning until it is recorded again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugin.conftest import cassettes, hits

SIGNED_TESTS = """
import pytest

@pytest.mark.run_cassette{chunkings}
@pytest.mark.parametrize("n", [-1, 1])
def test_x(converse, run_cassette, run_snapshot, n):
    converse()
    assert run_snapshot == run_cassette.transcript
"""
NEGATIVE = Path("cassettes", "test_signed", "test_x[-1].json")
POSITIVE = Path("cassettes", "test_signed", "test_x[1].json")
WARNING = "LegacyCassetteNameWarning"


def _glob(path: Path) -> str:
    """``path`` as an fnmatch pattern (its brackets are no character class)."""
    return str(path).replace("[", "?").replace("]", "?")


def _signed(project: pytest.Pytester, chunkings: str = "") -> None:
    project.makepyfile(test_signed=SIGNED_TESTS.format(chunkings=chunkings))


def _runs_recorded(project: pytest.Pytester) -> int:
    return len([line for line in hits(project) if line.endswith("/runs")])


@pytest.mark.parametrize("chunkings", ["", '(chunkings=["recorded", "byte"])'])
def test_negative_and_positive_ids_get_their_own_cassette_and_snapshot(
    project: pytest.Pytester, chunkings: str
) -> None:
    _signed(project, chunkings)

    project.runpytest("--snapshot-update").assert_outcomes(passed=4 if chunkings else 2)

    assert cassettes(project) == [str(NEGATIVE), str(POSITIVE)]
    assert _runs_recorded(project) == 2
    snapshots = (project.path / "__snapshots__" / "test_signed.runs").read_text()
    assert snapshots.count("# name: ") == 2
    assert "# name: test_x[-1]\n" in snapshots and "# name: test_x[1]\n" in snapshots
    replay = project.runpytest("--run-record-mode=none")
    replay.assert_outcomes(passed=4 if chunkings else 2)
    assert WARNING not in replay.stdout.str()


def _with_legacy_cassette_only(project: pytest.Pytester, chunkings: str = "") -> None:
    """A suite recorded by the earlier harness: one cassette, ``test_x[1].json``, for both tests."""
    _signed(project, chunkings)
    project.runpytest("--snapshot-update").assert_outcomes(passed=4 if chunkings else 2)
    (project.path / NEGATIVE).unlink()
    hits(project)


@pytest.mark.parametrize("mode", ["none", "once"])
def test_a_test_whose_name_changed_replays_the_legacy_cassette_and_warns_once(
    project: pytest.Pytester, mode: str
) -> None:
    _with_legacy_cassette_only(project, '(chunkings=["recorded", "byte"])')

    result = project.runpytest(f"--run-record-mode={mode}", "-W", "always::UserWarning")

    result.assert_outcomes(passed=4)
    assert _runs_recorded(project) == 0
    assert cassettes(project) == [str(POSITIVE)]  # nothing recorded under the new name
    output = result.stdout.str()
    assert output.count(f"{WARNING}: ") == 1  # once per test, not once per chunking
    result.stdout.fnmatch_lines(
        [
            f"*{WARNING}: test_signed.py::test_x?chunking=recorded--1? replays *{_glob(POSITIVE)}, recorded"
            f" under its old name, because its own cassette *{_glob(NEGATIVE)} does not exist*"
            f"--run-record-mode=all records test_x?-1?.json and leaves test_x?1?.json as it is."
        ]
    )


def test_recording_again_gives_the_test_its_own_cassette(project: pytest.Pytester) -> None:
    _with_legacy_cassette_only(project)
    before = (project.path / POSITIVE).read_bytes()

    result = project.runpytest("test_signed.py::test_x[-1]", "--run-record-mode=all")

    result.assert_outcomes(passed=1)
    assert WARNING not in result.stdout.str()
    assert _runs_recorded(project) == 1
    assert cassettes(project) == [str(NEGATIVE), str(POSITIVE)]
    assert (project.path / POSITIVE).read_bytes() == before  # the other test's cassette is left alone
    replay = project.runpytest("--run-record-mode=none")
    replay.assert_outcomes(passed=2)
    assert WARNING not in replay.stdout.str()


def test_new_episodes_records_under_the_new_name_instead_of_adding_to_the_legacy_cassette(
    project: pytest.Pytester,
) -> None:
    _with_legacy_cassette_only(project)
    before = (project.path / POSITIVE).read_bytes()

    project.runpytest("--run-record-mode=new_episodes").assert_outcomes(passed=2)

    assert cassettes(project) == [str(NEGATIVE), str(POSITIVE)]
    assert (project.path / POSITIVE).read_bytes() == before


def test_a_snapshot_of_the_old_shared_name_fails_loudly_until_updated(project: pytest.Pytester) -> None:
    """syrupy cannot fall back to another name: the test whose name changed finds no snapshot and
    fails (never passes against the other test's one); ``--snapshot-update`` writes its own."""
    _signed(project)
    project.runpytest("--snapshot-update").assert_outcomes(passed=2)
    snapshots = project.path / "__snapshots__" / "test_signed.runs"
    blocks = snapshots.read_text().split("# name: ")
    snapshots.write_text("# name: ".join(block for block in blocks if not block.startswith("test_x[-1]")))

    missing = project.runpytest("--run-record-mode=none")

    missing.assert_outcomes(passed=1, failed=1)
    missing.stdout.fnmatch_lines(["*FAILED test_signed.py::test_x?-1?*"])
    project.runpytest("--run-record-mode=none", "--snapshot-update").assert_outcomes(passed=2)
    assert "# name: test_x[-1]\n" in snapshots.read_text()
    project.runpytest("--run-record-mode=none").assert_outcomes(passed=2)
