"""The audit log: one append-only table of every write and every read of sensitive data."""
