"""Settings of the web platform.

``base`` is the one environment-driven settings module (``EQUO_ENV`` = ``development``,
``production`` or ``test``; unset means production, the safe default); ``test`` forces the test
environment for pytest and mypy; ``env`` holds the typed helpers that read the environment and
fail loudly on a missing or malformed value.
"""
