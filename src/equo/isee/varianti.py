"""Variants of the ISEE: another nucleo, other parameters, or a final step.

- ``sociosanitario``: the nucleo ristretto declared in the DSU (art. 6 c. 2), or the ordinary
  nucleo when none is declared;
- ``residenze``: as sociosanitario, plus the componente aggiuntiva for each figlio outside the
  nucleo (Allegato 2 c. 1) and the donated properties that still count (art. 6 c. 3);
- ``specifiche-2026``: the "ISEE per specifiche prestazioni familiari e per l'inclusione" (L.
  199/2025 art. 1 c. 208), for DSUs from 1 January 2026: other casa threshold (higher in the
  comuni capoluogo di città metropolitana), threshold increment from the second figlio, and
  another maggiorazione table for figli.
- ``nido``: the ISEE for the bonus asilo nido, with the assegno unico netted out (INPS circ.
  60/2025).

- ``minorenni`` (art. 7): the genitore non convivente (GNC) is attracted into the minor's
  nucleo unless a case a)-e) applies; in cases a) and b) his componente aggiuntiva (Allegato 2
  c. 2) is added, taken as an input because its formula is not verified in our sources. The
  bonus nido ISEE starts from it.

- ``universita`` (art. 8): the student's autonomy test decides whether the DSU may be his own
  or must be his parents'; the parents not married to each other and not living together are
  treated as in the ISEE minorenni (art. 8 c. 3).

- ``corrente`` (art. 9): the incomes of the last twelve months replace the ordinary ones of
  the members they are declared for; admissible on a work variation or an interruption of
  trattamenti and/or an ISR lower by more than 25 % (both until October 2019, any one after);
  valid two months, then six; from July 2021 also an updated patrimonio lower by more than 20 %.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources

import polars as pl

from equo.isee.model import DSU
from equo.isee.parameters import load_parameters
from equo.isee.universita import autonomia_studenti, motivo_universita

__all__ = [
    "MOTIVO_COMPONENTE_AGGIUNTIVA",
    "MOTIVO_SENZA_CORRENTE",
    "REGOLE",
    "RegoleVariante",
    "VariantNotApplicableError",
    "Variante",
    "comuni_capoluogo_metropolitano",
    "motivo_non_applicabile",
]


class Variante(StrEnum):
    ORDINARIO = "ordinario"
    MINORENNI = "minorenni"
    UNIVERSITA = "universita"
    CORRENTE = "corrente"
    SOCIOSANITARIO = "sociosanitario"
    RESIDENZE = "residenze"
    SPECIFICHE_2026 = "specifiche-2026"
    NIDO = "nido"


class VariantNotApplicableError(ValueError):
    """A variant was asked for a DSU it does not apply to (e.g. before it existed)."""


@dataclass(frozen=True)
class RegoleVariante:
    """How a variant departs from the ordinario.

    ``sostituzioni`` maps an ordinary parameter to the variant's (a table replaces a table);
    ``sostituzione_capoluogo`` is the parameter that replaces the casa threshold when the casa
    is in a comune capoluogo di città metropolitana; ``in_vigore_con`` names a parameter whose
    being in force at the DSU date is the condition for the variant to exist.
    """

    etichetta: str
    sostituzioni: dict[str, str] = field(default_factory=dict)
    sostituzione_capoluogo: str | None = None
    in_vigore_con: str | None = None
    neutralizza_assegno_unico: bool = False
    nucleo_ristretto: bool = False
    residenze: bool = False
    minorenni: bool = False
    universita: bool = False
    corrente: bool = False


_S26 = "varianti.specifiche_2026"

MOTIVO_SENZA_CORRENTE = (
    "the ISEE corrente needs its request (the corrente block, modulo MS, with the incomes of "
    "the last twelve months) in the DSU presented on {day}"
)

MOTIVO_COMPONENTE_AGGIUNTIVA = (
    "the genitore non convivente {cf} is in case a) or b) of DPCM 159/2013 art. 7: his "
    "componente aggiuntiva (Allegato 2 c. 2) must be given as printed on the INPS attestazione "
    "(field componente_aggiuntiva), because Equo's sources do not verify its formula and Equo "
    "will not guess it"
)

REGOLE: dict[Variante, RegoleVariante] = {
    Variante.ORDINARIO: RegoleVariante("ISEE ordinario"),
    Variante.MINORENNI: RegoleVariante("ISEE per prestazioni rivolte a minorenni", minorenni=True),
    Variante.UNIVERSITA: RegoleVariante(
        "ISEE per prestazioni per il diritto allo studio universitario",
        minorenni=True,
        universita=True,
    ),
    Variante.CORRENTE: RegoleVariante("ISEE corrente", corrente=True),
    Variante.SOCIOSANITARIO: RegoleVariante(
        "ISEE per prestazioni socio-sanitarie", nucleo_ristretto=True
    ),
    Variante.RESIDENZE: RegoleVariante(
        "ISEE per prestazioni socio-sanitarie residenziali", nucleo_ristretto=True, residenze=True
    ),
    Variante.SPECIFICHE_2026: RegoleVariante(
        "ISEE per specifiche prestazioni familiari e per l'inclusione",
        sostituzioni={
            "isp.franchigia_casa_abitazione": f"{_S26}.franchigia_casa_abitazione",
            "isp.franchigia_casa_figli_senza_incremento": (
                f"{_S26}.franchigia_casa_figli_senza_incremento"
            ),
            "scala_equivalenza.maggiorazione_figli": f"{_S26}.maggiorazione_figli",
        },
        sostituzione_capoluogo=f"{_S26}.franchigia_casa_capoluogo_metropolitano",
        in_vigore_con=f"{_S26}.franchigia_casa_abitazione",
    ),
    Variante.NIDO: RegoleVariante(
        "ISEE per il bonus asilo nido", neutralizza_assegno_unico=True, minorenni=True
    ),
}


@cache
def comuni_capoluogo_metropolitano() -> frozenset[str]:
    """Codici catastali of the comuni capoluogo di città metropolitana (see ``dati/``)."""
    table = resources.files("equo.isee") / "dati" / "comuni_capoluogo_citta_metropolitana.csv"
    rows = csv.DictReader(table.read_text(encoding="utf-8").splitlines())
    return frozenset(row["codice_catastale"] for row in rows)


def motivo_non_applicabile(dsu: DSU, variante: Variante) -> str | None:
    """Why ``variante`` cannot be computed for ``dsu`` (None when it can).

    The same conditions the engine enforces on a whole batch, for one DSU, so that a batch can
    set such a DSU aside as a bad row.
    """
    regole = REGOLE[variante]
    if regole.in_vigore_con is not None:
        parameter = load_parameters()[regole.in_vigore_con]
        if not parameter.in_force(dsu.data_presentazione):
            return (
                f"the {regole.etichetta} does not exist for a DSU presented on "
                f"{dsu.data_presentazione}: its rules apply from {parameter.values[0][0]}"
            )
    if regole.minorenni:
        for c in dsu.componenti:
            if (
                c.condizione_art_7 is not None
                and c.condizione_art_7.con_componente_aggiuntiva
                and c.componente_aggiuntiva is None
            ):
                return MOTIVO_COMPONENTE_AGGIUNTIVA.format(cf=c.codice_fiscale)
    if regole.corrente:
        if dsu.corrente is None:
            return MOTIVO_SENZA_CORRENTE.format(day=dsu.data_presentazione)
        # admissibility compares two computations: ask the engine (one DSU, a few ms)
        from equo.isee.engine import compute
        from equo.isee.frames import dsu_frames

        try:
            compute(dsu_frames([dsu]), variante=variante)
        except VariantNotApplicableError as exc:
            return str(exc)
    if regole.universita:
        motivo = _motivo_universita(dsu)
        if motivo is not None:
            return motivo
    if regole.residenze:
        cf = (
            dsu.nucleo_ristretto.beneficiario
            if dsu.nucleo_ristretto
            else next(c.codice_fiscale for c in dsu.componenti if c.rapporto.value == "D")
        )
        member = next(c for c in dsu.componenti if c.codice_fiscale == cf)
        if member.disabilita.value == "nessuna":
            return (
                f"the {regole.etichetta} needs a beneficiary with disabilità media, grave or "
                f"non autosufficienza: {cf} has none"
            )
    return None


def _motivo_universita(dsu: DSU) -> str | None:
    """The autonomy test of :mod:`equo.isee.universita` for one DSU."""
    u = dsu.universitario
    if u is None:
        return motivo_universita(None, None, dsu.data_presentazione)
    if u.dottorato:
        return None
    studente = next(c for c in dsu.componenti if c.codice_fiscale == u.studente)
    reddito = studente.redditi.lavoro_dipendente if u.reddito_lavoro is None else u.reddito_lavoro
    row = pl.DataFrame(
        {
            "data_presentazione": [dsu.data_presentazione],
            "anno_accademico": [u.anno_accademico],
            "anni_residenza_fuori_famiglia": [u.anni_residenza_fuori_famiglia],
            "abitazione_non_di_familiari": [u.abitazione_non_di_familiari],
            "reddito_lavoro_studente": [reddito],
        }
    )
    autonomo = bool(autonomia_studenti(row, load_parameters())["studente_autonomo"][0])
    return motivo_universita(autonomo, studente.rapporto.value, dsu.data_presentazione)
