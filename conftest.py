"""Suite-wide settings: hypothesis profiles (``--hypothesis-profile=ci`` runs more examples)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")
