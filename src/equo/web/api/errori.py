"""The API's error answers: JSON, Italian, one shape.

| status | body |
|---|---|
| 401 | ``{"detail": "..."}`` and ``WWW-Authenticate: Bearer`` |
| 400 | ``{"detail": "..."}``: the body is not JSON |
| 403, 404 | ``{"detail": "..."}`` (404 also for another ente's objects) |
| 422 | ``{"detail": "Dati non validi.", "errori": {"campo": ["messaggio", ...]}}`` |

422 comes from the schema (types, lengths, required fields: pydantic's errors, in Italian) or
from the data rules of the models (``full_clean`` in the actions, the same as the web forms).
Errors of the whole request are under ``"__all__"``, as in Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as ErroreDjango
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as ErroreSchema

if TYPE_CHECKING:
    from ninja import NinjaAPI

__all__ = ["DatiNonValidiError", "installa_gestori", "testo_senza_controllo"]

DATI_NON_VALIDI = "Dati non validi."

_MESSAGGI: dict[str, str] = {
    "missing": "Campo obbligatorio.",
    "string_type": "Deve essere un testo.",
    "string_too_short": "Almeno {min_length} caratteri.",
    "string_too_long": "Al massimo {max_length} caratteri.",
    "string_pattern_mismatch": "Formato non valido.",
    "string_unicode": "Contiene caratteri non ammessi.",
    "int_type": "Deve essere un numero intero.",
    "int_parsing": "Deve essere un numero intero.",
    "int_from_float": "Deve essere un numero intero.",
    "greater_than": "Deve essere maggiore di {gt}.",
    "greater_than_equal": "Deve essere almeno {ge}.",
    "less_than": "Deve essere minore di {lt}.",
    "less_than_equal": "Deve essere al massimo {le}.",
    "bool_type": "Deve essere true o false.",
    "bool_parsing": "Deve essere true o false.",
    "date_type": "Data non valida: usa il formato AAAA-MM-GG.",
    "date_parsing": "Data non valida: usa il formato AAAA-MM-GG.",
    "date_from_datetime_parsing": "Data non valida: usa il formato AAAA-MM-GG.",
    "date_from_datetime_inexact": "Data non valida: usa il formato AAAA-MM-GG.",
    "enum": "Valore non ammesso: scegli tra {expected}.",
    "literal_error": "Valore non ammesso: scegli tra {expected}.",
    "list_type": "Deve essere una lista.",
    "model_type": "Deve essere un oggetto JSON.",
    "model_attributes_type": "Deve essere un oggetto JSON.",
    "dict_type": "Deve essere un oggetto JSON.",
    "json_invalid": "JSON non valido.",
    "json_type": "JSON non valido.",
    "extra_forbidden": "Campo non previsto.",
}


class DatiNonValidiError(Exception):
    """Data refused by the rules of the models: 422 with a list of messages per field."""

    def __init__(self, errori: Mapping[str, list[str]]) -> None:
        super().__init__(dict(errori))
        self.errori = {campo: list(messaggi) for campo, messaggi in errori.items()}

    @classmethod
    def da_validazione(
        cls, errore: ErroreDjango, campi: Mapping[str, str] | None = None
    ) -> DatiNonValidiError:
        """From Django's ``ValidationError`` (``campi``: model field → API field)."""
        mappa = campi or {}
        dizionario = (
            errore.message_dict
            if hasattr(errore, "error_dict")
            else {NON_FIELD_ERRORS: errore.messages}
        )
        errori: dict[str, list[str]] = {}
        for campo, messaggi in dizionario.items():
            errori.setdefault(mappa.get(campo, campo), []).extend(str(m) for m in messaggi)
        return cls(errori)


def testo_senza_controllo(valore: str) -> str:
    """Refuse NUL and lone surrogates: the databases cannot store them (a pydantic validator)."""
    if "\x00" in valore or any(0xD800 <= ord(c) <= 0xDFFF for c in valore):
        raise ValueError("Contiene caratteri non ammessi.")
    return valore


def _messaggio(errore: Mapping[str, Any]) -> str:
    tipo = str(errore.get("type", ""))
    contesto = errore.get("ctx") or {}
    if tipo == "value_error":
        return str(errore.get("msg", "")).removeprefix("Value error, ")
    modello = _MESSAGGI.get(tipo)
    if modello is None:
        return str(errore.get("msg", DATI_NON_VALIDI))
    try:
        return modello.format(**contesto)
    except (KeyError, IndexError):
        return modello.split(":")[0].rstrip(".") + "."


def _campo(loc: list[Any] | tuple[Any, ...]) -> str:
    # ("body", "dati", "cognome") → "cognome"; ("query", "limit") → "limit"; ("body", "dati") → all
    parti = [str(p) for p in loc]
    if parti and parti[0] == "body":
        parti = parti[2:]
    elif parti:
        parti = parti[1:]
    return ".".join(parti) or NON_FIELD_ERRORS


def errori_dello_schema(errori: list[dict[str, Any]]) -> dict[str, list[str]]:
    risultato: dict[str, list[str]] = {}
    for errore in errori:
        risultato.setdefault(_campo(errore.get("loc", ())), []).append(_messaggio(errore))
    return risultato


def installa_gestori(api: NinjaAPI) -> None:
    """Register the handlers above on ``api``."""

    def risposta(request: HttpRequest, corpo: dict[str, Any], stato: int) -> HttpResponse:
        return api.create_response(request, corpo, status=stato)

    def non_autenticato(request: HttpRequest, exc: Any) -> HttpResponse:
        messaggio = str(exc)
        if messaggio == "Unauthorized":  # ninja's own: nobody authenticated at all
            messaggio = "Autenticazione richiesta: accedi, o invia Authorization: Bearer <token>."
        r = risposta(request, {"detail": messaggio}, 401)
        r["WWW-Authenticate"] = 'Bearer realm="equo"'
        return r

    def errore_http(request: HttpRequest, exc: Any) -> HttpResponse:
        messaggio = str(exc)
        if messaggio.startswith("Cannot parse request body"):  # ninja's own, in English
            messaggio = "Il corpo della richiesta non è JSON valido."
        return risposta(request, {"detail": messaggio}, exc.status_code)

    def non_trovato(request: HttpRequest, exc: Any) -> HttpResponse:
        return risposta(request, {"detail": "Non trovato."}, 404)

    def negato(request: HttpRequest, exc: Any) -> HttpResponse:
        return risposta(request, {"detail": "Permesso negato."}, 403)

    def schema(request: HttpRequest, exc: Any) -> HttpResponse:
        corpo = {"detail": DATI_NON_VALIDI, "errori": errori_dello_schema(exc.errors)}
        return risposta(request, corpo, 422)

    def dati(request: HttpRequest, exc: Any) -> HttpResponse:
        return risposta(request, {"detail": DATI_NON_VALIDI, "errori": exc.errori}, 422)

    def validazione(request: HttpRequest, exc: Any) -> HttpResponse:
        return dati(request, DatiNonValidiError.da_validazione(exc))

    api.add_exception_handler(AuthenticationError, non_autenticato)
    api.add_exception_handler(HttpError, errore_http)
    api.add_exception_handler(Http404, non_trovato)
    api.add_exception_handler(PermissionDenied, negato)
    api.add_exception_handler(ErroreSchema, schema)
    api.add_exception_handler(DatiNonValidiError, dati)
    api.add_exception_handler(ErroreDjango, validazione)
