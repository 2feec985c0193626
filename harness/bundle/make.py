"""Putting a bug report together: the scrubbed cassette, tests that replay it, a README, the versions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from harness.bundle.expectations import Expectations, expectations_of
from harness.bundle.templates import (
    CASSETTE_NAME,
    GENERATED_TEST_NAME,
    PYTEST_INI,
    conftest,
    generated_test,
    readme,
)
from harness.bundle.versions import collect_versions
from harness.bundle.wheel import harness_wheel
from harness.bundle.writer import check_location, write_bundle
from harness.cassette.formats import native
from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette
from harness.errors import HarnessError, SecretLeakError
from harness.scrub import ScrubRules, cassette_secrets, scrubbed_cassette

_RESERVED_NAMES = frozenset(
    {CASSETTE_NAME, GENERATED_TEST_NAME, "conftest.py", "pytest.ini", "README.md", "versions.json"}
)


class BundleTestError(HarnessError):
    """The ``--test`` file cannot go into the bundle."""


@dataclass(frozen=True)
class BundleResult:
    output: Path
    files: list[str]
    expectations: Expectations
    versions: dict[str, str]


def make_bundle(
    source: str | Path,
    output: str | Path,
    *,
    test_file: str | Path | None = None,
    rules: ScrubRules | None = None,
) -> BundleResult:
    """Write a bug-report bundle for the cassette at ``source`` to ``output`` (a new directory, or a
    ``.zip``). Raises :class:`~harness.errors.CassetteError` for an unreadable cassette,
    :class:`~harness.errors.SecretLeakError` when secrets survive scrubbing (nothing is written),
    :class:`BundleTestError` for an unusable ``test_file`` and
    :class:`~harness.bundle.writer.BundleLocationError` for an unusable ``output``."""
    source, output = Path(source), Path(output)
    check_location(output)
    reported = _reported_test(Path(test_file)) if test_file is not None else None
    cassette = _scrubbed(load_cassette(source), source, rules)
    expected = expectations_of(cassette)
    versions = collect_versions()
    wheel = harness_wheel()
    files = {
        CASSETTE_NAME: native.dumps(cassette).encode("utf-8"),
        GENERATED_TEST_NAME: generated_test(expected, source.name).encode("utf-8"),
        "conftest.py": conftest().encode("utf-8"),
        "pytest.ini": PYTEST_INI.encode("utf-8"),
        "versions.json": (json.dumps(versions, indent=2) + "\n").encode("utf-8"),
        "README.md": readme(
            source_name=source.name,
            expected=expected,
            exchanges=len(cassette.exchanges),
            versions=versions,
            reported_test=reported[0] if reported else None,
            wheel=wheel[0] if wheel else None,
        ).encode("utf-8"),
    }
    if wheel is not None:
        files[wheel[0]] = wheel[1]
    if reported is not None:
        files[reported[0]] = reported[1]
    write_bundle(output, files)
    return BundleResult(output, sorted(files), expected, versions)


def _scrubbed(cassette: Cassette, source: Path, rules: ScrubRules | None) -> Cassette:
    rules = rules or ScrubRules()
    scrubbed = scrubbed_cassette(cassette, rules)
    left = cassette_secrets(scrubbed, rules.header_names())
    if left:
        listed = "; ".join(str(finding) for finding in left[:3])
        raise SecretLeakError(
            f"refusing to bundle {source}: {len(left)} secret(s) survive scrubbing: {listed}"
        )
    return Cassette(scrubbed.exchanges, "harness", scrubbed.metadata)


def _reported_test(path: Path) -> tuple[str, bytes]:
    if not path.is_file():
        raise BundleTestError(f"--test {path}: no such file")
    if path.suffix != ".py":
        raise BundleTestError(f"--test {path}: expected a Python test file (.py)")
    name = path.name if path.name.startswith("test_") else f"test_{path.name}"
    if name in _RESERVED_NAMES:
        name = f"test_reported_{path.name.removeprefix('test_')}"
    return name, path.read_bytes()
