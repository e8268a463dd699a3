"""Writes on the assessments and the équipe: the analisi preliminare with its dimensions (for the
nucleo and for each member), the members of the équipe, the quadro di analisi and each
member's own section of it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from equo.web.anagrafe.models import Membro, Persona
from equo.web.audit.registro import istantanea, registra_scrittura
from equo.web.cartella.models import (
    AnalisiPreliminare,
    Caso,
    ContributoQuadro,
    Dimensione,
    DimensioneAnalisi,
    Equipe,
    MembroEquipe,
    QuadroAnalisi,
)
from equo.web.cartella.permessi import membro_di

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente
from equo.web.cartella.actions._comuni import _aperto, _crea, _modifica, _solo_case_manager


def componenti_del_caso(caso: Caso) -> list[Persona]:
    """The people an analisi preliminare assesses one by one: the case's person, then the
    current members of the case's nucleo (anagrafe membership); only the person without a
    nucleo. Rows narrowed to a case the caller already authorised."""
    persone = [caso.persona]
    if caso.nucleo_id is not None:
        oggi = timezone.localdate()
        for membro in (
            Membro.objects.senza_scope()
            .filter(nucleo_id=caso.nucleo_id, dal__lte=oggi)
            .filter(Q(al__isnull=True) | Q(al__gte=oggi))
            .select_related("persona")
            .order_by("dal", "pk")
        ):
            if all(p.pk != membro.persona_id for p in persone):
                persone.append(membro.persona)
    return persone


def _righe_componenti(
    caso: Caso, componenti: Mapping[int, Mapping[str, tuple[str, str]]]
) -> dict[tuple[str, int | None], tuple[str, str]]:
    """The members' rows to keep: (dimension, person) → (level, resources); blank = not
    assessed; resources without a level are refused."""
    ammessi = {p.pk: p for p in componenti_del_caso(caso)}
    righe: dict[tuple[str, int | None], tuple[str, str]] = {}
    errori: list[str] = []
    for persona_id, valori in componenti.items():
        if persona_id not in ammessi:
            raise ValidationError(gettext("La persona indicata non è del nucleo del caso."))
        for dimensione, (livello, risorse) in valori.items():
            risorse = (risorse or "").strip()
            if livello:
                righe[(Dimensione(dimensione), persona_id)] = (livello, risorse)
            elif risorse:
                errori.append(
                    gettext("%(persona)s, %(dimensione)s: indica il livello di bisogno.")
                    % {"persona": ammessi[persona_id], "dimensione": Dimensione(dimensione).label}
                )
    if errori:
        raise ValidationError(errori)
    return righe


@transaction.atomic
def do_salva_analisi(
    caso: Caso,
    *,
    dati: Mapping[str, Any],
    dimensioni: Mapping[str, tuple[str, str]],
    acting_user: Utente,
    componenti: Mapping[int, Mapping[str, tuple[str, str]]] | None = None,
) -> AnalisiPreliminare:
    """Create or revise the analisi preliminare.

    ``dimensioni``: dimension → (livello, risorse) for the nucleo, every dimension required;
    ``componenti``: person id → dimension → (livello, risorse) for the members
    (:func:`componenti_del_caso`), optional (a blank level: not assessed). The rows are
    replaced as a whole: rows no longer given are deleted, each change audited."""
    _solo_case_manager(caso, acting_user)
    mancanti = [d.label for d in Dimensione if not dimensioni.get(d, ("", ""))[0]]
    if mancanti:
        raise ValidationError(
            gettext("Indica il livello di bisogno per: %(dimensioni)s.")
            % {"dimensioni": ", ".join(str(m) for m in mancanti)}
        )
    nuove: dict[tuple[str, int | None], tuple[str, str]] = {
        (Dimensione(d), None): (dimensioni[d][0], (dimensioni[d][1] or "").strip())
        for d in Dimensione
    }
    nuove.update(_righe_componenti(caso, componenti or {}))
    analisi = AnalisiPreliminare.objects.senza_scope().filter(caso_id=caso.pk).first()
    if analisi is None:
        analisi = _crea(
            AnalisiPreliminare(ente_id=caso.ente_id, caso=caso, compilata_da=acting_user, **dati),
            caso,
            acting_user,
        )
    else:
        analisi = _modifica(analisi, {**dati, "compilata_da": acting_user}, caso, acting_user)
    esistenti = {
        (riga.dimensione, riga.persona_id): riga
        for riga in DimensioneAnalisi.objects.senza_scope().filter(analisi_id=analisi.pk)
    }
    for chiave, vecchia in esistenti.items():
        if chiave not in nuove:
            registra_scrittura(  # before the delete, while the row still has its id
                acting_user,
                vecchia,
                prima=istantanea(vecchia),
                eliminato=True,
                dettagli={"caso": caso.pk},
            )
            vecchia.delete()
    for (dimensione, persona_id), (livello, risorse) in nuove.items():
        riga = esistenti.get((dimensione, persona_id))
        if riga is None:
            _crea(
                DimensioneAnalisi(
                    ente_id=caso.ente_id,
                    analisi=analisi,
                    dimensione=dimensione,
                    persona_id=persona_id,
                    livello=livello,
                    risorse=risorse,
                ),
                caso,
                acting_user,
            )
        else:
            _modifica(riga, {"livello": livello, "risorse": risorse}, caso, acting_user)
    return analisi


@transaction.atomic
def do_aggiungi_membro_equipe(
    caso: Caso, *, dati: Mapping[str, Any], acting_user: Utente
) -> MembroEquipe:
    """Add a member to the case's équipe (created with its first member)."""
    _solo_case_manager(caso, acting_user)
    equipe = Equipe.objects.senza_scope().filter(caso_id=caso.pk).first()
    if equipe is None:
        equipe = _crea(Equipe(ente_id=caso.ente_id, caso=caso), caso, acting_user)
    return _crea(MembroEquipe(ente_id=caso.ente_id, equipe=equipe, **dati), caso, acting_user)


@transaction.atomic
def do_salva_quadro(caso: Caso, *, dati: Mapping[str, Any], acting_user: Utente) -> QuadroAnalisi:
    """Start, update or conclude the quadro di analisi (the case manager's synthesis)."""
    _solo_case_manager(caso, acting_user)
    if not Equipe.objects.senza_scope().filter(caso_id=caso.pk, membri__isnull=False).exists():
        raise ValidationError(gettext("Prima costituisci l'équipe (almeno un membro)."))
    quadro = QuadroAnalisi.objects.senza_scope().filter(caso_id=caso.pk).first()
    if quadro is None:
        return _crea(QuadroAnalisi(ente_id=caso.ente_id, caso=caso, **dati), caso, acting_user)
    return _modifica(quadro, dati, caso, acting_user)


@transaction.atomic
def do_salva_contributo(caso: Caso, *, testo: str, acting_user: Utente) -> ContributoQuadro:
    """The équipe member ``acting_user`` writes (or rewrites) their own section of the quadro."""
    _aperto(caso)
    membro = membro_di(acting_user, caso)
    if membro is None:
        raise ValidationError(gettext("Solo i membri dell'équipe scrivono un contributo."))
    quadro = QuadroAnalisi.objects.senza_scope().filter(caso_id=caso.pk).first()
    if quadro is None:
        raise ValidationError(gettext("Il quadro di analisi non è ancora stato avviato."))
    if quadro.concluso_il is not None:
        raise ValidationError(gettext("Il quadro di analisi è concluso."))
    esistente = (
        ContributoQuadro.objects.senza_scope().filter(quadro_id=quadro.pk, membro=membro).first()
    )
    if esistente is None:
        return _crea(
            ContributoQuadro(ente_id=caso.ente_id, quadro=quadro, membro=membro, testo=testo),
            caso,
            acting_user,
        )
    return _modifica(
        esistente, {"testo": testo, "aggiornato_il": timezone.now()}, caso, acting_user
    )
