"""The auditors' pages: search the log of their enti, and export it as CSV.

Both are themselves audited (a consultation of the log is a read of sensitive data). An auditor
sees the rows of the enti where they hold the auditor role and of the enti under them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from equo.web.audit.forms import RicercaAuditForm
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.audit.registro import registra_evento
from equo.web.enti.models import Ruolo
from equo.web.enti.scoping import enti_visibili
from equo.web.ui.http import utente_di

PERMESSO = "audit.consulta_registro"
PER_PAGINA = 50
COLONNE = [
    "data_ora",
    "tipo",
    "utente",
    "ente",
    "codice_ipa_ente",
    "oggetto_tipo",
    "oggetto_id",
    "oggetto",
    "modifiche",
    "dettagli",
    "indirizzo_ip",
]


def _ricerca(request: HttpRequest) -> tuple[RicercaAuditForm, Any]:
    utente = utente_di(request)
    enti = enti_visibili(utente, ruoli={Ruolo.AUDITOR})
    form = RicercaAuditForm(request.GET or None, enti=enti)
    eventi = AuditEvent.objects.per_utente(utente, ruoli={Ruolo.AUDITOR}).select_related("ente")
    return form, form.filtra(eventi)


def _filtri(form: RicercaAuditForm) -> dict[str, str]:
    if not form.is_bound:
        return {}
    return {nome: str(valore) for nome, valore in form.data.items() if valore and nome != "pagina"}


@require_GET
@permission_required(PERMESSO, raise_exception=True)
def registro(request: HttpRequest) -> HttpResponse:
    form, eventi = _ricerca(request)
    pagina = Paginator(eventi, PER_PAGINA).get_page(request.GET.get("pagina"))
    registra_evento(
        request.user,
        TipoEvento.LETTURA,
        ente=None,
        dettagli={"registro": "audit", "filtri": _filtri(form), "pagina": pagina.number},
    )
    parametri = request.GET.copy()
    parametri.pop("pagina", None)
    return render(
        request,
        "audit/registro.html",
        {"form": form, "pagina": pagina, "parametri": parametri.urlencode()},
    )


def _cella(valore: object) -> str:
    testo = "" if valore is None else str(valore)
    # Spreadsheets run cells that start with these characters as formulas (CSV injection).
    if testo[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + testo
    return testo


class _Eco:
    def write(self, riga: str) -> str:
        return riga


def _righe(eventi: Any) -> Iterator[str]:
    scrittore = csv.writer(_Eco(), delimiter=";")
    yield "\ufeff" + scrittore.writerow(COLONNE)
    for evento in eventi.iterator(chunk_size=2000):
        yield scrittore.writerow(
            [
                _cella(v)
                for v in (
                    timezone.localtime(evento.creato_il).isoformat(),
                    evento.tipo,
                    evento.utente_nome,
                    evento.ente.nome if evento.ente else "",
                    evento.ente.codice_ipa if evento.ente else "",
                    evento.oggetto_tipo,
                    evento.oggetto_id,
                    evento.oggetto_repr,
                    json.dumps(evento.modifiche, ensure_ascii=False, sort_keys=True),
                    json.dumps(evento.dettagli, ensure_ascii=False, sort_keys=True),
                    evento.indirizzo_ip,
                )
            ]
        )


@require_GET
@permission_required(PERMESSO, raise_exception=True)
def esporta(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered log as CSV (semicolon-separated, UTF-8 with BOM: opens in Excel italiano)."""
    form, eventi = _ricerca(request)
    registra_evento(
        request.user,
        TipoEvento.ESPORTAZIONE,
        ente=None,
        dettagli={"registro": "audit", "filtri": _filtri(form)},
    )
    nome = f"audit-{timezone.localdate():%Y%m%d}.csv"
    risposta = StreamingHttpResponse(_righe(eventi), content_type="text/csv; charset=utf-8")
    risposta["Content-Disposition"] = f'attachment; filename="{nome}"'
    return risposta
