"""Shared test setup: hypothesis profiles and plugin isolation.

Profiles: ``ci`` (derandomised, bounded; the default) and ``dev`` (more
examples, for local runs). Choose with HYPOTHESIS_PROFILE=dev.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Only the project's own schemes load under the tests, whatever else is installed here.
os.environ.setdefault("RECIPROCITY_LOAD_PLUGINS", "kent_rp,kent_krs,cambridgeshire")
