"""The cartella's pages: I miei casi, accesso, case (by section), the forms of each phase.

Every case page goes through ``permessi.access_caso_for_user(user, pk, sezione)``: 404 for
anyone without that section (another ente, a colleague not on the case, the équipe member whose
role does not see it). Writing pages answer 403 to who may read but not write; the actions
check again. Reads of a case, an accesso, an assessment (analisi preliminare, quadro di analisi)
and a diario entry write one audit row each.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.anagrafe.permessi import RUOLI_LETTURA
from equo.web.audit.models import AuditEvent
from equo.web.audit.registro import registra_lettura
from equo.web.cartella import actions
from equo.web.cartella import allegati as allegati_file
from equo.web.cartella.flusso import TRANSIZIONI, Attore, errori_guardie, progetto_corrente
from equo.web.cartella.forms import (
    AccessoForm,
    AnalisiForm,
    AperturaForm,
    ChiusuraForm,
    ContributoForm,
    ErogazioneForm,
    EsitoObiettivoForm,
    ImpegnoForm,
    InterventoForm,
    MembroEquipeForm,
    MotivoForm,
    NotaMonitoraggioForm,
    ObiettivoForm,
    ProgettoForm,
    QuadroForm,
    ResponsabileProgettoForm,
    RiunioneForm,
    VerbaleForm,
    VoceDiarioForm,
    riporta_errori,
    utenti_per_equipe,
)
from equo.web.cartella.models import (
    AllegatoDiario,
    AnalisiPreliminare,
    Caso,
    Chiusura,
    ContributoQuadro,
    Dimensione,
    DimensioneAnalisi,
    Erogazione,
    EsitoAccesso,
    ImpegnoProgetto,
    Intervento,
    MembroEquipe,
    NotaMonitoraggio,
    Obiettivo,
    Progetto,
    QuadroAnalisi,
    ResponsabileProgetto,
    RiunioneEquipe,
    StatoCaso,
    StatoProgetto,
    TransizioneCaso,
    VoceDiario,
)
from equo.web.cartella.permessi import (
    RUOLI_ACCESSI,
    Sezione,
    access_accesso_for_user,
    access_caso_for_user,
    e_case_manager,
    e_responsabile,
    membro_di,
    sezioni_caso,
)
from equo.web.enti.attivo import ente_attivo
from equo.web.enti.models import Ente, Ruolo
from equo.web.enti.scoping import enti_visibili
from equo.web.ui.http import utente_di

MODULO = "cartella/modulo.html"


def _solo_se(condizione: bool) -> None:
    if not condizione:
        raise PermissionDenied


def _figlio(modello: Any, user: Utente, pk: object, related: str) -> Any:
    """A row of a case through the cartella's outer fence (the section is checked after)."""
    try:
        return modello.objects.per_utente_o_equipe(user).select_related(related).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(_("Non trovato.")) from None


def _inviato(request: HttpRequest) -> Any:
    """The POST data (even empty: a confirmation form has no required field), or None."""
    return request.POST if request.method == "POST" else None


def _al_caso(caso: Caso) -> str:
    return reverse("cartella:caso", kwargs={"pk": caso.pk})


def _modulo(
    request: HttpRequest, caso: Caso | None, form: Any, titolo: str, **altro: Any
) -> HttpResponse:
    return render(
        request,
        MODULO,
        {"form": form, "caso": caso, "titolo": titolo, "azione": _("Salva"), **altro},
    )


def _salva(
    request: HttpRequest, form: Any, esegui: Any, messaggio: str, destinazione: Any
) -> HttpResponse | None:
    """Run the action on a valid POST; errors go back onto the form (nothing is saved)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        esegui()
    except ValidationError as errore:
        riporta_errori(form, errore)
        return None
    messages.success(request, messaggio)
    return redirect(destinazione)


# --- I miei casi, accessi, apertura -----------------------------------------------------------


@require_GET
def miei_casi(request: HttpRequest) -> HttpResponse:
    """The user's cases (as case manager or équipe member) with their next deadlines."""
    utente = utente_di(request)
    oggi = timezone.localdate()
    attivi = ~Q(progetti__stato=StatoProgetto.SUPERATO)
    casi = list(
        Caso.objects.per_utente_o_equipe(utente)
        .filter(
            Q(case_manager=utente) | Q(equipe__membri__utente=utente, equipe__membri__attivo=True)
        )
        .exclude(stato=StatoCaso.CHIUSO)
        .select_related("persona", "case_manager")
        .annotate(
            verifica=Min("progetti__prossima_verifica", filter=attivi),
            scadenza=Min(
                "progetti__obiettivi__scadenza",
                filter=attivi & Q(progetti__obiettivi__esito_finale=""),
            ),
        )
        .distinct()
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
                "ruolo": _("case manager") if caso.case_manager_id == utente.pk else _("équipe"),
            }
        )
    righe.sort(key=lambda r: (r["prossima"] is None, r["prossima"] or oggi))
    da_approvare = list(
        Progetto.objects.per_utente(utente, ruoli={Ruolo.RESPONSABILE_SERVIZIO})
        .filter(stato=StatoProgetto.BOZZA)
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


def _ente_accessi(request: HttpRequest, utente: Utente) -> Ente:
    ente = ente_attivo(request)
    if ente is None or not enti_visibili(utente, ruoli=RUOLI_ACCESSI).filter(pk=ente.pk).exists():
        raise PermissionDenied
    return ente


@require_http_methods(["GET", "POST"])
@permission_required("cartella.accessi", raise_exception=True)
def nuovo_accesso(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    ente = _ente_accessi(request, utente)
    persone = Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(ente=ente)
    form = AccessoForm(
        _inviato(request),
        persone=persone,
        initial={"data": timezone.localdate(), "persona": request.GET.get("persona")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            accesso = actions.do_registra_accesso(
                ente=ente, dati=form.cleaned_data, acting_user=utente
            )
        except ValidationError as errore:
            riporta_errori(form, errore)
        else:
            messages.success(request, _("Accesso registrato."))
            return redirect("cartella:accesso", pk=accesso.pk)
    return _modulo(request, None, form, _("Nuovo accesso"), ente=ente)


@require_GET
def accesso(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_accesso_for_user(utente, pk)
    casi = list(Caso.objects.per_utente(utente).filter(accesso=trovato))
    registra_lettura(utente, trovato)
    return render(
        request,
        "cartella/accesso.html",
        {
            "accesso": trovato,
            "casi": casi,
            "puo_aprire": not casi and trovato.esito != EsitoAccesso.INFORMAZIONE,
        },
    )


@require_http_methods(["GET", "POST"])
def apri_caso(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_accesso_for_user(utente, pk)
    ente = Ente.objects.get(pk=trovato.ente_id)
    form = AperturaForm(
        _inviato(request),
        ente=ente,
        persone=Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(ente=ente),
        nuclei=Nucleo.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(ente=ente),
        initial={
            "persona": trovato.persona_id,
            "area": trovato.area,
            "case_manager": utente.pk,
            "aperto_il": timezone.localdate(),
            "approvazione_richiesta": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        dati = form.cleaned_data
        try:
            caso = actions.do_apri_caso(ente=ente, accesso=trovato, acting_user=utente, **dati)
        except ValidationError as errore:
            riporta_errori(form, errore)
        else:
            messages.success(request, _("Caso aperto."))
            return redirect("cartella:caso", pk=caso.pk)
    return _modulo(request, None, form, _("Apertura del caso"), accesso=trovato)


# --- The case ---------------------------------------------------------------------------------


def _transizioni_possibili(utente: Utente, caso: Caso) -> list[dict[str, Any]]:
    attori = set()
    if e_case_manager(utente, caso):
        attori.add(Attore.CASE_MANAGER)
    if e_responsabile(utente, caso):
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
    sezioni = sezioni_caso(utente, trovato)
    cm = e_case_manager(utente, trovato)
    contesto: dict[str, Any] = {
        "caso": trovato,
        "sezioni": {s.value: s in sezioni for s in Sezione},
        "case_manager": cm,
        "responsabile": e_responsabile(utente, trovato),
        "membro": membro_di(utente, trovato),
        "transizioni": TransizioneCaso.objects.per_utente_o_equipe(utente)
        .filter(caso=trovato)
        .select_related("utente"),
        "possibili": _transizioni_possibili(utente, trovato),
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
    contesto["chiusure"] = list(Chiusura.objects.per_utente_o_equipe(utente).filter(caso=trovato))
    registra_lettura(utente, trovato, dettagli={"caso": trovato.pk})
    return render(request, "cartella/caso.html", contesto)


@require_http_methods(["GET", "POST"])
def transizione(request: HttpRequest, pk: int, verso: str) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.CASO)
    if verso not in StatoCaso.values:
        raise Http404(_("Non trovato."))
    if verso == StatoCaso.CHIUSO:
        return redirect("cartella:chiusura", pk=trovato.pk)
    _solo_se(e_case_manager(utente, trovato) or e_responsabile(utente, trovato))
    form = MotivoForm(_inviato(request))

    def esegui() -> None:
        motivo = form.cleaned_data["motivo"]
        if trovato.stato == StatoCaso.CHIUSO:
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


# --- Analisi, équipe, quadro ------------------------------------------------------------------


@require_GET
def analisi(request: HttpRequest, pk: int) -> HttpResponse:
    """The analisi preliminare (an assessment: one audit row per view)."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.ANALISI)
    scheda = AnalisiPreliminare.objects.per_utente_o_equipe(utente).filter(caso=trovato).first()
    if scheda is None:
        raise Http404(_("Non trovato."))
    dimensioni = list(
        DimensioneAnalisi.objects.per_utente_o_equipe(utente)
        .filter(analisi=scheda)
        .select_related("persona")
    )
    registra_lettura(utente, scheda, dettagli={"caso": trovato.pk})
    return render(
        request,
        "cartella/analisi.html",
        {"caso": trovato, "analisi": scheda, "dimensioni": dimensioni},
    )


@require_http_methods(["GET", "POST"])
def modifica_analisi(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.ANALISI)
    _solo_se(e_case_manager(utente, trovato))
    scheda = AnalisiPreliminare.objects.per_utente_o_equipe(utente).filter(caso=trovato).first()
    iniziali: dict[str, Any] = {"data_analisi": timezone.localdate()}
    if scheda is not None:
        iniziali = {"data_analisi": scheda.data, "esito": scheda.esito, "sintesi": scheda.sintesi}
        for riga in DimensioneAnalisi.objects.per_utente_o_equipe(utente).filter(
            analisi=scheda, persona__isnull=True
        ):
            iniziali[f"livello_{riga.dimensione}"] = riga.livello
            iniziali[f"risorse_{riga.dimensione}"] = riga.risorse
    form = AnalisiForm(_inviato(request), initial=iniziali)
    fatto = _salva(
        request,
        form,
        lambda: actions.do_salva_analisi(
            trovato, dati=form.dati(), dimensioni=form.dimensioni(), acting_user=utente
        ),
        _("Analisi preliminare salvata."),
        _al_caso(trovato),
    )
    return fatto or _modulo(
        request, trovato, form, _("Analisi preliminare"), dimensioni=list(Dimensione)
    )


@require_http_methods(["GET", "POST"])
def nuovo_membro(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.QUADRO)
    _solo_se(e_case_manager(utente, trovato))
    form = MembroEquipeForm(_inviato(request), utenti=utenti_per_equipe(utente))
    fatto = _salva(
        request,
        form,
        lambda: actions.do_aggiungi_membro_equipe(
            trovato, dati=form.cleaned_data, acting_user=utente
        ),
        _("Membro aggiunto all'équipe."),
        _al_caso(trovato),
    )
    return fatto or _modulo(request, trovato, form, _("Nuovo membro dell'équipe"))


@require_GET
def quadro(request: HttpRequest, pk: int) -> HttpResponse:
    """The quadro di analisi with every member's section (an assessment: audited)."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.QUADRO)
    scheda = QuadroAnalisi.objects.per_utente_o_equipe(utente).filter(caso=trovato).first()
    contributi = []
    if scheda is not None:
        contributi = list(
            ContributoQuadro.objects.per_utente_o_equipe(utente)
            .filter(quadro=scheda)
            .select_related("membro__utente")
        )
        registra_lettura(utente, scheda, dettagli={"caso": trovato.pk})
    riunioni = list(RiunioneEquipe.objects.per_utente_o_equipe(utente).filter(equipe__caso=trovato))
    return render(
        request,
        "cartella/quadro.html",
        {
            "caso": trovato,
            "quadro": scheda,
            "contributi": contributi,
            "riunioni": riunioni,
            "case_manager": e_case_manager(utente, trovato),
            "membro": membro_di(utente, trovato),
        },
    )


@require_http_methods(["GET", "POST"])
def modifica_quadro(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.QUADRO)
    _solo_se(e_case_manager(utente, trovato))
    scheda = QuadroAnalisi.objects.per_utente_o_equipe(utente).filter(caso=trovato).first()
    form = QuadroForm(
        _inviato(request),
        instance=scheda,
        initial={} if scheda else {"avviato_il": timezone.localdate()},
    )
    fatto = _salva(
        request,
        form,
        lambda: actions.do_salva_quadro(trovato, dati=form.cleaned_data, acting_user=utente),
        _("Quadro di analisi salvato."),
        reverse("cartella:quadro", kwargs={"pk": trovato.pk}),
    )
    return fatto or _modulo(request, trovato, form, _("Quadro di analisi"))


@require_http_methods(["GET", "POST"])
def contributo(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.QUADRO)
    membro = membro_di(utente, trovato)
    _solo_se(membro is not None)
    esistente = (
        ContributoQuadro.objects.per_utente_o_equipe(utente)
        .filter(quadro__caso=trovato, membro=membro)
        .first()
    )
    form = ContributoForm(
        _inviato(request), initial={"testo": esistente.testo if esistente else ""}
    )
    fatto = _salva(
        request,
        form,
        lambda: actions.do_salva_contributo(
            trovato, testo=form.cleaned_data["testo"], acting_user=utente
        ),
        _("Contributo salvato."),
        reverse("cartella:quadro", kwargs={"pk": trovato.pk}),
    )
    return fatto or _modulo(request, trovato, form, _("Il mio contributo al quadro di analisi"))


# --- Progetto ---------------------------------------------------------------------------------


# --- Riunioni dell'équipe ----------------------------------------------------------------------


def _riunione(utente: Utente, pk: int) -> tuple[RiunioneEquipe, Caso]:
    trovata: RiunioneEquipe = _figlio(RiunioneEquipe, utente, pk, "equipe")
    return trovata, access_caso_for_user(utente, trovata.equipe.caso_id, Sezione.QUADRO)


def _membri_attivi(caso: Caso) -> Any:
    return (
        MembroEquipe.objects.senza_scope()  # narrowed to this case's équipe
        .filter(equipe__caso_id=caso.pk, attivo=True)
        .select_related("utente")
    )


def _convocati(utente: Utente, riunione: RiunioneEquipe) -> Any:
    return (
        MembroEquipe.objects.per_utente_o_equipe(utente)
        .filter(convocazioni=riunione)
        .select_related("utente")
        .order_by("pk")
    )


@require_http_methods(["GET", "POST"])
def nuova_riunione(request: HttpRequest, pk: int) -> HttpResponse:
    """Convene the équipe (case manager only)."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.QUADRO)
    _solo_se(e_case_manager(utente, trovato))
    form = RiunioneForm(_inviato(request), membri=_membri_attivi(trovato))
    fatto = _salva(
        request,
        form,
        lambda: actions.do_convoca_riunione(
            trovato,
            dati=form.dati(),
            convocati=form.cleaned_data["convocati"],
            acting_user=utente,
        ),
        _("Équipe convocata."),
        reverse("cartella:quadro", kwargs={"pk": trovato.pk}),
    )
    return fatto or _modulo(request, trovato, form, _("Convoca l'équipe"))


@require_GET
def riunione(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting with its minutes (for who reads the équipe section; audited)."""
    utente = utente_di(request)
    trovata, caso_ = _riunione(utente, pk)
    registra_lettura(utente, trovata, dettagli={"caso": caso_.pk})
    return render(
        request,
        "cartella/riunione.html",
        {
            "caso": caso_,
            "riunione": trovata,
            "convocati": list(_convocati(utente, trovata)),
            "presenti": set(
                MembroEquipe.objects.per_utente_o_equipe(utente)
                .filter(presenze=trovata)
                .values_list("pk", flat=True)
            ),
            "case_manager": e_case_manager(utente, caso_),
        },
    )


@require_http_methods(["GET", "POST"])
def verbale_riunione(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovata, caso_ = _riunione(utente, pk)
    _solo_se(e_case_manager(utente, caso_))
    form = VerbaleForm(_inviato(request), convocati=_convocati(utente, trovata))
    fatto = _salva(
        request,
        form,
        lambda: actions.do_registra_verbale(
            trovata,
            presenti=form.cleaned_data["presenti"],
            verbale=form.cleaned_data["verbale"],
            acting_user=utente,
        ),
        _("Verbale salvato."),
        reverse("cartella:riunione", kwargs={"pk": trovata.pk}),
    )
    return fatto or _modulo(
        request, caso_, form, _("Verbale: %(riunione)s") % {"riunione": trovata}
    )


@require_http_methods(["GET", "POST"])
def annulla_riunione(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovata, caso_ = _riunione(utente, pk)
    _solo_se(e_case_manager(utente, caso_))
    form = MotivoForm(_inviato(request))
    fatto = _salva(
        request,
        form,
        lambda: actions.do_annulla_riunione(
            trovata, motivo=form.cleaned_data["motivo"], acting_user=utente
        ),
        _("Riunione annullata."),
        reverse("cartella:riunione", kwargs={"pk": trovata.pk}),
    )
    return fatto or _modulo(
        request, caso_, form, _("Annulla: %(riunione)s") % {"riunione": trovata}
    )


def _progetto(utente: Utente, pk: int) -> tuple[Progetto, Caso]:
    trovato: Progetto = _figlio(Progetto, utente, pk, "caso")
    caso = access_caso_for_user(utente, trovato.caso_id, Sezione.PROGETTO)
    trovato.caso = caso
    return trovato, caso


@require_http_methods(["GET", "POST"])
def nuovo_progetto(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.PROGETTO)
    _solo_se(e_case_manager(utente, trovato))
    form = ProgettoForm(_inviato(request))
    fatto = _salva(
        request,
        form,
        lambda: actions.do_crea_progetto(trovato, dati=form.cleaned_data, acting_user=utente),
        _("Progetto creato."),
        _al_caso(trovato),
    )
    return fatto or _modulo(request, trovato, form, _("Nuovo progetto personalizzato"))


@require_http_methods(["GET", "POST"])
def modifica_progetto(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    progetto, caso_ = _progetto(utente, pk)
    _solo_se(e_case_manager(utente, caso_))
    form = ProgettoForm(_inviato(request), instance=progetto)
    fatto = _salva(
        request,
        form,
        lambda: actions.do_modifica_progetto(progetto, dati=form.cleaned_data, acting_user=utente),
        _("Progetto salvato."),
        _al_caso(caso_),
    )
    return fatto or _modulo(request, caso_, form, str(progetto))


@require_http_methods(["GET", "POST"])
def approva_progetto(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    progetto, caso_ = _progetto(utente, pk)
    _solo_se(e_responsabile(utente, caso_))
    form = MotivoForm(_inviato(request))
    fatto = _salva(
        request,
        form,
        lambda: actions.do_approva_progetto(progetto, acting_user=utente),
        _("Progetto approvato."),
        _al_caso(caso_),
    )
    return fatto or _modulo(
        request,
        caso_,
        form,
        _("Approvazione: %(progetto)s") % {"progetto": progetto},
        progetto=progetto,
        azione_etichetta=_("Approva"),
    )


@require_http_methods(["GET", "POST"])
def nuovo_obiettivo(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    progetto, caso_ = _progetto(utente, pk)
    _solo_se(e_case_manager(utente, caso_))
    form = ObiettivoForm(
        _inviato(request),
        persone=Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(
            ente_id=caso_.ente_id
        ),
        initial={"persona": caso_.persona_id},
    )
    fatto = _salva(
        request,
        form,
        lambda: actions.do_aggiungi_obiettivo(progetto, dati=form.cleaned_data, acting_user=utente),
        _("Obiettivo aggiunto."),
        _al_caso(caso_),
    )
    return fatto or _modulo(request, caso_, form, _("Nuovo obiettivo"))


@require_http_methods(["GET", "POST"])
def nuovo_intervento(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    progetto, caso_ = _progetto(utente, pk)
    _solo_se(e_case_manager(utente, caso_))
    form = InterventoForm(
        _inviato(request),
        obiettivi=Obiettivo.objects.per_utente_o_equipe(utente).filter(progetto=progetto),
    )
    fatto = _salva(
        request,
        form,
        lambda: actions.do_aggiungi_intervento(
            progetto, dati=form.cleaned_data, acting_user=utente
        ),
        _("Intervento aggiunto."),
        _al_caso(caso_),
    )
    return fatto or _modulo(request, caso_, form, _("Nuovo intervento"))


@require_http_methods(["GET", "POST"])
def nuovo_impegno(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    progetto, caso_ = _progetto(utente, pk)
    _solo_se(e_case_manager(utente, caso_))
    form = ImpegnoForm(
        _inviato(request),
        persone=Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(
            ente_id=caso_.ente_id
        ),
    )
    fatto = _salva(
        request,
        form,
        lambda: actions.do_aggiungi_impegno(progetto, dati=form.cleaned_data, acting_user=utente),
        _("Impegno aggiunto."),
        _al_caso(caso_),
    )
    return fatto or _modulo(request, caso_, form, _("Nuovo impegno del nucleo"))


@require_http_methods(["GET", "POST"])
def nuovo_responsabile_progetto(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    progetto, caso_ = _progetto(utente, pk)
    _solo_se(e_case_manager(utente, caso_))
    form = ResponsabileProgettoForm(
        _inviato(request),
        utenti=Utente.objects.filter(is_active=True, incarichi__attivo=True)
        .distinct()
        .order_by("last_name", "first_name"),
    )
    fatto = _salva(
        request,
        form,
        lambda: actions.do_aggiungi_responsabile_progetto(
            progetto, dati=form.cleaned_data, acting_user=utente
        ),
        _("Responsabile aggiunto."),
        _al_caso(caso_),
    )
    return fatto or _modulo(request, caso_, form, _("Nuovo responsabile del progetto"))


@require_http_methods(["GET", "POST"])
def nuova_nota_monitoraggio(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    obiettivo: Obiettivo = _figlio(Obiettivo, utente, pk, "progetto")
    caso_ = access_caso_for_user(utente, obiettivo.progetto.caso_id, Sezione.PROGETTO)
    obiettivo.progetto.caso = caso_
    _solo_se(e_case_manager(utente, caso_))
    form = NotaMonitoraggioForm(_inviato(request), initial={"data": timezone.localdate()})
    fatto = _salva(
        request,
        form,
        lambda: actions.do_scrivi_nota_monitoraggio(
            obiettivo, dati=form.cleaned_data, acting_user=utente
        ),
        _("Nota di monitoraggio salvata."),
        _al_caso(caso_),
    )
    return fatto or _modulo(
        request, caso_, form, _("Monitoraggio: %(obiettivo)s") % {"obiettivo": obiettivo}
    )


@require_http_methods(["GET", "POST"])
def esito_obiettivo(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    obiettivo: Obiettivo = _figlio(Obiettivo, utente, pk, "progetto")
    caso_ = access_caso_for_user(utente, obiettivo.progetto.caso_id, Sezione.PROGETTO)
    obiettivo.progetto.caso = caso_
    _solo_se(e_case_manager(utente, caso_))
    form = EsitoObiettivoForm(
        _inviato(request),
        initial={"esito_finale": obiettivo.esito_finale, "nota_esito": obiettivo.nota_esito},
    )
    fatto = _salva(
        request,
        form,
        lambda: actions.do_valuta_obiettivo(
            obiettivo,
            esito=form.cleaned_data["esito_finale"],
            nota=form.cleaned_data["nota_esito"],
            acting_user=utente,
        ),
        _("Esito dell'obiettivo salvato."),
        _al_caso(caso_),
    )
    return fatto or _modulo(
        request, caso_, form, _("Esito: %(obiettivo)s") % {"obiettivo": obiettivo}
    )


@require_http_methods(["GET", "POST"])
def nuova_erogazione(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    intervento: Intervento = _figlio(Intervento, utente, pk, "progetto")
    caso_ = access_caso_for_user(utente, intervento.progetto.caso_id, Sezione.EROGAZIONI)
    intervento.progetto.caso = caso_
    _solo_se(e_case_manager(utente, caso_))
    form = ErogazioneForm(_inviato(request))
    fatto = _salva(
        request,
        form,
        lambda: actions.do_registra_erogazione(
            intervento, dati=form.cleaned_data, acting_user=utente
        ),
        _("Erogazione registrata."),
        _al_caso(caso_),
    )
    return fatto or _modulo(
        request, caso_, form, _("Erogazione: %(intervento)s") % {"intervento": intervento}
    )


# --- Diario, chiusura, registro ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def nuova_voce(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.DIARIO)
    _solo_se(e_case_manager(utente, trovato))
    form = VoceDiarioForm(
        _inviato(request),
        request.FILES if request.method == "POST" else None,
        initial={"data": timezone.localdate()},
    )
    fatto = _salva(
        request,
        form,
        lambda: actions.do_scrivi_voce_diario(
            trovato,
            dati=form.dati(),
            acting_user=utente,
            allegati=[form.cleaned_data["allegato"]] if form.cleaned_data["allegato"] else [],
        ),
        _("Voce del diario salvata."),
        _al_caso(trovato),
    )
    return fatto or _modulo(request, trovato, form, _("Nuova voce del diario"))


@require_GET
def voce(request: HttpRequest, pk: int) -> HttpResponse:
    """A diario entry (one audit row per view); a riservata one only for who may read it."""
    utente = utente_di(request)
    trovata: VoceDiario = _figlio(VoceDiario, utente, pk, "autore")
    sezione = Sezione.DIARIO_RISERVATO if trovata.riservata else Sezione.DIARIO
    caso_ = access_caso_for_user(utente, trovata.caso_id, sezione)
    registra_lettura(utente, trovata, dettagli={"caso": caso_.pk})
    allegati = list(AllegatoDiario.objects.senza_scope().filter(voce=trovata))  # of this entry
    return render(
        request, "cartella/voce.html", {"caso": caso_, "voce": trovata, "allegati": allegati}
    )


@require_GET
def allegato(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment of a diario entry, with the entry's rules (riservata: only the case manager
    and the responsabile); each download writes one audit row. Always sent as a download."""
    utente = utente_di(request)
    trovato: AllegatoDiario = _figlio(AllegatoDiario, utente, pk, "voce")
    sezione = Sezione.DIARIO_RISERVATO if trovato.voce.riservata else Sezione.DIARIO
    caso_ = access_caso_for_user(utente, trovato.voce.caso_id, sezione)
    try:
        contenuto = allegati_file.percorso(trovato.nome_archivio).read_bytes()  # at most 10 MB
    except (OSError, ValueError):
        raise Http404(_("Non trovato.")) from None
    registra_lettura(utente, trovato, dettagli={"caso": caso_.pk, "voce": trovato.voce_id})
    risposta = HttpResponse(contenuto, content_type=trovato.tipo_mime)
    risposta["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=trovato.nome_originale)
        or "attachment"
    )
    risposta["X-Content-Type-Options"] = "nosniff"
    risposta["Cache-Control"] = "private, no-store"
    return risposta


@require_http_methods(["GET", "POST"])
def chiusura(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.CASO)
    _solo_se(e_case_manager(utente, trovato))
    form = ChiusuraForm(_inviato(request), initial={"data_chiusura": timezone.localdate()})
    fatto = _salva(
        request,
        form,
        lambda: actions.do_chiudi_caso(trovato, dati=form.dati(), acting_user=utente),
        _("Caso chiuso."),
        _al_caso(trovato),
    )
    return fatto or _modulo(request, trovato, form, _("Valutazione finale e chiusura"))


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
