"""The diario sociale pages: write an entry (with its attachments), read one (audited; a riservata
one only for who may) and download an attachment (audited, always as a download)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equo.web.audit.registro import registra_lettura
from equo.web.cartella import actions
from equo.web.cartella import allegati as allegati_file
from equo.web.cartella.forms import VoceDiarioForm
from equo.web.cartella.models import AllegatoDiario, VoceDiario
from equo.web.cartella.permessi import Sezione, access_caso_for_user, e_case_manager
from equo.web.cartella.views._comuni import _al_caso, _figlio, _inviato, _modulo, _salva, _solo_se
from equo.web.ui.http import utente_di


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
            allegati=form.cleaned_data["allegato"],
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
