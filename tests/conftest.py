"""Shared test configuration: hypothesis profiles.

The built-in ``ci`` profile (derandomized, no deadline, more examples) loads when ``CI`` is
set; we register ``vzdetain-ci`` on top of it so CI stays deterministic, and a quicker
``dev`` profile for local runs. ``HYPOTHESIS_PROFILE`` picks a profile explicitly.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "vzdetain-ci",
    parent=settings.get_profile("ci"),
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_profile = os.environ.get("HYPOTHESIS_PROFILE") or (
    "vzdetain-ci" if os.environ.get("CI") else "dev"
)
settings.load_profile(_profile)
