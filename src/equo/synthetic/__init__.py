"""Synthetic people for demos, tests and benchmarks: never real personal data."""
