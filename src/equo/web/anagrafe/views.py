"""The anagrafe's pages: persons (list and search, detail, forms), nuclei, rete sociale.

Every object is fetched through an ``access_*_for_user`` helper (404 for another ente's data,
as for data that does not exist); writing needs the ``anagrafe.modifica`` permission in the
object's ente (403 otherwise). Pages work without JavaScript; with htmx the search answers
while typing (only the results are sent back) and the place fields suggest comuni and states.
The detail pages of a person and of a nucleo write one audit row (a read) per view.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equo.web.accounts.models import Utente
from equo.web.anagrafe import territorio
from equo.web.anagrafe.actions import (
    do_aggiungi_contatto,
    do_aggiungi_legame,
    do_aggiungi_membro,
    do_crea_nucleo,
    do_crea_persona,
    do_elimina_contatto,
    do_elimina_legame,
    do_modifica_membro,
    do_modifica_persona,
    do_salva_indirizzo,
)
from equo.web.anagrafe.forms import (
    ContattoForm,
    IndirizzoForm,
    LegameForm,
    MembroForm,
    NucleoForm,
    PersonaForm,
    riporta_errori,
)
from equo.web.anagrafe.models import (
    Contatto,
    Indirizzo,
    LegameRete,
    Membro,
    Nucleo,
    Persona,
    TipoIndirizzo,
)
from equo.web.anagrafe.permessi import (
    RUOLI_LETTURA,
    RUOLI_SCRITTURA,
    access_contatto_for_user,
    access_legame_for_user,
    access_membro_for_user,
    access_nucleo_for_user,
    access_persona_for_user,
)
from equo.web.anagrafe.ricerca import cerca_persone
from equo.web.anagrafe.ritorno import con_ritorno, indirizzo_di_ritorno
from equo.web.audit.registro import registra_lettura
from equo.web.enti.attivo import ente_attivo
from equo.web.enti.models import Ente
from equo.web.enti.scoping import enti_visibili
from equo.web.ui.http import utente_di

CONSULTA = "anagrafe.consulta"
MODIFICA = "anagrafe.modifica"
PER_PAGINA = 25
LUNGHEZZA_RICERCA = 100


def _parziale(request: HttpRequest) -> bool:
    """An htmx request for a fragment (not htmx restoring a page from its history)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _con_vary(risposta: HttpResponse) -> HttpResponse:
    # The same URL answers a whole page or a fragment: caches must keep them apart.
    patch_vary_headers(risposta, ["HX-Request"])
    return risposta


def _modificabile(utente: Utente, oggetto: Any) -> None:
    if not utente.has_perm(MODIFICA, oggetto):
        raise PermissionDenied


def _ente_per_scrivere(request: HttpRequest, utente: Utente) -> Ente:
    """The active ente, if the user may write the anagrafe there (403 otherwise)."""
    ente = ente_attivo(request)
    if ente is None or not enti_visibili(utente, ruoli=RUOLI_SCRITTURA).filter(pk=ente.pk).exists():
        raise PermissionDenied
    return ente


# --- Persons ------------------------------------------------------------------------------------


@require_GET
@permission_required(CONSULTA, raise_exception=True)
def persone(request: HttpRequest) -> HttpResponse:
    """The persons the user may see: alphabetical and paged, or the results of a search."""
    utente = utente_di(request)
    visibili = Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).select_related("ente")
    testo = request.GET.get("q", "").strip()[:LUNGHEZZA_RICERCA]
    contesto: dict[str, Any] = {"testo": testo, "pagina": None, "risultati": None}
    if testo:
        contesto["risultati"] = cerca_persone(visibili, testo)
    else:
        contesto["pagina"] = Paginator(visibili, PER_PAGINA).get_page(request.GET.get("pagina"))
    contesto["puo_creare"] = utente.has_perm(MODIFICA)
    contesto["parziale"] = parziale = _parziale(request)
    modello = "anagrafe/_persone_risultati.html" if parziale else "anagrafe/persone.html"
    return _con_vary(render(request, modello, contesto))


@require_http_methods(["GET", "POST"])
@permission_required(MODIFICA, raise_exception=True)
def nuova_persona(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    ente = _ente_per_scrivere(request, utente)
    form = PersonaForm(request.POST or None, ente=ente, utente=utente)
    if request.method == "POST" and form.is_valid():
        try:
            persona = do_crea_persona(ente=ente, dati=form.dati_persona(), acting_user=utente)
        except ValidationError as errore:
            riporta_errori(form, errore, PersonaForm.CAMPI_MODELLO)
        else:
            messages.success(request, _("Persona inserita in anagrafe."))
            ritorno = indirizzo_di_ritorno(request, persona=persona.pk)
            return redirect(ritorno or reverse("anagrafe:persona", kwargs={"pk": persona.pk}))
    return render(
        request,
        "anagrafe/persona_form.html",
        {"form": form, "ente": ente, "titolo": _("Nuova persona")},
    )


@require_GET
def persona(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the anagrafe knows of a person (a sensitive read: one audit row per view)."""
    utente = utente_di(request)
    trovata = access_persona_for_user(utente, pk)

    def della_persona(modello: Any) -> Any:
        return modello.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(persona=trovata)

    contesto = {
        "persona": trovata,
        "ente": Ente.objects.get(pk=trovata.ente_id),
        "indirizzi": list(della_persona(Indirizzo)),
        "contatti": list(della_persona(Contatto)),
        "appartenenze": list(della_persona(Membro).select_related("nucleo").order_by("-dal")),
        "legami": list(della_persona(LegameRete).select_related("persona_collegata")),
        "nella_rete_di": list(
            LegameRete.objects.per_utente(utente, ruoli=RUOLI_LETTURA)
            .filter(persona_collegata=trovata)
            .select_related("persona")
        ),
        "puo_modificare": utente.has_perm(MODIFICA, trovata),
        "tipi_indirizzo": TipoIndirizzo,
    }
    registra_lettura(utente, trovata)
    return render(request, "anagrafe/persona.html", contesto)


@require_http_methods(["GET", "POST"])
def modifica_persona(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovata = access_persona_for_user(utente, pk)
    _modificabile(utente, trovata)
    ente = Ente.objects.get(pk=trovata.ente_id)
    form = PersonaForm(
        request.POST or None,
        initial=PersonaForm.iniziali(trovata),
        ente=ente,
        utente=utente,
        persona=trovata,
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_modifica_persona(trovata, form.dati_persona(), acting_user=utente)
        except ValidationError as errore:
            riporta_errori(form, errore, PersonaForm.CAMPI_MODELLO)
        else:
            messages.success(request, _("Dati della persona salvati."))
            return redirect("anagrafe:persona", pk=trovata.pk)
    return render(
        request,
        "anagrafe/persona_form.html",
        {"form": form, "ente": ente, "persona": trovata, "titolo": _("Modifica persona")},
    )


@require_http_methods(["GET", "POST"])
def indirizzo(request: HttpRequest, pk: int, tipo: str) -> HttpResponse:
    """The residence or domicile of a person: created, or changed if there is one."""
    utente = utente_di(request)
    trovata = access_persona_for_user(utente, pk)
    if tipo not in TipoIndirizzo.values:
        raise Http404(_("Non trovato."))
    _modificabile(utente, trovata)
    esistente = (
        Indirizzo.objects.per_utente(utente, ruoli=RUOLI_LETTURA)
        .filter(persona=trovata, tipo=tipo)
        .first()
    )
    iniziali = {}
    if esistente is not None:
        iniziali = {
            "via": esistente.via,
            "civico": esistente.civico,
            "cap": esistente.cap,
            "comune": esistente.comune,
        }
    elif tipo == TipoIndirizzo.RESIDENZA and trovata.residenza_comune:
        iniziali = {"comune": trovata.residenza_comune}
    form = IndirizzoForm(request.POST or None, initial=iniziali, persona=trovata, tipo=tipo)
    if request.method == "POST" and form.is_valid():
        try:
            do_salva_indirizzo(trovata, tipo, form.dati_indirizzo(), acting_user=utente)
        except ValidationError as errore:
            riporta_errori(form, errore, IndirizzoForm.CAMPI_MODELLO)
        else:
            messages.success(request, _("Indirizzo salvato."))
            return redirect("anagrafe:persona", pk=trovata.pk)
    titolo = TipoIndirizzo(tipo).label
    return render(
        request,
        "anagrafe/modulo.html",
        {"form": form, "persona": trovata, "titolo": titolo, "azione": _("Salva")},
    )


@require_http_methods(["GET", "POST"])
def nuovo_contatto(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovata = access_persona_for_user(utente, pk)
    _modificabile(utente, trovata)
    form = ContattoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_aggiungi_contatto(trovata, dati=form.cleaned_data, acting_user=utente)
        except ValidationError as errore:
            riporta_errori(form, errore)
        else:
            messages.success(request, _("Contatto aggiunto."))
            return redirect("anagrafe:persona", pk=trovata.pk)
    return render(
        request,
        "anagrafe/modulo.html",
        {"form": form, "persona": trovata, "titolo": _("Nuovo contatto"), "azione": _("Aggiungi")},
    )


@require_http_methods(["GET", "POST"])
def elimina_contatto(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    contatto = access_contatto_for_user(utente, pk)
    _modificabile(utente, contatto)
    persona_id = contatto.persona_id
    if request.method == "POST":
        do_elimina_contatto(contatto, acting_user=utente)
        messages.success(request, _("Contatto eliminato."))
        return redirect("anagrafe:persona", pk=persona_id)
    return render(
        request,
        "anagrafe/conferma.html",
        {"oggetto": contatto, "persona": contatto.persona, "titolo": _("Elimina contatto")},
    )


@require_http_methods(["GET", "POST"])
def nuovo_legame(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovata = access_persona_for_user(utente, pk)
    _modificabile(utente, trovata)
    form = LegameForm(request.POST or None, persona=trovata, utente=utente)
    if request.method == "POST" and form.is_valid():
        try:
            do_aggiungi_legame(trovata, dati=form.dati_legame(), acting_user=utente)
        except ValidationError as errore:
            riporta_errori(form, errore, LegameForm.CAMPI_MODELLO)
        else:
            messages.success(request, _("Legame aggiunto alla rete sociale."))
            return redirect("anagrafe:persona", pk=trovata.pk)
    return render(
        request,
        "anagrafe/modulo.html",
        {
            "form": form,
            "persona": trovata,
            "titolo": _("Nuovo legame della rete sociale"),
            "azione": _("Aggiungi"),
        },
    )


@require_http_methods(["GET", "POST"])
def elimina_legame(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    legame = access_legame_for_user(utente, pk)
    _modificabile(utente, legame)
    persona_id = legame.persona_id
    if request.method == "POST":
        do_elimina_legame(legame, acting_user=utente)
        messages.success(request, _("Legame eliminato dalla rete sociale."))
        return redirect("anagrafe:persona", pk=persona_id)
    return render(
        request,
        "anagrafe/conferma.html",
        {"oggetto": legame, "persona": legame.persona, "titolo": _("Elimina legame")},
    )


@require_GET
def luoghi(request: HttpRequest) -> HttpResponse:
    """``<option>`` suggestions for a place field (comuni of today, or places of birth)."""
    # The input sends its own value under its field name (htmx); ``tipo`` says which table.
    testo = next((request.GET.get(k, "") for k in request.GET if k != "tipo"), "")
    testo = testo[:LUNGHEZZA_RICERCA]
    etichette: list[str]
    if request.GET.get("tipo") == "nascita":
        etichette = [luogo.etichetta for luogo in territorio.cerca_luoghi_nascita(testo)]
    else:
        etichette = [comune.etichetta for comune in territorio.cerca_comuni(testo)]
    return render(request, "anagrafe/_opzioni_luoghi.html", {"etichette": etichette})


# --- Nuclei -------------------------------------------------------------------------------------


@require_GET
@permission_required(CONSULTA, raise_exception=True)
def nuclei(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    oggi = timezone.localdate()
    attivi = Q(membri__al__isnull=True) | Q(membri__al__gte=oggi)
    elenco = (
        Nucleo.objects.per_utente(utente, ruoli=RUOLI_LETTURA)
        .select_related("ente")
        .annotate(componenti=Count("membri", filter=attivi))
        .order_by("denominazione", "pk")
    )
    pagina = Paginator(elenco, PER_PAGINA).get_page(request.GET.get("pagina"))
    return render(
        request,
        "anagrafe/nuclei.html",
        {"pagina": pagina, "puo_creare": utente.has_perm(MODIFICA)},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MODIFICA, raise_exception=True)
def nuovo_nucleo(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    ente = _ente_per_scrivere(request, utente)
    form = NucleoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nucleo = do_crea_nucleo(ente=ente, dati=form.cleaned_data, acting_user=utente)
        except ValidationError as errore:
            riporta_errori(form, errore)
        else:
            messages.success(request, _("Nucleo creato: aggiungi i componenti."))
            if indirizzo_di_ritorno(request) is not None:  # add the person, then go back
                membro = reverse("anagrafe:nuovo_membro", kwargs={"pk": nucleo.pk})
                return redirect(con_ritorno(request, membro, cf=request.GET.get("cf", "")))
            return redirect("anagrafe:nucleo", pk=nucleo.pk)
    return render(
        request,
        "anagrafe/modulo.html",
        {
            "form": form,
            "titolo": _("Nuovo nucleo"),
            "azione": _("Crea"),
            "ente": ente,
            "nucleo": Nucleo(),
        },
    )


@require_GET
def nucleo(request: HttpRequest, pk: int) -> HttpResponse:
    """A nucleo with its members (a sensitive read: one audit row per view)."""
    utente = utente_di(request)
    trovato = access_nucleo_for_user(utente, pk)
    membri = list(
        Membro.objects.per_utente(utente, ruoli=RUOLI_LETTURA)
        .filter(nucleo=trovato)
        .select_related("persona")
        .order_by("al", "relazione", "persona__data_nascita")
    )
    registra_lettura(utente, trovato)
    return render(
        request,
        "anagrafe/nucleo.html",
        {
            "nucleo": trovato,
            "ente": Ente.objects.get(pk=trovato.ente_id),
            "attuali": [m for m in membri if m.attivo],
            "passati": [m for m in membri if not m.attivo],
            "puo_modificare": utente.has_perm(MODIFICA, trovato),
        },
    )


@require_http_methods(["GET", "POST"])
def nuovo_membro(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_nucleo_for_user(utente, pk)
    _modificabile(utente, trovato)
    form = MembroForm(
        request.POST or None,
        initial={"dal": timezone.localdate(), "codice_fiscale": request.GET.get("cf", "")},
        utente=utente,
        ente_id=trovato.ente_id,
    )
    if request.method == "POST" and form.is_valid() and form.persona is not None:
        try:
            do_aggiungi_membro(trovato, form.persona, dati=form.dati_membro(), acting_user=utente)
        except ValidationError as errore:
            riporta_errori(form, errore, form.CAMPI_MODELLO)
        else:
            messages.success(request, _("Componente aggiunto."))
            ritorno = indirizzo_di_ritorno(request, nucleo=trovato.pk, persona=form.persona.pk)
            return redirect(ritorno or reverse("anagrafe:nucleo", kwargs={"pk": trovato.pk}))
    return render(
        request,
        "anagrafe/modulo.html",
        {"form": form, "nucleo": trovato, "titolo": _("Nuovo componente"), "azione": _("Aggiungi")},
    )


@require_http_methods(["GET", "POST"])
def modifica_membro(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a member's relationship or dates; ``al`` records that the person left."""
    utente = utente_di(request)
    membro = access_membro_for_user(utente, pk)
    _modificabile(utente, membro)
    form = MembroForm(
        request.POST or None,
        initial={"relazione": membro.relazione, "dal": membro.dal, "al": membro.al},
        utente=utente,
        ente_id=membro.ente_id,
        nuovo=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_modifica_membro(membro, form.dati_membro(), acting_user=utente)
        except ValidationError as errore:
            riporta_errori(form, errore, form.CAMPI_MODELLO)
        else:
            messages.success(request, _("Componente aggiornato."))
            return redirect("anagrafe:nucleo", pk=membro.nucleo_id)
    return render(
        request,
        "anagrafe/modulo.html",
        {
            "form": form,
            "nucleo": membro.nucleo,
            "persona": membro.persona,
            "titolo": _("Modifica componente: %(nome)s") % {"nome": membro.persona},
            "azione": _("Salva"),
        },
    )
