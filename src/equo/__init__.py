"""Equo: open platform for Italian local welfare."""

__version__ = "0.1.0"
