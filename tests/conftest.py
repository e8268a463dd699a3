"""Shared test configuration.

In CI (``CI`` set) hypothesis draws its examples deterministically, so that a run is
reproducible and never fails by chance on one submission and not the next; locally it keeps
exploring new examples.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
