"""The progetto pages: versions (create, edit, approve or put in force), objectives, interventi,
impegni of the nucleo, people responsible, progress notes, verifiche and the final outcome of
each objective."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.anagrafe.permessi import RUOLI_LETTURA
from equo.web.cartella import actions
from equo.web.cartella.forms import (
    EsitoObiettivoForm,
    ImpegnoForm,
    InterventoForm,
    MotivoForm,
    NotaMonitoraggioForm,
    ObiettivoForm,
    ProgettoForm,
    ResponsabileProgettoForm,
    VerificaForm,
)
from equo.web.cartella.models import Caso, Obiettivo, Progetto
from equo.web.cartella.permessi import Sezione, access_caso_for_user, e_case_manager, e_responsabile
from equo.web.cartella.views._comuni import _al_caso, _figlio, _inviato, _modulo, _salva, _solo_se
from equo.web.ui.http import utente_di


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


def _conferma_progetto(
    request: HttpRequest,
    pk: int,
    *,
    autorizzato: Callable[[Utente, Caso], bool],
    azione: Callable[..., object],
    fatto_msg: str,
    titolo: str,
    etichetta: str,
) -> HttpResponse:
    """A one-button confirmation on a progetto (approve it, put it in force)."""
    utente = utente_di(request)
    progetto, caso_ = _progetto(utente, pk)
    _solo_se(autorizzato(utente, caso_))
    form = MotivoForm(_inviato(request))
    fatto = _salva(
        request,
        form,
        lambda: azione(progetto, acting_user=utente),
        fatto_msg,
        _al_caso(caso_),
    )
    return fatto or _modulo(
        request,
        caso_,
        form,
        titolo % {"progetto": progetto},
        progetto=progetto,
        azione_etichetta=etichetta,
    )


@require_http_methods(["GET", "POST"])
def approva_progetto(request: HttpRequest, pk: int) -> HttpResponse:
    return _conferma_progetto(
        request,
        pk,
        autorizzato=e_responsabile,
        azione=actions.do_approva_progetto,
        fatto_msg=_("Progetto approvato."),
        titolo=_("Approvazione: %(progetto)s"),
        etichetta=_("Approva"),
    )


@require_http_methods(["GET", "POST"])
def metti_in_vigore_progetto(request: HttpRequest, pk: int) -> HttpResponse:
    """Where approval is not required, the case manager puts the draft in force."""
    return _conferma_progetto(
        request,
        pk,
        autorizzato=e_case_manager,
        azione=actions.do_metti_in_vigore_progetto,
        fatto_msg=_("Il progetto è in vigore."),
        titolo=_("Metti in vigore: %(progetto)s"),
        etichetta=_("Metti in vigore"),
    )


@require_http_methods(["GET", "POST"])
def nuova_verifica(request: HttpRequest, pk: int) -> HttpResponse:
    """A scheduled review of the version in force."""
    utente = utente_di(request)
    progetto, caso_ = _progetto(utente, pk)
    _solo_se(e_case_manager(utente, caso_))
    form = VerificaForm(_inviato(request), initial={"data": timezone.localdate()})
    fatto = _salva(
        request,
        form,
        lambda: actions.do_registra_verifica(progetto, dati=form.cleaned_data, acting_user=utente),
        _("Verifica registrata."),
        _al_caso(caso_),
    )
    return fatto or _modulo(
        request, caso_, form, _("Verifica: %(progetto)s") % {"progetto": progetto}
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
