"""Writes on enti and incarichi: each one atomic, with its audit row in the same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from equo.web.audit.registro import istantanea, registra_scrittura
from equo.web.enti.models import Ente, Incarico, Ruolo, TipoEnte

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente

__all__ = ["do_assegna_incarico", "do_crea_ente", "do_revoca_incarico"]


@transaction.atomic
def do_crea_ente(
    *,
    tipo: TipoEnte,
    nome: str,
    codice_ipa: str,
    codice_istat: str | None = None,
    codice_catastale: str = "",
    superiore: Ente | None = None,
    acting_user: Utente | None,
) -> Ente:
    ente = Ente(
        tipo=tipo,
        nome=nome,
        codice_ipa=codice_ipa,
        codice_istat=codice_istat,
        codice_catastale=codice_catastale,
        superiore=superiore,
    )
    ente.full_clean()
    ente.save()
    registra_scrittura(acting_user, ente)
    return ente


@transaction.atomic
def do_assegna_incarico(
    utente: Utente, ente: Ente, ruolo: Ruolo, *, acting_user: Utente | None
) -> Incarico:
    """Give ``utente`` the role ``ruolo`` in ``ente`` (reactivating a revoked incarico)."""
    incarico = Incarico.objects.filter(utente=utente, ente=ente, ruolo=ruolo).first()
    if incarico is None:
        incarico = Incarico.objects.create(utente=utente, ente=ente, ruolo=ruolo)
        registra_scrittura(acting_user, incarico)
    elif not incarico.attivo:
        prima = istantanea(incarico)
        incarico.attivo = True
        incarico.save(update_fields=["attivo"])
        registra_scrittura(acting_user, incarico, prima=prima)
    return incarico


@transaction.atomic
def do_revoca_incarico(incarico: Incarico, *, acting_user: Utente | None) -> None:
    """Revoke an incarico (kept, inactive, so the audit log still points at it)."""
    if not incarico.attivo:
        return
    prima = istantanea(incarico)
    incarico.attivo = False
    incarico.save(update_fields=["attivo"])
    registra_scrittura(acting_user, incarico, prima=prima)
