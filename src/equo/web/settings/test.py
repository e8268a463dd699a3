"""Settings for the test suite (pytest-django) and for mypy's Django plugin.

They are ``base`` with ``EQUO_ENV=test``: production-like (DEBUG off, secure cookies, argon2,
django-axes on) with fixed test values. ``DATABASE_URL`` chooses the database, as in
production: SQLite in memory when unset, PostgreSQL with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/equo`` (pytest-django creates ``test_equo``).
"""

from __future__ import annotations

import os

os.environ["EQUO_ENV"] = "test"

from equo.web.settings.base import *  # noqa: F403  (the test settings are base's, in the test environment)
