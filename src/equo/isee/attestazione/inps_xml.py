"""Import and export INPS attestazioni ISEE as XML (``ISEE_Attestazione.xsd``, ver. 1.4).

The INPS schemas carry no licence, so Equo does not ship them: the caller gives the folder that
holds ``ISEE_Attestazione.xsd`` and ``ISEE_TipiComuni.xsd`` (argument ``xsd_dir``, or the
environment variable :data:`XSD_ENV` for the command line). Without them the import refuses.

Import, in order: the XML is parsed safely (no entities, no network: malformed XML gives the line
and column), validated against the XSD (each error gives the element path and the reason), then
mapped to :class:`~equo.isee.attestazione.model.ComponentiAttestazione`, whose consistency checks
(ISE = ISR + 20% ISP, scala = parametro + maggiorazioni and consistent with the members listed,
ISEE = ISE / scala, no member listed twice, ``Valori`` equal to ``ModalitaCalcolo``) name the
XML element at fault.

Mapped structure (namespace ``http://inps.it/ISEERiforma``)::

    Attestazione @CodiceFiscaleDichiarante @NumeroProtocolloDSU @DataPresentazione
                 @DataValidita @ProtocolloMittente @DataScadenzaDSUCorrente
      Ordinario @Corrente @DataPresentazioneModuloSostitutivo @ProtocolloDSUModuloSostitutivo
        NucleoFamiliare/ComponenteNucleo @RapportoConDichiarante @Cognome @Nome @CodiceFiscale
        ISEEOrdinario @DataRilascio / Valori, ModalitaCalcoloISEEOrdinario     → ordinario
        ISEEMin/ComponenteMinorenne (choice)                  → minorenni
        ISEEUni/StudenteUniversitario (choice)                → universitari
        ISEESocioSanRes/ComponenteSocioSanitarieRes (choice)  → sociosanitari_residenze
      Ridotto (0..n): NucleoRistretto, ISEERistretto,
                      ISEESocioSanResRistretto                → ridotti
      Variazione                                              → variazione
      OmissioneDifformita (0..n)                              → omissioni_difformita
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET  # only to build XML: parsing uses xmlschema

import xmlschema
from pydantic import ValidationError

from equo.isee.attestazione.model import (
    ComponenteAggiuntiva,
    ComponentiAttestazione,
    Discordanza,
    IseeBeneficiario,
    MembroNucleo,
    NucleoRidotto,
    OmissioneDifformita,
    QuadroIsee,
    Variazione,
)
from equo.isee.errors import field_errors

__all__ = [
    "NS",
    "XSD_ENV",
    "XSD_FILES",
    "AttestazioneIncoerenteError",
    "AttestazioneXmlError",
    "EsportazioneImpossibileError",
    "SchemiInpsMancantiError",
    "XmlMalformatoError",
    "XmlNonValidoError",
    "carica_schema",
    "esporta_attestazione_xml",
    "importa_attestazione_xml",
]

NS = "http://inps.it/ISEERiforma"
XSD_ENV = "EQUO_INPS_XSD_DIR"
XSD_FILES = ("ISEE_Attestazione.xsd", "ISEE_TipiComuni.xsd")
_PROTOCOLLO = re.compile(r"INPS-ISEE-[0-9]{4}-[0-9]{8}[A-Z]-[0-9]{2}")


class AttestazioneXmlError(ValueError):
    """Base of the errors of this module; ``problemi`` lists each problem on its own."""

    def __init__(self, message: str, problemi: list[str] | None = None) -> None:
        super().__init__(message)
        self.problemi = problemi or [message]


class SchemiInpsMancantiError(AttestazioneXmlError):
    """The INPS XSD files are not available (Equo does not ship them)."""


class XmlMalformatoError(AttestazioneXmlError):
    """The file is not well-formed XML (or uses forbidden entities)."""


class XmlNonValidoError(AttestazioneXmlError):
    """The XML does not follow ``ISEE_Attestazione.xsd``."""


class AttestazioneIncoerenteError(AttestazioneXmlError):
    """The XML follows the XSD but its numbers or members are inconsistent."""


class EsportazioneImpossibileError(AttestazioneXmlError):
    """The components lack something the XSD requires."""


# --- schema -------------------------------------------------------------------------------


def carica_schema(
    xsd_dir: Path | None = None,
    *,
    files: tuple[str, ...] = XSD_FILES,
    per: str = "an attestazione XML",
) -> xmlschema.XMLSchema10:
    """An INPS schema (``files[0]``, needing the others beside it) from ``xsd_dir``, else from
    ``$EQUO_INPS_XSD_DIR``; ``per`` says what it is needed for, in the refusal message."""
    folder = xsd_dir if xsd_dir is not None else _dir_from_env()
    if folder is None:
        raise SchemiInpsMancantiError(
            f"The INPS XSD schemas are needed to read {per}, and Equo does not include them "
            f"(they carry no licence). Put {' and '.join(files)} in a folder and give it with "
            f"--xsd-dir or the environment variable {XSD_ENV}."
        )
    missing = [name for name in files if not (folder / name).is_file()]
    if missing:
        raise SchemiInpsMancantiError(
            f"{folder}: {', '.join(missing)} not found. Put the INPS schemas "
            f"{' and '.join(files)} in that folder (Equo does not include them)."
        )
    return _schema(str(folder.resolve() / files[0]))


def _dir_from_env() -> Path | None:
    value = os.environ.get(XSD_ENV, "").strip()
    return Path(value) if value else None


@cache
def _schema(path: str) -> xmlschema.XMLSchema10:
    try:
        return xmlschema.XMLSchema10(path)
    except (xmlschema.XMLSchemaException, OSError) as exc:
        raise SchemiInpsMancantiError(f"{path}: the INPS schema cannot be loaded ({exc})") from None


# --- import -------------------------------------------------------------------------------


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _num(value: str | None) -> float | None:
    return float(value) if value is not None else None


_MODALITA = {
    "ISEEMinAttr": "ModalitaCalcoloISEEMinAttr",
    "ISEEMinAgg": "ModalitaCalcoloISEEMinAggr",
    "ISEEUniAttr": "ModalitaCalcoloISEEUniAttr",
    "ISEEUniAgg": "ModalitaCalcoloISEEUniAgg",
    "ISEEUniStudAttratto": "ModalitaCalcoloISEEUniStudAtt",
    "ISEEUniStudAttrattoCompAttratta": "ModalitaCalcoloISEEUniStudAttrattoCompAttratta",
    "ISEEUniStudAttrattoCompAggiuntiva": "ModalitaCalcoloISEEUniStudAttrattoCompAggiuntiva",
    "ISEESocioSanRes": "ModalitaCalcoloISEESocioSanResRes",
    "ISEEOrdAgg": "ModalitaCalcoloISEEOrdAgg",
    "ISEESocioSanResAgg": "ModalitaCalcoloIISEESocioSanResAgg",
    "ISEESocioSanResRistretto": "ModalitaCalcoloISEESocioSanResRistretto",
    "ISEERistrettoAgg": "ModalitaCalcoloISEERistrettoAgg",
    "ISEESocioSanResRistrettoAgg": "ModalitaCalcoloISEESocioSanResRistrettoAgg",
}
"""Element chosen → its ModalitaCalcolo element (names as in the XSD, typos included).

``ISEERistretto`` is not here: chosen inside ``ISEESocioSanResRistretto`` it is empty (same as
the ISEE ristretto); the ``Ridotto/ISEERistretto`` block with lines uses :data:`_RISTRETTO`.
"""
_ORDINARIO = "ModalitaCalcoloISEEOrdinario"
_RISTRETTO = "ModalitaCalcoloISEERistretto"

_AGGIUNTIVA = {
    "ISEEMinAttr": "ComponenteAttratta",
    "ISEEMinAgg": "ComponenteAgguntiva",
    "ISEEUniAttr": "ComponenteAttratta",
    "ISEEUniAgg": "ComponenteAgguntiva",
    "ISEEUniStudAttrattoCompAttratta": "ComponenteAttratta",
    "ISEEUniStudAttrattoCompAggiuntiva": "ComponenteAggiuntiva",
    "ISEEOrdAgg": "ComponenteAgguntiva",
    "ISEESocioSanResAgg": "ComponenteAgguntiva",
    "ISEERistrettoAgg": "ComponenteAgguntiva",
    "ISEESocioSanResRistrettoAgg": "ComponenteAgguntiva",
}
_NUCLEO_ATTRATTO = frozenset(
    {"ISEEUniStudAttratto", "ISEEUniStudAttrattoCompAttratta", "ISEEUniStudAttrattoCompAggiuntiva"}
)

# QuadroIsee field → attribute of TypeModalitaCalcolo (isee: TypeValori/@ISEE)
_ATTRIBUTI = {
    "somma_redditi": "SommaRedditiComponenti",
    "somma_redditi_corrente": "SommaRedditiComponentiCorrente",
    "reddito_figurativo": "RedditoFigurativoPatrimonioMobiliare",
    "detrazioni": "Detrazioni",
    "isr": "ISR",
    "patrimonio_mobiliare": "PatrimonioMobiliare",
    "detrazione_patrimonio_mobiliare": "DetrazionePatrimonioMobiliare",
    "patrimonio_immobiliare": "PatrimonioImmobiliare",
    "detrazione_patrimonio_immobiliare": "DetrazionePatrimonioImmobiliare",
    "isp": "ISP",
    "ise": "ISE",
    "parametro_nucleo": "ParametroNucleo",
    "maggiorazioni": "Maggiorazioni",
    "scala_equivalenza": "ScalaEquivalenza",
}
_VALORI = {"isr": "ISR", "isp": "ISP", "ise": "ISE", "scala_equivalenza": "ScalaEquivalenza"}
_MEMBRO = {
    "rapporto": "RapportoConDichiarante",
    "cognome": "Cognome",
    "nome": "Nome",
    "codice_fiscale": "CodiceFiscale",
}


class _Lettore:
    """Maps the validated tree to model data, remembering where each block came from."""

    def __init__(self) -> None:
        self.percorsi: dict[str, str] = {}  # model path → XML path
        self.problemi: list[str] = []

    def quadro(
        self, elem: ET.Element, modalita_name: str, nome: str, xml_path: str
    ) -> dict[str, Any] | None:
        valori = elem.find(_q("Valori"))
        modalita = elem.find(_q(modalita_name))
        if valori is None or modalita is None:
            return None
        self.percorsi[nome] = f"{xml_path}/{modalita_name}"
        self.percorsi[f"{nome}.isee"] = f"{xml_path}/Valori/@ISEE"
        for attr in _VALORI.values():
            a, b = float(valori.get(attr, "0")), float(modalita.get(attr, "0"))
            if abs(a - b) > 0.005:
                self.problemi.append(
                    f"{xml_path}/Valori/@{attr}: {a:.2f} differs from "
                    f"{xml_path}/{modalita_name}/@{attr} ({b:.2f})"
                )
        data: dict[str, Any] = {f: _num(modalita.get(attr)) for f, attr in _ATTRIBUTI.items()}
        data["isee"] = _num(valori.get("ISEE"))
        data["data_rilascio"] = _date(elem.get("DataRilascio"))
        return data

    def membri(self, parent: ET.Element | None, tag: str) -> list[dict[str, Any]]:
        if parent is None:
            return []
        return [
            {field: m.get(attr) for field, attr in _MEMBRO.items()} for m in parent.findall(_q(tag))
        ]

    def beneficiario(self, elem: ET.Element, nome: str, xml_path: str) -> dict[str, Any]:
        scelta = next(iter(elem))
        esito = _local(scelta.tag)
        path = f"{xml_path}/{esito}"
        aggiuntive = []
        tag_aggiuntiva = _AGGIUNTIVA.get(esito)
        if tag_aggiuntiva:
            for agg in scelta.findall(_q(tag_aggiuntiva)):
                inner = agg.find(_q("ComponenteAttrattaAggiuntiva"))
                if inner is None:
                    continue
                aggiuntive.append(
                    {
                        "cognome": inner.get("Cognome"),
                        "nome": inner.get("Nome"),
                        "codice_fiscale": inner.get("CodiceFiscale"),
                        "protocollo_dsu_riferimento": inner.get("ProtocolloDSURiferimento"),
                        "valore": _num(inner.get("ValoreComponenteAggiuntiva")),
                        "protocollo_dsu_componente": inner.get("ProtocolloDSUComponenteAggiuntiva"),
                        "protocollo_mittente": inner.get("ProtocolloMittenteComponenteAggiuntiva"),
                    }
                )
        nucleo = None
        if esito in _NUCLEO_ATTRATTO:
            nucleo = self.membri(
                scelta.find(_q("NucleoFamiliareAttratto")), "ElementoNucleoAttratto"
            )
        return {
            "esito": esito,
            "cognome": elem.get("Cognome"),
            "nome": elem.get("Nome"),
            "codice_fiscale": elem.get("CodiceFiscale"),
            "isee": _num(elem.get("ISEE")),
            "nucleo_attratto": nucleo,
            "componenti_aggiuntive": aggiuntive,
            "calcolo": self.quadro(scelta, _MODALITA[esito], f"{nome}.calcolo", path)
            if esito in _MODALITA
            else None,
        }

    def beneficiari(
        self, ordinario: ET.Element, block: str, item: str, nome: str
    ) -> list[dict[str, Any]]:
        container = ordinario.find(_q(block))
        if container is None:
            return []
        return [
            self.beneficiario(e, f"{nome}[{i}]", f"/Attestazione/Ordinario/{block}/{item}[{i + 1}]")
            for i, e in enumerate(container.findall(_q(item)))
        ]

    def ridotto(self, elem: ET.Element, i: int) -> dict[str, Any]:
        path = f"/Attestazione/Ridotto[{i + 1}]"
        ristretto = elem.find(_q("ISEERistretto"))
        sociosan = elem.find(_q("ISEESocioSanResRistretto"))
        nucleo = elem.find(_q("NucleoRistretto"))
        return {
            "codice_fiscale_beneficiario": elem.get("CodiceFiscaleBeneficiario"),
            "corrente": elem.get("Corrente") == "SI",
            "data_presentazione_modulo_sostitutivo": _date(
                elem.get("DataPresentazioneModuloSostitutivo")
            ),
            "protocollo_dsu_modulo_sostitutivo": elem.get("ProtocolloDSUModuloSostitutivo"),
            "nucleo": [
                {
                    "relazione": m.get("RelazioneConBeneficiario"),
                    "cognome": m.get("Cognome"),
                    "nome": m.get("Nome"),
                    "codice_fiscale": m.get("CodiceFiscale"),
                }
                for m in (
                    nucleo.findall(_q("ComponenteNucleoRistretto")) if nucleo is not None else []
                )
            ],
            "ristretto": self.quadro(
                ristretto, _RISTRETTO, f"ridotti[{i}].ristretto", f"{path}/ISEERistretto"
            )
            if ristretto is not None
            else None,
            "sociosanitario_residenze": self.beneficiario(
                sociosan.find(_q("ComponenteSocioSanitarieRes")),  # type: ignore[arg-type]
                f"ridotti[{i}].sociosanitario_residenze",
                f"{path}/ISEESocioSanResRistretto/ComponenteSocioSanitarieRes",
            )
            if sociosan is not None
            else None,
        }


def _variazione(elem: ET.Element | None) -> dict[str, Any] | None:
    if elem is None:
        return None
    return {
        "tipo": elem.get("TipoVariazione"),
        "protocollo_dsu_variata": elem.get("NumeroProtocolloDSUVariata"),
        "data_presentazione_dsu_variata": elem.get("DataPresentazioneDSUVariata"),
        "protocollo_mittente_dsu_variata": elem.get("NumeroProtocolloMittenteDSUVariata"),
        "note": elem.get("NoteVariazione"),
        "discordanze": [
            {
                "codice_fiscale": d.get("CFDiscordanza"),
                "tipologia": d.get("TipologiaDiscordanza"),
                "specifica": d.get("SpecificaDiscordanza"),
            }
            for d in elem.findall(_q("DiscordanzeContestazione"))
        ],
    }


def _omissione(elem: ET.Element) -> dict[str, Any]:
    reddito = elem.find(_q("RedditoAE"))
    return {
        "tipo": elem.get("TipoOmissioneDifformita"),
        "codice_fiscale": elem.get("CodiceFiscale"),
        "data_controllo": elem.get("DataControlloAE"),
        "rapporti": [dict(r.attrib) for r in elem.findall(_q("Rapporto"))],
        "reddito_ae": dict(reddito.attrib) if reddito is not None else None,
    }


def _parse(data: bytes) -> xmlschema.XMLResource:
    try:
        return xmlschema.XMLResource(data, defuse="always", allow="none")
    except ET.ParseError as exc:
        reason = str(exc).removeprefix("invalid XML syntax: ")
        where = re.search(r":? line (\d+), column (\d+)", reason)
        if where:
            reason = reason.replace(where[0], "")
            reason = f"(line {where[1]}, column {where[2]}): {reason}"
        raise XmlMalformatoError(f"the file is not well-formed XML {reason}") from None
    except xmlschema.XMLSchemaException as exc:
        raise XmlMalformatoError(f"the XML cannot be read safely: {exc}") from None


def _xsd_errors(schema: xmlschema.XMLSchema10, resource: xmlschema.XMLResource) -> list[str]:
    problems = []
    for error in schema.iter_errors(resource):
        path = error.path or "/"
        reason = error.reason or str(error)
        problems.append(f"{path}: {reason}")
    return problems


def _xml_path(campo: str, percorsi: dict[str, str]) -> str:
    """Model field path → XML element/attribute path."""
    for prefix in sorted(percorsi, key=len, reverse=True):
        if campo == prefix:
            return percorsi[prefix]
        if campo.startswith(prefix + "."):
            field = campo.removeprefix(prefix + ".")
            attr = _ATTRIBUTI.get(field)
            return f"{percorsi[prefix]}/@{attr}" if attr else f"{percorsi[prefix]} ({field})"
    match = re.fullmatch(r"nucleo\[(\d+)\]\.(\w+)", campo)
    if match:
        attr = _MEMBRO.get(match[2], match[2])
        return (
            f"/Attestazione/Ordinario/NucleoFamiliare/ComponenteNucleo[{int(match[1]) + 1}]/@{attr}"
        )
    if campo == "codice_fiscale_dichiarante":
        return "/Attestazione/@CodiceFiscaleDichiarante"
    if campo.startswith(("nucleo", "n_")):
        return f"/Attestazione/Ordinario/NucleoFamiliare ({campo})"
    return campo or "/Attestazione"


def importa_attestazione_xml(data: bytes, *, xsd_dir: Path | None = None) -> ComponentiAttestazione:
    """Validate an INPS attestazione XML against the XSD, then read it.

    Raises :class:`SchemiInpsMancantiError`, :class:`XmlMalformatoError`,
    :class:`XmlNonValidoError` or :class:`AttestazioneIncoerenteError`, each with precise
    ``problemi``. An attestazione without
    ``Ordinario`` (only nuclei ristretti) is refused: the ISEE ordinario is what Equo recomputes.
    """
    schema = carica_schema(xsd_dir)
    resource = _parse(data)
    problems = _xsd_errors(schema, resource)
    if problems:
        raise XmlNonValidoError(
            f"the XML does not follow ISEE_Attestazione.xsd ({len(problems)} problems)", problems
        )
    root = resource.root
    ordinario = root.find(_q("Ordinario"))
    if ordinario is None:
        raise AttestazioneIncoerenteError(
            "/Attestazione/Ordinario: missing; an attestazione without the ISEE ordinario "
            "cannot be recomputed"
        )
    lettore = _Lettore()
    isee_ord = ordinario.find(_q("ISEEOrdinario"))
    assert isee_ord is not None  # noqa: S101 - required by the XSD, just validated
    lettore.percorsi["ordinario"] = (
        "/Attestazione/Ordinario/ISEEOrdinario/ModalitaCalcoloISEEOrdinario"
    )
    quadro = lettore.quadro(
        isee_ord, _ORDINARIO, "ordinario", "/Attestazione/Ordinario/ISEEOrdinario"
    )
    raw = {
        "protocollo": root.get("NumeroProtocolloDSU"),
        "codice_fiscale_dichiarante": root.get("CodiceFiscaleDichiarante"),
        "data_presentazione": root.get("DataPresentazione"),
        "data_validita": root.get("DataValidita"),
        "protocollo_mittente": root.get("ProtocolloMittente"),
        "data_scadenza_dsu_corrente": root.get("DataScadenzaDSUCorrente"),
        "corrente": ordinario.get("Corrente") == "SI",
        "data_presentazione_modulo_sostitutivo": ordinario.get(
            "DataPresentazioneModuloSostitutivo"
        ),
        "protocollo_dsu_modulo_sostitutivo": ordinario.get("ProtocolloDSUModuloSostitutivo"),
        "nucleo": lettore.membri(ordinario.find(_q("NucleoFamiliare")), "ComponenteNucleo"),
        "ordinario": quadro,
        "minorenni": lettore.beneficiari(ordinario, "ISEEMin", "ComponenteMinorenne", "minorenni"),
        "universitari": lettore.beneficiari(
            ordinario, "ISEEUni", "StudenteUniversitario", "universitari"
        ),
        "sociosanitari_residenze": lettore.beneficiari(
            ordinario, "ISEESocioSanRes", "ComponenteSocioSanitarieRes", "sociosanitari_residenze"
        ),
        "ridotti": [lettore.ridotto(e, i) for i, e in enumerate(root.findall(_q("Ridotto")))],
        "variazione": _variazione(root.find(_q("Variazione"))),
        "omissioni_difformita": [_omissione(e) for e in root.findall(_q("OmissioneDifformita"))],
    }
    problems = list(lettore.problemi)
    try:
        componenti = ComponentiAttestazione.model_validate(raw)
    except ValidationError as exc:
        problems += [
            f"{_xml_path(e.campo, lettore.percorsi)}: {e.errore}" for e in field_errors(exc)
        ]
    if problems:
        raise AttestazioneIncoerenteError(
            f"the attestazione is valid XML but inconsistent ({len(problems)} problems)", problems
        )
    return componenti


# --- export -------------------------------------------------------------------------------


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _set(elem: ET.Element, attr: str, value: object) -> None:
    if value is None or value is False:
        return
    if isinstance(value, bool):
        elem.set(attr, "SI")
    elif isinstance(value, float):
        elem.set(attr, _fmt(value))
    elif isinstance(value, dt.date):
        elem.set(attr, value.isoformat())
    else:
        elem.set(attr, str(value))


def _sub(parent: ET.Element, name: str, **attrs: object) -> ET.Element:
    elem = ET.SubElement(parent, name)  # unqualified: the root declares the default namespace
    for attr, value in attrs.items():
        _set(elem, attr, value)
    return elem


def _scrivi_quadro(parent: ET.Element, q: QuadroIsee, modalita: str) -> None:
    _sub(
        parent,
        "Valori",
        ISE=q.ise,
        ScalaEquivalenza=q.scala_equivalenza,
        ISEE=q.isee,
        ISR=q.isr,
        ISP=q.isp,
    )
    _sub(parent, modalita, **{attr: getattr(q, field) for field, attr in _ATTRIBUTI.items()})


def _scrivi_membri(parent: ET.Element, tag: str, membri: list[MembroNucleo]) -> None:
    for m in membri:
        _sub(
            parent,
            tag,
            RapportoConDichiarante=m.rapporto.value,
            Cognome=m.cognome,
            Nome=m.nome,
            CodiceFiscale=m.codice_fiscale,
        )


def _scrivi_beneficiario(parent: ET.Element, tag: str, b: IseeBeneficiario, where: str) -> None:
    elem = _sub(parent, tag)
    scelta = _sub(elem, b.esito)
    if b.esito in _NUCLEO_ATTRATTO:
        _scrivi_membri(
            _sub(scelta, "NucleoFamiliareAttratto"),
            "ElementoNucleoAttratto",
            b.nucleo_attratto or [],
        )
    tag_aggiuntiva = _AGGIUNTIVA.get(b.esito)
    if tag_aggiuntiva:
        for a in b.componenti_aggiuntive:
            _scrivi_aggiuntiva(_sub(scelta, tag_aggiuntiva), a)
    if b.esito in _MODALITA:
        if b.calcolo is None or b.calcolo.data_rilascio is None:
            raise EsportazioneImpossibileError(
                f"{where}.calcolo: {b.esito} requires its lines and data_rilascio"
            )
        _set(scelta, "DataRilascio", b.calcolo.data_rilascio)
        _scrivi_quadro(scelta, b.calcolo, _MODALITA[b.esito])
    _set(elem, "Cognome", b.cognome)
    _set(elem, "Nome", b.nome)
    _set(elem, "CodiceFiscale", b.codice_fiscale)
    _set(elem, "ISEE", b.isee)


def _scrivi_aggiuntiva(parent: ET.Element, a: ComponenteAggiuntiva) -> None:
    _sub(
        parent,
        "ComponenteAttrattaAggiuntiva",
        Cognome=a.cognome,
        Nome=a.nome,
        CodiceFiscale=a.codice_fiscale,
        ProtocolloDSURiferimento=a.protocollo_dsu_riferimento,
        ValoreComponenteAggiuntiva=a.valore,
        ProtocolloDSUComponenteAggiuntiva=a.protocollo_dsu_componente,
        ProtocolloMittenteComponenteAggiuntiva=a.protocollo_mittente,
    )


def _scrivi_ridotto(root: ET.Element, r: NucleoRidotto, i: int) -> None:
    elem = _sub(
        root,
        "Ridotto",
        CodiceFiscaleBeneficiario=r.codice_fiscale_beneficiario,
        Corrente=r.corrente,
        DataPresentazioneModuloSostitutivo=r.data_presentazione_modulo_sostitutivo,
        ProtocolloDSUModuloSostitutivo=r.protocollo_dsu_modulo_sostitutivo,
    )
    nucleo = _sub(elem, "NucleoRistretto")
    for m in r.nucleo:
        _sub(
            nucleo,
            "ComponenteNucleoRistretto",
            RelazioneConBeneficiario=m.relazione,
            Cognome=m.cognome,
            Nome=m.nome,
            CodiceFiscale=m.codice_fiscale,
        )
    if r.ristretto is not None:
        ristretto = _sub(elem, "ISEERistretto", DataRilascio=r.ristretto.data_rilascio)
        _scrivi_quadro(ristretto, r.ristretto, _RISTRETTO)
    if r.sociosanitario_residenze is not None:
        _scrivi_beneficiario(
            _sub(elem, "ISEESocioSanResRistretto"),
            "ComponenteSocioSanitarieRes",
            r.sociosanitario_residenze,
            f"ridotti[{i}].sociosanitario_residenze",
        )


def _scrivi_variazione(root: ET.Element, v: Variazione) -> None:
    elem = _sub(
        root,
        "Variazione",
        TipoVariazione=v.tipo,
        NumeroProtocolloDSUVariata=v.protocollo_dsu_variata,
        DataPresentazioneDSUVariata=v.data_presentazione_dsu_variata,
        NumeroProtocolloMittenteDSUVariata=v.protocollo_mittente_dsu_variata,
        NoteVariazione=v.note,
    )
    for d in v.discordanze:
        _scrivi_discordanza(elem, d)


def _scrivi_discordanza(parent: ET.Element, d: Discordanza) -> None:
    _sub(
        parent,
        "DiscordanzeContestazione",
        CFDiscordanza=d.codice_fiscale,
        TipologiaDiscordanza=d.tipologia,
        SpecificaDiscordanza=d.specifica,
    )


def _scrivi_omissione(root: ET.Element, o: OmissioneDifformita) -> None:
    elem = _sub(
        root,
        "OmissioneDifformita",
        TipoOmissioneDifformita=o.tipo,
        CodiceFiscale=o.codice_fiscale,
        DataControlloAE=o.data_controllo,
    )
    for r in o.rapporti:
        _sub(elem, "Rapporto", **r)
    if o.reddito_ae is not None:
        _sub(elem, "RedditoAE", **o.reddito_ae)


def esporta_attestazione_xml(componenti: ComponentiAttestazione) -> bytes:
    """The attestazione as INPS XML (UTF-8), following ``ISEE_Attestazione.xsd``.

    Only what an attestazione prints is written: the facts that are not printed (work
    condition, disabled members, rent, casa, base of the reddito figurativo) are lost, and the
    composition is carried by the list of members. Raises :class:`EsportazioneImpossibileError` when
    something the XSD requires is missing.
    """
    c = componenti
    problems = []
    if not c.protocollo or not _PROTOCOLLO.fullmatch(c.protocollo):
        problems.append(
            f"protocollo: {c.protocollo!r} is not an INPS protocol (INPS-ISEE-AAAA-NNNNNNNNL-NN)"
        )
    if c.data_validita is None:
        problems.append("data_validita: required by the XSD (Attestazione/@DataValidita)")
    if not c.nucleo:
        problems.append("nucleo: the XSD requires the list of members (ComponenteNucleo)")
    if c.ordinario.data_rilascio is None:
        problems.append(
            "ordinario.data_rilascio: required by the XSD (ISEEOrdinario/@DataRilascio)"
        )
    dichiarante = c.codice_fiscale_dichiarante or next(
        (m.codice_fiscale for m in c.nucleo if m.rapporto.value == "D"), None
    )
    if problems:
        raise EsportazioneImpossibileError(
            f"the attestazione cannot be written as INPS XML ({len(problems)} problems)", problems
        )
    root = ET.Element("Attestazione", xmlns=NS)
    for attr, value in (
        ("CodiceFiscaleDichiarante", dichiarante),
        ("NumeroProtocolloDSU", c.protocollo),
        ("DataPresentazione", c.data_presentazione),
        ("DataValidita", c.data_validita),
        ("ProtocolloMittente", c.protocollo_mittente),
        ("DataScadenzaDSUCorrente", c.data_scadenza_dsu_corrente),
    ):
        _set(root, attr, value)
    ordinario = _sub(
        root,
        "Ordinario",
        Corrente=c.corrente,
        DataPresentazioneModuloSostitutivo=c.data_presentazione_modulo_sostitutivo,
        ProtocolloDSUModuloSostitutivo=c.protocollo_dsu_modulo_sostitutivo,
    )
    _scrivi_membri(_sub(ordinario, "NucleoFamiliare"), "ComponenteNucleo", c.nucleo)
    isee_ord = _sub(ordinario, "ISEEOrdinario", DataRilascio=c.ordinario.data_rilascio)
    _scrivi_quadro(isee_ord, c.ordinario, _ORDINARIO)
    for attr, block, item in (
        ("minorenni", "ISEEMin", "ComponenteMinorenne"),
        ("universitari", "ISEEUni", "StudenteUniversitario"),
        ("sociosanitari_residenze", "ISEESocioSanRes", "ComponenteSocioSanitarieRes"),
    ):
        beneficiari: list[IseeBeneficiario] = getattr(c, attr)
        if beneficiari:
            container = _sub(ordinario, block)
            for i, b in enumerate(beneficiari):
                _scrivi_beneficiario(container, item, b, f"{attr}[{i}]")
    for i, r in enumerate(c.ridotti):
        _scrivi_ridotto(root, r, i)
    if c.variazione is not None:
        _scrivi_variazione(root, c.variazione)
    for o in c.omissioni_difformita:
        _scrivi_omissione(root, o)
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
