"""The regolamento as a document: pydantic models of the YAML an officer writes.

A regolamento (a municipal regulation of one prestazione sociale agevolata) says who may apply
(``requisiti`` and ``ulteriori_criteri``), how much they get or pay (``importo``), how
applicants are ranked (``graduatoria``) and how the money or the places are shared
(``stanziamento``). This module checks the *shape* of the document: types, required parts,
ordered thresholds, contiguous fasce, unique ids. Whether a condition names real fields and
has the right type is checked when it is compiled (:mod:`equo.regolamenti.compila`).

Percentages are written as percentages (``30`` means 30%); amounts in euros; dates as
``AAAA-MM-GG``. ``schemas/regolamento.schema.json`` is generated from these models.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

__all__ = [
    "FORMATO",
    "ID_VALIDITA",
    "Arrotondamento",
    "CalcoloEspressione",
    "CalcoloFasce",
    "CalcoloFisso",
    "CalcoloLineare",
    "CalcoloPercentuale",
    "CampoDomanda",
    "CasoParticolare",
    "Criterio",
    "Delibera",
    "Ente",
    "Esenzione",
    "Fascia",
    "Graduatoria",
    "Importo",
    "Indicatore",
    "Maggiorazione",
    "ModoArrotondamento",
    "ModoUltimo",
    "Ordinamento",
    "Prestazione",
    "Punteggio",
    "Quota",
    "QuoteRiservate",
    "Regolamento",
    "Requisito",
    "Riduzione",
    "Riserva",
    "Stanziamento",
    "TettoNucleo",
    "TipoCampo",
    "TipoImporto",
    "Verso",
    "Vigenza",
]

FORMATO = "equo-regolamento/1"
"""The version of the document format, written as ``formato`` at the top of every file."""

_IDENTIFIER = r"^[a-z][a-z0-9_]*$"
_CENT = Decimal("0.01")


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Identificativo = Annotated[
    str,
    Field(
        pattern=_IDENTIFIER,
        max_length=60,
        description="Lowercase name: letters, digits and '_' (e.g. isee_massimo).",
    ),
]
Euro = Annotated[float, Field(ge=0, description="Euros, non-negative.")]
Percento = Annotated[float, Field(ge=0, le=100, description="A percentage: 30 means 30%.")]
Condizione = Annotated[
    str,
    Field(
        min_length=1,
        description="SQL condition over the fields of the vocabulary (e.g. 'isee <= 15000').",
    ),
]
Espressione = Annotated[
    str,
    Field(
        min_length=1,
        description="SQL expression over the fields of the vocabulary (e.g. 'canone_annuo * 0.5').",
    ),
]
Articolo = Annotated[
    str | None, Field(description="Where the regulation says it (e.g. 'art. 3, c. 1, lett. a').")
]


class Ente(_Part):
    """The ente that adopts the regulation."""

    nome: str = Field(min_length=1, description="Name (e.g. 'Unione dei Comuni della Valle').")
    codice_istat: str | None = Field(default=None, description="Codice ISTAT of a Comune.")
    codice_ipa: str | None = Field(default=None, description="Codice IPA of the ente.")


class Prestazione(_Part):
    """The prestazione sociale agevolata the regulation governs."""

    nome: str = Field(min_length=1, description="Name as the regulation gives it.")
    codice_siuss: str = Field(
        pattern=r"^[A-Z]\d(\.\d{2}){1,2}$",
        description="Code of the SIUSS list tipo_categoria_prestazione_siuss (e.g. A1.05.01).",
    )
    area_utenza: str = Field(
        min_length=1, description="Area utenza (e.g. 'famiglia e minori', 'povertà')."
    )


class Delibera(_Part):
    """The act that adopted this version."""

    organo: str = Field(
        default="Giunta", description="Who adopted it: Giunta, Consiglio, Assemblea."
    )
    numero: str = Field(min_length=1, description="Number of the delibera.")
    data: dt.date = Field(description="Date of the delibera.")
    url: str | None = Field(default=None, description="Link to the published act.")


class Vigenza(_Part):
    """From which day (included) to which day (included) the version is in force."""

    dal: dt.date = Field(description="First day in force.")
    al: dt.date | None = Field(default=None, description="Last day in force; empty: open.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.al is not None and self.al < self.dal:
            raise ValueError(f"al: la vigenza termina ({self.al}) prima di iniziare ({self.dal})")
        return self

    def comprende(self, giorno: dt.date) -> bool:
        """Whether ``giorno`` falls within the vigenza.

        >>> anno = Vigenza(dal=dt.date(2026, 1, 1), al=dt.date(2026, 12, 31))
        >>> anno.comprende(dt.date(2026, 12, 31)), anno.comprende(dt.date(2027, 1, 1))
        (True, False)
        """
        return self.dal <= giorno and (self.al is None or giorno <= self.al)


class Indicatore(_Part):
    """Which indicator the regulation reads, and how recent its attestazione must be.

    ``variante`` is an ISEE variant of :class:`equo.isee.varianti.Variante` when ``tipo`` is
    ``isee``. ``validita_attestazione`` ``legale`` (the default) accepts an attestazione valid
    on the date of the domanda by the law in force when its DSU was presented (to 31 December
    of the DSU's year; months for the ISEE corrente: :mod:`equo.regolamenti.validita`); a
    number of days accepts one filed at most that many days before the domanda. With ``tipo``
    ``altro`` (another indicator, e.g. ICEF) the field ``isee`` carries its value and no
    validity is checked.
    """

    tipo: Literal["isee", "altro"] = Field(default="isee", description="isee or altro.")
    obbligatorio: bool = Field(
        default=True,
        description="false: a domanda without attestazione (isee and data_dsu empty) is "
        "admitted; its amount usually comes from a caso particolare (e.g. the full fee).",
    )
    variante: str = Field(
        default="ordinario",
        description="ISEE variant: ordinario, minorenni, universita, sociosanitario, "
        "residenze, corrente, nido, specifiche-2026.",
    )
    descrizione: str | None = Field(default=None, description="For 'altro': what it is.")
    validita_attestazione: Literal["legale"] | Annotated[int, Field(ge=1, le=3660)] = Field(
        default="legale",
        description="'legale' (the law's validity) or a number of days between DSU and domanda.",
    )


class TipoCampo(StrEnum):
    """Types of the fields of a domanda."""

    euro = "euro"
    numero = "numero"
    intero = "intero"
    booleano = "booleano"
    data = "data"
    testo = "testo"


class CampoDomanda(_Part):
    """A field this regulation adds to the common vocabulary (e.g. a declaration in the form)."""

    nome: Identificativo
    tipo: TipoCampo
    descrizione: str = Field(min_length=1, description="What the applicant declares.")


class Requisito(_Part):
    """One condition every admitted domanda must satisfy."""

    id: Identificativo
    descrizione: str = Field(min_length=1, description="In words, as the regulation says it.")
    articolo: Articolo = None
    condizione: Condizione


class TipoImporto(StrEnum):
    """Whether the amount is paid to the applicant or paid by the applicant."""

    contributo = "contributo"
    compartecipazione = "compartecipazione"


class CalcoloFisso(_Part):
    """The same amount for everybody."""

    fisso: Euro


class Fascia(_Part):
    """One band: from ``da`` to ``a`` (both included, to the cent), an amount or a percentage."""

    da: Euro
    a: Euro | None = Field(default=None, description="Upper bound (included); empty: no limit.")
    importo: Euro | None = None
    percentuale: Percento | None = None

    @model_validator(mode="after")
    def _one_value(self) -> Self:
        if (self.importo is None) == (self.percentuale is None):
            raise ValueError("indicare l'importo oppure la percentuale della fascia (uno solo)")
        if self.a is not None and self.a < self.da:
            raise ValueError(f"a: il limite superiore {self.a} è minore di quello inferiore")
        return self


class _FasceSpec(_Part):
    su: str = Field(default="isee", description="The field the bands are read on.")
    fasce: list[Fascia] = Field(min_length=1)
    percentuale_di: str | None = Field(
        default=None, description="Field the percentages apply to (e.g. costo_servizio)."
    )

    @model_validator(mode="after")
    def _contiguous(self) -> Self:
        problems = []
        for i, (low, high) in enumerate(zip(self.fasce, self.fasce[1:], strict=False), start=1):
            if low.a is None:
                problems.append(f"fasce[{i - 1}].a: solo l'ultima fascia può essere senza limite")
                continue
            expected = Decimal(str(low.a)) + _CENT
            start = Decimal(str(high.da))
            if start < expected:
                problems.append(
                    f"fasce[{i}].da: la fascia inizia a {high.da}, già compreso nella fascia "
                    f"precedente (che arriva a {low.a}): deve iniziare a {expected}"
                )
            elif start > expected:
                problems.append(
                    f"fasce[{i}].da: tra {low.a} e {high.da} c'è un vuoto: la fascia deve "
                    f"iniziare a {expected}"
                )
        if self.fasce[0].da != 0:
            problems.append("fasce[0].da: la prima fascia deve iniziare da 0")
        last = len(self.fasce) - 1
        if self.fasce[last].a is not None:
            problems.append(
                f"fasce[{last}].a: l'ultima fascia non ha limite superiore (togliere 'a')"
            )
        uses_percent = [f.percentuale is not None for f in self.fasce]
        if any(uses_percent) and self.percentuale_di is None:
            problems.append("percentuale_di: le fasce in percentuale richiedono il campo base")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class CalcoloFasce(_Part):
    """Brackets (usually of ISEE), each with an amount or a percentage of ``percentuale_di``."""

    fasce: _FasceSpec


class _LineareSpec(_Part):
    su: str = Field(default="isee", description="The field interpolated on.")
    da: Euro = Field(description="Value of 'su' at and below which 'valore_da' applies.")
    a: Euro = Field(description="Value of 'su' at and above which 'valore_a' applies.")
    valore_da: float = Field(ge=0, description="Amount (or percentage) at 'da'.")
    valore_a: float = Field(ge=0, description="Amount (or percentage) at 'a'.")
    percentuale_di: str | None = Field(
        default=None, description="If set, the values are percentages of this field."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.a <= self.da:
            raise ValueError(
                f"a: la soglia superiore ({self.a}) deve essere maggiore di quella "
                f"inferiore ({self.da})"
            )
        if self.percentuale_di is not None and max(self.valore_da, self.valore_a) > 100:
            raise ValueError("valore_a: con percentuale_di i valori sono percentuali (0-100)")
        return self


class CalcoloLineare(_Part):
    """Linear interpolation between two thresholds (the classic "retta proporzionale")."""

    lineare: _LineareSpec


class _PercentualeSpec(_Part):
    percentuale: Percento
    di: str = Field(description="Field the percentage applies to (e.g. costo_servizio).")


class CalcoloPercentuale(_Part):
    """A percentage of a field of the domanda (e.g. of the cost of the service)."""

    percentuale: _PercentualeSpec


class CalcoloEspressione(_Part):
    """Any SQL expression of the vocabulary (e.g. rent above 14% of the ISEE)."""

    espressione: Espressione


_SHAPES = ("fisso", "fasce", "lineare", "percentuale", "espressione")


def _shape(value: Any) -> str | None:
    """Which shape a calcolo is, from its only key (so that errors name one shape, not five)."""
    keys = set(value) if isinstance(value, dict) else set(_SHAPES) & set(dir(value))
    found = [shape for shape in _SHAPES if shape in keys]
    return found[0] if len(found) == 1 else None


Calcolo = Annotated[
    Annotated[CalcoloFisso, Tag("fisso")]
    | Annotated[CalcoloFasce, Tag("fasce")]
    | Annotated[CalcoloLineare, Tag("lineare")]
    | Annotated[CalcoloPercentuale, Tag("percentuale")]
    | Annotated[CalcoloEspressione, Tag("espressione")],
    Discriminator(
        _shape,
        custom_error_type="calcolo",
        custom_error_message="indicare una sola forma di calcolo tra: " + ", ".join(_SHAPES),
    ),
]


class Esenzione(_Part):
    """No amount (nothing to pay) at or below an ISEE threshold, or where a condition holds."""

    isee_fino_a: Euro | None = None
    condizione: Condizione | None = Field(
        default=None, description="Exempt where true (e.g. nuclei in carico ai servizi)."
    )
    articolo: Articolo = None

    @model_validator(mode="after")
    def _some_rule(self) -> Self:
        if self.isee_fino_a is None and self.condizione is None:
            raise ValueError("indicare isee_fino_a, condizione o entrambi")
        return self


class CasoParticolare(_Part):
    """A group whose base amount is set apart from the calcolo (first matching case wins).

    E.g. non-residents or families without an attestazione pay the full fee: ``condizione:
    isee IS NULL``, ``percentuale: 100``, ``di: costo_servizio``.
    """

    id: Identificativo
    descrizione: str = Field(min_length=1)
    articolo: Articolo = None
    condizione: Condizione
    importo: Euro | None = None
    percentuale: Percento | None = None
    di: str | None = Field(default=None, description="Field the percentage applies to.")

    @model_validator(mode="after")
    def _one_value(self) -> Self:
        if (self.importo is None) == (self.percentuale is None):
            raise ValueError("indicare l'importo oppure la percentuale (uno solo)")
        if self.percentuale is not None and self.di is None:
            raise ValueError("di: la percentuale richiede il campo a cui si applica")
        return self


class Maggiorazione(_Part):
    """A supplement for each unit of a count (e.g. 100 euro per minor beyond the first)."""

    id: Identificativo
    descrizione: str = Field(min_length=1)
    articolo: Articolo = None
    per_ogni: str = Field(description="Count field (e.g. numero_minorenni).")
    oltre: int = Field(default=0, ge=0, description="Units not counted (e.g. 1: from the second).")
    importo: float = Field(description="Amount per unit (negative: a reduction).")


class Riduzione(_Part):
    """A percentage off the amount where a condition holds (e.g. 20% for the second child)."""

    id: Identificativo
    descrizione: str = Field(min_length=1)
    articolo: Articolo = None
    condizione: Condizione
    percentuale: Percento


class TettoNucleo(_Part):
    """A ceiling on the total of the domande of the same nucleo (shared proportionally)."""

    importo: Euro
    articolo: Articolo = None


class ModoArrotondamento(StrEnum):
    """How to round to ``passo``."""

    commerciale = "commerciale"
    per_difetto = "per_difetto"
    per_eccesso = "per_eccesso"


class Arrotondamento(_Part):
    """Rounding of the amount to a step (0.01, 1, 5…): commercial, down or up."""

    passo: float = Field(default=0.01, gt=0)
    modo: ModoArrotondamento = ModoArrotondamento.commerciale

    @model_validator(mode="after")
    def _cent_multiple(self) -> Self:
        if (Decimal(str(self.passo)) / _CENT) % 1:
            raise ValueError(f"passo: {self.passo} non è un multiplo di un centesimo")
        return self


class Importo(_Part):
    """How the amount (contributo) or the share paid by the user (compartecipazione) is computed.

    Steps, in order: ``calcolo`` (or the first matching ``casi_particolari``) → × ``per`` →
    + ``maggiorazioni`` → − ``riduzioni`` (composed or summed) → not below zero → between
    ``minimo`` and ``massimo`` → ``esenzione`` (zero) → ``arrotondamento`` → zero below
    ``soglia_erogazione`` → ``tetto_nucleo`` (shared among the domande of the nucleo, rounded
    down to the cent).
    """

    tipo: TipoImporto
    descrizione: str | None = None
    articolo: Articolo = None
    calcolo: Calcolo
    per: str | None = Field(
        default=None, description="Multiply by this field (e.g. ore_servizio, mesi)."
    )
    maggiorazioni: list[Maggiorazione] = Field(default_factory=list)
    riduzioni: list[Riduzione] = Field(default_factory=list)
    riduzioni_cumulate: Literal["composte", "sommate"] = Field(
        default="composte",
        description="'composte': each reduction applies to what is left (20% and 30% give "
        "44%); 'sommate': the percentages add up (50%), at most 100%.",
    )
    casi_particolari: list[CasoParticolare] = Field(default_factory=list)
    esenzione: Esenzione | None = None
    soglia_erogazione: Euro | None = Field(
        default=None,
        description="A contributo below this amount is not paid (set to zero).",
    )
    minimo: Euro | None = Field(default=None, description="Floor (after supplements).")
    massimo: Euro | None = Field(default=None, description="Cap per domanda.")
    arrotondamento: Arrotondamento = Field(default_factory=Arrotondamento)
    tetto_nucleo: TettoNucleo | None = None

    @model_validator(mode="after")
    def _payout_only_for_contributi(self) -> Self:
        if self.soglia_erogazione is not None and self.tipo is not TipoImporto.contributo:
            raise ValueError(
                "soglia_erogazione: vale solo per un contributo (renderebbe gratuite le quote "
                "piccole di una compartecipazione)"
            )
        return self

    @model_validator(mode="after")
    def _floor_below_cap(self) -> Self:
        if self.minimo is not None and self.massimo is not None and self.minimo > self.massimo:
            raise ValueError(
                f"massimo: il massimo ({self.massimo}) è minore del minimo ({self.minimo})"
            )
        return self


class Criterio(Requisito):
    """An ulteriore criterio di selezione: like a requisito, set by the ente beyond the ISEE."""


class Punteggio(_Part):
    """Points for the graduatoria: fixed points where a condition holds, or an expression."""

    id: Identificativo
    descrizione: str = Field(min_length=1)
    articolo: Articolo = None
    condizione: Condizione | None = Field(default=None, description="Points only where true.")
    punti: float | None = Field(default=None, description="Fixed points.")
    punti_espressione: Espressione | None = Field(
        default=None, description="Points computed from the domanda."
    )
    massimo: float | None = Field(default=None, description="Most points this item gives.")

    @model_validator(mode="after")
    def _one_rule(self) -> Self:
        if (self.punti is None) == (self.punti_espressione is None):
            raise ValueError("indicare punti oppure punti_espressione (uno solo)")
        return self


class Verso(StrEnum):
    """Ascending or descending."""

    crescente = "crescente"
    decrescente = "decrescente"


class Ordinamento(_Part):
    """One ordering key of the graduatoria: ``punteggio``, ``importo``, a field, or an expression.

    An expression may be true/false (true comes first with ``decrescente``): an absolute
    priority such as ``disabilita_beneficiario <> 'nessuna'`` before any points.
    """

    chiave: str | None = Field(default=None, description="punteggio, importo or a field.")
    espressione: Espressione | None = Field(
        default=None, description="SQL over the fields, punteggio and importo."
    )
    descrizione: str | None = None
    verso: Verso

    @model_validator(mode="after")
    def _one_key(self) -> Self:
        if (self.chiave is None) == (self.espressione is None):
            raise ValueError("indicare la chiave oppure l'espressione (una sola)")
        return self

    @property
    def nome(self) -> str:
        """The key as written (field name or SQL)."""
        return self.chiave if self.chiave is not None else str(self.espressione)


class Quota(_Part):
    """A share of the stanziamento reserved to one group (e.g. one Comune of an Unione)."""

    valore: str = Field(description="Value of the 'per' field (e.g. the codice ISTAT).")
    percentuale: Percento
    descrizione: str | None = None


class QuoteRiservate(_Part):
    """Reserved quotas: each group is first funded from its own share.

    What a group does not use goes back to the general graduatoria (``residuo``
    ``graduatoria_generale``) or stays unspent (``non_redistribuito``).
    """

    per: str = Field(description="Field that defines the groups (e.g. comune_residenza).")
    quote: list[Quota] = Field(min_length=1)
    residuo: Literal["graduatoria_generale", "non_redistribuito"] = "graduatoria_generale"
    articolo: Articolo = None

    @model_validator(mode="after")
    def _at_most_whole(self) -> Self:
        total = sum(Decimal(str(q.percentuale)) for q in self.quote)
        if total > 100:
            raise ValueError(f"quote: le quote riservate sommano al {total}%, oltre il 100%")
        values = [q.valore for q in self.quote]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise ValueError(f"quote: valori ripetuti: {', '.join(duplicates)}")
        return self


class Graduatoria(_Part):
    """How eligible domande are ranked.

    ``ordine`` lists the keys; ``id_domanda`` is always the last, so that the ranking is
    total and reproducible.
    """

    articolo: Articolo = None
    punteggi: list[Punteggio] = Field(default_factory=list)
    ordine: list[Ordinamento] = Field(min_length=1)
    quote_riservate: QuoteRiservate | None = None


class ModoUltimo(StrEnum):
    """What happens when the money does not cover every eligible domanda."""

    escludi = "escludi"
    """Fund in ranking order while the whole amount fits; the first that does not fit and all
    after it are not funded."""
    parziale = "parziale"
    """As ``escludi``, but the first that does not fit gets what is left."""
    proporzionale = "proporzionale"
    """Every eligible domanda is funded, each amount reduced by the same ratio."""


class Riserva(_Part):
    """Part of the stanziamento held back (e.g. for emergencies or appeals)."""

    percentuale: Percento | None = None
    importo: Euro | None = None

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.percentuale is None) == (self.importo is None):
            raise ValueError("indicare la percentuale oppure l'importo della riserva (uno solo)")
        return self


class Stanziamento(_Part):
    """The money (or the number of places) available, and how it is shared."""

    articolo: Articolo = None
    importo: Euro | None = Field(default=None, description="Total budget in euros.")
    posti: int | None = Field(default=None, ge=0, description="Number of places (e.g. nido).")
    riserva: Riserva | None = None
    ultimo: ModoUltimo = ModoUltimo.escludi

    @model_validator(mode="after")
    def _budget_or_places(self) -> Self:
        if (self.importo is None) == (self.posti is None):
            raise ValueError("indicare l'importo oppure i posti dello stanziamento (uno solo)")
        if self.posti is not None and self.ultimo is ModoUltimo.proporzionale:
            raise ValueError("ultimo: il riparto proporzionale non si applica ai posti")
        if self.riserva is not None and self.importo is None:
            raise ValueError("riserva: la riserva richiede uno stanziamento in euro")
        if (
            self.riserva is not None
            and self.riserva.importo is not None
            and self.importo is not None
            and self.riserva.importo > self.importo
        ):
            raise ValueError("riserva: la riserva supera lo stanziamento")
        return self


ID_VALIDITA = "attestazione_valida"
"""The id of the implicit requisito on the attestazione's validity (reserved)."""


def _duplicate_ids(
    items: list[tuple[str, str]], reserved: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    """``section[i]: 'x' è già usato`` for each repeated id (positions counted per section)."""
    problems, seen, positions = [], set(reserved), dict[str, int]()
    for section, item_id in items:
        index = positions.get(section, 0)
        positions[section] = index + 1
        if item_id in seen:
            what = "è riservato" if item_id in reserved else "è già usato"
            problems.append(f"{section}[{index}].id: '{item_id}' {what}")
        seen.add(item_id)
    return problems


class Regolamento(_Part):
    """One version of a regulation, as the officer writes it."""

    formato: Literal["equo-regolamento/1"] = Field(description="Always 'equo-regolamento/1'.")
    codice: Identificativo = Field(description="Stable name shared by every version.")
    versione: str = Field(min_length=1, description="Version label (e.g. '2026.1').")
    titolo: str = Field(min_length=1)
    ente: Ente
    prestazione: Prestazione
    delibera: Delibera
    vigenza: Vigenza
    indicatore: Indicatore = Field(default_factory=Indicatore)
    campi_domanda: list[CampoDomanda] = Field(default_factory=list)
    requisiti: list[Requisito] = Field(default_factory=list)
    ulteriori_criteri: list[Criterio] = Field(default_factory=list)
    importo: Importo | None = None
    graduatoria: Graduatoria | None = None
    stanziamento: Stanziamento | None = None
    note: str | None = Field(default=None, description="Free notes for the reader.")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = _duplicate_ids(
            [("requisiti", r.id) for r in self.requisiti]
            + [("ulteriori_criteri", c.id) for c in self.ulteriori_criteri],
            reserved={ID_VALIDITA},
        )
        problems += _duplicate_ids([("campi_domanda", c.nome) for c in self.campi_domanda])
        if self.importo is not None:
            problems += _duplicate_ids(
                [("importo.maggiorazioni", m.id) for m in self.importo.maggiorazioni]
                + [("importo.riduzioni", r.id) for r in self.importo.riduzioni]
                + [("importo.casi_particolari", c.id) for c in self.importo.casi_particolari]
            )
        if self.graduatoria is not None:
            problems += _duplicate_ids(
                [("graduatoria.punteggi", p.id) for p in self.graduatoria.punteggi]
            )
        euro = self.stanziamento is not None and self.stanziamento.importo is not None
        if euro and (self.importo is None or self.importo.tipo is not TipoImporto.contributo):
            problems.append("stanziamento.importo: richiede un importo di tipo contributo")
        quote = self.graduatoria is not None and self.graduatoria.quote_riservate is not None
        if quote and self.stanziamento is None:
            problems.append("graduatoria.quote_riservate: richiedono uno stanziamento")
        if self.stanziamento is not None and self.graduatoria is None:
            problems.append("stanziamento: uno stanziamento richiede una graduatoria")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def etichetta(self) -> str:
        """``"contributo-affitto 2026.1"``: code and version, for messages."""
        return f"{self.codice} {self.versione}"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the document (``schemas/regolamento.schema.json``)."""
    schema = Regolamento.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://equo-welfare.github.io/schemas/regolamento.schema.json"
    schema["title"] = "Regolamento Equo (equo-regolamento/1)"
    return schema
