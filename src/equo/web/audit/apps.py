from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "equo.web.audit"
    label = "audit"
    verbose_name = "Registro di audit"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from equo.web.audit import segnali
        from equo.web.audit.manutenzione import registra_funzione_sqlite

        connection_created.connect(registra_funzione_sqlite, dispatch_uid="equo_audit_sqlite")
        segnali.collega()
