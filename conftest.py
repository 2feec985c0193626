"""Suite-wide settings: hypothesis profiles, ``ci`` loaded when a CI variable is set.

No profile keeps an example database: a failure found in one run must not be replayed into unrelated
runs (or into a mutation run's next mutant); hypothesis prints the failing example instead.

``httpcore`` and ``httpcore2`` are imported here, before any test: httpx and httpx2 import them
lazily and keep their exception classes from the first request on. A pytester run in process
forgets the modules first imported inside it, so a later test's fresh ``httpcore`` raised errors
httpx no longer recognised (``httpcore.ConnectError`` instead of ``httpx.ConnectError``): a
failure that depended on which tests an xdist worker happened to run before.
"""

from __future__ import annotations

import os

import httpcore  # noqa: F401  (see above)
import httpcore2  # noqa: F401
from hypothesis import HealthCheck, settings

CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "TF_BUILD", "JENKINS_URL")

settings.register_profile("default", deadline=None, database=None)
settings.register_profile(
    "ci",
    deadline=None,
    database=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if any(os.environ.get(name) for name in CI_VARIABLES) else "default")
