"""Import and export the DSU as INPS XML (``ISEE_Dichiarazione.xsd``, ver. 1.3).

The INPS schemas carry no licence, so Equo does not ship them: the caller gives the folder that
holds ``ISEE_Dichiarazione.xsd`` and ``ISEE_TipiComuni.xsd`` (argument ``xsd_dir``, or the
environment variable ``EQUO_INPS_XSD_DIR``), as for the attestazione
(:mod:`equo.isee.attestazione.inps_xml`, whose parser and error classes are reused here).

Import, in order: safe parsing (no entities, no DTD, no network; malformed XML gives line and
column), validation against the XSD (each error gives the element path and the reason), mapping
to :class:`~equo.isee.model.DSU`, whose validation errors name the XML element or attribute they
came from. What the XML holds and the model cannot is listed in :attr:`DsuImportata.avvisi`.

Mapping (namespace ``http://inps.it/ISEERiforma``; the full table is in
``docs/guida/xml-inps.md``)::

    Dichiarazione @CodiceFiscaleDichiarante            → the member with rapporto D
      NucleoFamiliare/ComponenteNucleo @Rapporto…      → componenti[i].rapporto
        FoglioComponenteNucleo @CodiceFiscale          → componenti[i]
          DatiComponente @FlagConvivenzaAnagrafica @AttivitaSoggetto / Anagrafica
          PatrimonioMobiliare/Rapporto                 → rapporti
          PatrimonioImmobiliare/Patrimonio             → immobili (foreign: CodiceComuneStato Z…)
          RedditiDaDichiarare, AssegniPeriodici,
          AltriRedditi                                 → redditi
          Disabilita @GradoDisabilita                  → disabilita
      ModelloBase @Tipo=ORD / Abitazione               → abitazione
                  GenitoreNonConvivente                → GNC member, condizione_art_7
                  Residenziale                         → residenziale
                  Universitario (flags only)           → universitario (anno accademico = year
                                                         of the DSU, with an avviso)
      ISEECorrente/Variazione @TipoVariazione          → corrente.variazione_lavoro (A, B, C)
                                                         / interruzione_trattamenti (D)
        @RedditoDipendente12Mesi                       → redditi_correnti: lavoro_dipendente
        @RedditoDipendente12Mesi + @RedditoAutonomo…   →   reddito_complessivo_irpef
        @TrattamentiAssistenziali12Mesi                →   trattamenti_assistenziali
        PatrimonioMobiliare, PatrimonioImmobiliare     → patrimoni_correnti
      ModelloBase @Tipo=RID / NucleoRistretto          → nucleo_ristretto
      Sottoscrizione @DataSottoscrizione               → data_presentazione
                     @ProtocolloMittente               → protocollo

Export (:func:`esporta_dsu_xml`) writes :func:`dsu_come_xml` of the DSU, i.e. the DSU reduced to
what the XSD can hold, so that ``importa_dsu_xml(esporta_dsu_xml(d)).dsu == dsu_come_xml(d)[0]``.
Attributes the XSD requires and the DSU does not know get neutral placeholders (:data:`ND` for
text, :data:`COMUNE_ND` / :data:`STATO_ND` for codes, ``00000`` for the CAP, the DSU date for
dates), which the import reads back as "unknown".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET  # only to build XML: parsing uses xmlschema

import xmlschema
from pydantic import ValidationError
from stdnum.it import codicefiscale

from equo.isee.attestazione.inps_xml import (
    NS,
    AttestazioneXmlError,
    SchemiInpsMancantiError,
    XmlMalformatoError,
    XmlNonValidoError,
    _parse,
    _xsd_errors,
    carica_schema,
)
from equo.isee.errors import field_errors
from equo.isee.model import (
    DSU,
    CondizioneGenitoreNonConvivente,
    RapportoConDichiarante,
    RelazioneBeneficiario,
    TitoloAbitazione,
)
from equo.isee.parameters import load_parameters
from equo.isee.universita import ANNI as ANNI_RESIDENZA
from equo.isee.universita import SOGLIA as SOGLIA_REDDITO

__all__ = [
    "ATTIVITA_SEI_MESI",
    "COMUNE_ND",
    "ND",
    "STATO_ND",
    "XSD_FILES",
    "DsuImportata",
    "DsuIncoerenteError",
    "DsuXmlError",
    "EsportazioneDsuImpossibileError",
    "SchemiInpsMancantiError",
    "XmlMalformatoError",
    "XmlNonValidoError",
    "carica_schema_dsu",
    "dsu_come_xml",
    "esporta_dsu_xml",
    "importa_dsu_xml",
]

XSD_FILES = ("ISEE_Dichiarazione.xsd", "ISEE_TipiComuni.xsd")

ND = "ND"
"""Placeholder for a required text attribute the DSU does not know (read back as unknown)."""
COMUNE_ND = "A000"
"""Placeholder for an unknown Italian comune (no comune has this Belfiore code)."""
STATO_ND = "Z000"
"""Placeholder for an unknown foreign state (no state has this code)."""
CF_ND = "00000000000"
"""Placeholder for an unknown codice fiscale (an 11-digit code, read back as unknown)."""
CAP_ND = "00000"

ATTIVITA_SEI_MESI = frozenset({"LAVIND", "LAVDET", "LAVAUT", "LAVPAR", "LAVCIG"})
"""``AttivitaSoggetto`` codes read as "worked at least six months" (an approximation).

The XML records the member's condition at the DSU, not how long they worked in the income year:
employees (tempo indeterminato or determinato), self-employed, parasubordinati and workers in
cassa integrazione are taken as having worked six months; intermittent (LAVINT) and occasional
(LAVOCC) workers, unemployed, pensioners, homemakers, students and ALTRO are not. Each code other
than LAVIND and LAVAUT adds an avviso, since the duration is uncertain.
"""
_ATTIVITA_INCERTE = frozenset({"LAVDET", "LAVPAR", "LAVCIG", "LAVINT", "LAVOCC"})
_ATTIVITA_EXPORT = "LAVIND"

_DISABILITA = {"DIM": "media", "DIG": "grave", "NAS": "non_autosufficiente"}
_DISABILITA_XML = {v: k for k, v in _DISABILITA.items()}
_TITOLO = {"000": "proprieta", "001": "locazione", "999": "altro"}
_TITOLO_XML = {v: k for k, v in _TITOLO.items()}
_IMMOBILE = {"F": "fabbricato", "TE": "area_fabbricabile", "TA": "terreno_agricolo"}
_IMMOBILE_XML = {v: k for k, v in _IMMOBILE.items()}
_DEPOSITI = frozenset({"01", "03"})
_NOME = re.compile(r"[A-Z\u00c0\u00c8\u00c9\u00cc\u00d2\u00d9' -]*")
_OMOCODIA = str.maketrans("LMNPQRSTUV", "0123456789")


class DsuXmlError(AttestazioneXmlError):
    """Base of the DSU XML errors (shares ``problemi`` with the attestazione errors)."""


class DsuIncoerenteError(DsuXmlError):
    """The XML follows the XSD but the DSU it describes is inconsistent."""


class EsportazioneDsuImpossibileError(DsuXmlError):
    """The DSU holds something the XSD cannot express (e.g. a name with letters it refuses)."""


@dataclass(frozen=True)
class DsuImportata:
    """An imported DSU and what the XML held that the model cannot (never silently dropped)."""

    dsu: DSU
    avvisi: list[str] = field(default_factory=list)


# --- schema -------------------------------------------------------------------------------


def carica_schema_dsu(xsd_dir: Path | None = None) -> xmlschema.XMLSchema10:
    """The INPS DSU schema from ``xsd_dir`` (else from ``$EQUO_INPS_XSD_DIR``)."""
    return carica_schema(xsd_dir, files=XSD_FILES, per="a DSU XML")


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _amount(value: str | None) -> float:
    return float(value) if value is not None else 0.0


def _flag(value: str | None) -> bool:
    return value in ("true", "1")


def _unknown(value: str | None, *placeholders: str) -> str | None:
    return None if value is None or value in ("", *placeholders) else value


def _children(parent: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if parent is None else parent.findall(_q(name))


_REDDITI_ATTR = {
    "reddito_complessivo_irpef": "AltriRedditi/@RedditoIRPEF",
    "redditi_imposta_sostitutiva": "RedditiDaDichiarare/@RedditoImpSost",
    "redditi_esenti": "RedditiDaDichiarare/@RedditiEsentiImposta",
    "redditi_esteri": "RedditiDaDichiarare/@RedditiTassatiEstero",
    "proventi_agrari_irap": "RedditiDaDichiarare/@RedditiIRAP",
    "trattamenti_assistenziali": "RedditiDaDichiarare/@TrattamentiAssistenziali",
    "lavoro_dipendente": "AltriRedditi/@LavoroDipendente",
    "pensione": "AltriRedditi/@Pensione",
    "redditi_agrari": "AltriRedditi/@RedditiAgrari",
    "assegni_coniuge_versati": "AssegniPeriodici/@AssegniConiuge",
    "assegni_figli_versati": "AssegniPeriodici/@AssegniFigli",
    "spese_sanitarie_disabili": "AltriRedditi/@SpeseDetrazione",
}
_COMPONENTE_ATTR = {
    "codice_fiscale": "@CodiceFiscale",
    "cognome": "DatiComponente/Anagrafica/@Cognome",
    "nome": "DatiComponente/Anagrafica/@Nome",
    "data_nascita": "DatiComponente/Anagrafica/@DataNascita",
    "sesso": "DatiComponente/Anagrafica/@Sesso",
    "disabilita": "Disabilita/@GradoDisabilita",
    "attivita_lavorativa_6_mesi": "DatiComponente/@AttivitaSoggetto",
    "convivenza_anagrafica": "DatiComponente/@FlagConvivenzaAnagrafica",
}
_RAPPORTO_ATTR = {
    "tipo": "@TipoRapporto",
    "identificativo": "@Identificativo",
    "codice_fiscale_operatore": "@CodiceFiscaleOperatore",
    "saldo_31_12": "@Saldo3112",
    "giacenza_media": "@ConsistenzaMedia",
    "valore": "@Valore",
}
_IMMOBILE_ATTR = {
    "tipo": "@TipoPatrimonio",
    "estero": "@CodiceComuneStato",
    "codice_comune_stato": "@CodiceComuneStato",
    "quota_posseduta": "@QuotaPosseduta",
    "valore_imu": "@ValoreImu",
    "mutuo_residuo": "@MutuoResiduo",
    "casa_abitazione": "@FlagAbitazione",
}


class _Lettore:
    """Maps the validated tree to model data, remembering where each value came from."""

    def __init__(self) -> None:
        self.percorsi: dict[str, str] = {}  # model path → XML path
        self.avvisi: list[str] = []
        self.problemi: list[str] = []

    def segna(self, model: str, xml: str, attrs: dict[str, str] | None = None) -> None:
        self.percorsi[model] = xml
        for name, rel in (attrs or {}).items():
            self.percorsi[f"{model}.{name}"] = f"{xml}/{rel}"

    def componente(self, foglio: ET.Element, model: str, xml: str) -> dict[str, Any]:
        self.segna(model, xml, _COMPONENTE_ATTR)
        self.segna(f"{model}.redditi", xml, _REDDITI_ATTR)
        dati = foglio.find(_q("DatiComponente"))
        assert dati is not None  # noqa: S101 - required by the XSD, just validated
        anagrafica = dati.find(_q("Anagrafica"))
        assert anagrafica is not None  # noqa: S101 - required by the XSD
        attivita = dati.get("AttivitaSoggetto")
        if attivita in _ATTIVITA_INCERTE:
            lavora = "counted" if attivita in ATTIVITA_SEI_MESI else "not counted"
            self.avvisi.append(
                f"{xml}/DatiComponente/@AttivitaSoggetto: {attivita} says nothing about how long "
                f"the member worked in the income year; {lavora} as work for at least six months "
                "(approximation: check attivita_lavorativa_6_mesi)"
            )
        if dati.find(_q("Residenza")) is not None:
            self.avvisi.append(
                f"{xml}/DatiComponente/Residenza: the address is not kept (not used by the ISEE)"
            )
        data: dict[str, Any] = {
            "codice_fiscale": foglio.get("CodiceFiscale"),
            "cognome": _unknown(anagrafica.get("Cognome")),
            "nome": _unknown(anagrafica.get("Nome")),
            "data_nascita": anagrafica.get("DataNascita"),
            "sesso": anagrafica.get("Sesso"),
            "attivita_lavorativa_6_mesi": attivita in ATTIVITA_SEI_MESI,
            "convivenza_anagrafica": _flag(dati.get("FlagConvivenzaAnagrafica")),
            "rapporti": self.rapporti(foglio.find(_q("PatrimonioMobiliare")), model, xml),
            "immobili": self.immobili(foglio.find(_q("PatrimonioImmobiliare")), model, xml),
            "redditi": self.redditi(foglio, xml),
        }
        disabilita = foglio.find(_q("Disabilita"))
        if disabilita is not None:
            data["disabilita"] = _DISABILITA[disabilita.get("GradoDisabilita", "")]
            for attr in ("RettaVersata", "SpeseAssistenza"):
                if disabilita.get(attr):
                    self.avvisi.append(
                        f"{xml}/Disabilita/@{attr}: {disabilita.get(attr)} not kept (the DSU "
                        "model has no field for it)"
                    )
        veicoli = _children(foglio.find(_q("Veicoli")), "Veicolo")
        if veicoli:
            self.avvisi.append(
                f"{xml}/Veicoli: {len(veicoli)} vehicles not kept (they do not enter the ISEE)"
            )
        return data

    def rapporti(self, elem: ET.Element | None, model: str, xml: str) -> list[dict[str, Any]]:
        if elem is None:
            return []
        base = f"{xml}/PatrimonioMobiliare"
        out = []
        for i, r in enumerate(_children(elem, "Rapporto")):
            where = f"{base}/Rapporto[{i + 1}]"
            self.segna(f"{model}.rapporti[{i}]", where, _RAPPORTO_ATTR)
            for attr in ("DataInizio", "DataFine"):
                if r.get(attr):
                    self.avvisi.append(
                        f"{where}/@{attr}: {r.get(attr)} not kept (the DSU model holds the "
                        "values at 31 December only)"
                    )
            out.append(
                {
                    "tipo": r.get("TipoRapporto"),
                    "identificativo": _unknown(r.get("Identificativo"), ND),
                    "codice_fiscale_operatore": _unknown(r.get("CodiceFiscaleOperatore"), ND),
                    "saldo_31_12": _amount(r.get("Saldo3112")),
                    "giacenza_media": _amount(r.get("ConsistenzaMedia")),
                    "valore": _amount(r.get("Valore")),
                }
            )
        incremento = elem.find(_q("Incremento"))
        if incremento is not None or _flag(elem.get("FlagIncremento")):
            self.avvisi.append(
                f"{base}/Incremento: the increase of patrimonio is not kept (ISEE corrente data)"
            )
        return out

    def immobili(self, elem: ET.Element | None, model: str, xml: str) -> list[dict[str, Any]]:
        out = []
        for i, p in enumerate(_children(elem, "Patrimonio")):
            where = f"{xml}/PatrimonioImmobiliare/Patrimonio[{i + 1}]"
            self.segna(f"{model}.immobili[{i}]", where, _IMMOBILE_ATTR)
            codice = p.get("CodiceComuneStato", "")
            out.append(
                {
                    "tipo": _IMMOBILE[p.get("TipoPatrimonio", "")],
                    "estero": codice.startswith("Z"),
                    "codice_comune_stato": _unknown(codice, COMUNE_ND, STATO_ND),
                    "quota_posseduta": float(p.get("QuotaPosseduta", "100")),
                    "valore_imu": _amount(p.get("ValoreImu")),
                    "mutuo_residuo": _amount(p.get("MutuoResiduo")),
                    "casa_abitazione": _flag(p.get("FlagAbitazione")),
                }
            )
        return out

    def redditi(self, foglio: ET.Element, xml: str) -> dict[str, float]:
        fc4 = foglio.find(_q("RedditiDaDichiarare"))
        fc5 = foglio.find(_q("AssegniPeriodici"))
        fc8 = foglio.find(_q("AltriRedditi"))
        r: dict[str, float] = {}

        def get(elem: ET.Element | None, attr: str) -> float:
            if elem is None or elem.get(attr) is None:
                return 0.0
            value = float(elem.get(attr, "0"))
            if value < 0:
                self.avvisi.append(
                    f"{xml}/{_local(elem.tag)}/@{attr}: negative ({value:.0f}), taken as 0"
                )
                return 0.0
            return value

        fondiari = get(fc4, "RedditiFondiari")
        if fondiari:
            self.avvisi.append(
                f"{xml}/RedditiDaDichiarare/@RedditiFondiari: {fondiari:.0f} added to "
                "reddito_complessivo_irpef (the model has no own field for redditi fondiari)"
            )
        r["reddito_complessivo_irpef"] = get(fc8, "RedditoIRPEF") + fondiari
        r["redditi_imposta_sostitutiva"] = get(fc4, "RedditoImpSost") + get(fc8, "RedditiImpSost")
        r["redditi_esenti"] = get(fc4, "RedditiEsentiImposta")
        r["proventi_agrari_irap"] = get(fc4, "RedditiIRAP")
        r["redditi_esteri"] = (
            get(fc4, "RedditiTassatiEstero")
            + get(fc4, "RedditiAIRE")
            + get(fc4, "RedditiFondiariEstero")
        )
        r["trattamenti_assistenziali"] = get(fc4, "TrattamentiAssistenziali") + get(
            fc8, "TrattamentiAssistenziali"
        )
        r["lavoro_dipendente"] = get(fc8, "LavoroDipendente")
        r["pensione"] = get(fc8, "Pensione")
        r["redditi_agrari"] = get(fc8, "RedditiAgrari")
        r["spese_sanitarie_disabili"] = get(fc8, "SpeseDetrazione") + get(fc8, "SpeseDeduzione")
        r["assegni_coniuge_versati"] = get(fc5, "AssegniConiuge")
        r["assegni_figli_versati"] = get(fc5, "AssegniFigli")
        for elem, attr in ((fc5, "AssegniGenitore"), (fc8, "SpeseCollabDomestici")):
            if get(elem, attr):
                self.avvisi.append(
                    f"{xml}/{_local(elem.tag) if elem is not None else ''}/@{attr}: "
                    f"{get(elem, attr):.0f} not kept (the DSU model has no field for it)"
                )
        return r


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _abitazione(lettore: _Lettore, base: ET.Element | None, xml: str) -> dict[str, Any] | None:
    abitazione = base.find(_q("Abitazione")) if base is not None else None
    if abitazione is None:
        return None
    where = f"{xml}/Abitazione"
    lettore.segna(
        "abitazione",
        where,
        {
            "titolo": "@TipoAbitazione",
            "canone_annuo": "Locazione/@Canone",
            "codice_comune": "IndirizzoAbitazione/@CodiceComune",
        },
    )
    indirizzo = abitazione.find(_q("IndirizzoAbitazione"))
    locazione = abitazione.find(_q("Locazione"))
    data: dict[str, Any] = {
        "titolo": _TITOLO[abitazione.get("TipoAbitazione", "")],
        "codice_comune": _unknown(
            indirizzo.get("CodiceComune") if indirizzo is not None else None, COMUNE_ND
        ),
    }
    if locazione is not None:
        data["canone_annuo"] = _amount(locazione.get("Canone"))
    return data


def _nucleo_ristretto(lettore: _Lettore, base: ET.Element, xml: str) -> dict[str, Any] | None:
    ristretto = base.find(_q("NucleoRistretto"))
    if ristretto is None:
        return None
    lettore.segna("nucleo_ristretto", f"{xml}/NucleoRistretto")
    membri = []
    for j, m in enumerate(_children(ristretto, "ComponenteNucleoRistretto")):
        where = f"{xml}/NucleoRistretto/ComponenteNucleoRistretto[{j + 1}]"
        lettore.segna(
            f"nucleo_ristretto.componenti[{j}]",
            where,
            {"codice_fiscale": "@CodiceFiscale", "relazione": "@RelazioneConBeneficiario"},
        )
        relazione = m.get("RelazioneConBeneficiario")
        if _flag(m.get("FlagBeneficiario")) != (relazione == RelazioneBeneficiario.BENEFICIARIO):
            lettore.problemi.append(
                f"{where}/@FlagBeneficiario: {m.get('FlagBeneficiario')} contradicts "
                f"RelazioneConBeneficiario {relazione}"
            )
        membri.append({"codice_fiscale": m.get("CodiceFiscale"), "relazione": relazione})
    return {"componenti": membri}


_ART_7 = {
    "FlagConiugatoConPersonaDiversa": CondizioneGenitoreNonConvivente.CONIUGATO_CON_ALTRA_PERSONA,
    "FlagGenitoreEscluso": CondizioneGenitoreNonConvivente.ESCLUSO_DALLA_POTESTA,
}


def _condizione_art_7(
    lettore: _Lettore, gnc: ET.Element, where: str
) -> CondizioneGenitoreNonConvivente | None:
    flags = [
        name
        for name in ("FlagConiugatoConPersonaDiversa", "FlagGenitoreEscluso")
        if _flag(gnc.get(name))
    ]
    alcuna = _flag(gnc.get("FlagAlcunaCondizione"))
    if len(flags) + alcuna != 1:
        lettore.problemi.append(
            f"{where}: exactly one of FlagConiugatoConPersonaDiversa, FlagGenitoreEscluso and "
            "FlagAlcunaCondizione must be true"
        )
    if not flags:
        return None
    condizione = _ART_7[flags[0]]
    lettore.avvisi.append(
        f"{where}/@{flags[0]}: recorded as condizione_art_7 = {condizione.value} "
        + (
            "(the XML does not tell a) married to another person from b) children with another "
            "person; both give a componente aggiuntiva, which Equo does not compute)"
            if condizione.con_componente_aggiuntiva
            else "(the XML does not tell c) assegni, d) exclusion from parental authority and "
            "e) estraneità apart; all three keep the parent out of the nucleo)"
        )
    )
    return condizione


def _genitori(
    lettore: _Lettore,
    base: ET.Element,
    xml: str,
    componenti: list[dict[str, Any]],
) -> None:
    by_cf = {c["codice_fiscale"]: c for c in componenti}
    for j, gnc in enumerate(_children(base, "GenitoreNonConvivente")):
        where = f"{xml}/GenitoreNonConvivente[{j + 1}]"
        cf = gnc.get("CodiceFiscale")
        condizione = _condizione_art_7(lettore, gnc, where)
        for b in _children(gnc, "Beneficiario"):
            if b.get("CodiceFiscale") not in by_cf:
                lettore.avvisi.append(
                    f"{where}/Beneficiario: {b.get('CodiceFiscale')} is not a member of the "
                    "nucleo (the DSU model does not record the beneficiari)"
                )
        membro = by_cf.get(cf)
        if membro is not None:
            if membro["rapporto"] != RapportoConDichiarante.GENITORE_NON_CONVIVENTE:
                lettore.problemi.append(
                    f"{where}/@CodiceFiscale: {cf} is a member of the nucleo with rapporto "
                    f"{membro['rapporto']}, not GNC"
                )
            elif condizione is not None:
                lettore.problemi.append(
                    f"{where}: {cf} is in the nucleo (attracted) but the block says the parent "
                    "is not attracted (art. 7)"
                )
            continue
        dettaglio = gnc.find(_q("DettaglioGenitoreNonConvivente"))
        foglio = dettaglio.find(_q("FoglioComponenteGenitore")) if dettaglio is not None else None
        if foglio is None:
            lettore.avvisi.append(
                f"{where}: genitore non convivente {cf} not imported (the XML gives only a "
                "protocol reference, without FoglioComponenteGenitore)"
            )
            continue
        i = len(componenti)
        data = lettore.componente(
            foglio,
            f"componenti[{i}]",
            f"{where}/DettaglioGenitoreNonConvivente/FoglioComponenteGenitore",
        )
        data["rapporto"] = RapportoConDichiarante.GENITORE_NON_CONVIVENTE.value
        data["condizione_art_7"] = condizione.value if condizione else None
        if condizione is None:
            lettore.avvisi.append(
                f"{where}: the genitore non convivente {cf} is attracted (FlagAlcunaCondizione) "
                "but not listed in NucleoFamiliare; added to the members with rapporto GNC"
            )
        componenti.append(data)
        by_cf[cf] = data


def _residenziale(lettore: _Lettore, base: ET.Element, xml: str) -> dict[str, Any] | None:
    blocchi = _children(base, "Residenziale")
    if not blocchi:
        return None
    if len(blocchi) > 1:
        lettore.avvisi.append(
            f"{xml}/Residenziale[2…{len(blocchi)}]: only the first Residenziale block is kept"
        )
    res = blocchi[0]
    where = f"{xml}/Residenziale[1]"
    lettore.segna("residenziale", where, {"data_richiesta_ricovero": "@DataRichiestaRicovero"})
    figli = []
    for k, f in enumerate(_children(res, "FiglioNonCompresoNelNucleo")):
        fw = f"{where}/FiglioNonCompresoNelNucleo[{k + 1}]"
        lettore.segna(f"residenziale.figli_non_compresi[{k}]", fw)
        if f.get("CondizioneEsclusione") is None:
            lettore.avvisi.append(
                f"{fw}: the ISE and the scala of the figlio's nucleo are not in the DSU XML; set "
                "ise_figlio and scala_nucleo_figlio from the figlio's own DSU (defaults 0 and 1)"
            )
        if f.find(_q("DettaglioFiglio")) is not None:
            lettore.avvisi.append(f"{fw}/DettaglioFiglio: the figlio's own data are not kept")
        figli.append(
            {
                "codice_fiscale": f.get("CodiceFiscale"),
                "esclusione": f.get("CondizioneEsclusione"),
                "estremi_esclusione": f.get("EstremiEsclusione"),
            }
        )
    donazioni = []
    for k, d in enumerate(_children(res, "Donazione")):
        dw = f"{where}/Donazione[{k + 1}]"
        lettore.segna(
            f"residenziale.donazioni[{k}]",
            dw,
            {"valore_imu": "@ValoreImu", "quota_donata": "@QuotaDonata"},
        )
        if float(d.get("QuotaPosseduta", "100")) != 100:
            lettore.avvisi.append(
                f"{dw}/@QuotaPosseduta: {d.get('QuotaPosseduta')} not kept (the model counts "
                "valore_imu × quota_donata)"
            )
        donazioni.append(
            {
                "tipo": _IMMOBILE[d.get("TipoImmobile", "")],
                "valore_imu": _amount(d.get("ValoreImu")),
                "quota_donata": float(d.get("QuotaDonata", "100")),
                "codice_fiscale_ricevente": _unknown(d.get("CodiceFiscaleRicevente"), CF_ND),
            }
        )
    return {
        "data_richiesta_ricovero": res.get("DataRichiestaRicovero"),
        "figli_non_compresi": figli,
        "donazioni": donazioni,
    }


_PRESENZA_EXPORT = "TuttiPresenti"


def _anni_residenza(day: dt.date) -> float:
    """Years of residence outside the family the autonomy test requires at ``day``."""
    return float(load_parameters()[ANNI_RESIDENZA].number(day))


def _universitario(
    lettore: _Lettore, base: ET.Element, xml: str, data_dsu: str | None
) -> dict[str, Any] | None:
    """Quadro C: the student; the two flags stand for the facts of the autonomy test."""
    blocchi = _children(base, "Universitario")
    if not blocchi:
        return None
    if len(blocchi) > 1:
        lettore.avvisi.append(
            f"{xml}/Universitario[2…{len(blocchi)}]: only the first Universitario block is kept"
        )
    u = blocchi[0]
    where = f"{xml}/Universitario[1]"
    lettore.segna(
        "universitario",
        where,
        {
            "studente": "@CodiceFiscaleBeneficiario",
            "anni_residenza_fuori_famiglia": "@FlagResidenzaStudente",
            "abitazione_non_di_familiari": "@FlagResidenzaStudente",
            "reddito_lavoro": "@FlagCapacitaRedditoStudente",
        },
    )
    try:
        day = dt.date.fromisoformat(data_dsu or "")
    except ValueError:
        return None  # the DSU date itself is reported by the model validation
    lettore.avvisi.append(
        f"{where}: the XML has no anno accademico; taken as {day.year} (the year of the DSU): "
        "check universitario.anno_accademico, which fixes the income threshold"
    )
    data: dict[str, Any] = {
        "studente": u.get("CodiceFiscaleBeneficiario"),
        "anno_accademico": day.year,
    }
    if _flag(u.get("FlagResidenzaStudente")):
        anni = _anni_residenza(day)
        data["anni_residenza_fuori_famiglia"] = anni
        data["abitazione_non_di_familiari"] = True
        lettore.avvisi.append(
            f"{where}/@FlagResidenzaStudente: true, recorded as {anni:g} years of residence "
            "outside the family (the required ones) in housing not owned by a familiare"
        )
    capacita = u.get("FlagCapacitaRedditoStudente")
    if capacita is None:
        data["reddito_lavoro"] = None
    elif _flag(capacita):
        data["reddito_lavoro"] = None
        lettore.avvisi.append(
            f"{where}/@FlagCapacitaRedditoStudente: true, but a flag cannot carry the amount: "
            "reddito_lavoro left empty (the student's lavoro_dipendente is used); give the "
            "student's income and complete the anno accademico"
        )
    else:
        data["reddito_lavoro"] = 0.0
    presenza = u.get("PresenzaGenitori")
    if presenza != _PRESENZA_EXPORT:
        lettore.avvisi.append(
            f"{where}/@PresenzaGenitori: {presenza} not kept (Equo derives the parents from the "
            "members)"
        )
    for attr in ("CodiceFiscaleGenitore", "NumeroProtocolloRifGenitore"):
        if u.get(attr):
            lettore.avvisi.append(f"{where}/@{attr}: {u.get(attr)} not kept")
    return data


_LAVORO = frozenset("ABC")
"""TipoVariazione letters for a work variation (A dipendente a tempo indeterminato, B tempo
determinato or flexible, C autonomo); D is the interruption of trattamenti."""
_CORRENTI_ATTR = {
    "reddito_complessivo_irpef": "@RedditoDipendente12Mesi + @RedditoAutonomo12Mesi",
    "lavoro_dipendente": "@RedditoDipendente12Mesi",
    "trattamenti_assistenziali": "@TrattamentiAssistenziali12Mesi",
}
_CORRENTI_NON_TENUTI = (
    "DataVariazione",
    "RedditoDipendente2Mesi",
    "RedditoAutonomo2Mesi",
    "TrattamentiAssistenziali2Mesi",
    "Documentazione",
    "ProtocolloInpsDSUCorrente",
)


def _corrente(lettore: _Lettore, elem: ET.Element | None) -> dict[str, Any] | None:
    """ISEECorrente: one Variazione per member, with incomes of 12 months and/or patrimonio."""
    if elem is None:
        return None
    xml = "/Dichiarazione/ISEECorrente"
    lettore.segna("corrente", xml)
    data: dict[str, Any] = {
        "variazione_lavoro": False,
        "interruzione_trattamenti": False,
        "redditi_correnti": [],
        "patrimoni_correnti": [],
    }
    for k, v in enumerate(_children(elem, "Variazione")):
        where = f"{xml}/Variazione[{k + 1}]"
        cf = v.get("CodiceFiscale")
        tipo = v.get("TipoVariazione", "")
        if set(tipo) & _LAVORO:
            data["variazione_lavoro"] = True
        if "D" in tipo:
            data["interruzione_trattamenti"] = True
        if tipo[:1] in ("B", "C"):
            lettore.avvisi.append(
                f"{where}/@TipoVariazione: {tipo} recorded as variazione_lavoro (the model does "
                "not tell the kinds of work variation A, B and C apart)"
            )
        for attr in _CORRENTI_NON_TENUTI:
            if v.get(attr):
                lettore.avvisi.append(f"{where}/@{attr}: {v.get(attr)} not kept")
        importi = ("RedditoDipendente12Mesi", "RedditoAutonomo12Mesi")
        if any(v.get(a) is not None for a in (*importi, "TrattamentiAssistenziali12Mesi")):
            j = len(data["redditi_correnti"])
            model = f"corrente.redditi_correnti[{j}]"
            lettore.segna(model, where, {"codice_fiscale": "@CodiceFiscale"})
            lettore.segna(f"{model}.redditi", where, _CORRENTI_ATTR)
            dipendente = _amount(v.get(importi[0]))
            data["redditi_correnti"].append(
                {
                    "codice_fiscale": cf,
                    "redditi": {
                        "reddito_complessivo_irpef": dipendente + _amount(v.get(importi[1])),
                        "lavoro_dipendente": dipendente,
                        "trattamenti_assistenziali": _amount(
                            v.get("TrattamentiAssistenziali12Mesi")
                        ),
                    },
                }
            )
        mobiliare = v.find(_q("PatrimonioMobiliare"))
        immobiliare = v.find(_q("PatrimonioImmobiliare"))
        if mobiliare is not None or immobiliare is not None:
            j = len(data["patrimoni_correnti"])
            model = f"corrente.patrimoni_correnti[{j}]"
            lettore.segna(model, where, {"codice_fiscale": "@CodiceFiscale"})
            data["patrimoni_correnti"].append(
                {
                    "codice_fiscale": cf,
                    "rapporti": lettore.rapporti(mobiliare, model, where),
                    "immobili": lettore.immobili(immobiliare, model, where),
                }
            )
    return data


_IGNORATI = {
    "IntegrazioneComponenteAggiuntiva": "integration of a componente aggiuntiva",
    "IntegrazioneRedditi": "integration of incomes",
    "IntegrazioneResidenziale": "integration of the residential data",
}


def _xml_path(campo: str, percorsi: dict[str, str]) -> str:
    """Model field path → XML element/attribute path."""
    for prefix in sorted(percorsi, key=len, reverse=True):
        if campo == prefix:
            return percorsi[prefix]
        if campo.startswith((prefix + ".", prefix + "[")):
            return f"{percorsi[prefix]} ({campo})"
    return f"/Dichiarazione ({campo})" if campo else "/Dichiarazione"


def importa_dsu_xml(data: bytes, *, xsd_dir: Path | None = None) -> DsuImportata:
    """Validate an INPS DSU XML against the XSD, then read it into a :class:`DSU`.

    Raises :class:`SchemiInpsMancantiError`, :class:`XmlMalformatoError`,
    :class:`XmlNonValidoError` or :class:`DsuIncoerenteError`, each with precise ``problemi``.
    """
    schema = carica_schema_dsu(xsd_dir)
    resource = _parse(data)
    problems = _xsd_errors(schema, resource)
    if problems:
        raise XmlNonValidoError(
            f"the XML does not follow ISEE_Dichiarazione.xsd ({len(problems)} problems)", problems
        )
    root = resource.root
    sottoscrizioni = _children(root, "Sottoscrizione")
    firma = sottoscrizioni[0]
    lettore = _Lettore()
    lettore.segna("data_presentazione", "/Dichiarazione/Sottoscrizione[1]/@DataSottoscrizione")
    lettore.segna("protocollo", "/Dichiarazione/Sottoscrizione[1]/@ProtocolloMittente")
    lettore.segna("componenti", "/Dichiarazione/NucleoFamiliare")
    if len(sottoscrizioni) > 1:
        lettore.avvisi.append(
            "/Dichiarazione/Sottoscrizione[2…]: only the first Sottoscrizione is read "
            "(data_presentazione = its DataSottoscrizione)"
        )
    operazione = root.find(_q("Operazione"))
    tipo = operazione.get("Tipo") if operazione is not None else "N"
    if tipo != "N":
        lettore.avvisi.append(
            f"/Dichiarazione/Operazione/@Tipo: {tipo} (not a new DSU); the blocks it integrates "
            "are read as a DSU of their own"
        )
    for name, what in _IGNORATI.items():
        if root.find(_q(name)) is not None:
            lettore.avvisi.append(f"/Dichiarazione/{name}: {what} not imported")

    componenti: list[dict[str, Any]] = []
    for i, cn in enumerate(_children(root.find(_q("NucleoFamiliare")), "ComponenteNucleo")):
        where = f"/Dichiarazione/NucleoFamiliare/ComponenteNucleo[{i + 1}]"
        foglio = cn.find(_q("FoglioComponenteNucleo"))
        assert foglio is not None  # noqa: S101 - required by the XSD
        member = lettore.componente(foglio, f"componenti[{i}]", f"{where}/FoglioComponenteNucleo")
        member["rapporto"] = cn.get("RapportoConDichiarante")
        lettore.percorsi[f"componenti[{i}].rapporto"] = f"{where}/@RapportoConDichiarante"
        componenti.append(member)

    dichiarante = root.get("CodiceFiscaleDichiarante")
    d_members = [c for c in componenti if c["rapporto"] == RapportoConDichiarante.DICHIARANTE]
    if d_members and d_members[0]["codice_fiscale"] != dichiarante:
        lettore.problemi.append(
            f"/Dichiarazione/@CodiceFiscaleDichiarante: {dichiarante} is not the member with "
            f"RapportoConDichiarante D ({d_members[0]['codice_fiscale']})"
        )

    basi = _children(root, "ModelloBase")
    ordinari = [b for b in basi if b.get("Tipo") == "ORD"]
    base = ordinari[0] if ordinari else (basi[0] if basi else None)
    base_xml = f"/Dichiarazione/ModelloBase[{basi.index(base) + 1}]" if base is not None else ""
    raw: dict[str, Any] = {
        "protocollo": _unknown(firma.get("ProtocolloMittente")),
        "data_presentazione": firma.get("DataSottoscrizione"),
    }
    abitazione = _abitazione(lettore, base, base_xml)
    if abitazione is not None:
        raw["abitazione"] = abitazione
    for k, b in enumerate(basi):
        bxml = f"/Dichiarazione/ModelloBase[{k + 1}]"
        ristretto = _nucleo_ristretto(lettore, b, bxml)
        if ristretto is not None:
            if "nucleo_ristretto" in raw:
                lettore.avvisi.append(f"{bxml}/NucleoRistretto: only the first one is kept")
            else:
                raw["nucleo_ristretto"] = ristretto
        condizioni = b.find(_q("CondizioniNucleo"))
        if condizioni is not None:
            _condizioni_nucleo(lettore, condizioni, f"{bxml}/CondizioniNucleo", componenti)
        universitario = _universitario(lettore, b, bxml, raw["data_presentazione"])
        if universitario is not None:
            if "universitario" in raw:
                lettore.avvisi.append(f"{bxml}/Universitario: only the first one is kept")
            else:
                raw["universitario"] = universitario
        _genitori(lettore, b, bxml, componenti)
        residenziale = _residenziale(lettore, b, bxml)
        if residenziale is not None and "residenziale" not in raw:
            raw["residenziale"] = residenziale
    raw["componenti"] = componenti
    corrente = _corrente(lettore, root.find(_q("ISEECorrente")))
    if corrente is not None:
        raw["corrente"] = corrente

    problems = list(lettore.problemi)
    dsu = None
    try:
        dsu = DSU.model_validate(raw)
    except ValidationError as exc:
        problems += [
            f"{_xml_path(e.campo, lettore.percorsi)}: {e.errore}" for e in field_errors(exc)
        ]
    if problems or dsu is None:
        raise DsuIncoerenteError(
            f"the DSU is valid XML but inconsistent ({len(problems)} problems)", problems
        )
    return DsuImportata(dsu=dsu, avvisi=lettore.avvisi)


def _condizioni_nucleo(
    lettore: _Lettore, elem: ET.Element, where: str, componenti: list[dict[str, Any]]
) -> None:
    genitori = [
        c
        for c in componenti
        if c["rapporto"] in (RapportoConDichiarante.DICHIARANTE, RapportoConDichiarante.CONIUGE)
    ]
    if _flag(elem.get("FlagLavoroGenitori")):
        cambiati = [c for c in genitori if not c["attivita_lavorativa_6_mesi"]]
        for c in cambiati:
            c["attivita_lavorativa_6_mesi"] = True
        if cambiati:
            lettore.avvisi.append(
                f"{where}/@FlagLavoroGenitori: true, so the dichiarante and the coniuge are "
                "recorded as having worked at least six months"
            )
    lettore.avvisi.append(
        f"{where}: FlagUnicoGenitore and the numbers of figli are not kept (Equo derives them "
        "from the members)"
    )


# --- export -------------------------------------------------------------------------------


def _round(value: float) -> float:
    return float(round(value))


_IMPORTI_REDDITI = (
    "reddito_complessivo_irpef",
    "redditi_imposta_sostitutiva",
    "redditi_esenti",
    "redditi_esteri",
    "proventi_agrari_irap",
    "trattamenti_assistenziali",
    "lavoro_dipendente",
    "pensione",
    "redditi_agrari",
    "assegni_coniuge_versati",
    "assegni_figli_versati",
    "spese_sanitarie_disabili",
)


def dsu_come_xml(dsu: DSU) -> tuple[DSU, list[str]]:
    """The DSU reduced to what the INPS XML can hold, and what was lost or changed.

    Amounts are rounded to the euro (the XSD has whole euros); names are upper-cased; the
    sesso is taken from the codice fiscale when absent; assegni_figli_percepiti move into
    redditi_esenti (same effect on the ISR, no own attribute); trattamenti_disabilita move into
    trattamenti_assistenziali while they are part of the ISR (before the 2016 reform) and are
    dropped after; the genitori non conviventi not attracted go last (the XML lists them apart);
    titoli_stato, valore_ici, componente_aggiuntiva, assegno_unico_annuo, ise_figlio and
    scala_nucleo_figlio are dropped; condizione_art_7 b becomes a, c and e become d; an unknown
    data_richiesta_ricovero becomes the DSU date. universitario keeps only what its two flags
    give back (anno accademico = year of the DSU, the required years or none, reddito_lavoro
    None or 0, no dottorato); corrente keeps lavoro_dipendente, reddito_complessivo_irpef (with
    the imposta sostitutiva and foreign incomes added) and trattamenti_assistenziali of the
    redditi correnti, and is dropped when it declares neither a work variation nor an
    interruption of trattamenti (TipoVariazione has no code for it).
    Raises :class:`EsportazioneDsuImpossibileError` for what the XSD refuses outright.
    """
    d = dsu.model_dump(mode="json")
    perdite: list[str] = []
    problems: list[str] = []
    day = dsu.data_presentazione
    disabilita_esclusi = bool(load_parameters()["isr.trattamenti_disabilita_esclusi"].at(day))

    def lose(path: str, what: str) -> None:
        perdite.append(f"{path}: {what}")

    if d["protocollo"] is not None and len(d["protocollo"]) > 29:
        lose("protocollo", "longer than the 29 characters of ProtocolloMittente, dropped")
        d["protocollo"] = None
    for i, c in enumerate(d["componenti"]):
        where = f"componenti[{i}]"
        for name in ("cognome", "nome"):
            if c[name] is not None:
                upper = c[name].upper()
                if not _NOME.fullmatch(upper) or len(upper) > 64:
                    problems.append(
                        f"{where}.{name}: {c[name]!r} has letters the INPS XSD does not accept "
                        "(A-Z, À È É Ì Ò Ù, apostrophe, space, hyphen; at most 64)"
                    )
                if upper != c[name]:
                    c[name] = upper
        if c["sesso"] is None:
            c["sesso"] = _sesso(c["codice_fiscale"])
            lose(f"{where}.sesso", f"unknown, written as {c['sesso']}")
        r = c["redditi"]
        if r["assegni_figli_percepiti"]:
            lose(f"{where}.redditi.assegni_figli_percepiti", "written into RedditiEsentiImposta")
            r["redditi_esenti"] += r["assegni_figli_percepiti"]
            r["assegni_figli_percepiti"] = 0.0
        if r["trattamenti_disabilita"]:
            if disabilita_esclusi:
                lose(
                    f"{where}.redditi.trattamenti_disabilita",
                    "no attribute in the XSD, dropped (excluded from the ISR at this date)",
                )
            else:
                lose(
                    f"{where}.redditi.trattamenti_disabilita",
                    "written into TrattamentiAssistenziali (both in the ISR at this date)",
                )
                r["trattamenti_assistenziali"] += r["trattamenti_disabilita"]
            r["trattamenti_disabilita"] = 0.0
        for name in _IMPORTI_REDDITI:
            r[name] = _round(r[name])
        for j, rap in enumerate(c["rapporti"]):
            if rap["titoli_stato"]:
                lose(f"{where}.rapporti[{j}].titoli_stato", "no attribute in the XSD, dropped")
                rap["titoli_stato"] = 0.0
            for name in ("saldo_31_12", "giacenza_media", "valore"):
                rap[name] = _round(rap[name])
        for j, imm in enumerate(c["immobili"]):
            if imm["valore_ici"] is not None:
                lose(f"{where}.immobili[{j}].valore_ici", "no attribute in the XSD, dropped")
                imm["valore_ici"] = None
            imm["valore_imu"] = _round(imm["valore_imu"])
            imm["mutuo_residuo"] = _round(imm["mutuo_residuo"])
            codice = imm["codice_comune_stato"]
            if codice is not None and codice.startswith("Z") != imm["estero"]:
                problems.append(
                    f"{where}.immobili[{j}].codice_comune_stato: {codice} contradicts estero = "
                    f"{imm['estero']} (the XML tells a foreign property by its Z code)"
                )
        condizione = c["condizione_art_7"]
        if condizione in ("b", "c", "e"):
            nuova = "a" if condizione == "b" else "d"
            lose(f"{where}.condizione_art_7", f"{condizione} written as {nuova} (same flag)")
            c["condizione_art_7"] = nuova
        if c["componente_aggiuntiva"] is not None:
            lose(f"{where}.componente_aggiuntiva", "printed on the attestazione, not in the DSU")
            c["componente_aggiuntiva"] = None
    # genitori non conviventi not attracted are written apart, after the nucleo
    d["componenti"] = sorted(d["componenti"], key=lambda c: c["condizione_art_7"] is not None)
    d["abitazione"]["canone_annuo"] = _round(d["abitazione"]["canone_annuo"])
    res = d["residenziale"]
    if res is not None:
        if res["data_richiesta_ricovero"] is None:
            lose("residenziale.data_richiesta_ricovero", "unknown, written as the DSU date")
            res["data_richiesta_ricovero"] = day.isoformat()
        for k, f in enumerate(res["figli_non_compresi"]):
            if f["ise_figlio"] != 0 or f["scala_nucleo_figlio"] != 1:
                lose(
                    f"residenziale.figli_non_compresi[{k}]",
                    "ise_figlio and scala_nucleo_figlio are not in the DSU XML, dropped",
                )
                f["ise_figlio"], f["scala_nucleo_figlio"] = 0.0, 1.0
        for don in res["donazioni"]:
            don["valore_imu"] = _round(don["valore_imu"])
    if d["universitario"] is not None:
        d["universitario"] = _universitario_come_xml(dsu, lose)
    if d["corrente"] is not None:
        d["corrente"] = _corrente_come_xml(d["corrente"], lose, problems)
    if d["assegno_unico_annuo"]:
        lose("assegno_unico_annuo", "not part of the DSU XML, dropped")
        d["assegno_unico_annuo"] = 0.0
    if problems:
        raise EsportazioneDsuImpossibileError(
            f"the DSU cannot be written as INPS XML ({len(problems)} problems)", problems
        )
    return DSU.model_validate(d), perdite


def _capacita_reddito(dsu: DSU) -> bool:
    """FlagCapacitaRedditoStudente: the student's income reaches the threshold of his year."""
    u = dsu.universitario
    assert u is not None  # noqa: S101 - checked by the caller
    reddito = u.reddito_lavoro
    if reddito is None:
        studente = next(c for c in dsu.componenti if c.codice_fiscale == u.studente)
        reddito = studente.redditi.lavoro_dipendente
    parametro = load_parameters()[SOGLIA_REDDITO]
    # as the engine: the threshold in force on 1 August of the year, else the first one
    inizio = max(dt.date(u.anno_accademico, 8, 1), parametro.values[0][0])
    soglia = parametro.number(inizio)
    return reddito >= soglia


def _residenza_studente(dsu: DSU) -> bool:
    """FlagResidenzaStudente: residence outside the family long enough, in housing not theirs."""
    u = dsu.universitario
    assert u is not None  # noqa: S101 - checked by the caller
    anni = _anni_residenza(dsu.data_presentazione)
    return u.anni_residenza_fuori_famiglia >= anni and u.abitazione_non_di_familiari


def _universitario_come_xml(dsu: DSU, lose: Any) -> dict[str, Any]:
    """The universitario block as the two flags of quadro C give it back."""
    u = dsu.universitario
    assert u is not None  # noqa: S101 - checked by the caller
    day = dsu.data_presentazione
    residenza = _residenza_studente(dsu)
    capacita = _capacita_reddito(dsu)
    ridotto: dict[str, Any] = {
        "studente": u.studente,
        "anno_accademico": day.year,
        "anni_residenza_fuori_famiglia": _anni_residenza(day) if residenza else 0.0,
        "abitazione_non_di_familiari": residenza,
        "dottorato": False,
        "reddito_lavoro": None if capacita else 0.0,
    }
    flag = {True: "true", False: "false"}
    for name, value in ridotto.items():
        prima = getattr(u, name)
        if prima == value:
            continue
        if name == "anno_accademico":
            what = f"not in the XSD, read back as {value} (the year of the DSU)"
        elif name == "dottorato":
            what = "not in the XSD, dropped"
        elif name == "reddito_lavoro":
            what = (
                f"written as FlagCapacitaRedditoStudente = {flag[capacita]}, read back as {value}"
            )
        else:
            what = f"written as FlagResidenzaStudente = {flag[residenza]}, read back as {value}"
        lose(f"universitario.{name}", what)
    return ridotto


_REDDITI_CORRENTI_XML = (
    "reddito_complessivo_irpef",
    "lavoro_dipendente",
    "trattamenti_assistenziali",
)
_NELL_IRPEF = ("redditi_imposta_sostitutiva", "redditi_esteri")


def _corrente_come_xml(c: dict[str, Any], lose: Any, problems: list[str]) -> dict[str, Any] | None:
    """The ISEE corrente as the Variazione blocks give it back (see :func:`_corrente_xml`)."""
    if not c["variazione_lavoro"] and not c["interruzione_trattamenti"]:
        lose(
            "corrente",
            "neither variazione_lavoro nor interruzione_trattamenti: TipoVariazione cannot say "
            "it, not written",
        )
        return None
    for name in ("redditi_correnti", "patrimoni_correnti"):
        cfs = [item["codice_fiscale"] for item in c[name]]
        for cf in sorted({cf for cf in cfs if cfs.count(cf) > 1}):
            problems.append(
                f"corrente.{name}: {cf} appears more than once (one Variazione per member)"
            )
    for j, item in enumerate(c["redditi_correnti"]):
        r = item["redditi"]
        where = f"corrente.redditi_correnti[{j}].redditi"
        for name in _NELL_IRPEF:
            if r[name]:
                lose(
                    f"{where}.{name}", "added to reddito_complessivo_irpef (RedditoAutonomo12Mesi)"
                )
                r["reddito_complessivo_irpef"] += r[name]
                r[name] = 0.0
        for name, value in r.items():
            if name not in _REDDITI_CORRENTI_XML and name not in _NELL_IRPEF and value:
                lose(f"{where}.{name}", "no attribute in the Variazione, dropped")
                r[name] = 0.0
        for name in _REDDITI_CORRENTI_XML:
            r[name] = _round(r[name])
    for j, item in enumerate(c["patrimoni_correnti"]):
        where = f"corrente.patrimoni_correnti[{j}]"
        for k, rap in enumerate(item["rapporti"]):
            if rap["titoli_stato"]:
                lose(f"{where}.rapporti[{k}].titoli_stato", "no attribute in the XSD, dropped")
                rap["titoli_stato"] = 0.0
            for name in ("saldo_31_12", "giacenza_media", "valore"):
                rap[name] = _round(rap[name])
        for k, imm in enumerate(item["immobili"]):
            if imm["valore_ici"] is not None:
                lose(f"{where}.immobili[{k}].valore_ici", "no attribute in the XSD, dropped")
                imm["valore_ici"] = None
            imm["valore_imu"] = _round(imm["valore_imu"])
            imm["mutuo_residuo"] = _round(imm["mutuo_residuo"])
    return c


def _sesso(cf: str) -> str:
    try:
        return str(codicefiscale.get_gender(cf))
    except Exception:  # stdnum: an 11-digit code has no sex
        return "M"


def _comune_nascita(cf: str) -> str:
    if len(cf) != 16:
        return COMUNE_ND
    return cf[11] + cf[12:15].translate(_OMOCODIA)


def _v(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _el(parent: ET.Element | None, name: str, **attrs: object) -> ET.Element:
    elem = ET.Element(name) if parent is None else ET.SubElement(parent, name)
    for attr, value in attrs.items():
        if value is not None:
            elem.set(attr, _v(value))
    return elem


def _nz(value: float) -> float | None:
    return value or None


def _mobiliare(parent: ET.Element, rapporti: list[Any]) -> None:
    mob = _el(parent, "PatrimonioMobiliare", FlagPossessoRapportoFinanziario=bool(rapporti))
    for r in rapporti:
        deposito = r.tipo.value in _DEPOSITI
        _el(
            mob,
            "Rapporto",
            TipoRapporto=r.tipo.value,
            Identificativo=r.identificativo or ND,
            CodiceFiscaleOperatore=r.codice_fiscale_operatore or ND,
            Saldo3112=r.saldo_31_12 if deposito else _nz(r.saldo_31_12),
            ConsistenzaMedia=r.giacenza_media if deposito else _nz(r.giacenza_media),
            Valore=_nz(r.valore),
        )


def _immobiliare(parent: ET.Element, immobili: list[Any]) -> None:
    imm = _el(parent, "PatrimonioImmobiliare")
    for p in immobili:
        _el(
            imm,
            "Patrimonio",
            TipoPatrimonio=_IMMOBILE_XML[p.tipo.value],
            CodiceComuneStato=p.codice_comune_stato or (STATO_ND if p.estero else COMUNE_ND),
            QuotaPosseduta=p.quota_posseduta,
            ValoreImu=p.valore_imu,
            MutuoResiduo=_nz(p.mutuo_residuo),
            FlagAbitazione=p.casa_abitazione,
        )


def _foglio(parent: ET.Element, tag: str, c: Any, day: dt.date) -> None:
    foglio = _el(parent, tag, CodiceFiscale=c.codice_fiscale)
    dati = _el(
        foglio,
        "DatiComponente",
        FlagConvivenzaAnagrafica=c.convivenza_anagrafica,
        AttivitaSoggetto=_ATTIVITA_EXPORT if c.attivita_lavorativa_6_mesi else None,
    )
    comune = _comune_nascita(c.codice_fiscale)
    _el(
        dati,
        "Anagrafica",
        Cognome=c.cognome or "",
        Nome=c.nome or "",
        DataNascita=c.data_nascita,
        Cittadinanza=ND,
        Sesso=c.sesso.value if c.sesso else "M",
        ProvinciaNascita="EE" if comune.startswith("Z") else ND,
        CodiceComuneNascita=comune,
    )
    if c.rapporti:
        _mobiliare(foglio, c.rapporti)
    if c.immobili:
        _immobiliare(foglio, c.immobili)
    r = c.redditi
    fc4 = {
        "RedditoImpSost": _nz(r.redditi_imposta_sostitutiva),
        "RedditiEsentiImposta": _nz(r.redditi_esenti),
        "RedditiIRAP": _nz(r.proventi_agrari_irap),
        "RedditiTassatiEstero": _nz(r.redditi_esteri),
        "TrattamentiAssistenziali": _nz(r.trattamenti_assistenziali),
    }
    if any(v is not None for v in fc4.values()):
        _el(foglio, "RedditiDaDichiarare", **fc4)
    if r.assegni_figli_versati or r.assegni_coniuge_versati:
        _el(
            foglio,
            "AssegniPeriodici",
            AssegniFigli=_nz(r.assegni_figli_versati),
            AssegniConiuge=_nz(r.assegni_coniuge_versati),
        )
    if c.disabilita.value in _DISABILITA_XML:
        _el(
            foglio,
            "Disabilita",
            GradoDisabilita=_DISABILITA_XML[c.disabilita.value],
            EnteCertif=ND,
            DocCertif=ND,
            DataCertif=day,
            FlagPrestResidenziale=False,
        )
    fc8 = {
        "RedditoIRPEF": _nz(r.reddito_complessivo_irpef),
        "LavoroDipendente": _nz(r.lavoro_dipendente),
        "Pensione": _nz(r.pensione),
        "RedditiAgrari": _nz(r.redditi_agrari),
        "SpeseDetrazione": _nz(r.spese_sanitarie_disabili),
    }
    if any(v is not None for v in fc8.values()):
        _el(
            foglio,
            "AltriRedditi",
            FlagEsonerato=False,
            FlagIntegrazione=False,
            FlagRettifica=False,
            **fc8,
        )


def _senza_reddito(c: Any) -> bool:
    return not any(getattr(c.redditi, name) for name in _IMPORTI_REDDITI)


def _modello_base(
    root: ET.Element, tipo: str, dsu: DSU, dichiarante: str, day: dt.date
) -> ET.Element:
    base = _el(root, "ModelloBase", Tipo=tipo)
    if tipo == "RID" and dsu.nucleo_ristretto is not None:
        nr = _el(base, "NucleoRistretto")
        for m in dsu.nucleo_ristretto.componenti:
            _el(
                nr,
                "ComponenteNucleoRistretto",
                CodiceFiscale=m.codice_fiscale,
                FlagBeneficiario=m.relazione is RelazioneBeneficiario.BENEFICIARIO,
                RelazioneConBeneficiario=m.relazione.value,
            )
    a = dsu.abitazione
    abitazione = _el(base, "Abitazione", TipoAbitazione=_TITOLO_XML[a.titolo.value])
    _el(
        abitazione,
        "IndirizzoAbitazione",
        Indirizzo=ND,
        Civico=ND,
        CodiceComune=a.codice_comune or COMUNE_ND,
        Provincia=ND,
        Cap=CAP_ND,
    )
    if a.titolo is TitoloAbitazione.LOCAZIONE and a.canone_annuo:
        loc = _el(
            abitazione,
            "Locazione",
            Data=day,
            Serie=ND,
            Numero=ND,
            CodUfficio=ND,
            Canone=a.canone_annuo,
        )
        _el(loc, "Intestatario", CodiceFiscale=dichiarante)
    return base


def esporta_dsu_xml(dsu: DSU) -> bytes:
    """The DSU as INPS XML (UTF-8) following ``ISEE_Dichiarazione.xsd``.

    What is written is :func:`dsu_come_xml` of the DSU (see there what is lost); required
    attributes the DSU does not know get the placeholders described in the module docstring.
    """
    d, _ = dsu_come_xml(dsu)
    day = d.data_presentazione
    dichiarante = next(
        c.codice_fiscale for c in d.componenti if c.rapporto is RapportoConDichiarante.DICHIARANTE
    )
    root = _el(None, "Dichiarazione", xmlns=NS, CodiceFiscaleDichiarante=dichiarante)
    _el(root, "Operazione", Tipo="N")
    nucleo = _el(root, "NucleoFamiliare")
    fuori = [c for c in d.componenti if c.condizione_art_7 is not None]
    for c in d.componenti:
        if c.condizione_art_7 is not None:
            continue
        cn = _el(
            nucleo,
            "ComponenteNucleo",
            RapportoConDichiarante=c.rapporto.value,
            FlagAssenzaReddito=_senza_reddito(c),
        )
        _foglio(cn, "FoglioComponenteNucleo", c, day)
    base = _modello_base(root, "ORD", d, dichiarante, day)
    if d.universitario is not None:
        _el(
            base,
            "Universitario",
            CodiceFiscaleBeneficiario=d.universitario.studente,
            PresenzaGenitori=_PRESENZA_EXPORT,
            FlagResidenzaStudente=_residenza_studente(d),
            FlagCapacitaRedditoStudente=_capacita_reddito(d),
        )
    minori = [
        c.codice_fiscale
        for c in d.componenti
        if c.rapporto
        in (
            RapportoConDichiarante.FIGLIO_MINORENNE,
            RapportoConDichiarante.FIGLIO_AFFIDAMENTO_PREADOTTIVO,
        )
    ] or [dichiarante]
    for c in fuori:
        condizione = c.condizione_art_7
        assert condizione is not None  # noqa: S101 - filtered above
        gnc = _el(
            base,
            "GenitoreNonConvivente",
            CodiceFiscale=c.codice_fiscale,
            Cognome=c.cognome or "",
            Nome=c.nome or "",
            FlagGenitoreEscluso=not condizione.con_componente_aggiuntiva,
            FlagConiugatoConPersonaDiversa=condizione.con_componente_aggiuntiva,
            FlagAlcunaCondizione=False,
        )
        for cf in minori:
            _el(gnc, "Beneficiario", CodiceFiscale=cf)
        dettaglio = _el(gnc, "DettaglioGenitoreNonConvivente")
        _foglio(dettaglio, "FoglioComponenteGenitore", c, day)
        _el(
            dettaglio,
            "ComponenteAggiuntivaGenitore",
            CodiceFiscale=c.codice_fiscale,
            FlagCompletezzaDati=False,
        )
    if d.residenziale is not None:
        _residenziale_xml(base, d, dichiarante)
    if d.nucleo_ristretto is not None:
        _modello_base(root, "RID", d, dichiarante, day)
    if d.corrente is not None:
        _corrente_xml(root, d)
    _el(
        root,
        "Sottoscrizione",
        CodiceFiscaleSottoscrittore=dichiarante,
        ProtocolloMittente=d.protocollo or "",
        LuogoSottoscrizione=ND,
        DataSottoscrizione=day,
        FlagImpedimentoTemporaneo=False,
        FlagRappresentanzaLegale=False,
        FlagPEC=False,
        FlagAutorizzazioneRitiro=False,
    )
    # the ModelloBase blocks must precede Sottoscrizione and follow NucleoFamiliare: fine as built
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _residenziale_xml(base: ET.Element, d: DSU, dichiarante: str) -> None:
    res = d.residenziale
    assert res is not None  # noqa: S101 - checked by the caller
    beneficiario = d.nucleo_ristretto.beneficiario if d.nucleo_ristretto else dichiarante
    elem = _el(
        base,
        "Residenziale",
        CodiceFiscaleBeneficiario=beneficiario,
        DataRichiestaRicovero=res.data_richiesta_ricovero or d.data_presentazione,
        FlagFigliNonCompresi=bool(res.figli_non_compresi),
        FlagDonazioni=bool(res.donazioni),
    )
    for f in res.figli_non_compresi:
        _el(
            elem,
            "FiglioNonCompresoNelNucleo",
            CodiceFiscale=f.codice_fiscale,
            CondizioneEsclusione=f.esclusione.value if f.esclusione else None,
            EstremiEsclusione=f.estremi_esclusione,
        )
    for don in res.donazioni:
        _el(
            elem,
            "Donazione",
            TipoImmobile=_IMMOBILE_XML[don.tipo.value],
            CodiceComuneStato=COMUNE_ND,
            QuotaPosseduta=100.0,
            QuotaDonata=don.quota_donata,
            ValoreImu=don.valore_imu,
            CodiceFiscaleRicevente=don.codice_fiscale_ricevente or CF_ND,
        )


def _corrente_xml(root: ET.Element, d: DSU) -> None:
    """One Variazione per member: RedditoDipendente12Mesi = lavoro_dipendente,
    RedditoAutonomo12Mesi = reddito_complessivo_irpef − lavoro_dipendente,
    TrattamentiAssistenziali12Mesi = trattamenti_assistenziali; the updated patrimonio as
    PatrimonioMobiliare (always, flagged empty when there is no rapporto) and
    PatrimonioImmobiliare (when there are properties)."""
    c = d.corrente
    assert c is not None  # noqa: S101 - checked by the caller
    tipo = ("A" if c.variazione_lavoro else "") + ("D" if c.interruzione_trattamenti else "")
    redditi = {item.codice_fiscale: item.redditi for item in c.redditi_correnti}
    patrimoni = {item.codice_fiscale: item for item in c.patrimoni_correnti}
    elem = _el(root, "ISEECorrente")
    for cf in dict.fromkeys([*redditi, *patrimoni]):
        r = redditi.get(cf)
        attrs: dict[str, object] = {}
        if r is not None:
            attrs = {
                "RedditoDipendente12Mesi": r.lavoro_dipendente,
                "RedditoAutonomo12Mesi": r.reddito_complessivo_irpef - r.lavoro_dipendente,
                "TrattamentiAssistenziali12Mesi": r.trattamenti_assistenziali,
            }
        v = _el(elem, "Variazione", CodiceFiscale=cf, TipoVariazione=tipo, **attrs)
        p = patrimoni.get(cf)
        if p is not None:
            _mobiliare(v, p.rapporti)
            if p.immobili:
                _immobiliare(v, p.immobili)
