"""The accesso pages: record a contact with the segretariato sociale (finding the person with
the anagrafe's search, or creating her and her nucleo and coming back), read it (audited), link
an accesso recorded by name only to a person, and open a case from it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.anagrafe.permessi import RUOLI_LETTURA, RUOLI_SCRITTURA
from equo.web.anagrafe.ricerca import cerca_persone
from equo.web.audit.registro import registra_lettura
from equo.web.cartella import actions
from equo.web.cartella.forms import AccessoForm, AperturaForm, riporta_errori
from equo.web.cartella.forms_accessi import CollegaForm, scelte_limitate
from equo.web.cartella.models import Accesso, Caso, EsitoAccesso
from equo.web.cartella.models.area import etichetta_area
from equo.web.cartella.permessi import RUOLI_ACCESSI, Sezione, access_accesso_for_user, sezioni_caso
from equo.web.cartella.views._comuni import _inviato, _modulo
from equo.web.enti.attivo import ente_attivo
from equo.web.enti.models import Ente
from equo.web.enti.scoping import TenantQuerySet, enti_visibili
from equo.web.ui.http import utente_di

#: At most this many search results are offered in the person select.
RISULTATI_RICERCA = 20
LUNGHEZZA_RICERCA = 100


def _ente_accessi(request: HttpRequest, utente: Utente) -> Ente:
    ente = ente_attivo(request)
    if ente is None or not enti_visibili(utente, ruoli=RUOLI_ACCESSI).filter(pk=ente.pk).exists():
        raise PermissionDenied
    return ente


def _una(righe: QuerySet[Any], pk: object) -> Any:
    """The row ``pk`` of the (scoped) ``righe``, or None for a missing or malformed id."""
    try:
        return righe.filter(pk=int(str(pk))).first() if pk else None
    except ValueError:
        return None


def _scelte(
    request: HttpRequest, persone: TenantQuerySet[Persona], nuclei: QuerySet[Nucleo]
) -> dict[str, Any]:
    """What the person and nucleo selects offer: the search results (``q``), the person and
    nucleo chosen or just created (``persona``/``nucleo`` in the query or the POST), and the
    nuclei of the chosen person."""
    dati = request.POST if request.method == "POST" else request.GET
    testo = request.GET.get("q", "").strip()[:LUNGHEZZA_RICERCA]
    trovate = cerca_persone(persone, testo, limite=RISULTATI_RICERCA) if testo else []
    scelta = _una(persone, dati.get("persona"))
    offerte = [scelta, *(p for p in trovate if p != scelta)] if scelta else trovate
    nucleo = _una(nuclei, dati.get("nucleo"))
    suoi = list(nuclei.filter(membri__persona=scelta).distinct()) if scelta else []
    if nucleo is not None and nucleo not in suoi:
        suoi.insert(0, nucleo)
    return {
        "testo": testo,
        "trovate": trovate,
        "persona_scelta": scelta,
        "nucleo_scelto": nucleo,
        "offerte_persone": offerte,
        "offerte_nuclei": suoi,
    }


def _link_anagrafe(request: HttpRequest, utente: Utente, scelta: Persona | None) -> dict[str, str]:
    """The "Nuova persona" / "Nuovo nucleo" links that come back to this page (if the user may
    write the anagrafe)."""
    if not enti_visibili(utente, ruoli=RUOLI_SCRITTURA).exists():
        return {}
    qui = request.path
    link = {
        "nuova_persona": reverse("anagrafe:nuova_persona") + "?" + urlencode({"next": qui}),
    }
    if scelta is not None:
        ritorno = f"{qui}?{urlencode({'persona': scelta.pk})}"
        parametri = {"next": ritorno, "cf": scelta.codice_fiscale}
        link["nuovo_nucleo"] = reverse("anagrafe:nuovo_nucleo") + "?" + urlencode(parametri)
    return link


@require_http_methods(["GET", "POST"])
@permission_required("cartella.accessi", raise_exception=True)
def nuovo_accesso(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    ente = _ente_accessi(request, utente)
    persone = Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(ente=ente)
    nuclei = Nucleo.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(ente=ente)
    scelte = _scelte(request, persone, nuclei)
    form = AccessoForm(
        _inviato(request),
        persone=persone,
        nuclei=nuclei,
        scelte_persone=scelte["offerte_persone"],
        scelte_nuclei=scelte["offerte_nuclei"],
        initial={
            "data": timezone.localdate(),
            "persona": scelte["persona_scelta"],
            "nucleo": scelte["nucleo_scelto"],
        },
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
    return render(
        request,
        "cartella/accesso_form.html",
        {
            "form": form,
            "ente": ente,
            "titolo": _("Nuovo accesso"),
            **scelte,
            **_link_anagrafe(request, utente, scelte["persona_scelta"]),
        },
    )


def _casi_leggibili(utente: Utente, accesso: Accesso) -> list[Caso]:
    """The cases opened from ``accesso`` that ``utente`` may read (need-to-know: a colleague
    of the ente who is not on the case does not see it)."""
    casi = (
        Caso.objects.per_utente_o_equipe(utente)
        .filter(accesso=accesso)
        .select_related("ente__superiore")
    )
    return [caso for caso in casi if Sezione.CASO in sezioni_caso(utente, caso)]


@require_GET
def accesso(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_accesso_for_user(utente, pk)
    casi = _casi_leggibili(utente, trovato)
    # Whether a case exists at all (not which one): only to stop opening a second one.
    aperto = Caso.objects.senza_scope().filter(accesso_id=trovato.pk).exists()
    registra_lettura(utente, trovato)
    return render(
        request,
        "cartella/accesso.html",
        {
            "accesso": trovato,
            "area": etichetta_area(trovato.area),
            "casi": casi,
            "puo_aprire": not aperto and trovato.esito != EsitoAccesso.INFORMAZIONE,
        },
    )


@require_http_methods(["GET", "POST"])
def collega_accesso(request: HttpRequest, pk: int) -> HttpResponse:
    """Link an accesso recorded by name only to a person of the anagrafe (and her nucleo)."""
    utente = utente_di(request)
    trovato = access_accesso_for_user(utente, pk)
    if trovato.persona_id is not None:
        return render(
            request,
            "cartella/collega_accesso.html",
            {"accesso": trovato, "titolo": _("Collega a una persona"), "collegato": True},
        )
    persone = Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(ente=trovato.ente_id)
    nuclei = Nucleo.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(ente=trovato.ente_id)
    scelte = _scelte(request, persone, nuclei)
    if request.method == "GET" and not scelte["testo"] and scelte["persona_scelta"] is None:
        scelte["testo"] = trovato.nominativo[:LUNGHEZZA_RICERCA]
        scelte["trovate"] = cerca_persone(persone, scelte["testo"], limite=RISULTATI_RICERCA)
        scelte["offerte_persone"] = scelte["trovate"]
    form = CollegaForm(
        _inviato(request),
        initial={"persona": scelte["persona_scelta"], "nucleo": scelte["nucleo_scelto"]},
    )
    scelte_limitate(form.fields["persona"], persone, scelte["offerte_persone"])
    scelte_limitate(form.fields["nucleo"], nuclei, scelte["offerte_nuclei"])
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_collega_accesso(
                trovato,
                persona=form.cleaned_data["persona"],
                nucleo=form.cleaned_data["nucleo"],
                acting_user=utente,
            )
        except ValidationError as errore:
            riporta_errori(form, errore)
        else:
            messages.success(request, _("Accesso collegato alla persona."))
            return redirect("cartella:accesso", pk=trovato.pk)
    return render(
        request,
        "cartella/collega_accesso.html",
        {
            "form": form,
            "accesso": trovato,
            "titolo": _("Collega a una persona"),
            **scelte,
            **_link_anagrafe(request, utente, scelte["persona_scelta"]),
        },
    )


@require_http_methods(["GET", "POST"])
def apri_caso(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_accesso_for_user(utente, pk)
    if trovato.persona_id is None:
        messages.info(request, _("Per aprire un caso collega prima l'accesso a una persona."))
        return redirect("cartella:collega_accesso", pk=trovato.pk)
    ente = Ente.objects.get(pk=trovato.ente_id)
    persone = Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(pk=trovato.persona_id)
    nuclei = (
        Nucleo.objects.per_utente(utente, ruoli=RUOLI_LETTURA)
        .filter(ente=ente, membri__persona_id=trovato.persona_id)
        .distinct()
    )
    form = AperturaForm(
        _inviato(request),
        ente=ente,
        persone=persone,
        nuclei=nuclei,
        initial={
            "persona": trovato.persona_id,
            "nucleo": trovato.nucleo_id,
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
