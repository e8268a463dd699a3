"""Invented anagrafe rows for the tests (valid codici fiscali from equo.synthetic)."""

from __future__ import annotations

import datetime as dt

from equo.synthetic.codice_fiscale import codice_fiscale_sintetico
from equo.web.anagrafe import territorio
from equo.web.anagrafe.models import Persona
from equo.web.enti.models import Ente


def dati_persona(
    cognome: str = "Rossi",
    nome: str = "Maria",
    nascita: dt.date = dt.date(1980, 3, 15),
    sesso: str = "F",
    belfiore: str = "L219",
) -> dict[str, object]:
    """The model fields of a consistent person (codice fiscale, birth data, place)."""
    luogo = territorio.luoghi_per_codice(belfiore, nascita)[0]
    return {
        "cognome": cognome,
        "nome": nome,
        "codice_fiscale": codice_fiscale_sintetico(cognome, nome, nascita, sesso, belfiore),
        "sesso": sesso,
        "data_nascita": nascita,
        "nascita_codice_catastale": luogo.codice_catastale,
        "nascita_codice_istat": luogo.codice_istat,
        "nascita_luogo": luogo.etichetta,
        "residenza_codice_istat": "001013",
        "residenza_comune": "Avigliana (TO)",
    }


def nuova_persona(ente: Ente, **campi: object) -> Persona:
    """A saved person of ``ente`` (no action, no audit row)."""
    persona = Persona(ente=ente, **dati_persona(**campi))  # type: ignore[arg-type]
    persona.full_clean()
    persona.save()
    return persona
