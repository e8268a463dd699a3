"""The anagrafe's API (``/api/v1/``): persons and nuclei, for the web session and for tokens.

Same rules as the pages (:mod:`equo.web.anagrafe.views`): rows come through the caller's scope
(404 for another ente's, as for missing ones), writes need ``anagrafe.modifica`` on the object
(403) and go through the actions of :mod:`equo.web.anagrafe.actions` (validation and one audit
row each); the detail of a person or a nucleo writes one ``lettura`` row, lists write none. A
token needs its permission (``persone:leggi``...) and sees only its own ente.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import P, PathEx, Query, Router, Status

from equo.web.anagrafe import territorio
from equo.web.anagrafe.actions import (
    do_aggiungi_membro,
    do_crea_nucleo,
    do_crea_persona,
    do_modifica_persona,
)
from equo.web.anagrafe.api_schemi import (
    ID_MASSIMO,
    FiltriNuclei,
    FiltriPersone,
    MembroIn,
    MembroOut,
    NucleoDati,
    NucleoDettaglio,
    NucleoIn,
    PaginaNuclei,
    PaginaPersone,
    PersonaDati,
    PersonaDettaglio,
    PersonaIn,
    PersonaModifica,
)
from equo.web.anagrafe.codice_fiscale import (
    dati_del_codice,
    errore_codice_fiscale,
    normalizza_codice_fiscale,
)
from equo.web.anagrafe.models import (
    Contatto,
    Indirizzo,
    Membro,
    Nucleo,
    Persona,
)
from equo.web.anagrafe.permessi import RUOLI_LETTURA, RUOLI_SCRITTURA
from equo.web.anagrafe.ricerca import cerca_persone
from equo.web.api.errori import DatiNonValidiError
from equo.web.api.models import PermessoApi
from equo.web.api.sicurezza import Chiamante, accesso, chiamante_di
from equo.web.audit.registro import registra_lettura
from equo.web.enti.models import Ente

__all__ = ["router"]

CONSULTA = "anagrafe.consulta"
MODIFICA = "anagrafe.modifica"
#: A search (``q``) returns at most this many persons, best first.
MASSIMO_RICERCA = 100

#: Model fields whose errors belong to another field of the API.
CAMPI_PERSONA: Mapping[str, str] = {
    "nascita_luogo": "nascita_codice_catastale",
    "nascita_codice_istat": "nascita_codice_catastale",
    "residenza_comune": "residenza_codice_istat",
}

router = Router(tags=["anagrafe"])

_CAMPI_INDIRIZZO = ("id", "tipo", "via", "civico", "cap", "comune_codice_istat", "comune")
IdPersona = PathEx[int, P(ge=1, le=ID_MASSIMO, description="Id della persona.")]
IdNucleo = PathEx[int, P(ge=1, le=ID_MASSIMO, description="Id del nucleo.")]


# --- Persons: output ----------------------------------------------------------------------------


def _persona_dati(persona: Persona) -> dict[str, Any]:
    return {
        "id": persona.pk,
        "ente": persona.ente_id,
        "cognome": persona.cognome,
        "nome": persona.nome,
        "codice_fiscale": persona.codice_fiscale,
        "sesso": persona.sesso,
        "data_nascita": persona.data_nascita,
        "nascita_codice_catastale": persona.nascita_codice_catastale,
        "nascita_codice_istat": persona.nascita_codice_istat,
        "nascita_luogo": persona.nascita_luogo,
        "cittadinanza": persona.cittadinanza,
        "residenza_codice_istat": persona.residenza_codice_istat,
        "residenza_comune": persona.residenza_comune,
        "note": persona.note,
        "creato_il": persona.creato_il,
    }


# --- Persons: input (the web form's translation, with codes instead of names) -----------------


def _luogo_nascita(
    codice: str, belfiore: str, data_nascita: dt.date, errori: dict[str, list[str]]
) -> dict[str, str]:
    """The place-of-birth fields, from the Belfiore code or, if empty, from the codice fiscale."""
    if not belfiore:
        dati = dati_del_codice(codice) if not errore_codice_fiscale(codice) else None
        if dati is None:
            if not errore_codice_fiscale(codice):  # a provisional code encodes no place
                errori.setdefault("nascita_codice_catastale", []).append(
                    _("Con un codice fiscale provvisorio indica il codice catastale del luogo.")
                )
            return {}
        belfiore = dati.belfiore
    luoghi = territorio.luoghi_per_codice(belfiore, data_nascita)
    if not luoghi:
        errori.setdefault("nascita_codice_catastale", []).append(
            _("Nessun comune né Stato estero con il codice catastale %(codice)s.")
            % {"codice": belfiore}
        )
        return {}
    luogo = luoghi[0]
    return {
        "nascita_codice_catastale": luogo.codice_catastale,
        "nascita_codice_istat": luogo.codice_istat,
        "nascita_luogo": luogo.etichetta,
    }


def _residenza(codice_istat: str, errori: dict[str, list[str]]) -> dict[str, str]:
    codice_istat = codice_istat.strip()
    if not codice_istat:
        return {"residenza_codice_istat": "", "residenza_comune": ""}
    comune = territorio.comune_per_istat(codice_istat)
    if comune is None:
        errori.setdefault("residenza_codice_istat", []).append(
            _("Nessun comune italiano di oggi ha questo codice ISTAT.")
        )
        return {}
    return {"residenza_codice_istat": comune.codice_istat, "residenza_comune": comune.etichetta}


def _dati_persona(
    chiamante: Chiamante,
    ente: Ente,
    valori: Mapping[str, Any],
    persona: Persona | None = None,
) -> dict[str, Any]:
    """The model's field values for ``valori`` (only the fields sent, for a change);
    :class:`DatiNonValidiError` for what the form would refuse too."""
    errori: dict[str, list[str]] = {}
    dati: dict[str, Any] = {
        campo: valori[campo].strip() if isinstance(valori[campo], str) else valori[campo]
        for campo in ("cognome", "nome", "sesso", "data_nascita", "note")
        if campo in valori
    }
    if "cittadinanza" in valori:
        dati["cittadinanza"] = valori["cittadinanza"].strip().upper()
    codice = normalizza_codice_fiscale(
        valori.get("codice_fiscale", persona.codice_fiscale if persona else "")
    )
    if "codice_fiscale" in valori:
        dati["codice_fiscale"] = codice
        errore = errore_codice_fiscale(codice)
        if errore:
            errori["codice_fiscale"] = [errore]
        else:
            doppioni = chiamante.visibili(Persona, ruoli=RUOLI_LETTURA).filter(
                ente=ente, codice_fiscale=codice
            )
            if persona is not None:
                doppioni = doppioni.exclude(pk=persona.pk)
            esistente = doppioni.values_list("pk", flat=True).first()
            if esistente is not None:
                errori["codice_fiscale"] = [
                    _("Questa persona è già in anagrafe: id %(id)s.") % {"id": esistente}
                ]
    luogo_cambiato = {"nascita_codice_catastale", "data_nascita", "codice_fiscale"} & set(valori)
    if luogo_cambiato and "codice_fiscale" not in errori:
        belfiore = valori.get(
            "nascita_codice_catastale", persona.nascita_codice_catastale if persona else ""
        )
        data_nascita = valori.get("data_nascita", persona.data_nascita if persona else None)
        if data_nascita is not None:
            dati.update(_luogo_nascita(codice, belfiore.strip().upper(), data_nascita, errori))
    if "residenza_codice_istat" in valori:
        dati.update(_residenza(valori["residenza_codice_istat"], errori))
    if errori:
        raise DatiNonValidiError(errori)
    return dati


# --- Persons: operations ------------------------------------------------------------------------


@router.get(
    "/persone/",
    response=PaginaPersone,
    url_name="persone",
    auth=accesso(PermessoApi.PERSONE_LEGGI, CONSULTA),
    summary="Elenco e ricerca delle persone",
)
def persone(request: HttpRequest, filtri: Query[FiltriPersone]) -> dict[str, Any]:
    """Le persone visibili al chiamante, in ordine alfabetico; con ``q``, i risultati della
    ricerca (i migliori prima, al massimo 100). I filtri si combinano."""
    chiamante = chiamante_di(request)
    elenco = chiamante.visibili(Persona, ruoli=RUOLI_LETTURA)
    if filtri.cognome:
        elenco = elenco.filter(cognome__iexact=filtri.cognome.strip())
    if filtri.nome:
        elenco = elenco.filter(nome__iexact=filtri.nome.strip())
    if filtri.codice_fiscale:
        elenco = elenco.filter(codice_fiscale=normalizza_codice_fiscale(filtri.codice_fiscale))
    if filtri.residenza_codice_istat:
        elenco = elenco.filter(residenza_codice_istat=filtri.residenza_codice_istat.strip())
    fine = filtri.offset + filtri.limit
    testo = (filtri.q or "").strip()
    if testo:
        trovate = cerca_persone(elenco, testo, limite=MASSIMO_RICERCA)
        totale, pagina = len(trovate), trovate[filtri.offset : fine]
    else:
        totale, pagina = elenco.count(), list(elenco[filtri.offset : fine])
    return {
        "totale": totale,
        "limit": filtri.limit,
        "offset": filtri.offset,
        "risultati": [_persona_dati(p) for p in pagina],
    }


@router.post(
    "/persone/",
    response={201: PersonaDati},
    url_name="crea_persona",
    auth=accesso(PermessoApi.PERSONE_SCRIVI, MODIFICA),
    summary="Inserimento di una persona",
)
def crea_persona(request: HttpRequest, dati: PersonaIn) -> Status[dict[str, Any]]:
    """Inserisce una persona nell'ente del token (o nell'ente attivo della sessione), con gli
    stessi controlli della pagina web (codice fiscale coerente con i dati di nascita, doppioni)."""
    chiamante = chiamante_di(request)
    ente = chiamante.ente_per_scrivere(request, RUOLI_SCRITTURA)
    valori = _dati_persona(chiamante, ente, dati.model_dump())
    try:
        persona = do_crea_persona(ente=ente, dati=valori, acting_user=chiamante.utente)
    except ValidationError as errore:
        raise DatiNonValidiError.da_validazione(errore, CAMPI_PERSONA) from None
    return Status(201, _persona_dati(persona))


@router.get(
    "/persone/{persona_id}/",
    response=PersonaDettaglio,
    url_name="persona",
    auth=accesso(PermessoApi.PERSONE_LEGGI, CONSULTA),
    summary="Scheda di una persona",
)
def persona(request: HttpRequest, persona_id: IdPersona) -> dict[str, Any]:
    """Tutto ciò che l'anagrafe sa di una persona: indirizzi, contatti, nuclei. Ogni lettura è
    registrata nel registro di audit."""
    chiamante = chiamante_di(request)
    trovata = chiamante.accedi(Persona, persona_id, ruoli=RUOLI_LETTURA)

    def della_persona(modello: Any) -> Any:
        return chiamante.visibili(modello, ruoli=RUOLI_LETTURA).filter(persona=trovata)

    indirizzi = list(della_persona(Indirizzo).values(*_CAMPI_INDIRIZZO))
    contatti = list(della_persona(Contatto).values("id", "tipo", "valore", "descrizione"))
    appartenenze = [
        {
            "membro": m.pk,
            "nucleo": m.nucleo_id,
            "denominazione": m.nucleo.denominazione,
            "tipo": m.nucleo.tipo,
            "relazione": m.relazione,
            "dal": m.dal,
            "al": m.al,
        }
        for m in della_persona(Membro).select_related("nucleo").order_by("-dal", "pk")
    ]
    registra_lettura(chiamante.utente, trovata)
    return {
        **_persona_dati(trovata),
        "indirizzi": indirizzi,
        "contatti": contatti,
        "nuclei": appartenenze,
    }


@router.patch(
    "/persone/{persona_id}/",
    response=PersonaDati,
    url_name="modifica_persona",
    auth=accesso(PermessoApi.PERSONE_SCRIVI, MODIFICA),
    summary="Modifica di una persona",
)
def modifica_persona(
    request: HttpRequest, dati: PersonaModifica, persona_id: IdPersona
) -> dict[str, Any]:
    """Cambia solo i campi inviati. Una modifica che non cambia nulla non scrive nulla."""
    chiamante = chiamante_di(request)
    trovata = chiamante.accedi(Persona, persona_id, ruoli=RUOLI_LETTURA)
    chiamante.verifica(MODIFICA, trovata)
    ente = Ente.objects.get(pk=trovata.ente_id)
    inviati = dati.model_dump(exclude_unset=True, exclude_none=True)
    valori = _dati_persona(chiamante, ente, inviati, trovata)
    try:
        do_modifica_persona(trovata, valori, acting_user=chiamante.utente)
    except ValidationError as errore:
        raise DatiNonValidiError.da_validazione(errore, CAMPI_PERSONA) from None
    return _persona_dati(trovata)


# --- Nuclei -------------------------------------------------------------------------------------


def _nucleo_dati(nucleo: Nucleo) -> dict[str, Any]:
    return {
        "id": nucleo.pk,
        "ente": nucleo.ente_id,
        "tipo": nucleo.tipo,
        "denominazione": nucleo.denominazione,
        "note": nucleo.note,
        "creato_il": nucleo.creato_il,
    }


def _membro_dati(membro: Membro, persona: Persona) -> dict[str, Any]:
    return {
        "id": membro.pk,
        "persona": {
            "id": persona.pk,
            "cognome": persona.cognome,
            "nome": persona.nome,
            "codice_fiscale": persona.codice_fiscale,
        },
        "relazione": membro.relazione,
        "dal": membro.dal,
        "al": membro.al,
        "attivo": membro.attivo,
    }


def _membri(chiamante: Chiamante, nucleo: Nucleo) -> list[dict[str, Any]]:
    membri = (
        chiamante.visibili(Membro, ruoli=RUOLI_LETTURA)
        .filter(nucleo=nucleo)
        .select_related("persona")
        .order_by("al", "relazione", "persona__data_nascita", "pk")
    )
    return [_membro_dati(m, m.persona) for m in membri]


@router.get(
    "/nuclei/",
    response=PaginaNuclei,
    url_name="nuclei",
    auth=accesso(PermessoApi.NUCLEI_LEGGI, CONSULTA),
    summary="Elenco dei nuclei",
)
def nuclei(request: HttpRequest, filtri: Query[FiltriNuclei]) -> dict[str, Any]:
    """I nuclei visibili al chiamante, per denominazione, con il numero dei componenti attuali."""
    chiamante = chiamante_di(request)
    elenco = chiamante.visibili(Nucleo, ruoli=RUOLI_LETTURA)
    if filtri.tipo:
        elenco = elenco.filter(tipo=filtri.tipo)
    if filtri.denominazione:
        elenco = elenco.filter(denominazione__icontains=filtri.denominazione.strip())
    if filtri.persona:
        elenco = elenco.filter(
            pk__in=chiamante.visibili(Membro, ruoli=RUOLI_LETTURA)
            .filter(persona_id=filtri.persona)
            .values("nucleo_id")
        )
    oggi = timezone.localdate()
    attivi = Q(membri__al__isnull=True) | Q(membri__al__gte=oggi)
    pagina = elenco.annotate(componenti=Count("membri", filter=attivi)).order_by(
        "denominazione", "pk"
    )[filtri.offset : filtri.offset + filtri.limit]
    return {
        "totale": elenco.count(),
        "limit": filtri.limit,
        "offset": filtri.offset,
        "risultati": [
            {
                "id": n.pk,
                "ente": n.ente_id,
                "tipo": n.tipo,
                "denominazione": n.denominazione,
                "componenti": n.componenti,
            }
            for n in pagina
        ],
    }


@router.post(
    "/nuclei/",
    response={201: NucleoDati},
    url_name="crea_nucleo",
    auth=accesso(PermessoApi.NUCLEI_SCRIVI, MODIFICA),
    summary="Creazione di un nucleo",
)
def crea_nucleo(request: HttpRequest, dati: NucleoIn) -> Status[dict[str, Any]]:
    """Crea un nucleo (famiglia anagrafica o nucleo ISEE) senza componenti."""
    chiamante = chiamante_di(request)
    ente = chiamante.ente_per_scrivere(request, RUOLI_SCRITTURA)
    valori = {
        "tipo": dati.tipo,
        "denominazione": dati.denominazione.strip(),
        "note": dati.note.strip(),
    }
    try:
        nucleo = do_crea_nucleo(ente=ente, dati=valori, acting_user=chiamante.utente)
    except ValidationError as errore:
        raise DatiNonValidiError.da_validazione(errore) from None
    return Status(201, _nucleo_dati(nucleo))


@router.get(
    "/nuclei/{nucleo_id}/",
    response=NucleoDettaglio,
    url_name="nucleo",
    auth=accesso(PermessoApi.NUCLEI_LEGGI, CONSULTA),
    summary="Scheda di un nucleo con i componenti",
)
def nucleo(request: HttpRequest, nucleo_id: IdNucleo) -> dict[str, Any]:
    """Un nucleo con i componenti, attuali e passati. Ogni lettura è registrata."""
    chiamante = chiamante_di(request)
    trovato = chiamante.accedi(Nucleo, nucleo_id, ruoli=RUOLI_LETTURA)
    membri = _membri(chiamante, trovato)
    registra_lettura(chiamante.utente, trovato)
    return {**_nucleo_dati(trovato), "membri": membri}


@router.get(
    "/nuclei/{nucleo_id}/membri/",
    response=list[MembroOut],
    url_name="membri",
    auth=accesso(PermessoApi.NUCLEI_LEGGI, CONSULTA),
    summary="Componenti di un nucleo",
)
def membri(request: HttpRequest, nucleo_id: IdNucleo) -> list[dict[str, Any]]:
    """I componenti di un nucleo, attuali e passati. Ogni lettura è registrata."""
    chiamante = chiamante_di(request)
    trovato = chiamante.accedi(Nucleo, nucleo_id, ruoli=RUOLI_LETTURA)
    elenco = _membri(chiamante, trovato)
    registra_lettura(chiamante.utente, trovato)
    return elenco


@router.post(
    "/nuclei/{nucleo_id}/membri/",
    response={201: MembroOut},
    url_name="aggiungi_membro",
    auth=accesso(PermessoApi.NUCLEI_SCRIVI, MODIFICA),
    summary="Aggiunta di un componente",
)
def aggiungi_membro(
    request: HttpRequest, dati: MembroIn, nucleo_id: IdNucleo
) -> Status[dict[str, Any]]:
    """Aggiunge al nucleo una persona della sua stessa anagrafe, con la relazione (codici INPS
    della DSU) e la data di inizio (vuota: oggi)."""
    chiamante = chiamante_di(request)
    trovato = chiamante.accedi(Nucleo, nucleo_id, ruoli=RUOLI_LETTURA)
    chiamante.verifica(MODIFICA, trovato)
    persona = (
        chiamante.visibili(Persona, ruoli=RUOLI_LETTURA)
        .filter(ente_id=trovato.ente_id, pk=dati.persona)
        .first()
    )
    if persona is None:
        raise DatiNonValidiError(
            {"persona": [_("Nessuna persona con questo id nell'anagrafe dell'ente del nucleo.")]}
        )
    valori = {"relazione": dati.relazione, "dal": dati.dal or timezone.localdate(), "al": dati.al}
    try:
        membro = do_aggiungi_membro(trovato, persona, dati=valori, acting_user=chiamante.utente)
    except ValidationError as errore:
        raise DatiNonValidiError.da_validazione(errore) from None
    return Status(201, _membro_dati(membro, persona))
