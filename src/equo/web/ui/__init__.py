"""Base template (Bootstrap Italia), home dashboard, health endpoint, error pages, request log."""
