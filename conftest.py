"""Suite-wide settings: hypothesis profiles, ``ci`` loaded when a CI variable is set.

No profile keeps an example database: a failure found in one run must not be replayed into unrelated
runs (or into a mutation run's next mutant); hypothesis prints the failing example instead.
"""

from __future__ import annotations

import os

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
