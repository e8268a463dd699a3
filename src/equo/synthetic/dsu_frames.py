"""A synthetic population of DSUs, generated directly as the engine's frames.

:func:`synthetic_dsu_frames` draws ``n`` households column by column with numpy (no Python loop
per DSU), so a million DSUs take a few seconds. The data are invented but shaped like Italian
ISEE requests, and every DSU would pass the validation of :class:`~equo.isee.model.DSU`:

- nucleo of 1 to 7 members: one dichiarante (``D``), often a coniuge (``C``), figli whose code
  follows their age (``F``/``MA`` minors, ``FC`` adults, ``FNC`` adults under 26), now and then
  an ``altra persona`` (``P``) or a genitore non convivente (``GNC``);
- incomes: employment and pension income as parts of the reddito complessivo IRPEF, flat-rate
  incomes, exempt incomes (assegno unico), welfare and disability payments, the FC8 deductions;
- dwelling: owned (the casa di abitazione, sometimes co-owned by the coniuge and mortgaged),
  rented (with a rent) or other; further buildings, land and property abroad;
- financial relationships: several per adult, deposits (01, 03) with saldo and giacenza media,
  other kinds with a value, titoli di Stato, BFP and libretti postali within their rapporto;
- disability classes more frequent with age, DSU dates spread uniformly over the range.

Codici fiscali in the frames look real (surname and name codes of invented names, the member's
birth date and sex, a Belfiore code) but their check character is deliberately wrong, so that no
generated code can be anybody's: the engine never reads them. :func:`dsu_from_frames` turns one
generated DSU into the pydantic model, with the valid code of
:func:`~equo.synthetic.codice_fiscale.codice_fiscale_sintetico` for the same invented person.

The generation is deterministic: the same ``n``, ``seed`` and dates give the same frames.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import polars as pl
from stdnum.it import codicefiscale

from equo.isee.frames import REDDITI_FIELDS, SCHEMAS, DsuFrames
from equo.isee.model import (
    DSU,
    Abitazione,
    Componente,
    Disabilita,
    Immobile,
    Rapporto,
    RapportoConDichiarante,
    Redditi,
    TipoImmobile,
    TipoRapporto,
    TitoloAbitazione,
)
from equo.isee.parameters import load_parameters
from equo.synthetic.codice_fiscale import codice_fiscale_sintetico

__all__ = ["dsu_from_frames", "synthetic_dsu_frames"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

_EPOCH = dt.date(1970, 1, 1)
_MAGGIORE_ETA = 18  # isr.eta_maggiore_eta, constant since 2015
_ETA_MASSIMA = 99

# Household size 1..7 (ISTAT-like, skewed to the larger households that ask for an ISEE).
_SIZE_P = (0.30, 0.25, 0.20, 0.17, 0.055, 0.018, 0.007)

# Codes in the order of the integer codes used below.
_RAPPORTO = ("D", "C", "F", "MA", "FC", "FNC", "P", "GNC")
_R_D, _R_C, _R_F, _R_MA, _R_FC, _R_FNC, _R_P, _R_GNC = range(8)
_TITOLO = tuple(t.value for t in TitoloAbitazione)
_T_PROPRIETA = _TITOLO.index(TitoloAbitazione.PROPRIETA.value)
_T_LOCAZIONE = _TITOLO.index(TitoloAbitazione.LOCAZIONE.value)
_TITOLO_P = {
    TitoloAbitazione.PROPRIETA.value: 0.52,
    TitoloAbitazione.LOCAZIONE.value: 0.34,
    TitoloAbitazione.ALTRO.value: 0.14,
}
_DISABILITA = tuple(d.value for d in Disabilita)
_TIPO_RAPPORTO = tuple(t.value for t in TipoRapporto)
_K_01, _K_02, _K_03, _K_06, _K_07 = (
    _TIPO_RAPPORTO.index(t) for t in ("01", "02", "03", "06", "07")
)
# Kind of every rapporto after an adult's first one (the first is mostly a conto corrente).
_TIPO_RAPPORTO_P = {
    "01": 0.25,
    "02": 0.15,
    "03": 0.10,
    "04": 0.01,
    "05": 0.12,
    "06": 0.03,
    "07": 0.10,
    "09": 0.01,
    "23": 0.15,
    "99": 0.08,
}
# Median value of a non-deposit rapporto, by kind.
_VALORE_MEDIANO = {"04": 30_000.0, "07": 8_000.0, "23": 15_000.0}
_TIPO_IMMOBILE = tuple(t.value for t in TipoImmobile)
_I_FABBRICATO = _TIPO_IMMOBILE.index(TipoImmobile.FABBRICATO.value)
_I_TERRENO = _TIPO_IMMOBILE.index(TipoImmobile.TERRENO_AGRICOLO.value)

# Invented people: frequent Italian surnames and names (never a real person: dates are random).
_COGNOMI = (
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
    "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo",
    "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso",
    "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo",
    "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti", "Parisi", "Villa", "Conte",
    "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini", "Messina", "Sala",
    "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina", "Rizzi", "Monti",
    "Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa", "Grassi", "Pellegrino",
    "Carbone", "Giuliani", "Benedetti", "Barone", "Rossetti", "Caputo", "Montanari", "Guerra",
    "Palmieri", "Bernardi", "Martino", "Fiore", "De Rosa", "Ferretti", "Bellini", "Basile", "Riva",
    "Donati", "Piras", "Vitali", "Battaglia", "Sartori", "Neri", "Costantini", "Milani", "Pagano",
    "Ruggiero", "Sorrentino", "D'Amico", "Orlando", "Negri", "Po", "Fo", "Re",
)  # fmt: skip
_NOMI_M = (
    "Leonardo", "Francesco", "Alessandro", "Lorenzo", "Mattia", "Andrea", "Gabriele", "Riccardo",
    "Tommaso", "Edoardo", "Matteo", "Giuseppe", "Antonio", "Giovanni", "Marco", "Luca", "Paolo",
    "Stefano", "Roberto", "Salvatore", "Mario", "Luigi", "Vincenzo", "Davide", "Simone",
    "Federico", "Pietro", "Diego", "Emanuele", "Nicolò", "Ugo", "Elia", "Gianfranco", "Domenico",
)  # fmt: skip
_NOMI_F = (
    "Sofia", "Giulia", "Aurora", "Alice", "Ginevra", "Emma", "Giorgia", "Greta", "Beatrice",
    "Anna", "Maria", "Francesca", "Chiara", "Sara", "Martina", "Valentina", "Elena", "Laura",
    "Paola", "Rosa", "Angela", "Giovanna", "Teresa", "Lucia", "Carmela", "Caterina", "Federica",
    "Silvia", "Noemi", "Ilaria", "Eva", "Ida", "Bianca", "Benedetta",
)  # fmt: skip
# Belfiore codes of large comuni (places of birth) and a few foreign states.
_BELFIORE = (
    "H501", "F205", "F839", "L219", "G273", "A944", "D612", "D969", "L736", "A662", "F158",
    "C351", "H224", "B354", "L424", "G224", "L781", "Z112", "Z129", "Z100", "Z330", "Z210",
)  # fmt: skip
_MESI = "ABCDEHLMPRST"
_ALFABETO = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CF_DISPARI = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22,
               25, 24, 23)  # fmt: skip


@dataclass(frozen=True)
class _Nuclei:
    n: int
    giorno: Ints  # days since 1970-01-01
    size: Ints
    coniuge: Bools
    titolo: Ints
    ricchezza: Floats  # per-household wealth factor (lognormal, median 0.6)


@dataclass(frozen=True)
class _Componenti:
    dsu: Ints
    pos: Ints
    rapporto: Ints
    eta: Ints
    adulto: Bools


def synthetic_dsu_frames(
    n: int,
    *,
    seed: int = 0,
    date_from: dt.date = dt.date(2015, 1, 1),
    date_to: dt.date = dt.date(2026, 12, 31),
) -> DsuFrames:
    """``n`` synthetic DSUs presented between ``date_from`` and ``date_to`` (both included).

    The frames have exactly the schemas of :data:`equo.isee.frames.SCHEMAS`; ``dsu_id`` and
    ``componente_id`` are the row numbers, and rapporti and immobili follow their members.
    """
    if n < 0:
        raise ValueError(f"n must be ≥ 0, got {n}")
    start = load_parameters().start_date
    if date_from < start:
        raise ValueError(
            f"date_from {date_from.isoformat()} is before {start.isoformat()}, when the ISEE "
            "of DPCM 159/2013 began"
        )
    if date_to < date_from:
        raise ValueError(f"date_to {date_to.isoformat()} is before {date_from.isoformat()}")
    rng = np.random.default_rng(seed)
    nuclei = _draw_nuclei(rng, n, date_from, date_to)
    componenti = _draw_componenti(rng, nuclei)
    return DsuFrames(
        nuclei=_nuclei_frame(rng, nuclei),
        componenti=_componenti_frame(rng, nuclei, componenti),
        rapporti=_rapporti_frame(rng, nuclei, componenti),
        immobili=_immobili_frame(rng, nuclei, componenti),
    )


# --- drawing helpers -------------------------------------------------------------------------


def _choice(rng: np.random.Generator, probabilities: tuple[float, ...], size: int) -> Ints:
    """Integer codes 0..k-1 drawn with ``probabilities``."""
    cumulative = np.cumsum(probabilities)
    cumulative /= cumulative[-1]
    return np.searchsorted(cumulative, rng.random(size), side="right").astype(np.int64)


def _lognormal(rng: np.random.Generator, median: float | Floats, sigma: float, size: int) -> Floats:
    return np.asarray(median * rng.lognormal(0.0, sigma, size), dtype=np.float64)


def _bernoulli(rng: np.random.Generator, p: float | Floats, size: int | None = None) -> Bools:
    """True with probability ``p`` (a scalar with ``size``, or one probability per row)."""
    shape = size if size is not None else np.shape(p)
    return np.asarray(rng.random(shape, dtype=np.float32) < p)


def _importo(rng: np.random.Generator, mask: Bools, median: float | Floats, sigma: float) -> Floats:
    """Lognormal amounts in cents where ``mask`` (drawn for those rows only), zero elsewhere.

    ``median`` is a scalar or one median per row.
    """
    out = np.zeros(mask.size)
    rows = np.flatnonzero(mask)
    scale = median[rows] if isinstance(median, np.ndarray) else median
    out[rows] = _cents(scale * rng.lognormal(0.0, sigma, rows.size))
    return out


def _uniforme(rng: np.random.Generator, mask: Bools, low: float, high: float) -> Floats:
    """Uniform amounts in cents where ``mask``, zero elsewhere."""
    out = np.zeros(mask.size)
    rows = np.flatnonzero(mask)
    out[rows] = _cents(rng.uniform(low, high, rows.size))
    return out


def _cents(values: Floats) -> Floats:
    return np.round(values, 2)


def _cents_down(values: Floats) -> Floats:
    """Rounded down to the cent, so that a part never exceeds the whole it was drawn from."""
    return np.floor(np.round(values * 100.0, 6)) / 100.0


def _within(values: Ints, counts: Ints) -> Ints:
    """Position of each row inside its group, for rows repeated ``counts`` times per group."""
    starts = np.cumsum(counts) - counts
    return np.arange(values.size, dtype=np.int64) - np.repeat(starts, counts)


# --- nuclei ----------------------------------------------------------------------------------


def _draw_nuclei(rng: np.random.Generator, n: int, date_from: dt.date, date_to: dt.date) -> _Nuclei:
    first = (date_from - _EPOCH).days
    giorno = first + rng.integers(0, (date_to - date_from).days + 1, n, dtype=np.int64)
    size = _choice(rng, _SIZE_P, n) + 1
    # Two members: a couple a little more often than a single parent with a child; larger
    # nuclei: mostly a couple with children.
    p_coniuge = np.where(size == 2, 0.55, 0.80)
    coniuge = (size >= 2) & _bernoulli(rng, p_coniuge)
    titolo = _choice(rng, tuple(_TITOLO_P[t] for t in _TITOLO), n)
    ricchezza = 0.6 * rng.lognormal(0.0, 0.9, n)
    return _Nuclei(n, giorno, size, coniuge, titolo, ricchezza)


def _nuclei_frame(rng: np.random.Generator, nuclei: _Nuclei) -> pl.DataFrame:
    n = nuclei.n
    locazione = nuclei.titolo == _T_LOCAZIONE
    canone = _importo(rng, locazione, 6_000.0, 0.4)
    frame = pl.DataFrame(
        {
            "dsu_id": np.arange(n, dtype=np.int64),
            "data_presentazione": pl.Series(nuclei.giorno.astype(np.int32)).cast(pl.Date),
            "titolo_abitazione": pl.Series(_TITOLO).gather(nuclei.titolo),
            "canone_annuo": canone,
            # a fifth live in Milan, Rome or Turin (capoluoghi di città metropolitana)
            "codice_comune_abitazione": pl.Series(["F205", "H501", "L219", None]).gather(
                _choice(rng, (0.05, 0.10, 0.05, 0.80), n)
            ),
            "assegno_unico_annuo": np.zeros(n),
            "ha_nucleo_ristretto": np.zeros(n, dtype=bool),
            **{
                name: pl.Series([None] * n, dtype=SCHEMAS["nuclei"][name])
                for name in (
                    "studente_id",
                    "anno_accademico",
                    "anni_residenza_fuori_famiglia",
                    "abitazione_non_di_familiari",
                    "reddito_lavoro_studente",
                    "dottorato",
                    "corrente_variazione_lavoro",
                    "corrente_interruzione_trattamenti",
                )
            },
        }
    )
    protocollo = pl.concat_str(
        pl.lit("SINT-ISEE-"),
        pl.col("data_presentazione").dt.year().cast(pl.String),
        pl.lit("-"),
        pl.col("dsu_id").cast(pl.String).str.zfill(9),
        pl.lit("-00"),
    )
    return frame.with_columns(protocollo.alias("protocollo")).select(
        pl.col(name).cast(dtype) for name, dtype in SCHEMAS["nuclei"].items()
    )


# --- componenti ------------------------------------------------------------------------------


def _draw_componenti(rng: np.random.Generator, nuclei: _Nuclei) -> _Componenti:
    size = nuclei.size
    m = int(size.sum())
    dsu = np.repeat(np.arange(nuclei.n, dtype=np.int64), size)
    pos = _within(dsu, size)
    coniuge = nuclei.coniuge[dsu]
    altri = size - 1 - nuclei.coniuge  # members who are neither D nor C

    # Ages of the dichiarante: parents of working age when there are other members, otherwise
    # a mix of young singles, couples and pensioners.
    eta_genitore = np.clip(np.round(rng.normal(44.0, 8.0, nuclei.n)), 22, 80)
    eta_solo = np.where(
        _bernoulli(rng, 0.45, nuclei.n),
        rng.integers(65, 96, nuclei.n),
        rng.integers(18, 65, nuclei.n),
    )
    eta_d = np.where(altri > 0, eta_genitore, eta_solo).astype(np.int64)[dsu]

    is_d = pos == 0
    is_c = (pos == 1) & coniuge
    # Now and then the last member of a single parent's nucleo is the other, non-cohabiting
    # parent (GNC: declared for the ISEE minorenni, left out of the ordinary one).
    last = pos == size[dsu] - 1
    is_gnc = last & ~coniuge & (size[dsu] >= 3) & _bernoulli(rng, 0.05, m)
    is_p = ~is_d & ~is_c & ~is_gnc & _bernoulli(rng, 0.06, m)

    # Figli: up to 35 years old and at least 18 years younger than the dichiarante.
    max_figlio = np.minimum(eta_d - 18, 35) + 1
    eta_figlio = np.floor(rng.random(m) * max_figlio).astype(np.int64)
    eta_coppia = np.clip(eta_d + np.round(rng.normal(-2.0, 4.0, m)).astype(np.int64), 18, 99)
    eta_p = rng.integers(18, _ETA_MASSIMA + 1, m)
    eta = np.select(
        [is_d, is_c | is_gnc, is_p], [eta_d, eta_coppia, eta_p], default=eta_figlio
    ).astype(np.int64)

    minore = eta < _MAGGIORE_ETA
    v = rng.random(m)
    codice_figlio = np.select(
        [minore & (v < 0.005), minore, (eta <= 25) & (v < 0.12)],
        [_R_MA, _R_F, _R_FNC],
        default=_R_FC,
    )
    rapporto = np.select(
        [is_d, is_c, is_gnc, is_p], [_R_D, _R_C, _R_GNC, _R_P], default=codice_figlio
    ).astype(np.int64)
    return _Componenti(dsu=dsu, pos=pos, rapporto=rapporto, eta=eta, adulto=~minore)


def _disabilita(rng: np.random.Generator, eta: Ints) -> Ints:
    """Disability class codes (index in :data:`_DISABILITA`), more frequent with age."""
    m = eta.size
    anziano, grande_anziano = eta >= 65, eta >= 80
    p_any = np.select([grande_anziano, anziano], [0.25, 0.10], default=0.03)
    # Split of the disabled between media, grave and non autosufficiente.
    p_media = np.select([grande_anziano, anziano], [0.20, 0.40], default=0.50)
    p_grave = np.select([grande_anziano, anziano], [0.30, 0.35], default=0.35)
    u, v = rng.random(m), rng.random(m)
    classe = np.select([v < p_media, v < p_media + p_grave], [1, 2], default=3)
    return np.where(u < p_any, classe, 0).astype(np.int64)


def _componenti_frame(
    rng: np.random.Generator, nuclei: _Nuclei, componenti: _Componenti
) -> pl.DataFrame:
    c = componenti
    m = c.dsu.size
    eta, adulto, rapporto = c.eta, c.adulto, c.rapporto
    genitore = (rapporto == _R_D) | (rapporto == _R_C)
    disabilita = _disabilita(rng, eta)
    disabile = disabilita > 0

    eta_lavoro = adulto & (eta < 67)
    attivita = eta_lavoro & _bernoulli(rng, np.where(genitore, 0.55, 0.30)) & (disabilita < 3)
    occasionale = eta_lavoro & ~attivita & _bernoulli(rng, 0.15, m)
    pensionato = (
        adulto
        & ~attivita
        & (((eta >= 67) & _bernoulli(rng, 0.95, m)) | ((eta >= 60) & _bernoulli(rng, 0.5, m)))
    )
    # Work income: employees (lavoro dipendente, in the IRPEF income), self-employed in the
    # IRPEF income, or self-employed in the regime forfettario (flat-rate, outside it).
    lavoro = _importo(rng, attivita, 20_000.0, 0.6) + _importo(rng, occasionale, 5_000.0, 0.6)
    tipo_lavoro = _choice(rng, (0.78, 0.13, 0.09), m)
    lavoro_dipendente = np.where(tipo_lavoro == 0, lavoro, 0.0)
    lavoro_autonomo = np.where(tipo_lavoro == 1, lavoro, 0.0)
    forfettario = np.where(tipo_lavoro == 2, lavoro, 0.0)
    pensione = _importo(rng, pensionato, 14_000.0, 0.45)
    altri_irpef = _importo(rng, adulto & _bernoulli(rng, 0.10, m), 3_000.0, 0.8)
    proventi_agrari = _importo(rng, adulto & _bernoulli(rng, 0.005, m), 20_000.0, 0.7)
    redditi_agrari = _cents(proventi_agrari * 0.06)

    # Whether the nucleo has minors and figli, and who declares alone (no coniuge).
    n = nuclei.n
    minori = np.bincount(c.dsu, weights=(~adulto).astype(np.float64), minlength=n)[c.dsu] > 0
    figlio = np.isin(rapporto, (_R_F, _R_MA, _R_FC, _R_FNC))
    figli = np.bincount(c.dsu, weights=figlio.astype(np.float64), minlength=n)[c.dsu] > 0
    solo = ~nuclei.coniuge[c.dsu] & (rapporto == _R_D)
    # Exempt incomes: assegno unico and the like for parents of minors, others now and then.
    assegno = (rapporto == _R_D) & minori & _bernoulli(rng, 0.55, m)
    esenti = _importo(rng, assegno, 2_400.0, 0.6) + _importo(
        rng, ~assegno & adulto & _bernoulli(rng, 0.03, m), 1_500.0, 0.8
    )
    # Disability payments: indennità di accompagnamento, pensione di invalidità civile.
    accompagnamento = (disabilita >= 2) & _bernoulli(rng, 0.85, m)
    invalidita = (disabilita == 1) & _bernoulli(rng, 0.4, m)
    redditi = {
        "reddito_complessivo_irpef": lavoro_dipendente
        + lavoro_autonomo
        + pensione
        + altri_irpef
        + redditi_agrari,
        "redditi_imposta_sostitutiva": forfettario,
        "redditi_esenti": esenti,
        "redditi_esteri": _importo(rng, adulto & _bernoulli(rng, 0.01, m), 12_000.0, 0.6),
        "proventi_agrari_irap": proventi_agrari,
        "assegni_figli_percepiti": _importo(
            rng, solo & figli & _bernoulli(rng, 0.35, m), 3_600.0, 0.4
        ),
        "trattamenti_assistenziali": _importo(rng, adulto & _bernoulli(rng, 0.08, m), 4_000.0, 0.6),
        "trattamenti_disabilita": _uniforme(rng, accompagnamento, 6_000.0, 6_800.0)
        + _uniforme(rng, invalidita, 3_300.0, 3_900.0),
        "lavoro_dipendente": lavoro_dipendente,
        "pensione": pensione,
        "redditi_agrari": redditi_agrari,
        "assegni_coniuge_versati": _uniforme(
            rng, solo & _bernoulli(rng, 0.03, m), 2_000.0, 10_000.0
        ),
        "assegni_figli_versati": _uniforme(rng, solo & _bernoulli(rng, 0.05, m), 1_800.0, 7_200.0),
        "spese_sanitarie_disabili": _importo(rng, disabile & _bernoulli(rng, 0.4, m), 1_500.0, 0.9),
    }
    frame = pl.DataFrame(
        {
            "componente_id": np.arange(m, dtype=np.int64),
            "dsu_id": c.dsu,
            "codice_fiscale": _codici_fiscali(rng, nuclei, componenti),
            "rapporto": pl.Series(_RAPPORTO).gather(rapporto),
            "eta": eta.astype(np.int32),
            "disabilita": pl.Series(_DISABILITA).gather(disabilita),
            "attivita_lavorativa_6_mesi": attivita,
            "rapporto_ristretto": pl.Series([None] * m, dtype=pl.String),
            "condizione_art_7": pl.Series([None] * m, dtype=pl.String),
            "componente_aggiuntiva": pl.Series([None] * m, dtype=pl.Float64),
            "patrimonio_aggiornato": np.zeros(m, dtype=bool),
            **{name: redditi[name] for name in REDDITI_FIELDS},
        }
    )
    return frame.select(pl.col(name).cast(dtype) for name, dtype in SCHEMAS["componenti"].items())


# --- codici fiscali --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pezzi:
    """Fixed-width pieces that a codice fiscale can hold at one offset, as bytes.

    ``somma`` is each piece's share of the check sum (DM 23-12-1976: characters in odd
    positions, 1-based, count by the table of :data:`_CF_DISPARI`, those in even positions by
    their rank), so that the check character is a sum of small-table lookups.
    """

    chars: npt.NDArray[np.uint8]
    somma: Ints


def _pezzi(testi: Sequence[str], offset: int) -> _Pezzi:
    def valore(ch: str, posizione: int) -> int:
        rank = int(ch) if ch.isdigit() else _ALFABETO.index(ch)
        return _CF_DISPARI[rank] if posizione % 2 == 0 else rank

    chars = np.frombuffer("".join(testi).encode("ascii"), dtype=np.uint8)
    somma = [sum(valore(ch, offset + j) for j, ch in enumerate(t)) for t in testi]
    return _Pezzi(chars.reshape(len(testi), -1), np.asarray(somma, dtype=np.int64))


@cache
def _tabelle_cf() -> tuple[_Pezzi, _Pezzi, _Pezzi, _Pezzi, _Pezzi, _Pezzi]:
    """Pieces for surname, name (male names, then female), year, month, day+sex, Belfiore."""
    giorno = dt.date(2000, 1, 1)
    cognomi = [codice_fiscale_sintetico(c, "X", giorno, "M")[0:3] for c in _COGNOMI]
    nomi = [codice_fiscale_sintetico("X", n, giorno, "M")[3:6] for n in _NOMI_M + _NOMI_F]
    return (
        _pezzi(cognomi, 0),
        _pezzi(nomi, 3),
        _pezzi([f"{y:02d}" for y in range(100)], 6),
        _pezzi(list(_MESI), 8),
        _pezzi([f"{d:02d}" for d in range(72)], 9),
        _pezzi(_BELFIORE, 11),
    )


def _data_civile(giorni: Ints) -> tuple[Ints, Ints, Ints]:
    """Year, month and day of days since 1970-01-01 (through a table of the days in range)."""
    if not giorni.size:
        return giorni, giorni, giorni
    first = int(giorni.min())
    table = np.arange(first, int(giorni.max()) + 1).astype("datetime64[D]")
    mesi = table.astype("datetime64[M]")
    anno = table.astype("datetime64[Y]").astype(np.int64) + 1970
    mese = mesi.astype(np.int64) % 12 + 1
    giorno = (table - mesi).astype(np.int64) + 1
    index = giorni - first
    return anno[index], mese[index], giorno[index]


def _codici_fiscali(
    rng: np.random.Generator, nuclei: _Nuclei, componenti: _Componenti
) -> pl.Series:
    """16-character codici fiscali with the member's birth date and sex, never valid.

    Surname (the dichiarante's for the figli, own for the others) and name come from the lists
    of invented names; the birth date is consistent with ``eta`` at the DSU date; the check
    character is the correct one shifted by one letter, so that no code is anybody's.
    """
    c = componenti
    m = c.dsu.size
    cognomi, nomi, anni, mesi, giorni, luoghi = _tabelle_cf()
    proprio = np.isin(c.rapporto, (_R_C, _R_P, _R_GNC))
    cognome = np.where(
        proprio, rng.integers(0, len(_COGNOMI), m), rng.integers(0, len(_COGNOMI), nuclei.n)[c.dsu]
    )
    femmina = _bernoulli(rng, 0.5, m)
    coniuge = np.flatnonzero(c.rapporto == _R_C)
    femmina[coniuge] = ~femmina[coniuge - 1]  # the other sex of the dichiarante, a row before
    nome = np.where(
        femmina,
        len(_NOMI_M) + rng.integers(0, len(_NOMI_F), m),
        rng.integers(0, len(_NOMI_M), m),
    )
    # Birth date: a random day (1-28) of a random month, in the year that gives age ``eta``.
    anno_dsu, mese_dsu, giorno_dsu = _data_civile(nuclei.giorno)
    mese = rng.integers(1, 13, m)
    giorno = rng.integers(1, 29, m)
    dsu = c.dsu
    dopo = (mese > mese_dsu[dsu]) | ((mese == mese_dsu[dsu]) & (giorno > giorno_dsu[dsu]))
    anno = (anno_dsu[dsu] - c.eta - dopo) % 100
    giorno_sesso = giorno + 40 * femmina
    luogo = rng.integers(0, len(_BELFIORE), m)

    chars = np.empty((m, 16), dtype=np.uint8)
    somma = np.zeros(m, dtype=np.int64)
    for pezzi, index, columns in (
        (cognomi, cognome, slice(0, 3)),
        (nomi, nome, slice(3, 6)),
        (anni, anno, slice(6, 8)),
        (mesi, mese - 1, slice(8, 9)),
        (giorni, giorno_sesso, slice(9, 11)),
        (luoghi, luogo, slice(11, 15)),
    ):
        chars[:, columns] = np.take(pezzi.chars, index, axis=0)
        somma += np.take(pezzi.somma, index)
    chars[:, 15] = (somma + 1) % 26 + ord("A")  # + 1: one letter after the valid one
    return pl.Series("codice_fiscale", chars.reshape(-1).view("S16")).cast(pl.String)


# --- rapporti --------------------------------------------------------------------------------


def _rapporti_frame(
    rng: np.random.Generator, nuclei: _Nuclei, componenti: _Componenti
) -> pl.DataFrame:
    c = componenti
    m = c.dsu.size
    conteggio = np.where(
        c.adulto,
        _choice(rng, (0.04, 0.34, 0.30, 0.17, 0.10, 0.05), m),
        _bernoulli(rng, 0.35, m).astype(np.int64),
    )
    owner = np.repeat(np.arange(m, dtype=np.int64), conteggio)
    k = owner.size
    primo = _within(owner, conteggio) == 0
    adulto = c.adulto[owner]
    # Adults: mostly a conto corrente first, then any kind; minors: conto, libretto or buoni.
    codice_altro = _choice(rng, tuple(_TIPO_RAPPORTO_P[t] for t in _TIPO_RAPPORTO), k)
    codice_minore = np.asarray((_K_01, _K_03, _K_07))[_choice(rng, (0.2, 0.5, 0.3), k)]
    codice = np.select(
        [~adulto, primo & _bernoulli(rng, 0.9, k)], [codice_minore, _K_01], default=codice_altro
    )
    deposito = (codice == _K_01) | (codice == _K_03)

    ricchezza = nuclei.ricchezza[c.dsu[owner]] * np.where(adulto, 1.0, 0.3)
    # Deposits: a few overdrawn (saldo 0), the giacenza media around the saldo.
    saldo = _importo(rng, deposito & _bernoulli(rng, 0.97, k), 4_000.0 * ricchezza, 1.2)
    giacenza = _importo(rng, deposito, saldo, 0.35)
    mediana = np.asarray([_VALORE_MEDIANO.get(t, 12_000.0) for t in _TIPO_RAPPORTO])[codice]
    valore = _importo(rng, ~deposito, mediana * ricchezza, 1.1)

    # Titoli di Stato (02, 06), BFP (07) and libretti postali (03), within their rapporto.
    u = rng.random(k, dtype=np.float32)
    quota = rng.uniform(0.2, 1.0, k)
    titoli = np.select(
        [
            ((codice == _K_02) | (codice == _K_06)) & (u < 0.45),
            (codice == _K_07) & (u < 0.9),
            (codice == _K_03) & (u < 0.4),
        ],
        [valore * quota, valore, np.minimum(saldo, giacenza) * quota],
        default=0.0,
    )
    frame = pl.DataFrame(
        {
            "dsu_id": c.dsu[owner],
            "componente_id": owner,
            "tipo": pl.Series(_TIPO_RAPPORTO).gather(codice),
            "saldo_31_12": saldo,
            "giacenza_media": giacenza,
            "valore": valore,
            "titoli_stato": _cents_down(titoli),
        }
    )
    return frame.select(pl.col(name).cast(dtype) for name, dtype in SCHEMAS["rapporti"].items())


# --- immobili --------------------------------------------------------------------------------


def _immobili_frame(
    rng: np.random.Generator, nuclei: _Nuclei, componenti: _Componenti
) -> pl.DataFrame:
    c = componenti
    m = c.dsu.size
    proprietari = nuclei.titolo[c.dsu] == _T_PROPRIETA
    coniuge_nucleo = nuclei.coniuge[c.dsu]

    # The casa di abitazione: the dichiarante's, co-owned half each with the coniuge in most
    # couples; mortgaged for 40% of the nuclei whose dichiarante is under 62.
    condivisa = _bernoulli(rng, 0.65, nuclei.n)[c.dsu] & coniuge_nucleo
    casa_d = proprietari & (c.rapporto == _R_D)
    casa_c = proprietari & (c.rapporto == _R_C) & condivisa
    quota_casa = np.where(casa_c | (casa_d & condivisa), 50.0, 100.0)
    valore_casa = np.round(_lognormal(rng, 95_000.0, 0.5, nuclei.n))[c.dsu]
    eta_dichiarante = c.eta[np.arange(m) - c.pos]
    mutuo_casa = np.where(
        _bernoulli(rng, 0.40, nuclei.n)[c.dsu] & (eta_dichiarante < 62),
        valore_casa * rng.uniform(0.1, 0.8, nuclei.n)[c.dsu],
        0.0,
    )
    casa = casa_d | casa_c
    casa_owner = np.flatnonzero(casa)

    # Other properties: more often for older adults.
    altri = np.select(
        [~c.adulto, c.eta >= 50],
        [0, _choice(rng, (0.82, 0.13, 0.04, 0.01), m)],
        default=_choice(rng, (0.92, 0.06, 0.015, 0.005), m),
    ).astype(np.int64)
    altri_owner = np.repeat(np.arange(m, dtype=np.int64), altri)
    k = altri_owner.size
    tipo = _choice(rng, (0.70, 0.10, 0.20), k)  # fabbricato, area fabbricabile, terreno agricolo
    estero = (tipo != _TIPO_IMMOBILE.index(TipoImmobile.AREA_FABBRICABILE.value)) & (
        _bernoulli(rng, 0.04, k)
    )
    quota = np.asarray((100.0, 50.0, 33.33, 25.0))[_choice(rng, (0.5, 0.3, 0.1, 0.1), k)]
    mediana = np.select([tipo == _I_FABBRICATO, tipo == _I_TERRENO], [70_000.0, 15_000.0], 40_000.0)
    valore = np.round(_lognormal(rng, mediana, 0.7, k))
    mutuo = np.where(
        (tipo == _I_FABBRICATO) & ~estero & _bernoulli(rng, 0.10, k),
        valore * quota / 100.0 * rng.uniform(0.1, 0.7, k),
        0.0,
    )

    owner = np.concatenate([casa_owner, altri_owner])
    order = np.argsort(owner, kind="stable")  # each member's casa first, then the others
    owner = owner[order]
    tipo_all = np.concatenate([np.full(casa_owner.size, _I_FABBRICATO), tipo])[order]
    frame = pl.DataFrame(
        {
            "dsu_id": c.dsu[owner],
            "componente_id": owner,
            "tipo": pl.Series(_TIPO_IMMOBILE).gather(tipo_all),
            "estero": np.concatenate([np.zeros(casa_owner.size, dtype=bool), estero])[order],
            "quota_posseduta": np.concatenate([quota_casa[casa], quota])[order],
            "valore_imu": np.concatenate([valore_casa[casa], valore])[order],
            "mutuo_residuo": _cents_down(
                np.concatenate([mutuo_casa[casa] * quota_casa[casa] / 100.0, mutuo])[order]
            ),
            "casa_abitazione": np.concatenate(
                [np.ones(casa_owner.size, dtype=bool), np.zeros(k, dtype=bool)]
            )[order],
            "donazione": np.zeros(casa_owner.size + k, dtype=bool),
        }
    )
    return frame.select(pl.col(name).cast(dtype) for name, dtype in SCHEMAS["immobili"].items())


# --- one DSU as the model --------------------------------------------------------------------


@cache
def _nomi_per_codice() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Code → first invented surname, male and female name with that code."""
    giorno = dt.date(2000, 1, 1)

    def by_code(nomi: tuple[str, ...], start: int) -> dict[str, str]:
        table: dict[str, str] = {}
        for nome in nomi:
            table.setdefault(
                codice_fiscale_sintetico(nome, nome, giorno, "M")[start : start + 3], nome
            )
        return table

    return by_code(_COGNOMI, 0), by_code(_NOMI_M, 3), by_code(_NOMI_F, 3)


def dsu_from_frames(frames: DsuFrames, dsu_id: int) -> DSU:
    """One DSU of ``frames`` as the validated model, with names and valid codici fiscali.

    The invented person behind each frame code (surname, name, birth date, sex, place of birth)
    gets the valid code of :func:`codice_fiscale_sintetico`: the frame code with its check
    character corrected. Raises pydantic's ``ValidationError`` if the DSU were not valid.
    """
    nucleo = frames.nuclei.row(dsu_id, named=True)
    day: dt.date = nucleo["data_presentazione"]
    cognomi, nomi_m, nomi_f = _nomi_per_codice()
    membri = frames.componenti.filter(pl.col("dsu_id") == dsu_id)
    rapporti = frames.rapporti.filter(pl.col("dsu_id") == dsu_id)
    immobili = frames.immobili.filter(pl.col("dsu_id") == dsu_id)
    componenti = []
    for membro in membri.iter_rows(named=True):
        cf: str = membro["codice_fiscale"]
        nascita = codicefiscale.get_birth_date(cf, minyear=day.year - membro["eta"] - 1)
        sesso = codicefiscale.get_gender(cf)
        nome = (nomi_f if sesso == "F" else nomi_m)[cf[3:6]]
        own = pl.col("componente_id") == membro["componente_id"]
        componenti.append(
            Componente(
                codice_fiscale=codice_fiscale_sintetico(
                    cognomi[cf[0:3]], nome, nascita, sesso, belfiore=cf[11:15]
                ),
                cognome=cognomi[cf[0:3]],
                nome=nome,
                data_nascita=nascita,
                sesso=sesso,
                rapporto=RapportoConDichiarante(membro["rapporto"]),
                disabilita=Disabilita(membro["disabilita"]),
                attivita_lavorativa_6_mesi=membro["attivita_lavorativa_6_mesi"],
                redditi=Redditi(**{name: membro[name] for name in REDDITI_FIELDS}),
                rapporti=[
                    Rapporto(**row)
                    for row in rapporti.filter(own)
                    .select("tipo", "saldo_31_12", "giacenza_media", "valore", "titoli_stato")
                    .iter_rows(named=True)
                ],
                immobili=[
                    Immobile(**row)
                    for row in immobili.filter(own)
                    .drop("dsu_id", "componente_id", "donazione")
                    .iter_rows(named=True)
                ],
            )
        )
    return DSU(
        protocollo=nucleo["protocollo"],
        data_presentazione=day,
        componenti=componenti,
        abitazione=Abitazione(
            titolo=nucleo["titolo_abitazione"],
            canone_annuo=nucleo["canone_annuo"],
            codice_comune=nucleo["codice_comune_abitazione"],
        ),
        assegno_unico_annuo=nucleo["assegno_unico_annuo"],
    )
