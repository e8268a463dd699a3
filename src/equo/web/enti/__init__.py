"""Enti (Regione, Ambito/Unione, Comune), roles per ente, and the tenant-scoping mechanism."""
