"""Reproducible bug reports (``harness bundle``): a scrubbed cassette, tests that replay it offline,
a README with the commands to run them, and the versions they were made with."""

from harness.bundle.make import BundleResult, BundleTestError, make_bundle
from harness.bundle.versions import collect_versions
from harness.bundle.writer import BundleLocationError

__all__ = ["BundleLocationError", "BundleResult", "BundleTestError", "collect_versions", "make_bundle"]
