"""The web platform: a Django project that is one client of the Equo library.

The library (``equo.isee``, ``equo.regolamenti``, ...) knows nothing of Django; everything that
needs a request, a user or a database lives under this package. Apps:

- ``ui``: base template (Bootstrap Italia), home dashboard, health endpoint, error pages;
- ``accounts``: the user model, login (password, then an optional TOTP step), external identities
  for SPID/CIE;
- ``enti``: enti, roles per ente (incarichi) and the one tenant-scoping mechanism;
- ``audit``: the append-only audit log and the auditors' search and export;
- ``api``: the REST API (django-ninja), mounted at ``/api/``.

Design notes: ``docs/web/architettura.md``.
"""
