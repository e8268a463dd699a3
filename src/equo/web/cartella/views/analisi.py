"""The assessment pages: the analisi preliminare (read, audited; written by the case manager),
the équipe members, the quadro di analisi (audited) and each member's own section of it. Every
page showing assessment content, edit forms included, writes one audit row per view."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equo.web.audit.registro import registra_lettura
from equo.web.cartella import actions
from equo.web.cartella.actions.analisi_equipe import componenti_del_caso
from equo.web.cartella.forms import (
    AnalisiForm,
    ContributoForm,
    MembroEquipeForm,
    QuadroForm,
    utenti_per_equipe,
)
from equo.web.cartella.models import (
    AnalisiPreliminare,
    ContributoQuadro,
    Dimensione,
    DimensioneAnalisi,
    QuadroAnalisi,
    RiunioneEquipe,
)
from equo.web.cartella.permessi import Sezione, access_caso_for_user, e_case_manager, membro_di
from equo.web.cartella.views._comuni import _al_caso, _inviato, _modulo, _salva, _solo_se
from equo.web.ui.http import utente_di


def _tabella(dimensioni: list[DimensioneAnalisi]) -> dict[str, Any]:
    """The analisi as a table: one row per dimension, one column for the nucleo and one per
    member assessed (a blank cell: not assessed)."""
    persone: dict[int, Any] = {}
    celle: dict[tuple[str, int | None], DimensioneAnalisi] = {}
    for riga in dimensioni:
        celle[(riga.dimensione, riga.persona_id)] = riga
        if riga.persona_id is not None:
            persone.setdefault(riga.persona_id, riga.persona)
    colonne: list[int | None] = [None, *persone]
    return {
        "intestazioni": [_("Nucleo"), *(str(p) for p in persone.values())],
        "righe": [
            {"dimensione": d, "celle": [celle.get((d.value, c)) for c in colonne]}
            for d in Dimensione
        ],
    }


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
        {"caso": trovato, "analisi": scheda, "tabella": _tabella(dimensioni)},
    )


@require_http_methods(["GET", "POST"])
def modifica_analisi(request: HttpRequest, pk: int) -> HttpResponse:
    """The analisi preliminare form: the GET shows the assessment, so it is audited."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.ANALISI)
    _solo_se(e_case_manager(utente, trovato))
    scheda = AnalisiPreliminare.objects.per_utente_o_equipe(utente).filter(caso=trovato).first()
    iniziali: dict[str, Any] = {"data_analisi": timezone.localdate()}
    if scheda is not None:
        iniziali = {
            "data_analisi": scheda.data,
            "esito": scheda.esito,
            "servizio_invio": scheda.servizio_invio,
            "sintesi": scheda.sintesi,
        }
        for riga in DimensioneAnalisi.objects.per_utente_o_equipe(utente).filter(analisi=scheda):
            suffisso = "" if riga.persona_id is None else f"_{riga.persona_id}"
            iniziali[f"livello_{riga.dimensione}{suffisso}"] = riga.livello
            iniziali[f"risorse_{riga.dimensione}{suffisso}"] = riga.risorse
    form = AnalisiForm(_inviato(request), initial=iniziali, componenti=componenti_del_caso(trovato))
    fatto = _salva(
        request,
        form,
        lambda: actions.do_salva_analisi(
            trovato,
            dati=form.dati(),
            dimensioni=form.dimensioni(),
            componenti=form.dimensioni_componenti(),
            acting_user=utente,
        ),
        _("Analisi preliminare salvata."),
        _al_caso(trovato),
    )
    if fatto is not None:
        return fatto
    if scheda is not None and request.method == "GET":
        registra_lettura(utente, scheda, dettagli={"caso": trovato.pk})
    return render(
        request,
        "cartella/analisi_modulo.html",
        {"caso": trovato, "form": form, "titolo": _("Analisi preliminare")},
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
    if fatto is not None:
        return fatto
    if scheda is not None and request.method == "GET":  # the form shows the assessment
        registra_lettura(utente, scheda, dettagli={"caso": trovato.pk})
    return _modulo(request, trovato, form, _("Quadro di analisi"))


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
    if fatto is not None:
        return fatto
    if esistente is not None and request.method == "GET":  # the form shows the contribution
        registra_lettura(utente, esistente, dettagli={"caso": trovato.pk})
    return _modulo(request, trovato, form, _("Il mio contributo al quadro di analisi"))
