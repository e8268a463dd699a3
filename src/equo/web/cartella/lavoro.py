"""Work views of the cartella: the ente's case list with filters and the person's timeline.

Both are need-to-know safe: the case list shows the cases of the enti where the user is
responsabile di servizio, plus (for an assistente sociale) only the cases where the user is the
case manager; a colleague not on a case never sees it. The timeline shows, for one person, the
accessi the user may read (the ente's segretariato roles), the cases the user may read
(:func:`permessi.sezioni_caso`), the interventi of those cases where the user reads the progetto,
and the diario entries the user may read (riservate only for case manager and responsabile);
the content of an entry is read (and audited) on its own page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.anagrafe.permessi import RUOLI_LETTURA
from equo.web.audit.registro import registra_lettura
from equo.web.cartella.models import (
    Accesso,
    Caso,
    Intervento,
    StatoCaso,
    VoceDiario,
)
from equo.web.cartella.models.area import con_etichetta_area, scelte_aree
from equo.web.cartella.permessi import RUOLI_ACCESSI, Sezione, permessi_per_casi
from equo.web.enti.models import Ruolo
from equo.web.ui.http import utente_di

__all__ = ["casi_ente", "casi_visibili_in_elenco", "cronologia"]

PER_PAGINA = 50


def casi_visibili_in_elenco(utente: Utente) -> QuerySet[Caso]:
    """The cases of the list: every case of the enti where ``utente`` is responsabile di
    servizio, and the cases where ``utente`` is the case manager (as assistente sociale)."""
    del_responsabile = Caso.objects.per_utente(utente, ruoli={Ruolo.RESPONSABILE_SERVIZIO})
    propri = Caso.objects.per_utente(utente, ruoli={Ruolo.ASSISTENTE_SOCIALE}).filter(
        case_manager=utente
    )
    return del_responsabile | propri


class FiltriCasi(forms.Form):
    area = forms.ChoiceField(label=gettext_lazy("Area"), required=False)  # choices at init
    stato = forms.ChoiceField(
        label=gettext_lazy("Stato"), required=False, choices=[("", "—"), *StatoCaso.choices]
    )
    operatore = forms.TypedChoiceField(
        label=gettext_lazy("Case manager"), required=False, coerce=int, empty_value=None
    )
    comune = forms.CharField(
        label=gettext_lazy("Comune di residenza"), required=False, max_length=100
    )

    def __init__(self, *args: Any, operatori: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)  # noqa: S101
        area.choices = [("", "—"), *scelte_aree(tutte=True)]
        campo = self.fields["operatore"]
        assert isinstance(campo, forms.TypedChoiceField)  # noqa: S101
        campo.choices = [("", "—"), *operatori]


@require_GET
def casi_ente(request: HttpRequest) -> HttpResponse:
    """The ente's cases, filtered by area, state, case manager and comune of residence."""
    utente = utente_di(request)
    casi = casi_visibili_in_elenco(utente)
    operatori = [
        (u.pk, u.get_full_name() or u.get_username())
        for u in Utente.objects.filter(pk__in=casi.values("case_manager_id")).order_by(
            "last_name", "first_name", "pk"
        )
    ]
    filtri = FiltriCasi(request.GET or None, operatori=operatori)
    if filtri.is_valid():
        dati = filtri.cleaned_data
        if dati["area"]:
            casi = casi.filter(area=dati["area"])
        if dati["stato"]:
            casi = casi.filter(stato=dati["stato"])
        if dati["operatore"]:
            casi = casi.filter(case_manager_id=dati["operatore"])
        if dati["comune"].strip():
            casi = casi.filter(persona__residenza_comune__icontains=dati["comune"].strip())
    pagina = Paginator(
        con_etichetta_area(casi.select_related("persona", "case_manager", "ente")).order_by(
            "-aperto_il", "-pk"
        ),
        PER_PAGINA,
    ).get_page(request.GET.get("pagina"))
    parametri = request.GET.copy()
    parametri.pop("pagina", None)
    return render(
        request,
        "cartella/casi_ente.html",
        {"filtri": filtri, "pagina": pagina, "parametri": parametri.urlencode()},
    )


def _persona_leggibile(utente: Utente, pk: int, casi: list[Caso]) -> Persona:
    """The person, if ``utente`` reads her in the anagrafe or reads one of her cases."""
    persona = (
        Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(pk=pk).first()
        if not casi
        else casi[0].persona
    )
    if persona is None:
        raise Http404(_("Non trovato."))
    return persona


@require_GET
def cronologia(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's timeline: accessi, casi, interventi and diario entries the user may see."""
    utente = utente_di(request)
    sezioni_per_caso: dict[int, frozenset[Sezione]] = {}
    casi: list[Caso] = []
    candidati = list(
        Caso.objects.per_utente_o_equipe(utente)
        .filter(persona_id=pk)
        .select_related("ente__superiore", "persona", "case_manager")
        .order_by("aperto_il", "pk")
    )
    permessi = permessi_per_casi(utente, candidati)  # two queries, however many cases
    for caso in candidati:
        sezioni = permessi[caso.pk].sezioni
        if Sezione.CASO in sezioni:
            sezioni_per_caso[caso.pk] = sezioni
            casi.append(caso)
    persona = _persona_leggibile(utente, pk, casi)
    eventi: list[dict[str, Any]] = []
    for accesso in Accesso.objects.per_utente(utente, ruoli=RUOLI_ACCESSI).filter(persona=persona):
        eventi.append({"data": accesso.data, "tipo": _("Accesso"), "oggetto": accesso})
    for caso in casi:
        eventi.append({"data": caso.aperto_il, "tipo": _("Apertura del caso"), "oggetto": caso})
    con_progetto = [c.pk for c in casi if Sezione.PROGETTO in sezioni_per_caso[c.pk]]
    for intervento in (
        Intervento.objects.per_utente_o_equipe(utente)
        .filter(progetto__caso_id__in=con_progetto)
        .select_related("progetto__caso")
    ):
        eventi.append(
            {"data": intervento.inizio, "tipo": _("Inizio intervento"), "oggetto": intervento}
        )
    con_diario = [c.pk for c in casi if Sezione.DIARIO in sezioni_per_caso[c.pk]]
    con_riservato = [c.pk for c in casi if Sezione.DIARIO_RISERVATO in sezioni_per_caso[c.pk]]
    for voce in VoceDiario.objects.per_utente_o_equipe(utente).filter(
        Q(caso_id__in=con_diario, riservata=False) | Q(caso_id__in=con_riservato)
    ):
        eventi.append({"data": voce.data, "tipo": voce.get_tipo_display(), "voce": voce})
    eventi.sort(key=lambda e: e["data"] or dt.date.min, reverse=True)
    registra_lettura(utente, persona, dettagli={"vista": "cronologia"})
    return render(
        request, "cartella/cronologia.html", {"persona": persona, "eventi": eventi, "casi": casi}
    )
