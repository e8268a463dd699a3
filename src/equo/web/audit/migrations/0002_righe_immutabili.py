"""Database triggers that refuse UPDATE and DELETE on the audit table (SQLite and PostgreSQL).

The application already refuses (``AuditEvent.save``/``delete``, the queryset); these make the
database refuse too, whatever the client. The one exception is equo.web.audit.manutenzione.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

MESSAGGIO = "audit_auditevent: le righe di audit non si modificano e non si cancellano"

SQLITE_AVANTI = [
    f"""
    CREATE TRIGGER audit_auditevent_no_{operazione.lower()}
    BEFORE {operazione} ON audit_auditevent
    WHEN equo_audit_manutenzione() = 0
    BEGIN SELECT RAISE(ABORT, '{MESSAGGIO}'); END
    """
    for operazione in ("UPDATE", "DELETE")
]
SQLITE_INDIETRO = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]

POSTGRES_AVANTI = [
    f"""
    CREATE OR REPLACE FUNCTION equo_audit_immutabile() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('equo.audit_manutenzione', true) IS DISTINCT FROM 'on' THEN
            RAISE EXCEPTION '{MESSAGGIO}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_immutabile
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION equo_audit_immutabile()
    """,
]
POSTGRES_INDIETRO = [
    "DROP TRIGGER IF EXISTS audit_auditevent_immutabile ON audit_auditevent",
    "DROP FUNCTION IF EXISTS equo_audit_immutabile()",
]

PER_DATABASE = {
    "sqlite": (SQLITE_AVANTI, SQLITE_INDIETRO),
    "postgresql": (POSTGRES_AVANTI, POSTGRES_INDIETRO),
}


def _esegui(schema_editor: Any, indice: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in PER_DATABASE:
        raise RuntimeError(f"Equo supports SQLite and PostgreSQL, not {vendor}")
    for istruzione in PER_DATABASE[vendor][indice]:
        schema_editor.execute(istruzione)


def avanti(apps: Any, schema_editor: Any) -> None:
    _esegui(schema_editor, 0)


def indietro(apps: Any, schema_editor: Any) -> None:
    _esegui(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(avanti, indietro, elidable=False)]
