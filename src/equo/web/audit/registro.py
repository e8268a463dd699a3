"""Writing audit rows: the helpers every action and every sensitive read calls.

Writes (in ``actions.py``, inside the action's transaction)::

    @transaction.atomic
    def do_modifica_persona(persona, dati, *, acting_user):
        prima = istantanea(persona)
        ...
        persona.save()
        registra_scrittura(acting_user, persona, prima=prima)

``registra_scrittura`` infers the event type (no ``prima``: creation; ``eliminato=True``:
deletion; otherwise a change, recorded only if some field changed) and stores, for each changed
field, ``{"prima": old, "dopo": new}``. Audit rows protect what they point at: an ente or a
user with a history cannot be deleted, only deactivated (``attivo``/``is_active``).

Sensitive reads (a cartella, an ISEE) call ``registra_lettura(acting_user, oggetto)`` where they
are served. The ente of the row is the object's ``ente`` (or the object itself, for an ``Ente``)
unless given. The client address comes from the request being served
(``ContestoAuditMiddleware``); the actor is always explicit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from typing import Any, Final

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.enti.models import Ente

__all__ = [
    "indirizzo_ip_corrente",
    "istantanea",
    "registra_evento",
    "registra_lettura",
    "registra_scrittura",
]

#: Field values never copied into the log: only the fact that they changed.
CAMPI_RISERVATI: Final = frozenset({"password"})
_MASCHERA: Final = "[riservato]"


class _Automatico:
    """Marker: take the ente from the object."""


AUTOMATICO: Final = _Automatico()

indirizzo_ip_corrente: ContextVar[str | None] = ContextVar("equo_audit_ip", default=None)


def _json(valore: Any) -> Any:
    """A JSON-safe copy of a field value (dates, decimals, UUIDs as DjangoJSONEncoder writes)."""
    if valore is None or isinstance(valore, bool | int | float | str):
        return valore
    if isinstance(valore, list | tuple):
        return [_json(v) for v in valore]
    if isinstance(valore, dict):
        return {str(k): _json(v) for k, v in valore.items()}
    return DjangoJSONEncoder().default(valore)


def istantanea(oggetto: models.Model, campi: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of an object's concrete fields, JSON-safe (foreign keys as ids)."""
    riservati = CAMPI_RISERVATI | frozenset(getattr(oggetto, "audit_campi_riservati", ()))
    scelti = set(campi) if campi is not None else None
    valori: dict[str, Any] = {}
    for campo in oggetto._meta.concrete_fields:
        if scelti is not None and campo.name not in scelti:
            continue
        valore = getattr(oggetto, campo.attname)
        valori[campo.name] = valore if campo.name in riservati else _json(valore)
    return valori


def _differenze(
    prima: Mapping[str, Any], dopo: Mapping[str, Any], riservati: frozenset[str]
) -> dict[str, dict[str, Any]]:
    modifiche: dict[str, dict[str, Any]] = {}
    for campo in sorted(set(prima) | set(dopo)):
        vecchio, nuovo = prima.get(campo), dopo.get(campo)
        if vecchio == nuovo:
            continue
        if campo in riservati:
            modifiche[campo] = {"prima": _MASCHERA, "dopo": _MASCHERA}
        else:
            modifiche[campo] = {"prima": vecchio, "dopo": nuovo}
    return modifiche


def _ente_di(oggetto: models.Model | None) -> Ente | None:
    if oggetto is None:
        return None
    if isinstance(oggetto, Ente):
        return oggetto
    ente_id = getattr(oggetto, "ente_id", None)
    if ente_id is None:
        return None
    return Ente(pk=ente_id)  # only the id is stored: no query


def _utente(acting_user: Any) -> Any:
    if acting_user is None or isinstance(acting_user, AnonymousUser):
        return None
    return acting_user


def registra_evento(
    acting_user: Any,
    tipo: TipoEvento,
    *,
    oggetto: models.Model | None = None,
    ente: Ente | _Automatico | None = AUTOMATICO,
    modifiche: Mapping[str, Any] | None = None,
    dettagli: Mapping[str, Any] | None = None,
    utente_nome: str | None = None,
) -> AuditEvent:
    """Write one audit row (the general form; prefer the two helpers below)."""
    utente = _utente(acting_user)
    ente_evento = _ente_di(oggetto) if isinstance(ente, _Automatico) else ente
    return AuditEvent.objects.create(
        tipo=tipo,
        utente=utente,
        utente_nome=utente_nome if utente_nome is not None else getattr(utente, "username", ""),
        ente=ente_evento,
        oggetto_tipo=oggetto._meta.label_lower if oggetto is not None else "",
        oggetto_id=str(oggetto.pk) if oggetto is not None and oggetto.pk is not None else "",
        oggetto_repr=str(oggetto)[:200] if oggetto is not None else "",
        modifiche=_json(dict(modifiche or {})),
        dettagli=_json(dict(dettagli or {})),
        indirizzo_ip=indirizzo_ip_corrente.get(),
    )


def registra_scrittura(
    acting_user: Any,
    oggetto: models.Model,
    *,
    prima: Mapping[str, Any] | None = None,
    eliminato: bool = False,
    ente: Ente | _Automatico | None = AUTOMATICO,
    dettagli: Mapping[str, Any] | None = None,
) -> AuditEvent | None:
    """Record a write of ``oggetto``, in the transaction of the write.

    ``prima`` is :func:`istantanea` taken before the change (``None`` for a creation). A change
    that left every field as it was writes nothing and returns ``None``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("registra_scrittura must run inside the transaction of the write")
    riservati = CAMPI_RISERVATI | frozenset(getattr(oggetto, "audit_campi_riservati", ()))
    if eliminato:
        if isinstance(oggetto, Ente) and isinstance(ente, _Automatico):
            # The row outlives the deleted ente: it belongs to the ente above it.
            ente = oggetto.superiore
        tipo = TipoEvento.ELIMINAZIONE
        modifiche = _differenze(prima or istantanea(oggetto), {}, riservati)
    elif prima is None:
        tipo = TipoEvento.CREAZIONE
        modifiche = _differenze({}, istantanea(oggetto), riservati)
    else:
        tipo = TipoEvento.MODIFICA
        modifiche = _differenze(prima, istantanea(oggetto, prima.keys()), riservati)
        if not modifiche:
            return None
    return registra_evento(
        acting_user, tipo, oggetto=oggetto, ente=ente, modifiche=modifiche, dettagli=dettagli
    )


def registra_lettura(
    acting_user: Any,
    oggetto: models.Model,
    *,
    ente: Ente | _Automatico | None = AUTOMATICO,
    dettagli: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record that ``acting_user`` was shown a sensitive record."""
    return registra_evento(
        acting_user, TipoEvento.LETTURA, oggetto=oggetto, ente=ente, dettagli=dettagli
    )
