"""A bundle reproduces in a fresh virtual environment as its README says: the harness installed
from the wheel the bundle carries (its dependencies from the package index), then ``pytest``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.bundle import make_bundle

REPORTED_TEST = Path(__file__).with_name("reported_bug.py")
INSTALL_TIMEOUT = 240


@pytest.mark.slow
def test_the_bundle_reproduces_in_a_fresh_virtual_environment(report_cassette: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    make_bundle(report_cassette, bundle, test_file=REPORTED_TEST)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    (wheel,) = bundle.glob("*.whl")
    try:
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
            check=True,
            capture_output=True,
            timeout=INSTALL_TIMEOUT,
        )
    except subprocess.CalledProcessError as error:
        pytest.fail(f"pip install of the bundle's wheel failed: {error.stderr.decode()[-2000:]}")
    except subprocess.TimeoutExpired:
        pytest.fail(f"pip install of the bundle's wheel took more than {INSTALL_TIMEOUT}s")

    done = subprocess.run(
        [str(python), "-m", "pytest", "-v", "-p", "no:cacheprovider"],
        cwd=bundle,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 1, done.stdout
    assert "test_replay.py::test_replayed_streams_are_reconstructed_as_recorded PASSED" in done.stdout
    assert "test_reported_bug.py::test_partial_text_survives_an_error_event FAILED" in done.stdout
    assert "AssertionError: the streamed text vanished at the error event" in done.stdout
