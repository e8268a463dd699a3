"""The case pages: I miei casi (the user's cases with their next deadlines), the case itself
with the sections the user may read (audited), the workflow transitions and the audit trail
for the auditor, with the auditor's list of cases (metadata only) leading to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equo.web.audit.models import AuditEvent
from equo.web.audit.registro import registra_lettura
from equo.web.cartella import actions
from equo.web.cartella.flusso import (
    TRANSIZIONI,
    Attore,
    TransizioneNonAmmessaError,
    errori_guardie,
    progetto_corrente,
)
from equo.web.cartella.flusso import transizione as regola_transizione
from equo.web.cartella.forms import MotivoForm
from equo.web.cartella.models import (
    AnalisiPreliminare,
    Caso,
    Chiusura,
    Erogazione,
    ImpegnoProgetto,
    Intervento,
    MembroEquipe,
    NotaMonitoraggio,
    Obiettivo,
    Progetto,
    QuadroAnalisi,
    ResponsabileProgetto,
    StatoCaso,
    StatoProgetto,
    TransizioneCaso,
    VoceDiario,
)
from equo.web.cartella.permessi import (
    PermessiCaso,
    Sezione,
    access_caso_for_user,
    permessi_caso,
)
from equo.web.cartella.views._comuni import _al_caso, _inviato, _modulo, _salva, _solo_se
from equo.web.enti.models import Incarico, Ruolo
from equo.web.ui.http import utente_di

#: Cases per page of the auditor's list.
PER_PAGINA = 50


@require_GET
def miei_casi(request: HttpRequest) -> HttpResponse:
    """The user's cases (as case manager or équipe member) with their next deadlines."""
    utente = utente_di(request)
    oggi = timezone.localdate()
    attivi = ~Q(progetti__stato=StatoProgetto.SUPERATO)
    # The same rules as the case page: a case manager still holding assistente sociale in the
    # case's ente (or above it), an active équipe member with an active incarico somewhere.
    propri = set(
        Caso.objects.per_utente(utente, ruoli={Ruolo.ASSISTENTE_SOCIALE})
        .filter(case_manager=utente)
        .values_list("pk", flat=True)
    )
    filtro = Q(pk__in=propri)
    if Incarico.objects.filter(utente=utente, attivo=True, ente__attivo=True).exists():
        filtro |= Q(
            pk__in=MembroEquipe.objects.senza_scope()  # narrowed to the user's memberships
            .filter(utente=utente, attivo=True)
            .values("equipe__caso_id")
        )
    casi = list(
        Caso.objects.per_utente_o_equipe(utente)
        .filter(filtro)
        .exclude(stato=StatoCaso.CHIUSO)
        .select_related("persona", "case_manager")
        .annotate(
            verifica=Min("progetti__prossima_verifica", filter=attivi),
            scadenza=Min(
                "progetti__obiettivi__scadenza",
                filter=attivi & Q(progetti__obiettivi__esito_finale=""),
            ),
        )
        .order_by("aperto_il", "pk")
    )
    righe = []
    for caso in casi:
        date = [d for d in (caso.verifica, caso.scadenza) if d is not None]
        prossima: dt.date | None = min(date) if date else None
        righe.append(
            {
                "caso": caso,
                "prossima": prossima,
                "scaduta": prossima is not None and prossima < oggi,
                "ruolo": _("case manager") if caso.pk in propri else _("équipe"),
            }
        )
    righe.sort(key=lambda r: (r["prossima"] is None, r["prossima"] or oggi))
    da_approvare = list(
        Progetto.objects.per_utente(utente, ruoli={Ruolo.RESPONSABILE_SERVIZIO})
        # Drafts of open cases that need the responsabile's approval (the others come into
        # force with the case manager's activation).
        .filter(stato=StatoProgetto.BOZZA, caso__approvazione_richiesta=True)
        .exclude(caso__stato=StatoCaso.CHIUSO)
        .select_related("caso__persona")
        .order_by("creato_il")[:20]
    )
    return render(
        request,
        "cartella/miei_casi.html",
        {
            "righe": righe,
            "da_approvare": da_approvare,
            "puo_registrare": utente.has_perm("cartella.accessi"),
        },
    )


def _transizioni_possibili(permessi: PermessiCaso, caso: Caso) -> list[dict[str, Any]]:
    attori = set()
    if permessi.case_manager:
        attori.add(Attore.CASE_MANAGER)
    if permessi.responsabile:
        attori.add(Attore.RESPONSABILE)
    return [
        {"regola": regola, "verso": regola.a, "errori": errori_guardie(regola, caso)}
        for regola in TRANSIZIONI
        if regola.da == caso.stato and attori & regola.chi
    ]


@require_GET
def caso(request: HttpRequest, pk: int) -> HttpResponse:
    """The case, showing only the sections the user may read (one audit row per view)."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.CASO)
    permessi = permessi_caso(utente, trovato)  # computed once by access_caso_for_user
    sezioni = permessi.sezioni
    contesto: dict[str, Any] = {
        "caso": trovato,
        "sezioni": {s.value: s in sezioni for s in Sezione},
        "case_manager": permessi.case_manager,
        "responsabile": permessi.responsabile,
        "membro": permessi.membro,
        "transizioni": TransizioneCaso.objects.per_utente_o_equipe(utente)
        .filter(caso=trovato)
        .select_related("utente"),
        "possibili": _transizioni_possibili(permessi, trovato),
    }
    if Sezione.ANALISI in sezioni:
        contesto["analisi"] = (
            AnalisiPreliminare.objects.per_utente_o_equipe(utente).filter(caso=trovato).first()
        )
    if Sezione.QUADRO in sezioni:
        contesto["membri"] = list(
            MembroEquipe.objects.per_utente_o_equipe(utente)
            .filter(equipe__caso=trovato)
            .select_related("utente")
        )
        contesto["quadro"] = (
            QuadroAnalisi.objects.per_utente_o_equipe(utente).filter(caso=trovato).first()
        )
    if Sezione.PROGETTO in sezioni:
        progetto = progetto_corrente(trovato)
        contesto["progetto"] = progetto
        contesto["versioni"] = list(
            Progetto.objects.per_utente_o_equipe(utente).filter(caso=trovato)
        )
        if progetto is not None:
            contesto["obiettivi"] = list(
                Obiettivo.objects.per_utente_o_equipe(utente)
                .filter(progetto=progetto)
                .select_related("persona")
            )
            contesto["interventi"] = list(
                Intervento.objects.per_utente_o_equipe(utente).filter(progetto=progetto)
            )
            contesto["impegni"] = list(
                ImpegnoProgetto.objects.per_utente_o_equipe(utente)
                .filter(progetto=progetto)
                .select_related("persona")
            )
            contesto["responsabili_progetto"] = list(
                ResponsabileProgetto.objects.per_utente_o_equipe(utente)
                .filter(progetto=progetto)
                .select_related("utente")
            )
            note: dict[int, list[NotaMonitoraggio]] = {}
            for nota in (
                NotaMonitoraggio.objects.per_utente_o_equipe(utente)
                .filter(obiettivo__progetto=progetto)
                .select_related("autore")
            ):
                note.setdefault(nota.obiettivo_id, []).append(nota)
            for obiettivo in contesto["obiettivi"]:
                obiettivo.note = note.get(obiettivo.pk, [])
            contesto["monitoraggio_aperto"] = trovato.stato in {
                StatoCaso.PROGETTO_ATTIVO,
                StatoCaso.IN_MONITORAGGIO,
            }
    if Sezione.EROGAZIONI in sezioni:
        contesto["erogazioni"] = list(
            Erogazione.objects.per_utente_o_equipe(utente)
            .filter(intervento__progetto__caso=trovato)
            .select_related("intervento")
        )
    if Sezione.DIARIO in sezioni:
        voci = VoceDiario.objects.per_utente_o_equipe(utente).filter(caso=trovato)
        if Sezione.DIARIO_RISERVATO not in sezioni:
            voci = voci.filter(riservata=False)
        contesto["diario"] = list(voci.select_related("autore"))
    if Sezione.CHIUSURA in sezioni:
        contesto["chiusure"] = list(
            Chiusura.objects.per_utente_o_equipe(utente).filter(caso=trovato)
        )
    registra_lettura(utente, trovato, dettagli={"caso": trovato.pk})
    return render(request, "cartella/caso.html", contesto)


@require_http_methods(["GET", "POST"])
def transizione(request: HttpRequest, pk: int, verso: str) -> HttpResponse:
    """One step of the workflow table. A step the table does not have is refused with its
    message (nothing changes); the closure goes through its own page (final evaluation);
    leaving ``chiuso`` is the riapertura, with its reason."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.CASO)
    if verso not in StatoCaso.values:
        raise Http404(_("Non trovato."))
    permessi = permessi_caso(utente, trovato)
    _solo_se(permessi.case_manager or permessi.responsabile)
    try:
        regola = regola_transizione(trovato.stato, verso)
    except TransizioneNonAmmessaError as errore:
        for messaggio in errore.messages:
            messages.error(request, messaggio)
        return redirect(_al_caso(trovato))
    if regola.a == StatoCaso.CHIUSO:
        return redirect("cartella:chiusura", pk=trovato.pk)
    form = MotivoForm(_inviato(request))

    def esegui() -> None:
        motivo = form.cleaned_data["motivo"]
        if regola.da == StatoCaso.CHIUSO:
            actions.do_riapri_caso(trovato, motivo=motivo, acting_user=utente)
        else:
            actions.do_transizione_caso(trovato, verso, acting_user=utente, motivo=motivo)

    fatto = _salva(
        request,
        form,
        esegui,
        _("Il caso è ora «%(stato)s».") % {"stato": StatoCaso(verso).label},
        _al_caso(trovato),
    )
    if fatto is not None:
        return fatto
    titolo = _("Da «%(da)s» a «%(a)s»") % {
        "da": StatoCaso(trovato.stato).label,
        "a": StatoCaso(verso).label,
    }
    return _modulo(request, trovato, form, titolo)


@require_GET
def registro(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit trail of a case (for the auditor: who did and read what, never the content)."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.REGISTRO)
    righe = list(
        AuditEvent.objects.per_utente(utente)
        .filter(
            Q(oggetto_tipo="cartella.caso", oggetto_id=str(trovato.pk))
            | Q(dettagli__caso=trovato.pk)
        )
        .order_by("-creato_il", "-pk")[:500]
    )
    return render(request, "cartella/registro.html", {"caso": trovato, "righe": righe})


@require_GET
def casi_registro(request: HttpRequest) -> HttpResponse:
    """The auditor's way in: the cases of the enti they audit, with metadata only (number,
    ente, state, dates, case manager; no person, no content), each linking to its audit trail.
    A listing, not a read of a case: no audit row (opening a trail is audited by the log)."""
    utente = utente_di(request)
    casi = (
        Caso.objects.per_utente(utente, ruoli={Ruolo.AUDITOR})
        .select_related("ente", "case_manager")
        .annotate(ultimo_passaggio=Max("transizioni__il"))
        .order_by("-aperto_il", "-pk")
    )
    pagina = Paginator(casi, PER_PAGINA).get_page(request.GET.get("pagina"))
    return render(request, "cartella/casi_registro.html", {"pagina": pagina})
