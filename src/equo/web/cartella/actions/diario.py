"""Writes on the diario sociale: an entry with its attachments, files and rows written
together or not at all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from equo.web.cartella import allegati as allegati_file
from equo.web.cartella.models import AllegatoDiario, Caso, VoceDiario
from equo.web.cartella.models.diario import massimo_allegati_per_voce

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente
from equo.web.cartella.actions._comuni import _crea, _solo_case_manager


def do_scrivi_voce_diario(
    caso: Caso, *, dati: Mapping[str, Any], acting_user: Utente, allegati: Sequence[Any] = ()
) -> VoceDiario:
    """Write a diario entry with its attachments (checked again here: type, size).

    Each file is written after its row, inside the transaction; if anything fails before the
    commit the files already written are removed, so neither a row without its file nor a file
    without its row is left behind. (Called inside an enclosing transaction that later rolls
    back, a file would stay on disk unreachable: the views call it outside any transaction.)"""
    limite = massimo_allegati_per_voce()
    if len(allegati) > limite:
        raise ValidationError(
            {"allegato": gettext("Al massimo %(n)s allegati per voce.") % {"n": limite}}
        )
    scritti: list[Path] = []
    try:
        with transaction.atomic():
            _solo_case_manager(caso, acting_user)
            voce = _crea(
                VoceDiario(ente_id=caso.ente_id, caso=caso, autore=acting_user, **dati),
                caso,
                acting_user,
            )
            for file in allegati:
                _allega(voce, file, caso, acting_user, scritti)
    except BaseException:
        _rimuovi(scritti)
        raise
    return voce


def _allega(
    voce: VoceDiario, file: Any, caso: Caso, acting_user: Utente, scritti: list[Path]
) -> AllegatoDiario:
    estensione, tipo_mime = allegati_file.verifica(file)
    nome = Path(file.name).name[-255:]
    riga = _crea(
        AllegatoDiario(
            ente_id=caso.ente_id,
            voce=voce,
            nome_originale=nome,
            tipo_mime=tipo_mime,
            dimensione=file.size,
            nome_archivio=allegati_file.nuovo_nome(estensione),
            caricato_da=acting_user,
        ),
        caso,
        acting_user,
    )
    scritti.append(allegati_file.percorso(riga.nome_archivio))
    allegati_file.scrivi(file, riga.nome_archivio)
    return riga


def _rimuovi(percorsi: list[Path]) -> None:
    for percorso in percorsi:
        percorso.unlink(missing_ok=True)
