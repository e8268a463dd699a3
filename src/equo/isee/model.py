"""The DSU (Dichiarazione Sostitutiva Unica) as pydantic models.

Structure and names follow the INPS DSU: the nucleo familiare and its members (quadro A and the
FC1 of each member), the casa di abitazione (quadro B), patrimonio mobiliare (FC2), patrimonio
immobiliare (FC3), incomes not in the tax return and deductions (FC4, FC8). Every field carries
an Italian label (``etichetta``) and the quadro it comes from (``quadro``), which
``docs/dsu.md`` and the published JSON Schema (``schemas/dsu.schema.json``) show.

Amounts are euros, non-negative. Validation errors name the field (``componenti[1].redditi.
pensione``); consistency rules that involve several fields name each of them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from stdnum.it import codicefiscale

from equo.isee.parameters import load_parameters

__all__ = [
    "DSU",
    "Abitazione",
    "Componente",
    "CondizioneGenitoreNonConvivente",
    "Corrente",
    "Disabilita",
    "Donazione",
    "EsclusioneFiglio",
    "FiglioNonCompreso",
    "Immobile",
    "MembroNucleoRistretto",
    "NucleoRistretto",
    "PatrimonioCorrente",
    "Rapporto",
    "RapportoConDichiarante",
    "Redditi",
    "RedditiCorrenti",
    "RelazioneBeneficiario",
    "Residenziale",
    "Sesso",
    "TipoImmobile",
    "TipoRapporto",
    "TitoloAbitazione",
    "Universitario",
    "eta_alla_data",
]


def _field(etichetta: str, quadro: str, description: str, **kwargs: Any) -> Any:
    return Field(
        description=description,
        json_schema_extra={"etichetta": etichetta, "quadro": quadro},
        **kwargs,
    )


def _importo(etichetta: str, quadro: str, description: str) -> Any:
    return _field(etichetta, quadro, description, default=0.0, ge=0, allow_inf_nan=False)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class RapportoConDichiarante(StrEnum):
    """Relationship of a member to the dichiarante (INPS codes, quadro A)."""

    DICHIARANTE = "D"
    CONIUGE = "C"
    FIGLIO_MINORENNE = "F"
    FIGLIO_AFFIDAMENTO_PREADOTTIVO = "MA"
    FIGLIO_MAGGIORENNE_CONVIVENTE = "FC"
    FIGLIO_MAGGIORENNE_NON_CONVIVENTE = "FNC"
    ALTRA_PERSONA = "P"
    GENITORE_NON_CONVIVENTE = "GNC"

    @property
    def is_figlio(self) -> bool:
        return self in _FIGLI

    @property
    def is_figlio_convivente(self) -> bool:
        return (
            self in _FIGLI and self is not RapportoConDichiarante.FIGLIO_MAGGIORENNE_NON_CONVIVENTE
        )

    @property
    def is_genitore(self) -> bool:
        """The parents of the figli for the scala maggiorazioni: dichiarante and coniuge, and
        the genitore non convivente where he is attracted (ISEE minorenni only)."""
        return self in (
            RapportoConDichiarante.DICHIARANTE,
            RapportoConDichiarante.CONIUGE,
            RapportoConDichiarante.GENITORE_NON_CONVIVENTE,
        )


_FIGLI = frozenset(
    {
        RapportoConDichiarante.FIGLIO_MINORENNE,
        RapportoConDichiarante.FIGLIO_AFFIDAMENTO_PREADOTTIVO,
        RapportoConDichiarante.FIGLIO_MAGGIORENNE_CONVIVENTE,
        RapportoConDichiarante.FIGLIO_MAGGIORENNE_NON_CONVIVENTE,
    }
)


class Disabilita(StrEnum):
    """Disability class of DPCM 159/2013 Allegato 3 (quadro FC7; INPS codes DIM, DIG, NAS)."""

    NESSUNA = "nessuna"
    MEDIA = "media"
    GRAVE = "grave"
    NON_AUTOSUFFICIENTE = "non_autosufficiente"


class Sesso(StrEnum):
    """Sex as encoded in the codice fiscale."""

    M = "M"
    F = "F"


class TitoloAbitazione(StrEnum):
    """How the nucleo holds its dwelling (quadro B; on the INPS XML 000, 001, 999)."""

    PROPRIETA = "proprieta"
    LOCAZIONE = "locazione"
    ALTRO = "altro"


class TipoRapporto(StrEnum):
    """Kind of financial relationship (quadro FC2, INPS codes)."""

    CONTO_CORRENTE = "01"
    DEPOSITO_TITOLI = "02"
    DEPOSITO_RISPARMIO = "03"
    RAPPORTO_FIDUCIARIO = "04"
    GESTIONE_COLLETTIVA = "05"
    GESTIONE_PATRIMONIALE = "06"
    CERTIFICATI_BUONI_FRUTTIFERI = "07"
    CONTO_TERZI = "09"
    PRODOTTI_ASSICURATIVI = "23"
    ALTRO = "99"

    @property
    def is_deposito(self) -> bool:
        """Depositi e conti correnti (art. 5 c. 4 lett. a): saldo and giacenza media, no RF."""
        return self in (TipoRapporto.CONTO_CORRENTE, TipoRapporto.DEPOSITO_RISPARMIO)

    @property
    def may_hold_titoli_stato(self) -> bool:
        """Rapporti whose content can be excluded under art. 5 c. 4-bis."""
        return self in _TITOLI_PRIORITY

    @property
    def titoli_priority(self) -> int:
        """INPS order of exclusion: titoli di Stato (02, 06), then BFP (07), then libretti (03)."""
        return _TITOLI_PRIORITY.get(self, 99)


_TITOLI_PRIORITY = {
    TipoRapporto.DEPOSITO_TITOLI: 1,
    TipoRapporto.GESTIONE_PATRIMONIALE: 1,
    TipoRapporto.CERTIFICATI_BUONI_FRUTTIFERI: 2,
    TipoRapporto.DEPOSITO_RISPARMIO: 3,
}


class TipoImmobile(StrEnum):
    """Kind of property (quadro FC3; on the INPS XML F, TE, TA)."""

    FABBRICATO = "fabbricato"
    AREA_FABBRICABILE = "area_fabbricabile"
    TERRENO_AGRICOLO = "terreno_agricolo"


def eta_alla_data(nascita: dt.date, giorno: dt.date) -> int:
    """Completed years of age on ``giorno``."""
    before_birthday = (giorno.month, giorno.day) < (nascita.month, nascita.day)
    return giorno.year - nascita.year - int(before_birthday)


class Redditi(_Model):
    """A member's incomes, and the deductions of art. 4 c. 3, for the income reference year."""

    reddito_complessivo_irpef: float = _importo(
        "Reddito complessivo ai fini IRPEF",
        "FC8",
        "Reddito complessivo IRPEF from the tax return (730, Redditi PF) or CU "
        "(art. 4 c. 2 lett. a).",
    )
    redditi_imposta_sostitutiva: float = _importo(
        "Redditi soggetti a imposta sostitutiva o a ritenuta a titolo d'imposta",
        "FC4",
        "Incomes taxed at a flat rate or by final withholding: regime forfettario, cedolare secca, "
        "premi di produttività (art. 4 c. 2 lett. b).",
    )
    redditi_esenti: float = _importo(
        "Redditi esenti da imposta",
        "FC4",
        "Every other income exempt from tax (art. 4 c. 2 lett. c), e.g. the assegno unico.",
    )
    redditi_esteri: float = _importo(
        "Redditi prodotti all'estero non dichiarati in Italia",
        "FC4",
        "Employment, self-employment, business and land incomes earned abroad and not in the "
        "IRPEF return, including those of members registered in AIRE (art. 4 c. 2 lett. c).",
    )
    proventi_agrari_irap: float = _importo(
        "Proventi agrari da dichiarazione IRAP",
        "FC4",
        "Agricultural proceeds from the IRAP return of farmers with VAT obligations "
        "(art. 4 c. 2 lett. d).",
    )
    assegni_figli_percepiti: float = _importo(
        "Assegni per il mantenimento dei figli effettivamente percepiti",
        "FC4",
        "Maintenance payments for children actually received (art. 4 c. 2 lett. e).",
    )
    trattamenti_assistenziali: float = _importo(
        "Trattamenti assistenziali, previdenziali e indennitari",
        "FC4",
        "Welfare, social-security and compensation payments from public administrations not in "
        "the IRPEF income and not received because of a disability (art. 4 c. 2 lett. f).",
    )
    trattamenti_disabilita: float = _importo(
        "Trattamenti percepiti in ragione della condizione di disabilità",
        "FC4",
        "Payments received because of a disability (e.g. indennità di accompagnamento). Part of "
        "the ISR until the 2016 reform, excluded after it (DL 42/2016 art. 2-sexies).",
    )
    lavoro_dipendente: float = _importo(
        "di cui redditi da lavoro dipendente e assimilati",
        "FC8",
        "The part of the incomes above that is lavoro dipendente e assimilati: base of the 20% "
        "deduction capped at 3,000 (art. 4 c. 3).",
    )
    pensione: float = _importo(
        "di cui redditi da pensione",
        "FC8",
        "The part of the incomes above that is pension income: base of the 20% deduction capped "
        "at 1,000 (art. 4 c. 3).",
    )
    redditi_agrari: float = _importo(
        "Redditi agrari (attività agricole art. 2135 c.c.)",
        "FC8",
        "Redditi agrari of farmers with VAT obligations, deducted to avoid counting them twice "
        "with the IRAP proceeds (art. 4 c. 3).",
    )
    assegni_coniuge_versati: float = _importo(
        "Assegni periodici corrisposti al coniuge",
        "FC5",
        "Periodic payments made to the spouse after legal separation or divorce (art. 4 c. 3).",
    )
    assegni_figli_versati: float = _importo(
        "Assegni periodici corrisposti per il mantenimento dei figli",
        "FC5",
        "Maintenance payments made for children not living with the member (art. 4 c. 3).",
    )
    spese_sanitarie_disabili: float = _importo(
        "Spese sanitarie per disabili",
        "FC8",
        "Medical and assistance expenses for disabled people declared in the tax return "
        "(spese sanitarie, cani guida, interpretariato), deducted up to 5,000 (art. 4 c. 3).",
    )

    @model_validator(mode="after")
    def _parts_within_income(self) -> Self:
        income = (
            self.reddito_complessivo_irpef + self.redditi_imposta_sostitutiva + self.redditi_esteri
        )
        if self.lavoro_dipendente + self.pensione > income + 0.005:
            raise ValueError(
                "lavoro_dipendente: lavoro_dipendente + pensione "
                f"({self.lavoro_dipendente + self.pensione:.2f}) exceed the incomes that contain "
                f"them: reddito_complessivo_irpef + redditi_imposta_sostitutiva + redditi_esteri "
                f"({income:.2f})"
            )
        return self


class Rapporto(_Model):
    """A financial relationship held at 31 December of the patrimonio year (quadro FC2)."""

    tipo: TipoRapporto = _field(
        "Tipo di rapporto",
        "FC2",
        "INPS code of the relationship: 01 conto corrente, 02 deposito titoli, 03 deposito a "
        "risparmio (incl. libretti), 04 fiduciario, 05 gestione collettiva, 06 gestione "
        "patrimoniale, 07 certificati di deposito e buoni fruttiferi, 09 conto terzi, 23 prodotti "
        "assicurativi, 99 altro.",
    )
    identificativo: str | None = _field(
        "Identificativo del rapporto", "FC2", "IBAN or account number.", default=None
    )
    codice_fiscale_operatore: str | None = _field(
        "Codice fiscale dell'operatore finanziario",
        "FC2",
        "Tax code of the bank, post office or intermediary.",
        default=None,
        max_length=16,
    )
    saldo_31_12: float = _importo(
        "Saldo contabile attivo al 31/12",
        "FC2",
        "For deposits and current accounts (01, 03): positive balance at 31 December, gross of "
        "interest, for the member's share.",
    )
    giacenza_media: float = _importo(
        "Giacenza media annua",
        "FC2",
        "For deposits and current accounts (01, 03): average annual balance of the same year.",
    )
    valore: float = _importo(
        "Valore del rapporto",
        "FC2",
        "For every other kind: value at 31 December (market value, nominal value of buoni, "
        "premiums paid on redeemable policies), for the member's share.",
    )
    titoli_stato: float = _importo(
        "di cui titoli di Stato, buoni fruttiferi e libretti postali",
        "FC2",
        "The part of this relationship made of titoli di Stato (02, 06), buoni fruttiferi postali "
        "(07) or libretti di risparmio postale (03), excludable up to 50,000 per nucleo for DSUs "
        "from 3 April 2025 (art. 5 c. 4-bis).",
    )

    @model_validator(mode="after")
    def _fields_match_kind(self) -> Self:
        if self.tipo.is_deposito:
            if self.valore:
                raise ValueError(
                    f"valore: a rapporto of type {self.tipo.value} (deposit) is declared with "
                    "saldo_31_12 and giacenza_media, not valore"
                )
            # a libretto postale is reduced on both saldo and giacenza (each down to zero)
            ceiling = max(self.saldo_31_12, self.giacenza_media)
        else:
            if self.saldo_31_12 or self.giacenza_media:
                raise ValueError(
                    "saldo_31_12: only deposits (01, 03) have saldo_31_12 and giacenza_media; "
                    f"a rapporto of type {self.tipo.value} is declared with valore"
                )
            ceiling = self.valore
        if self.titoli_stato and not self.tipo.may_hold_titoli_stato:
            raise ValueError(
                f"titoli_stato: a rapporto of type {self.tipo.value} cannot hold excludable titoli "
                "di Stato, BFP or libretti postali (only 02, 03, 06, 07)"
            )
        if self.titoli_stato > ceiling + 0.005:
            raise ValueError(
                f"titoli_stato: {self.titoli_stato:.2f} exceeds the value of the rapporto "
                f"({ceiling:.2f}, {_VALUE_OF_KIND[self.tipo.is_deposito]})"
            )
        return self


_VALUE_OF_KIND = {True: "the larger of saldo_31_12 and giacenza_media", False: "valore"}


class Immobile(_Model):
    """A property owned at 31 December of the patrimonio year (quadro FC3)."""

    tipo: TipoImmobile = _field("Tipo di patrimonio", "FC3", "Building, building land or farmland.")
    estero: bool = _field(
        "Immobile all'estero",
        "FC3",
        "Property abroad: valore_imu then holds the IVIE value (art. 5 c. 3).",
        default=False,
    )
    codice_comune_stato: str | None = _field(
        "Codice catastale del comune o dello stato estero", "FC3", "Where it is.", default=None
    )
    quota_posseduta: float = _field(
        "Quota posseduta (%)", "FC3", "Ownership share in percent.", default=100.0, gt=0, le=100
    )
    valore_imu: float = _field(
        "Valore ai fini IMU (o IVIE)",
        "FC3",
        "Value of the whole property as defined for IMU (for property abroad, IVIE), even when "
        "exempt from IMU (art. 5 c. 2).",
        ge=0,
        allow_inf_nan=False,
    )
    valore_ici: float | None = _field(
        "Valore ai fini ICI (solo per il vecchio ISEE)",
        "—",
        "Value of the whole property as defined for ICI (rendita catastale × 1.05 × 100 for group "
        "A buildings), used only to recompute the old ISEE (D.Lgs 109/1998); when absent the "
        "old ISEE derives it from valore_imu and says it is an approximation.",
        default=None,
        ge=0,
        allow_inf_nan=False,
    )
    mutuo_residuo: float = _importo(
        "Quota capitale residua del mutuo",
        "FC3",
        "Residual principal at 31 December of the mortgage taken to buy or build the property, "
        "as attributable to the member; deducted from the member's share of the value, down to "
        "zero (art. 5 c. 2).",
    )
    casa_abitazione: bool = _field(
        "Casa di abitazione del nucleo",
        "FC3",
        "The property is the nucleo's home (franchigia and two thirds of the excess, art. 5 c. 2).",
        default=False,
    )

    @model_validator(mode="after")
    def _casa_in_italy(self) -> Self:
        if self.casa_abitazione and (self.estero or self.tipo is not TipoImmobile.FABBRICATO):
            raise ValueError(
                "casa_abitazione: only a building (fabbricato) in Italy can be the casa"
            )
        return self


class CondizioneGenitoreNonConvivente(StrEnum):
    """DPCM 159/2013 art. 7 c. 1: when the genitore non convivente is not attracted."""

    CONIUGATO_CON_ALTRA_PERSONA = "a"
    FIGLI_CON_ALTRA_PERSONA = "b"
    ASSEGNI_PERIODICI_DISPOSTI = "c"
    ESCLUSO_DALLA_POTESTA = "d"
    ESTRANEITA = "e"

    @property
    def con_componente_aggiuntiva(self) -> bool:
        """Cases a) and b): not attracted, but a componente aggiuntiva (Allegato 2 c. 2)."""
        return self in (
            CondizioneGenitoreNonConvivente.CONIUGATO_CON_ALTRA_PERSONA,
            CondizioneGenitoreNonConvivente.FIGLI_CON_ALTRA_PERSONA,
        )


class Componente(_Model):
    """A member of the nucleo familiare (quadro A and FC1)."""

    codice_fiscale: str = _field("Codice fiscale", "A", "Italian tax code of the member.")
    cognome: str | None = _field("Cognome", "FC1", "Surname.", default=None)
    nome: str | None = _field("Nome", "FC1", "Given name.", default=None)
    data_nascita: dt.date = _field("Data di nascita", "FC1", "Birth date.")
    sesso: Sesso | None = _field("Sesso", "FC1", "M or F, as in the codice fiscale.", default=None)
    rapporto: RapportoConDichiarante = _field(
        "Rapporto con il dichiarante",
        "A",
        "D dichiarante, C coniuge, F figlio minorenne, MA figlio in affidamento preadottivo, FC "
        "figlio maggiorenne convivente, FNC figlio maggiorenne non convivente a carico IRPEF, P "
        "altra persona, GNC genitore non coniugato e non convivente (ISEE minorenni only).",
    )
    disabilita: Disabilita = _field(
        "Condizione di disabilità",
        "FC7",
        "Disability class of DPCM 159/2013 Allegato 3: media, grave or non autosufficienza.",
        default=Disabilita.NESSUNA,
    )
    attivita_lavorativa_6_mesi: bool = _field(
        "Attività lavorativa o d'impresa per almeno sei mesi",
        "FC1",
        "The member worked or ran a business for at least six months in the income reference "
        "year (scala maggiorazione lett. b).",
        default=False,
    )
    convivenza_anagrafica: bool = _field(
        "In convivenza anagrafica",
        "FC1",
        "The member lives in an institution (RSA, community) registered as convivenza anagrafica.",
        default=False,
    )
    condizione_art_7: CondizioneGenitoreNonConvivente | None = _field(
        "Condizione del genitore non convivente (art. 7)",
        "E (quadro genitore non convivente)",
        "Only for rapporto GNC: a) married to another person, b) children with another person, c) "
        "periodic payments ordered by a court, d) excluded from parental authority, e) "
        "estraneità ascertained. None: the parent is attracted into the minor's nucleo.",
        default=None,
    )
    componente_aggiuntiva: float | None = _field(
        "Componente aggiuntiva del genitore non convivente",
        "E (quadro genitore non convivente)",
        "Only for rapporto GNC in cases a) and b): the componente aggiuntiva (Allegato 2 c. 2) as "
        "printed on an INPS attestazione. Equo does not compute it: its formula is not verified "
        "in our sources.",
        default=None,
        ge=0,
        allow_inf_nan=False,
    )
    redditi: Redditi = _field("Redditi", "FC4/FC8", "Incomes and deductions.", default=Redditi())
    rapporti: list[Rapporto] = _field(
        "Patrimonio mobiliare", "FC2", "Financial relationships.", default_factory=list
    )
    immobili: list[Immobile] = _field(
        "Patrimonio immobiliare", "FC3", "Properties in Italy and abroad.", default_factory=list
    )

    @field_validator("codice_fiscale")
    @classmethod
    def _valid_codice_fiscale(cls, value: str) -> str:
        try:
            return str(codicefiscale.validate(value))
        except Exception as exc:  # stdnum raises several ValidationError subclasses
            raise ValueError(f"{value!r} is not a valid codice fiscale ({exc})") from None

    @model_validator(mode="after")
    def _art_7_only_for_the_genitore_non_convivente(self) -> Self:
        gnc = self.rapporto is RapportoConDichiarante.GENITORE_NON_CONVIVENTE
        if not gnc and self.condizione_art_7 is not None:
            raise ValueError("condizione_art_7: only a member with rapporto GNC has it")
        if self.componente_aggiuntiva is not None and not (
            gnc
            and self.condizione_art_7 is not None
            and self.condizione_art_7.con_componente_aggiuntiva
        ):
            raise ValueError(
                "componente_aggiuntiva: only a genitore non convivente (GNC) in the cases a) or "
                "b) of art. 7 has a componente aggiuntiva"
            )
        return self

    @model_validator(mode="after")
    def _codice_fiscale_matches_person(self) -> Self:
        if len(self.codice_fiscale) != 16:  # temporary codes of 11 digits carry no birth data
            return self
        try:
            born = codicefiscale.get_birth_date(self.codice_fiscale, minyear=self.data_nascita.year)
        except Exception:  # stdnum: InvalidComponent for an impossible encoded date
            raise ValueError(
                f"codice_fiscale: {self.codice_fiscale} encodes an impossible birth date"
            ) from None
        if (born.year, born.month, born.day) != (
            self.data_nascita.year,
            self.data_nascita.month,
            self.data_nascita.day,
        ):
            raise ValueError(
                f"codice_fiscale: {self.codice_fiscale} encodes birth date {born.isoformat()}, "
                f"but data_nascita is {self.data_nascita.isoformat()}"
            )
        if self.sesso is not None and codicefiscale.get_gender(self.codice_fiscale) != self.sesso:
            raise ValueError(
                f"codice_fiscale: {self.codice_fiscale} does not match sesso {self.sesso}"
            )
        return self


class Abitazione(_Model):
    """The nucleo's dwelling (quadro B)."""

    titolo: TitoloAbitazione = _field(
        "Tipo di abitazione", "B", "Owned (proprietà), rented (locazione) or other."
    )
    canone_annuo: float = _importo(
        "Canone annuo di locazione",
        "B",
        "Annual rent of the registered contract, for the share of holders in the nucleo "
        "(art. 4 c. 4 lett. a). Only with titolo = locazione.",
    )
    codice_comune: str | None = _field(
        "Codice catastale del comune dell'abitazione", "B", "Where the dwelling is.", default=None
    )

    @model_validator(mode="after")
    def _rent_only_when_renting(self) -> Self:
        if self.canone_annuo and self.titolo is not TitoloAbitazione.LOCAZIONE:
            raise ValueError(
                f"canone_annuo: a rent is declared but the abitazione is {self.titolo.value}, "
                "not locazione"
            )
        return self


class RelazioneBeneficiario(StrEnum):
    """Relationship to the beneficiary in the nucleo ristretto (INPS codes, modello ridotto)."""

    BENEFICIARIO = "B"
    CONIUGE = "C"
    FIGLIO_MINORENNE = "F"
    FIGLIO_AFFIDAMENTO_PREADOTTIVO = "MA"
    FIGLIO_MAGGIORENNE_CONVIVENTE = "FC"
    FIGLIO_MAGGIORENNE_NON_CONVIVENTE = "FNC"

    @property
    def come_rapporto(self) -> RapportoConDichiarante:
        """The same relationship seen from the beneficiary as dichiarante of the ristretto."""
        if self is RelazioneBeneficiario.BENEFICIARIO:
            return RapportoConDichiarante.DICHIARANTE
        return RapportoConDichiarante(self.value)


class MembroNucleoRistretto(_Model):
    """A member of the nucleo ristretto and their relationship to the beneficiary."""

    codice_fiscale: str = _field(
        "Codice fiscale", "A (modello ridotto)", "A member of the DSU's nucleo (componenti)."
    )
    relazione: RelazioneBeneficiario = _field(
        "Relazione con il beneficiario",
        "A (modello ridotto)",
        "B beneficiario, C coniuge, F figlio minorenne, MA figlio in affidamento preadottivo, FC "
        "figlio maggiorenne convivente, FNC figlio maggiorenne non convivente a carico IRPEF.",
    )


class NucleoRistretto(_Model):
    """The nucleo ristretto for prestazioni socio-sanitarie (DPCM 159/2013 art. 6 c. 2).

    The maggiorenne beneficiary, the spouse, the minor figli and the adult figli a carico IRPEF
    (unmarried, without children); declared in the DSU (modello base ridotto).
    """

    componenti: Annotated[list[MembroNucleoRistretto], Field(min_length=1)] = _field(
        "Componenti del nucleo ristretto", "A (modello ridotto)", "The beneficiary first or not."
    )

    @model_validator(mode="after")
    def _one_beneficiary(self) -> Self:
        beneficiari = [
            m for m in self.componenti if m.relazione is RelazioneBeneficiario.BENEFICIARIO
        ]
        if len(beneficiari) != 1:
            raise ValueError(
                f"componenti: the nucleo ristretto needs exactly one member with relazione B "
                f"(beneficiario), found {len(beneficiari)}"
            )
        if len({m.codice_fiscale for m in self.componenti}) != len(self.componenti):
            raise ValueError("componenti: a member is listed twice in the nucleo ristretto")
        return self

    @property
    def beneficiario(self) -> str:
        return next(
            m.codice_fiscale
            for m in self.componenti
            if m.relazione is RelazioneBeneficiario.BENEFICIARIO
        )


class EsclusioneFiglio(StrEnum):
    """Why a figlio not in the nucleo gives no componente aggiuntiva (quadro E, codes A/B)."""

    DISABILITA_NEL_NUCLEO_DEL_FIGLIO = "A"
    ESTRANEITA = "B"


class FiglioNonCompreso(_Model):
    """A figlio of the beneficiary outside the nucleo (ISEE residenze, Allegato 2 c. 1)."""

    codice_fiscale: str = _field("Codice fiscale del figlio", "E", "Tax code of the figlio.")
    ise_figlio: float = _field(
        "ISE del solo figlio",
        "E / FC9",
        "ISE computed on the figlio alone (own incomes and patrimonio, donations excluded), as "
        "on the figlio's componente aggiuntiva sheet. Give either this or dati, not both; "
        "with neither, 0.",
        default=0.0,
        ge=0,
        allow_inf_nan=False,
    )
    dati: Componente | None = _field(
        "Dati del figlio",
        "E / FC",
        "The figlio's own quadro FC sheet (redditi, rapporti, immobili; rapporto D, same "
        "codice fiscale): Equo computes the ISE on the figlio alone from it, with the ordinary "
        "rules at the DSU date, as a one-member nucleo without casa di abitazione. Instead of "
        "ise_figlio.",
        default=None,
    )
    scala_nucleo_figlio: float = _field(
        "Scala di equivalenza del nucleo del figlio",
        "E / FC9",
        "Scala di equivalenza of the figlio's own nucleo.",
        default=1.0,
        ge=1,
        allow_inf_nan=False,
    )
    esclusione: EsclusioneFiglio | None = _field(
        "Condizione di esclusione",
        "E",
        "A: the figlio or a member of his nucleo is disabled; B: estraneità in termini di "
        "rapporti affettivi ed economici ascertained by the authority.",
        default=None,
    )
    estremi_esclusione: str | None = _field(
        "Estremi dell'esclusione", "E", "Reference of the act ascertaining it.", default=None
    )

    @model_validator(mode="after")
    def _ise_or_dati(self) -> FiglioNonCompreso:
        if self.dati is None:
            return self
        problems = []
        if self.ise_figlio != 0:
            problems.append(
                "ise_figlio and dati are both given: give either the figlio's ISE (ise_figlio) "
                "or his own data (dati), from which Equo computes it, not both"
            )
        if self.dati.codice_fiscale != self.codice_fiscale:
            problems.append(
                f"dati.codice_fiscale: {self.dati.codice_fiscale} is not the figlio's "
                f"codice_fiscale {self.codice_fiscale}"
            )
        if self.dati.rapporto is not RapportoConDichiarante.DICHIARANTE:
            problems.append(
                f"dati.rapporto: {self.dati.rapporto.value}, but the figlio's own sheet is the "
                "dichiarante of his one-member nucleo: use D"
            )
        for j, immobile in enumerate(self.dati.immobili):
            if immobile.casa_abitazione:
                problems.append(
                    f"dati.immobili[{j}].casa_abitazione: the ISE on the figlio alone is computed "
                    "without a casa di abitazione"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Donazione(_Model):
    """A property donated by the beneficiary that still counts (ISEE residenze, art. 6 c. 3)."""

    tipo: TipoImmobile = _field("Tipo di immobile", "E", "Kind of property donated.")
    valore_imu: float = _field(
        "Valore ai fini IMU", "E", "IMU value of the whole property.", ge=0, allow_inf_nan=False
    )
    quota_donata: float = _field(
        "Quota donata (%)", "E", "Donated share in percent.", default=100.0, gt=0, le=100
    )
    codice_fiscale_ricevente: str | None = _field(
        "Codice fiscale del donatario", "E", "Who received it.", default=None
    )


class Residenziale(_Model):
    """Data for the ISEE socio-sanitario residenze (quadro E of the DSU)."""

    data_richiesta_ricovero: dt.date | None = _field(
        "Data della richiesta di ricovero", "E", "First request of residential care.", default=None
    )
    figli_non_compresi: list[FiglioNonCompreso] = _field(
        "Figli non compresi nel nucleo",
        "E",
        "Every figlio of the beneficiary outside the nucleo: each may add a componente "
        "aggiuntiva (Allegato 2 c. 1).",
        default_factory=list,
    )
    donazioni: list[Donazione] = _field(
        "Donazioni di immobili",
        "E",
        "Properties donated after the first request of residential care, or in the three years "
        "before it to persons obliged to maintenance (art. 433 c.c.): they still count in the "
        "beneficiary's patrimonio.",
        default_factory=list,
    )


class Universitario(_Model):
    """The university student the ISEE università is for (quadro D; DPCM 159/2013 art. 8)."""

    studente: str = _field(
        "Codice fiscale dello studente", "D", "A member of the nucleo (componenti)."
    )
    anno_accademico: int = _field(
        "Anno accademico (anno di inizio)",
        "D",
        "Year the anno accademico starts (2024 for 2024/25): it fixes the income threshold.",
        ge=2000,
        le=2100,
    )
    anni_residenza_fuori_famiglia: float = _field(
        "Anni di residenza fuori dalla famiglia di origine",
        "D",
        "Years of residence outside the family home before the application (art. 8 c. 2 a).",
        default=0.0,
        ge=0,
        allow_inf_nan=False,
    )
    abitazione_non_di_familiari: bool = _field(
        "Abitazione non di proprietà di un familiare",
        "D",
        "The student's housing is not owned by a member of the family of origin.",
        default=False,
    )
    dottorato: bool = _field(
        "Dottorato di ricerca",
        "D",
        "For prestazioni for the dottorato di ricerca (art. 8 c. 4): no autonomy test; the nucleo "
        "is the student's own (declare it as nucleo_ristretto with the student as beneficiary) "
        "or, by choice, the ordinary one.",
        default=False,
    )
    reddito_lavoro: float | None = _field(
        "Redditi da lavoro dipendente o assimilati dello studente (e del coniuge)",
        "D",
        "For the 'adeguata capacità di reddito' (art. 8 c. 2 b); when absent, the student's "
        "lavoro_dipendente in the DSU.",
        default=None,
        ge=0,
        allow_inf_nan=False,
    )


class RedditiCorrenti(_Model):
    """A member's incomes of the twelve months before the ISEE corrente request (modulo MS)."""

    codice_fiscale: str = _field("Codice fiscale", "Modulo MS", "A member of the nucleo.")
    redditi: Redditi = _field(
        "Redditi degli ultimi dodici mesi",
        "Modulo MS",
        "They replace the member's incomes of the ordinary DSU (art. 9 c. 2).",
    )


class PatrimonioCorrente(_Model):
    """A member's patrimonio updated for the ISEE corrente (variation over 20 %, from 2021)."""

    codice_fiscale: str = _field("Codice fiscale", "Modulo MS", "A member of the nucleo.")
    rapporti: list[Rapporto] = _field(
        "Patrimonio mobiliare aggiornato",
        "Modulo MS",
        "The member's financial relationships at the updated date.",
        default_factory=list,
    )
    immobili: list[Immobile] = _field(
        "Patrimonio immobiliare aggiornato",
        "Modulo MS",
        "The member's properties at the updated date.",
        default_factory=list,
    )


class Corrente(_Model):
    """The request of an ISEE corrente (DPCM 159/2013 art. 9; modulo sostitutivo MS)."""

    variazione_lavoro: bool = _field(
        "Variazione dell'attività lavorativa",
        "Modulo MS",
        "A member lost, suspended or reduced work (dipendente a tempo indeterminato; tempo "
        "determinato not working at the request; autonomo who stopped) in the 18 months before.",
        default=False,
    )
    interruzione_trattamenti: bool = _field(
        "Interruzione dei trattamenti",
        "Modulo MS",
        "A member's trattamenti assistenziali, previdenziali o indennitari (art. 4 c. 2 lett. f) "
        "stopped.",
        default=False,
    )
    redditi_correnti: list[RedditiCorrenti] = _field(
        "Redditi correnti",
        "Modulo MS",
        "The incomes of the last twelve months of the members they are declared for; the other "
        "members keep the incomes of the DSU.",
        default_factory=list,
    )
    patrimoni_correnti: list[PatrimonioCorrente] = _field(
        "Patrimoni aggiornati",
        "Modulo MS",
        "The updated patrimonio of the members it is declared for (DSUs from July 2021); the "
        "other members keep the patrimonio of the DSU.",
        default_factory=list,
    )

    @model_validator(mode="after")
    def _something_current(self) -> Self:
        if not self.redditi_correnti and not self.patrimoni_correnti:
            raise ValueError(
                "redditi_correnti: an ISEE corrente declares current incomes or an updated "
                "patrimonio (patrimoni_correnti)"
            )
        return self


class DSU(_Model):
    """A Dichiarazione Sostitutiva Unica: what the ISEE ordinario is computed from."""

    model_config = ConfigDict(
        title="DSU",
        json_schema_extra={
            "description": "Dichiarazione Sostitutiva Unica (DPCM 159/2013, INPS DSU model)."
        },
    )

    protocollo: str | None = _field(
        "Numero di protocollo",
        "Sottoscrizione",
        "Identifier of the DSU (INPS protocol or yours).",
        default=None,
    )
    data_presentazione: dt.date = _field(
        "Data di presentazione",
        "Sottoscrizione",
        "Presentation date: the rules in force on this date apply, and it fixes the income and "
        "patrimonio reference years.",
    )
    componenti: Annotated[list[Componente], Field(min_length=1)] = _field(
        "Componenti del nucleo familiare", "A", "The members of the nucleo, dichiarante included."
    )
    abitazione: Abitazione = _field(
        "Casa di abitazione", "B", "The nucleo's dwelling.", default=Abitazione(titolo="altro")
    )
    nucleo_ristretto: NucleoRistretto | None = _field(
        "Nucleo ristretto (prestazioni socio-sanitarie)",
        "A (modello ridotto)",
        "The nucleo ristretto of art. 6 c. 2, used by the variants sociosanitario and residenze; "
        "without it those variants use the ordinary nucleo.",
        default=None,
    )
    residenziale: Residenziale | None = _field(
        "Prestazioni residenziali",
        "E",
        "Figli outside the nucleo and donations, for the variant residenze.",
        default=None,
    )
    universitario: Universitario | None = _field(
        "Studente universitario",
        "D",
        "The student and the facts of the autonomy test, for the variant universita.",
        default=None,
    )
    corrente: Corrente | None = _field(
        "ISEE corrente",
        "Modulo MS",
        "The request of an ISEE corrente, for the variant corrente.",
        default=None,
    )
    assegno_unico_annuo: float = _importo(
        "Assegno unico universale percepito nell'anno",
        "—",
        "Annual assegno unico universale of the nucleo, as INPS knows it. Used only by the ISEE "
        "for the bonus asilo nido (variante nido), which nets it out (INPS circ. 60/2025).",
    )

    @field_validator("data_presentazione")
    @classmethod
    def _rules_in_force(cls, value: dt.date) -> dt.date:
        start = load_parameters().start_date
        if value < start:
            raise ValueError(
                f"{value.isoformat()} is before {start.isoformat()}, when the ISEE of DPCM "
                "159/2013 began: use the old ISEE (D.Lgs 109/1998) for earlier DSUs"
            )
        return value

    @model_validator(mode="after")
    def _nucleo_is_consistent(self) -> Self:
        problems: list[str] = []
        dichiaranti = [
            i
            for i, c in enumerate(self.componenti)
            if c.rapporto is RapportoConDichiarante.DICHIARANTE
        ]
        if not dichiaranti:
            problems.append("componenti: no member has rapporto D (dichiarante)")
        elif len(dichiaranti) > 1:
            listed = " and ".join(f"componenti[{i}]" for i in dichiaranti)
            problems.append(f"componenti: more than one dichiarante (rapporto D): {listed}")
        coniugi = [
            i for i, c in enumerate(self.componenti) if c.rapporto is RapportoConDichiarante.CONIUGE
        ]
        if len(coniugi) > 1:
            listed = " and ".join(f"componenti[{i}]" for i in coniugi)
            problems.append(f"componenti: more than one coniuge (rapporto C): {listed}")
        seen: dict[str, int] = {}
        params = load_parameters()
        maggiore_eta = int(params["isr.eta_maggiore_eta"].number(self.data_presentazione))
        limite_fnc = params["nucleo.eta_massima_figlio_non_convivente"]
        for i, c in enumerate(self.componenti):
            if c.codice_fiscale in seen:
                problems.append(
                    f"componenti[{i}].codice_fiscale: {c.codice_fiscale} is listed twice "
                    f"(also componenti[{seen[c.codice_fiscale]}])"
                )
            seen.setdefault(c.codice_fiscale, i)
            if c.data_nascita > self.data_presentazione:
                problems.append(
                    f"componenti[{i}].data_nascita: {c.data_nascita.isoformat()} is after the "
                    f"DSU data_presentazione {self.data_presentazione.isoformat()}"
                )
                continue
            eta = eta_alla_data(c.data_nascita, self.data_presentazione)
            minorenne = eta < maggiore_eta
            if c.rapporto is RapportoConDichiarante.FIGLIO_MINORENNE and not minorenne:
                problems.append(
                    f"componenti[{i}].rapporto: F (figlio minorenne) but the member is {eta} at "
                    "the DSU date: use FC or FNC"
                )
            if (
                c.rapporto is RapportoConDichiarante.FIGLIO_MAGGIORENNE_NON_CONVIVENTE
                and limite_fnc.in_force(self.data_presentazione)
                and eta >= limite_fnc.number(self.data_presentazione)
            ):
                problems.append(
                    f"componenti[{i}].rapporto: FNC (figlio maggiorenne non convivente) but the "
                    f"member is {eta}: from 29/01/2019 to 31/12/2023 only figli under "
                    f"{limite_fnc.number(self.data_presentazione):.0f} belong to the parents' "
                    "nucleo (DL 4/2019 art. 2 c. 5)"
                )
            if c.rapporto in _FIGLI_MAGGIORENNI and minorenne:
                problems.append(
                    f"componenti[{i}].rapporto: {c.rapporto.value} (figlio maggiorenne) but the "
                    f"member is {eta} at the DSU date: use F"
                )
            for j, immobile in enumerate(c.immobili):
                if (
                    immobile.casa_abitazione
                    and self.abitazione.titolo is not TitoloAbitazione.PROPRIETA
                ):
                    problems.append(
                        f"componenti[{i}].immobili[{j}].casa_abitazione: the property is marked as "
                        f"the casa di abitazione but abitazione.titolo is "
                        f"{self.abitazione.titolo.value}, not proprieta"
                    )
        problems += self._ristretto_problems(maggiore_eta)
        correnti = [
            (f"corrente.{name}[{j}]", item.codice_fiscale)
            for name in ("redditi_correnti", "patrimoni_correnti")
            for j, item in enumerate(getattr(self.corrente, name) if self.corrente else [])
        ]
        for where, cf in correnti:
            if cf not in seen:
                problems.append(f"{where}.codice_fiscale: {cf} is not a member of the nucleo")
        if self.universitario is not None and self.universitario.studente not in seen:
            problems.append(
                f"universitario.studente: {self.universitario.studente} is not a member of the "
                "nucleo"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _ristretto_problems(self, maggiore_eta: int) -> list[str]:
        if self.nucleo_ristretto is None:
            return []
        by_cf = {c.codice_fiscale: c for c in self.componenti}
        problems = []
        for j, m in enumerate(self.nucleo_ristretto.componenti):
            where = f"nucleo_ristretto.componenti[{j}]"
            member = by_cf.get(m.codice_fiscale)
            if member is None:
                problems.append(
                    f"{where}.codice_fiscale: {m.codice_fiscale} is not a member of the nucleo"
                )
                continue
            eta = eta_alla_data(member.data_nascita, self.data_presentazione)
            if m.relazione is RelazioneBeneficiario.BENEFICIARIO and eta < maggiore_eta:
                problems.append(
                    f"{where}.relazione: the nucleo ristretto is for a maggiorenne beneficiary; "
                    f"this one is {eta}"
                )
            if m.relazione is RelazioneBeneficiario.FIGLIO_MINORENNE and eta >= maggiore_eta:
                problems.append(f"{where}.relazione: F (figlio minorenne) but the member is {eta}")
            if m.relazione in _RISTRETTO_MAGGIORENNI and eta < maggiore_eta:
                problems.append(
                    f"{where}.relazione: {m.relazione.value} (figlio maggiorenne) but the member "
                    f"is {eta}"
                )
        return problems


_RISTRETTO_MAGGIORENNI = frozenset(
    {
        RelazioneBeneficiario.FIGLIO_MAGGIORENNE_CONVIVENTE,
        RelazioneBeneficiario.FIGLIO_MAGGIORENNE_NON_CONVIVENTE,
    }
)

_FIGLI_MAGGIORENNI = frozenset(
    {
        RapportoConDichiarante.FIGLIO_MAGGIORENNE_CONVIVENTE,
        RapportoConDichiarante.FIGLIO_MAGGIORENNE_NON_CONVIVENTE,
    }
)
