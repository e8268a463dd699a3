"""What an INPS attestazione ISEE prints, as pydantic models.

An administration often keeps, for past applications, only the attestazione, not the DSU. These
models hold exactly that: the identification of the DSU, the nucleo familiare as listed, and for
each indicator the "modalità di calcolo" lines (somma dei redditi, reddito figurativo,
detrazioni, ISR; patrimonio mobiliare and immobiliare with their detrazioni, ISP; ISE; parametro
della scala, maggiorazioni, scala; ISEE).

The structure follows the INPS attestazione XML (``ISEE_Attestazione.xsd``, namespace
``http://inps.it/ISEERiforma``, ver. 1.4); the schema itself is not part of Equo (see
:mod:`equo.isee.attestazione.inps_xml`). Every field says where it comes from
(``json_schema_extra``):

- ``fonte = "stampato"``: printed on the attestazione (``xsd`` gives the element/attribute);
- ``fonte = "derivato"``: not printed as a number but derived from what is printed (the counts of
  the nucleo come from the list of members, their relationship codes and the birth date encoded
  in the codice fiscale);
- ``fonte = "non_stampato"``: needed by some formula but not on the attestazione (whether the
  parents worked, the disabled members, the rent, the value of the casa di abitazione, the base
  of the reddito figurativo). ``None`` means "not known": :func:`~equo.isee.attestazione.
  ricalcolo.ricalcola` then reconstructs what it can and flags what it cannot.

Amounts are euros as printed (two decimals). Consistency checks (ISE = ISR + 20% ISP, scala =
parametro + maggiorazioni, ISEE = ISE / scala, parametro consistent with the number of members,
each member listed once) raise errors that name the field.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from stdnum.it import codicefiscale

from equo.isee.format import euro, numero
from equo.isee.model import Disabilita, RapportoConDichiarante, TitoloAbitazione, eta_alla_data
from equo.isee.parameters import ParameterSet, load_parameters

__all__ = [
    "ComponenteAggiuntiva",
    "ComponenteDisabile",
    "ComponentiAttestazione",
    "Discordanza",
    "Fonte",
    "IseeBeneficiario",
    "MembroNucleo",
    "MembroNucleoRistretto",
    "NucleoRidotto",
    "OmissioneDifformita",
    "QuadroIsee",
    "Variazione",
    "fonte_dei_campi",
]

Fonte = Literal["stampato", "derivato", "non_stampato"]

# Tolerances of the consistency checks: printed amounts are rounded to the cent, so a sum of
# three printed lines may differ from the printed total by up to 1.5 cents.
_TOLLERANZA_EURO = 0.02
_TOLLERANZA_SCALA = 0.005

_FIGLI = frozenset(r for r in RapportoConDichiarante if r.is_figlio)
_FIGLI_CONVIVENTI = frozenset(r for r in RapportoConDichiarante if r.is_figlio_convivente)
_GENITORI = frozenset(r for r in RapportoConDichiarante if r.is_genitore)


def _campo(etichetta: str, fonte: Fonte, xsd: str, description: str, **kwargs: Any) -> Any:
    return Field(
        description=description,
        json_schema_extra={"etichetta": etichetta, "fonte": fonte, "xsd": xsd},
        **kwargs,
    )


def _riga(etichetta: str, attributo: str, description: str, **kwargs: Any) -> Any:
    """A line of ``TypeModalitaCalcolo`` (or ``TypeValori``), printed on the attestazione."""
    return _campo(
        etichetta,
        "stampato",
        f"TypeModalitaCalcolo/@{attributo}",
        description,
        ge=0,
        allow_inf_nan=False,
        **kwargs,
    )


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _nome_inps(value: str) -> str:
    """Names as INPS prints them: upper case (``TypeNome``)."""
    return value.upper()


class MembroNucleo(_Model):
    """A member of the nucleo as listed (``NucleoFamiliare/ComponenteNucleo``)."""

    rapporto: RapportoConDichiarante = _campo(
        "Rapporto con il dichiarante",
        "stampato",
        "ComponenteNucleo/@RapportoConDichiarante",
        "D, C, F, MA, FC, FNC, P or GNC (same codes as the DSU quadro A).",
    )
    cognome: str = _campo("Cognome", "stampato", "ComponenteNucleo/@Cognome", "Surname.")
    nome: str = _campo("Nome", "stampato", "ComponenteNucleo/@Nome", "Given name.")
    codice_fiscale: str = _campo(
        "Codice fiscale", "stampato", "ComponenteNucleo/@CodiceFiscale", "Italian tax code."
    )

    _upper = field_validator("cognome", "nome", "codice_fiscale")(_nome_inps)


class MembroNucleoRistretto(_Model):
    """A member of a nucleo ristretto (``Ridotto/NucleoRistretto/ComponenteNucleoRistretto``)."""

    relazione: Literal["B", "C", "F", "FC", "FNC", "MA"] = _campo(
        "Relazione con il beneficiario",
        "stampato",
        "ComponenteNucleoRistretto/@RelazioneConBeneficiario",
        "B beneficiario, C coniuge, F/MA figlio minorenne, FC/FNC figlio maggiorenne.",
    )
    cognome: str = _campo("Cognome", "stampato", "ComponenteNucleoRistretto/@Cognome", "Surname.")
    nome: str = _campo("Nome", "stampato", "ComponenteNucleoRistretto/@Nome", "Given name.")
    codice_fiscale: str = _campo(
        "Codice fiscale", "stampato", "ComponenteNucleoRistretto/@CodiceFiscale", "Tax code."
    )

    _upper = field_validator("cognome", "nome", "codice_fiscale")(_nome_inps)


class QuadroIsee(_Model):
    """One indicator as printed: ``TypeValori`` plus ``TypeModalitaCalcolo``.

    ``TypeValori`` repeats ISR, ISP, ISE and scala, and adds the ISEE; the importer checks that
    both blocks agree and keeps one copy.
    """

    data_rilascio: dt.date | None = _campo(
        "Data di rilascio", "stampato", "ISEEOrdinario/@DataRilascio", "Issue date.", default=None
    )
    somma_redditi: float = _riga(
        "Somma dei redditi dei componenti del nucleo",
        "SommaRedditiComponenti",
        "Σ members' incomes after the member-level deductions of art. 4 c. 3.",
    )
    somma_redditi_corrente: float | None = _riga(
        "Somma dei redditi dei componenti (ISEE corrente)",
        "SommaRedditiComponentiCorrente",
        "Only on an ISEE corrente.",
        default=None,
    )
    reddito_figurativo: float = _riga(
        "Reddito figurativo del patrimonio mobiliare",
        "RedditoFigurativoPatrimonioMobiliare",
        "Rate × patrimonio mobiliare other than deposits (art. 4).",
    )
    detrazioni: float = _riga(
        "Detrazioni per spese e franchigie del nucleo",
        "Detrazioni",
        "Rent deduction and, until May 2016, the franchigie for disabled members (art. 4 c. 4).",
    )
    isr: float = _riga("ISR", "ISR", "Indicatore della situazione reddituale.")
    patrimonio_mobiliare: float = _riga(
        "Patrimonio mobiliare del nucleo",
        "PatrimonioMobiliare",
        "Before the franchigia (after the titoli di Stato excluded from April 2025).",
    )
    detrazione_patrimonio_mobiliare: float = _riga(
        "Detrazione patrimonio mobiliare",
        "DetrazionePatrimonioMobiliare",
        "Franchigia of art. 5 c. 4.",
    )
    patrimonio_immobiliare: float = _riga(
        "Patrimonio immobiliare del nucleo",
        "PatrimonioImmobiliare",
        "IMU/IVIE values for the shares owned.",
    )
    detrazione_patrimonio_immobiliare: float = _riga(
        "Detrazione patrimonio immobiliare",
        "DetrazionePatrimonioImmobiliare",
        "Residual mortgages plus the casa di abitazione franchigia and its third (art. 5 c. 2).",
    )
    isp: float = _riga("ISP", "ISP", "Indicatore della situazione patrimoniale.")
    ise: float = _riga("ISE", "ISE", "Indicatore della situazione economica: ISR + 20% ISP.")
    parametro_nucleo: float = _riga(
        "Parametro della scala (numero di componenti)",
        "ParametroNucleo",
        "Base parameter by number of members (Allegato 1).",
    )
    maggiorazioni: float = _riga(
        "Eventuali maggiorazioni",
        "Maggiorazioni",
        "Sum of the maggiorazioni of Allegato 1 (figli, genitori lavoratori, disabilità).",
    )
    scala_equivalenza: float = _riga(
        "Valore della scala di equivalenza", "ScalaEquivalenza", "Parametro + maggiorazioni."
    )
    isee: float = _campo(
        "ISEE",
        "stampato",
        "TypeValori/@ISEE",
        "Indicatore della situazione economica equivalente: ISE / scala.",
        ge=0,
        allow_inf_nan=False,
    )


class ComponenteAggiuntiva(_Model):
    """A componente attratta or aggiuntiva (``TypeCompAggiuntiva``).

    ``valore`` is the amount added to the ISEE (residenze: Allegato 2 c. 1 lett. f, already
    divided by the beneficiary's scala; minorenni/università: Allegato 2 c. 2, carried as
    printed).
    """

    cognome: str = _campo("Cognome", "stampato", "ComponenteAttrattaAggiuntiva/@Cognome", "")
    nome: str = _campo("Nome", "stampato", "ComponenteAttrattaAggiuntiva/@Nome", "")
    codice_fiscale: str = _campo(
        "Codice fiscale", "stampato", "ComponenteAttrattaAggiuntiva/@CodiceFiscale", ""
    )
    protocollo_dsu_riferimento: str | None = _campo(
        "Protocollo DSU di riferimento",
        "stampato",
        "ComponenteAttrattaAggiuntiva/@ProtocolloDSURiferimento",
        "",
        default=None,
    )
    valore: float | None = _campo(
        "Valore della componente aggiuntiva",
        "stampato",
        "ComponenteAttrattaAggiuntiva/@ValoreComponenteAggiuntiva",
        "",
        default=None,
    )
    protocollo_dsu_componente: str | None = _campo(
        "Protocollo DSU della componente aggiuntiva",
        "stampato",
        "ComponenteAttrattaAggiuntiva/@ProtocolloDSUComponenteAggiuntiva",
        "",
        default=None,
    )
    protocollo_mittente: str | None = _campo(
        "Protocollo mittente",
        "stampato",
        "ComponenteAttrattaAggiuntiva/@ProtocolloMittenteComponenteAggiuntiva",
        "",
        default=None,
    )
    ise_figlio: float | None = _campo(
        "ISE del solo figlio",
        "non_stampato",
        "-",
        "ISEE residenze: the figlio's ISE (Allegato 2 c. 1 lett. a), from his own componente "
        "aggiuntiva sheet (DSU ProtocolloDSUComponenteAggiuntiva); with scala_nucleo_figlio it "
        "lets the componente be recomputed at another date.",
        default=None,
        ge=0,
        allow_inf_nan=False,
    )
    scala_nucleo_figlio: float | None = _campo(
        "Scala di equivalenza del nucleo del figlio",
        "non_stampato",
        "-",
        "ISEE residenze: the scala of the figlio's own nucleo (Allegato 2 c. 1 lett. c).",
        default=None,
        ge=1,
        allow_inf_nan=False,
    )

    _upper = field_validator("cognome", "nome", "codice_fiscale")(_nome_inps)


class IseeBeneficiario(_Model):
    """The ISEE of one beneficiary in a variant block (minorenni, università, socio-sanitario).

    ``esito`` is the element chosen in the XSD ``xs:choice``: ``ISEEOrd`` (same as the
    ordinario), ``ISEENonCalcolabile``, or the variant's own calculation (``ISEEMinAttr``,
    ``ISEEMinAgg``, ``ISEEUniAttr``, ``ISEEUniAgg``, ``ISEEUniStudAttratto…``,
    ``ISEESocioSanRes``, ``ISEEOrdAgg``, ``ISEESocioSanResAgg``, ``ISEERistretto``,
    ``ISEESocioSanResRistretto``, ``ISEERistrettoAgg``, ``ISEESocioSanResRistrettoAgg``), whose
    lines are in ``calcolo`` (ISE / scala, before any componente aggiuntiva); ``isee`` is the
    variant's final ISEE. :func:`~equo.isee.attestazione.ricalcolo.ricalcola` recomputes them
    with ``variante``.
    """

    esito: str = _campo("Esito", "stampato", "xs:choice", "Element chosen in the XSD choice.")
    cognome: str = _campo("Cognome", "stampato", "@Cognome", "")
    nome: str = _campo("Nome", "stampato", "@Nome", "")
    codice_fiscale: str = _campo("Codice fiscale", "stampato", "@CodiceFiscale", "")
    isee: float | None = _campo("ISEE", "stampato", "@ISEE", "", default=None)
    nucleo_attratto: list[MembroNucleo] | None = _campo(
        "Nucleo familiare attratto",
        "stampato",
        "NucleoFamiliareAttratto/ElementoNucleoAttratto",
        "Only for ISEEUniStudAttratto…",
        default=None,
    )
    componenti_aggiuntive: list[ComponenteAggiuntiva] = _campo(
        "Componenti attratte o aggiuntive",
        "stampato",
        "ComponenteAttratta | ComponenteAgguntiva | ComponenteAggiuntiva",
        "",
        default_factory=list,
    )
    calcolo: QuadroIsee | None = _campo(
        "Calcolo", "stampato", "Valori + ModalitaCalcolo…", "", default=None
    )

    _upper = field_validator("cognome", "nome", "codice_fiscale")(_nome_inps)


class NucleoRidotto(_Model):
    """A ``Ridotto`` block: ISEE with nucleo ristretto (socio-sanitario, art. 6)."""

    codice_fiscale_beneficiario: str = _campo(
        "Codice fiscale del beneficiario", "stampato", "Ridotto/@CodiceFiscaleBeneficiario", ""
    )
    corrente: bool = _campo("ISEE corrente", "stampato", "Ridotto/@Corrente", "", default=False)
    data_presentazione_modulo_sostitutivo: dt.date | None = _campo(
        "", "stampato", "Ridotto/@DataPresentazioneModuloSostitutivo", "", default=None
    )
    protocollo_dsu_modulo_sostitutivo: str | None = _campo(
        "", "stampato", "Ridotto/@ProtocolloDSUModuloSostitutivo", "", default=None
    )
    nucleo: list[MembroNucleoRistretto] = _campo(
        "Nucleo ristretto", "stampato", "NucleoRistretto/ComponenteNucleoRistretto", ""
    )
    ristretto: QuadroIsee | None = _campo(
        "ISEE con nucleo ristretto", "stampato", "ISEERistretto", "", default=None
    )
    sociosanitario_residenze: IseeBeneficiario | None = _campo(
        "ISEE socio-sanitario residenze (nucleo ristretto)",
        "stampato",
        "ISEESocioSanResRistretto/ComponenteSocioSanitarieRes",
        "",
        default=None,
    )


class Discordanza(_Model):
    """``Variazione/DiscordanzeContestazione``."""

    codice_fiscale: str
    tipologia: str
    specifica: str


class Variazione(_Model):
    """``Variazione``: the DSU was contested, recomputed or integrated."""

    tipo: Literal["Contestazione", "Ricalcolo", "Integrazione"]
    protocollo_dsu_variata: str
    data_presentazione_dsu_variata: dt.date
    protocollo_mittente_dsu_variata: str | None = None
    note: str | None = None
    discordanze: list[Discordanza] = Field(default_factory=list)


class OmissioneDifformita(_Model):
    """``OmissioneDifformita``: omissions or differences found by INPS/Agenzia delle Entrate.

    Recorded attribute by attribute (``rapporti``: one dict per ``Rapporto``; ``reddito_ae``:
    the attributes of ``RedditoAE``), since they are shown, not computed with.
    """

    tipo: Literal[
        "PatrimoniMobiliari",
        "RedditiScostamento",
        "PatrimoniMobiliariSottoSoglia",
        "PatrimoniMobiliariSopraSoglia",
    ]
    codice_fiscale: str
    data_controllo: dt.date
    rapporti: list[dict[str, str]] = Field(default_factory=list)
    reddito_ae: dict[str, str] | None = None


class ComponenteDisabile(_Model):
    """A member with a disability (not printed on the attestazione)."""

    classe: Literal[Disabilita.MEDIA, Disabilita.GRAVE, Disabilita.NON_AUTOSUFFICIENTE] = Field(
        description="Allegato 3 class: media, grave or non_autosufficiente."
    )
    minorenne: bool = Field(
        default=False, description="Under 18 at the DSU date (higher franchigia until 2016)."
    )


class ComponentiAttestazione(_Model):
    """What an INPS attestazione prints for the ISEE ordinario, plus its other blocks.

    The composition counts may be given directly (JSON from an administration's archive) or
    derived from ``nucleo`` (XML import): when ``nucleo`` is given and a count is missing it is
    derived; when both are given they must agree.
    """

    model_config = ConfigDict(title="ComponentiAttestazione")

    protocollo: str | None = _campo(
        "Numero di protocollo della DSU",
        "stampato",
        "Attestazione/@NumeroProtocolloDSU",
        "INPS-ISEE-AAAA-NNNNNNNNL-NN.",
        default=None,
    )
    codice_fiscale_dichiarante: str | None = _campo(
        "Codice fiscale del dichiarante",
        "stampato",
        "Attestazione/@CodiceFiscaleDichiarante",
        "",
        default=None,
    )
    data_presentazione: dt.date = _campo(
        "Data di presentazione della DSU",
        "stampato",
        "Attestazione/@DataPresentazione",
        "The rules in force on this date were applied.",
    )
    data_validita: dt.date | None = _campo(
        "Valida fino al", "stampato", "Attestazione/@DataValidita", "", default=None
    )
    protocollo_mittente: str | None = _campo(
        "Protocollo mittente", "stampato", "Attestazione/@ProtocolloMittente", "", default=None
    )
    data_scadenza_dsu_corrente: dt.date | None = _campo(
        "", "stampato", "Attestazione/@DataScadenzaDSUCorrente", "", default=None
    )
    corrente: bool = _campo(
        "ISEE corrente", "stampato", "Ordinario/@Corrente", "SI on an ISEE corrente.", default=False
    )
    data_presentazione_modulo_sostitutivo: dt.date | None = _campo(
        "", "stampato", "Ordinario/@DataPresentazioneModuloSostitutivo", "", default=None
    )
    protocollo_dsu_modulo_sostitutivo: str | None = _campo(
        "", "stampato", "Ordinario/@ProtocolloDSUModuloSostitutivo", "", default=None
    )
    nucleo: list[MembroNucleo] = _campo(
        "Nucleo familiare",
        "stampato",
        "Ordinario/NucleoFamiliare/ComponenteNucleo",
        "The members as listed. Optional in JSON if the counts are given.",
        default_factory=list,
    )
    ordinario: QuadroIsee = _campo(
        "ISEE ordinario",
        "stampato",
        "Ordinario/ISEEOrdinario (Valori, ModalitaCalcoloISEEOrdinario)",
        "The lines of the ISEE ordinario.",
    )

    n_componenti: int = _campo(
        "Numero di componenti",
        "derivato",
        "count of ComponenteNucleo (GNC excluded)",
        "Members of the ordinary nucleo.",
        default=0,
        ge=0,
    )
    n_figli: int = _campo(
        "Figli nel nucleo", "derivato", "RapportoConDichiarante F, MA, FC, FNC", "", default=0, ge=0
    )
    n_figli_conviventi: int = _campo(
        "Figli conviventi", "derivato", "RapportoConDichiarante F, MA, FC", "", default=0, ge=0
    )
    n_figli_minorenni: int = _campo(
        "Figli minorenni",
        "derivato",
        "figli under 18 at the DSU date (birth date in the codice fiscale; else F, MA)",
        "",
        default=0,
        ge=0,
    )
    n_genitori: int = _campo(
        "Genitori (dichiarante e coniuge)", "derivato", "RapportoConDichiarante D, C", "", default=0
    )
    n_figli_piccoli: int | None = _campo(
        "Figli di età inferiore a tre anni",
        "derivato",
        "figli under 3 at the DSU date (birth date in the codice fiscale)",
        "None when not known (e.g. temporary 11-digit codici fiscali).",
        default=None,
        ge=0,
    )
    n_genitori_lavoratori: int | None = _campo(
        "Genitori con attività lavorativa per almeno sei mesi",
        "non_stampato",
        "-",
        "Needed for the maggiorazione lett. b); None when not known.",
        default=None,
        ge=0,
    )
    componenti_disabili: list[ComponenteDisabile] | None = _campo(
        "Componenti con disabilità",
        "non_stampato",
        "-",
        "Needed for the scala (from 2016) and the franchigie (until 2016); None when not known, "
        "[] when there are none.",
        default=None,
    )
    titolo_abitazione: TitoloAbitazione | None = _campo(
        "Titolo dell'abitazione", "non_stampato", "-", "", default=None
    )
    canone_annuo: float | None = _campo(
        "Canone annuo di locazione",
        "non_stampato",
        "-",
        "The rent: only its deduction is printed (inside detrazioni).",
        default=None,
        ge=0,
        allow_inf_nan=False,
    )
    casa_abitazione_netta: float | None = _campo(
        "Valore della casa di abitazione al netto del mutuo",
        "non_stampato",
        "-",
        "Needed to apply another casa franchigia; printed only inside the immobiliare totals.",
        default=None,
        ge=0,
        allow_inf_nan=False,
    )
    assegno_unico_annuo: float | None = _campo(
        "Assegno unico universale annuo",
        "non_stampato",
        "-",
        "Needed for the ISEE per il bonus asilo nido (neutralised, INPS circ. 60/2025).",
        default=None,
        ge=0,
        allow_inf_nan=False,
    )
    codice_comune_abitazione: str | None = _campo(
        "Codice catastale del comune dell'abitazione",
        "non_stampato",
        "-",
        "Needed for the ISEE per specifiche prestazioni (2026): the casa threshold is higher in "
        "the comuni capoluogo di città metropolitana.",
        default=None,
    )
    base_reddito_figurativo: float | None = _campo(
        "Patrimonio mobiliare esclusi depositi e conti",
        "non_stampato",
        "-",
        "Base of the reddito figurativo; when missing it is printed RF / rate.",
        default=None,
        ge=0,
        allow_inf_nan=False,
    )

    minorenni: list[IseeBeneficiario] = _campo(
        "ISEE minorenni", "stampato", "Ordinario/ISEEMin/ComponenteMinorenne", "",
        default_factory=list,
    )  # fmt: skip
    universitari: list[IseeBeneficiario] = _campo(
        "ISEE università", "stampato", "Ordinario/ISEEUni/StudenteUniversitario", "",
        default_factory=list,
    )  # fmt: skip
    sociosanitari_residenze: list[IseeBeneficiario] = _campo(
        "ISEE socio-sanitario residenze",
        "stampato",
        "Ordinario/ISEESocioSanRes/ComponenteSocioSanitarieRes",
        "",
        default_factory=list,
    )
    ridotti: list[NucleoRidotto] = _campo(
        "ISEE con nucleo ristretto", "stampato", "Ridotto", "", default_factory=list
    )
    variazione: Variazione | None = _campo("Variazione", "stampato", "Variazione", "", default=None)
    omissioni_difformita: list[OmissioneDifformita] = _campo(
        "Omissioni e difformità", "stampato", "OmissioneDifformita", "", default_factory=list
    )

    @model_validator(mode="before")
    @classmethod
    def _conta_dal_nucleo(cls, data: Any) -> Any:
        """Derive missing counts from the listed members."""
        if not isinstance(data, dict) or not data.get("nucleo"):
            return data
        try:
            nucleo = [
                m if isinstance(m, MembroNucleo) else MembroNucleo(**m) for m in data["nucleo"]
            ]
            giorno = data["data_presentazione"]
            giorno = giorno if isinstance(giorno, dt.date) else dt.date.fromisoformat(giorno)
        except (TypeError, ValueError, KeyError):
            return data  # the field validators report the problem
        result = dict(data)
        for key, value in conta_nucleo(nucleo, giorno).items():
            if result.get(key) is None:
                result[key] = value
        return result

    @model_validator(mode="after")
    def _coerente(self) -> Self:
        problems = self._problemi_nucleo() + self._problemi_composizione()
        problems += _problemi_quadro("ordinario", self.ordinario)
        problems += self._problemi_scala()
        for name, blocco in self._quadri_varianti():
            problems += _problemi_quadro(name, blocco)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _problemi_nucleo(self) -> list[str]:
        problems = []
        seen: dict[str, int] = {}
        for i, m in enumerate(self.nucleo):
            if m.codice_fiscale in seen:
                problems.append(
                    f"nucleo[{i}].codice_fiscale: {m.codice_fiscale} is listed twice in the "
                    f"nucleo (also nucleo[{seen[m.codice_fiscale]}])"
                )
            seen.setdefault(m.codice_fiscale, i)
        if self.nucleo:
            dichiaranti = [
                m for m in self.nucleo if m.rapporto is RapportoConDichiarante.DICHIARANTE
            ]
            if len(dichiaranti) != 1:
                problems.append(
                    f"nucleo: exactly one member must be the dichiarante (D), found "
                    f"{len(dichiaranti)}"
                )
            elif (
                self.codice_fiscale_dichiarante
                and dichiaranti[0].codice_fiscale != self.codice_fiscale_dichiarante.upper()
            ):
                problems.append(
                    f"codice_fiscale_dichiarante: {self.codice_fiscale_dichiarante} is not the "
                    f"member listed as D ({dichiaranti[0].codice_fiscale})"
                )
            derived = conta_nucleo(self.nucleo, self.data_presentazione)
            for key, value in derived.items():
                given = getattr(self, key)
                if value is not None and given is not None and given != value:
                    problems.append(
                        f"{key}: {given} does not match the members listed in the nucleo ({value})"
                    )
        return problems

    def _problemi_composizione(self) -> list[str]:
        problems = []
        if self.n_componenti < 1:
            problems.append("n_componenti: the nucleo has at least one member")
        if self.n_genitori < 1 or self.n_genitori > 2:
            problems.append("n_genitori: the dichiarante and the coniuge, so 1 or 2")
        if self.n_genitori + self.n_figli > self.n_componenti:
            problems.append(
                f"n_figli: {self.n_genitori} genitori + {self.n_figli} figli exceed the "
                f"{self.n_componenti} members"
            )
        chain = (
            ("n_figli_conviventi", "n_figli"),
            ("n_figli_minorenni", "n_figli_conviventi"),
            ("n_figli_piccoli", "n_figli_minorenni"),
            ("n_genitori_lavoratori", "n_genitori"),
        )
        for small, large in chain:
            value = getattr(self, small)
            if value is not None and value > getattr(self, large):
                problems.append(f"{small}: {value} exceeds {large} ({getattr(self, large)})")
        if (
            self.componenti_disabili is not None
            and len(self.componenti_disabili) > self.n_componenti
        ):
            problems.append(
                f"componenti_disabili: {len(self.componenti_disabili)} disabled members in a "
                f"nucleo of {self.n_componenti}"
            )
        if self.canone_annuo and self.titolo_abitazione not in (None, TitoloAbitazione.LOCAZIONE):
            problems.append(
                f"canone_annuo: a rent is given but titolo_abitazione is "
                f"{self.titolo_abitazione.value if self.titolo_abitazione else None}"
            )
        return problems

    def _problemi_scala(self) -> list[str]:
        """The printed parametro and maggiorazioni must fit the composition (Allegato 1)."""
        params = _parametri()
        day = self.data_presentazione
        if not params["scala_equivalenza.parametro_base"].in_force(day):
            return [f"data_presentazione: no ISEE rules in force on {day.isoformat()}"]
        parametro = parametro_base(params, day, self.n_componenti)
        q = self.ordinario
        problems = []
        if abs(q.parametro_nucleo - parametro) > _TOLLERANZA_SCALA:
            problems.append(
                f"ordinario.parametro_nucleo: {numero(q.parametro_nucleo)} does not match a "
                f"nucleo of {self.n_componenti} members ({numero(parametro)})"
            )
        figli = maggiorazione_figli(params, day, self.n_figli)
        if q.maggiorazioni < figli - _TOLLERANZA_SCALA:
            problems.append(
                f"ordinario.maggiorazioni: {numero(q.maggiorazioni)} is less than the "
                f"maggiorazione for {self.n_figli} figli alone ({numero(figli)})"
            )
        coefficiente = params["ise.coefficiente_isp"].number(day)
        if abs(q.ise - (q.isr + coefficiente * q.isp)) > _TOLLERANZA_EURO:
            problems.append(
                f"ordinario.ise: {euro(q.ise)} is not ISR + {numero(coefficiente * 100, 0)}% ISP "
                f"({euro(q.isr + coefficiente * q.isp)})"
            )
        return problems

    def _quadri_varianti(self) -> list[tuple[str, QuadroIsee]]:
        quadri = []
        for name in ("minorenni", "universitari", "sociosanitari_residenze"):
            for i, b in enumerate(getattr(self, name)):
                if b.calcolo is not None:
                    quadri.append((f"{name}[{i}].calcolo", b.calcolo))
        for i, r in enumerate(self.ridotti):
            if r.ristretto is not None:
                quadri.append((f"ridotti[{i}].ristretto", r.ristretto))
            s = r.sociosanitario_residenze
            if s is not None and s.calcolo is not None:
                quadri.append((f"ridotti[{i}].sociosanitario_residenze.calcolo", s.calcolo))
        return quadri


def _problemi_quadro(name: str, q: QuadroIsee) -> list[str]:
    """Arithmetic of the printed lines (art. 2, 4, 5 and Allegato 1)."""
    problems = []
    isr = max(q.somma_redditi + q.reddito_figurativo - q.detrazioni, 0.0)
    if abs(q.isr - isr) > _TOLLERANZA_EURO:
        problems.append(
            f"{name}.isr: {euro(q.isr)} is not somma dei redditi + reddito figurativo − "
            f"detrazioni ({euro(isr)})"
        )
    isp = max(q.patrimonio_mobiliare - q.detrazione_patrimonio_mobiliare, 0.0) + max(
        q.patrimonio_immobiliare - q.detrazione_patrimonio_immobiliare, 0.0
    )
    if abs(q.isp - isp) > _TOLLERANZA_EURO:
        problems.append(
            f"{name}.isp: {euro(q.isp)} is not the patrimonio mobiliare and immobiliare net of "
            f"their detrazioni ({euro(isp)})"
        )
    scala = q.parametro_nucleo + q.maggiorazioni
    if abs(q.scala_equivalenza - scala) > _TOLLERANZA_SCALA:
        problems.append(
            f"{name}.scala_equivalenza: {numero(q.scala_equivalenza)} is not parametro + "
            f"maggiorazioni ({numero(scala)})"
        )
    if q.scala_equivalenza <= 0:
        problems.append(f"{name}.scala_equivalenza: must be positive")
    elif abs(q.isee - q.ise / q.scala_equivalenza) > _TOLLERANZA_EURO:
        problems.append(
            f"{name}.isee: {euro(q.isee)} is not ISE / scala ({euro(q.ise / q.scala_equivalenza)})"
        )
    return problems


@cache
def _parametri() -> ParameterSet:
    return load_parameters()


def _table_value(params: ParameterSet, name: str, day: dt.date, count: int) -> float:
    table = params[name].at(day)
    assert isinstance(table, dict)  # noqa: S101 - table parameters are dicts by construction
    value = 0.0
    for key, v in sorted(table.items(), key=lambda kv: int(kv[0])):
        if count >= int(key):
            value = v
    return value


def parametro_base(params: ParameterSet, day: dt.date, n: int) -> float:
    """Allegato 1 base parameter for ``n`` members at ``day``."""
    table = params["scala_equivalenza.parametro_base"].at(day)
    assert isinstance(table, dict)  # noqa: S101
    largest = max(int(k) for k in table)
    if n > largest:
        extra = params["scala_equivalenza.incremento_componente_ulteriore"].number(day)
        return table[str(largest)] + extra * (n - largest)
    return _table_value(params, "scala_equivalenza.parametro_base", day, n)


def maggiorazione_figli(params: ParameterSet, day: dt.date, n_figli: int) -> float:
    """Allegato 1 lett. a) for ``n_figli`` at ``day``."""
    return _table_value(params, "scala_equivalenza.maggiorazione_figli", day, n_figli)


def _nascita(codice_fiscale: str, giorno: dt.date) -> dt.date | None:
    """Birth date encoded in a 16-character codice fiscale (None if it cannot be read)."""
    try:
        born = codicefiscale.get_birth_date(codice_fiscale, minyear=giorno.year - 99)
    except Exception:  # stdnum raises several errors for 11-digit or malformed codes
        return None
    return dt.date(born.year, born.month, born.day)


def conta_nucleo(nucleo: list[MembroNucleo], giorno: dt.date) -> dict[str, int | None]:
    """The composition counts that the listed members give (GNC is not in the ordinary nucleo).

    Ages come from the birth date in the codice fiscale; when a figlio's cannot be read, the
    minors are counted from the codes F and MA and ``n_figli_piccoli`` is unknown (None).
    """
    params = _parametri()
    if params["isr.eta_maggiore_eta"].in_force(giorno):
        maggiore_eta = params["isr.eta_maggiore_eta"].number(giorno)
        piccolo = params["scala_equivalenza.eta_figlio_piccolo"].number(giorno)
    else:
        maggiore_eta, piccolo = 18.0, 3.0
    membri = [m for m in nucleo if m.rapporto is not RapportoConDichiarante.GENITORE_NON_CONVIVENTE]
    figli = [m for m in membri if m.rapporto in _FIGLI]
    eta = [_nascita(m.codice_fiscale, giorno) for m in figli]
    leggibili = all(nascita is not None for nascita in eta)
    if leggibili:
        anni = [eta_alla_data(nascita, giorno) for nascita in eta if nascita is not None]
        minorenni = sum(a < maggiore_eta for a in anni)
        piccoli: int | None = sum(a < piccolo for a in anni)
    else:
        minorenni = sum(
            m.rapporto
            in (
                RapportoConDichiarante.FIGLIO_MINORENNE,
                RapportoConDichiarante.FIGLIO_AFFIDAMENTO_PREADOTTIVO,
            )
            for m in figli
        )
        piccoli = None
    return {
        "n_componenti": len(membri),
        "n_figli": len(figli),
        "n_figli_conviventi": sum(m.rapporto in _FIGLI_CONVIVENTI for m in figli),
        "n_figli_minorenni": minorenni,
        "n_genitori": sum(m.rapporto in _GENITORI for m in membri),
        "n_figli_piccoli": piccoli,
    }


def fonte_dei_campi() -> dict[str, tuple[str, str]]:
    """``{field: (fonte, xsd)}`` for the fields of :class:`ComponentiAttestazione`."""
    result = {}
    for name, info in ComponentiAttestazione.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict):
            result[name] = (str(extra["fonte"]), str(extra["xsd"]))
    return result
