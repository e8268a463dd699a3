"""A synthetic population of nuclei, calibrated to published Italian ISEE statistics.

:func:`genera_popolazione` builds ``n_nuclei`` nuclei with their DSUs and the domanda fields a
simulation needs, deterministically from ``seed``. It works in blocks of ``parametri.blocco``
nuclei (half a million by default; :func:`genera_blocchi` yields them one at a time, so that ten
million nuclei can be written to a file without holding them all). For each block:

1. **pool**: :func:`~equo.synthetic.dsu_frames.synthetic_dsu_frames` draws ``fattore_pool``
   times more DSUs than needed, dated between the 1st of January of the reference year and the
   end of the block's window of dates;
2. **post-processing** (the synthetic generator is not calibrated and is not changed here):
   the rent of the nuclei in locazione is drawn again (lognormal with the ``canone_medio``
   target as mean), one more member of a share of the nuclei gets a disability (the synthetic
   DSUs have too few), and every amount may be multiplied by ``fattore_importi``;
3. **ISEE**: the real engine (:func:`~equo.isee.engine.compute`) computes the ISEE ordinario of
   every DSU of the pool;
4. **selection**: every DSU falls in a cell of size class × minors × disabled × dwelling × ISEE
   class; iterative proportional fitting (raking, with the selected share of a cell bounded by
   1) finds how many DSUs of each cell to keep so that each of the five margins matches its
   calibration targets, and that many are drawn at random in each cell, without replacement;
5. **domanda fields**: id, comune, dates and protocollo, citizenship, years of residence, the
   beneficiary and the service, Assegno di inclusione, eviction, unemployment (distributions
   documented in ``dati/calibrazione.yaml``, section ``campi``).

Everything is vectorised with numpy and Polars. Blocks use independent random streams spawned
from ``seed``, so the same ``n_nuclei``, ``seed``, ``data`` and ``comuni`` always give the same
population. The dates of block *k* lie in the *k*-th slice of the period (in proportion to the
block sizes), so that ``protocollo``, the order of arrival, grows with ``data_domanda`` across
the whole population.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

import equo
from equo.isee.engine import compute
from equo.isee.frames import REDDITI_FIELDS, DsuFrames
from equo.isee.model import Disabilita, RapportoConDichiarante
from equo.isee.parameters import load_parameters
from equo.popolazione.calibrazione import (
    Calibrazione,
    campi_di_misura,
    carica_calibrazione,
    condizione,
)
from equo.popolazione.modello import Popolazione
from equo.synthetic.dsu_frames import synthetic_dsu_frames

__all__ = [
    "COLONNE_NUCLEI",
    "DATA_PREDEFINITA",
    "DIMENSIONI",
    "Blocco",
    "comuni_predefiniti",
    "concatena",
    "genera_blocchi",
    "genera_popolazione",
    "metadati_generazione",
]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Progresso = Callable[[int, int], None]

P = pl.col
DATA_PREDEFINITA = dt.date(2026, 3, 1)
"""Default reference date: DSUs and domande of January and February 2026."""

DIMENSIONI: tuple[tuple[str, ...], ...] = (
    ("componenti_1", "componenti_2", "componenti_3", "componenti_4", "componenti_5_e_piu"),
    ("con_minorenni",),
    ("con_disabili",),
    ("abitazione_proprieta", "abitazione_locazione", "abitazione_altro"),
    ("isee_nullo", "isee_fino_5000", "isee_5000_10000", "isee_10000_35000", "isee_oltre_35000"),
)
"""The calibration targets the selection enforces, by dimension: the targets of a dimension
with several must partition the nuclei; a dimension of one target is that target and its
complement."""

COLONNE_NUCLEI: dict[str, pl.DataType] = {
    "id_nucleo": pl.String(),
    "dsu_id": pl.Int64(),
    "data_domanda": pl.Date(),
    "protocollo": pl.Int64(),
    "comune_residenza": pl.String(),
    "anni_residenza": pl.Float64(),
    "cittadinanza": pl.String(),
    "permesso_lungo_periodo": pl.Boolean(),
    "eta_richiedente": pl.Int64(),
    "disoccupato": pl.Boolean(),
    "eta_beneficiario": pl.Int64(),
    "disabilita_beneficiario": pl.String(),
    "figli_iscritti": pl.Int64(),
    "ordine_figlio": pl.Int64(),
    "costo_servizio": pl.Float64(),
    "quantita_servizio": pl.Float64(),
    "canone_annuo": pl.Float64(),
    "sfratto_in_corso": pl.Boolean(),
    "assegno_inclusione": pl.Boolean(),
}
"""The columns of the nuclei of a generated population (domanda vocabulary types)."""

_EPOCH = dt.date(1970, 1, 1)
_D = RapportoConDichiarante.DICHIARANTE.value
_GNC = RapportoConDichiarante.GENITORE_NON_CONVIVENTE.value
_FIGLI_MINORI = (
    RapportoConDichiarante.FIGLIO_MINORENNE.value,
    RapportoConDichiarante.FIGLIO_AFFIDAMENTO_PREADOTTIVO.value,
)
_NESSUNA = Disabilita.NESSUNA.value
_MAGGIORE_ETA = 18
_ETA_NIDO = 3
_ETA_LAVORO = (18, 66)
_LOCAZIONE = "locazione"
_CITTADINANZE = ("italiana", "ue", "extra_ue")
_RAPPORTI_IMPORTI = ("saldo_31_12", "giacenza_media", "valore", "titoli_stato")
_IMMOBILI_IMPORTI = ("valore_imu", "mutuo_residuo")


@dataclass(frozen=True)
class Blocco:
    """A block of a generated population, with the ISEE ordinario of its DSUs.

    ``popolazione`` has ``dsu_id`` and ``componente_id`` numbered from 0 within the block;
    ``inizio`` is the position of its first nucleo in the whole population.
    """

    popolazione: Popolazione
    isee: pl.Series
    inizio: int


def comuni_predefiniti(calibrazione: Calibrazione | None = None) -> dict[str, float]:
    """The four comuni of the example Unione with their weights (from the calibration file).

    >>> comuni_predefiniti()
    {'001013': 40.0, '001006': 20.0, '001093': 15.0, '001055': 10.0}
    """
    campi = (calibrazione or carica_calibrazione()).campi
    return {str(k): float(v) for k, v in campi["comuni_predefiniti"]["pesi"].items()}


def _controlla(
    n_nuclei: int, seed: int, data: dt.date, comuni: Mapping[str, float]
) -> tuple[list[str], Floats]:
    if n_nuclei < 1:
        raise ValueError(f"the number of nuclei must be at least 1, got {n_nuclei}")
    if seed < 0:
        raise ValueError(f"the seed must be ≥ 0, got {seed}")
    start = load_parameters().start_date
    if data < start:
        raise ValueError(f"the date {data.isoformat()} is before {start.isoformat()}")
    if not comuni:
        raise ValueError("at least one comune is needed")
    pesi = np.asarray([float(p) for p in comuni.values()])
    if not np.all(np.isfinite(pesi)) or np.any(pesi < 0) or pesi.sum() <= 0:
        raise ValueError("the weights of the comuni must be ≥ 0 and not all zero")
    return [str(c) for c in comuni], pesi / pesi.sum()


def metadati_generazione(
    n_nuclei: int,
    *,
    seed: int,
    data: dt.date = DATA_PREDEFINITA,
    comuni: Mapping[str, float] | None = None,
    calibrazione: Calibrazione | None = None,
) -> dict[str, str]:
    """What a generated population records about itself (no timestamps: reproducible)."""
    calibrazione = calibrazione or carica_calibrazione()
    comuni = comuni if comuni is not None else comuni_predefiniti(calibrazione)
    return {
        "generatore": "equo.popolazione.genera",
        "versione": equo.__version__,
        "seme": str(seed),
        "nuclei": str(n_nuclei),
        "data": data.isoformat(),
        "comuni": json.dumps({str(k): float(v) for k, v in comuni.items()}),
        "calibrazione_sha256": calibrazione.sha256,
    }


def genera_popolazione(
    n_nuclei: int,
    *,
    seed: int,
    data: dt.date = DATA_PREDEFINITA,
    comuni: Mapping[str, float] | None = None,
    progress: Progresso | None = None,
    calibrazione: Calibrazione | None = None,
) -> Popolazione:
    """``n_nuclei`` synthetic nuclei with DSUs and domanda fields, calibrated (see the module).

    ``data`` is the reference date: DSUs and domande fall between the 1st of January of its
    year and ``data``. ``comuni`` maps ISTAT codes of the comuni of residence to weights
    (default: :func:`comuni_predefiniti`). ``progress(done, total)`` is called as nuclei are
    made. The whole population is in memory: for very large ones write the blocks of
    :func:`genera_blocchi` one at a time (``equo popolazione genera`` does).
    """
    calibrazione = calibrazione or carica_calibrazione()
    blocchi = [
        b.popolazione
        for b in genera_blocchi(
            n_nuclei,
            seed=seed,
            data=data,
            comuni=comuni,
            progress=progress,
            calibrazione=calibrazione,
        )
    ]
    metadati = metadati_generazione(
        n_nuclei, seed=seed, data=data, comuni=comuni, calibrazione=calibrazione
    )
    return concatena(blocchi, metadati=metadati)


def genera_blocchi(
    n_nuclei: int,
    *,
    seed: int,
    data: dt.date = DATA_PREDEFINITA,
    comuni: Mapping[str, float] | None = None,
    progress: Progresso | None = None,
    calibrazione: Calibrazione | None = None,
) -> Iterator[Blocco]:
    """The blocks of :func:`genera_popolazione`, one at a time (same arguments)."""
    calibrazione = calibrazione or carica_calibrazione()
    comuni = comuni if comuni is not None else comuni_predefiniti(calibrazione)
    codici, pesi = _controlla(n_nuclei, seed, data, comuni)
    blocco = int(calibrazione.parametri["blocco"])
    dimensioni = [n_nuclei // blocco * [blocco], [n_nuclei % blocco] if n_nuclei % blocco else []]
    misure = [m for parte in dimensioni for m in parte]
    inizio_anno = dt.date(data.year, 1, 1)
    giorni = (data - inizio_anno).days + 1
    semi = np.random.SeedSequence(seed).spawn(len(misure))
    fatto = 0
    for seme, quanti in zip(semi, misure, strict=True):
        primo = (giorni * fatto) // n_nuclei
        ultimo = max((giorni * (fatto + quanti)) // n_nuclei - 1, primo)
        finestra = (inizio_anno + dt.timedelta(primo), inizio_anno + dt.timedelta(ultimo))
        yield _blocco(
            _Richiesta(
                quanti=quanti,
                inizio=fatto,
                totale=n_nuclei,
                seme=seme,
                inizio_anno=inizio_anno,
                finestra=finestra,
                comuni=codici,
                pesi=pesi,
            ),
            calibrazione,
            progress,
        )
        fatto += quanti


@dataclass(frozen=True)
class _Richiesta:
    quanti: int
    inizio: int
    totale: int
    seme: np.random.SeedSequence
    inizio_anno: dt.date
    finestra: tuple[dt.date, dt.date]
    comuni: list[str]
    pesi: Floats


def _blocco(r: _Richiesta, calibrazione: Calibrazione, progress: Progresso | None) -> Blocco:
    def avanza(frazione: float) -> None:
        if progress is not None:
            progress(r.inizio + round(r.quanti * frazione), r.totale)

    parametri = calibrazione.parametri
    seme_pool, seme_blocco = r.seme.spawn(2)
    rng = np.random.default_rng(seme_blocco)
    n_pool = max(math.ceil(r.quanti * float(parametri["fattore_pool"])), r.quanti)
    pool = synthetic_dsu_frames(
        n_pool,
        seed=int(seme_pool.generate_state(1, np.uint64)[0]),
        date_from=r.inizio_anno,
        date_to=r.finestra[1],
    )
    pool = _ritocca(pool, rng, parametri)
    avanza(0.3)
    # stage 1, before the ISEE: the demographic dimensions, with room for the ISEE classes
    campi = _campi(pool, None)
    classi, quote = _classi(campi, calibrazione, DIMENSIONI[:-1])
    quanti = min(len(pool), math.ceil(r.quanti * float(parametri["fattore_isee"])))
    candidati = _estrai(pool, seleziona(classi, quote, quanti, rng))
    del pool
    isee = compute(candidati).indicatori()["isee"]
    avanza(0.8)
    # stage 2: every dimension, the ISEE classes included
    classi, quote = _classi(_campi(candidati, isee), calibrazione, DIMENSIONI)
    scelti = seleziona(classi, quote, r.quanti, rng)
    frames = _estrai(candidati, scelti)
    del candidati
    isee = isee.gather(scelti)
    frames = _protocolli_dsu(frames, r.inizio)
    nuclei = _campi_domanda(frames, isee, rng, r, calibrazione)
    avanza(1.0)
    return Blocco(Popolazione(nuclei=nuclei, dsu=frames), isee, r.inizio)


# --- post-processing of the pool -------------------------------------------------------------


def _ritocca(
    frames: DsuFrames, rng: np.random.Generator, parametri: Mapping[str, Any]
) -> DsuFrames:
    """The pool with its rent drawn again, more disability and the amounts scaled."""
    nuclei = _canone(frames.nuclei, rng, parametri["canone"])
    componenti = _disabilita_aggiunta(
        frames.componenti,
        len(frames),
        rng,
        parametri["disabilita_aggiunta"],
    )
    rapporti, immobili = frames.rapporti, frames.immobili
    fattore = float(parametri["fattore_importi"])
    if fattore != 1.0:
        componenti = componenti.with_columns((P(c) * fattore).round(2) for c in REDDITI_FIELDS)
        rapporti = rapporti.with_columns(
            (P(c) * fattore).round(2) for c in _RAPPORTI_IMPORTI if c != "titoli_stato"
        ).with_columns(((P("titoli_stato") * fattore * 100).floor() / 100).alias("titoli_stato"))
        immobili = immobili.with_columns(
            (P("valore_imu") * fattore).round(0),
            ((P("mutuo_residuo") * fattore * 100).floor() / 100),
        )
    return DsuFrames(nuclei=nuclei, componenti=componenti, rapporti=rapporti, immobili=immobili)


def _canone(
    nuclei: pl.DataFrame, rng: np.random.Generator, canone: Mapping[str, Any]
) -> pl.DataFrame:
    locazione = (nuclei["titolo_abitazione"] == _LOCAZIONE).to_numpy()
    righe = np.flatnonzero(locazione)
    valori = np.zeros(nuclei.height)
    valori[righe] = np.round(
        float(canone["mediana"]) * rng.lognormal(0.0, float(canone["sigma"]), righe.size), 2
    )
    return nuclei.with_columns(canone_annuo=pl.Series(valori))


def _disabilita_aggiunta(
    componenti: pl.DataFrame, n: int, rng: np.random.Generator, regola: Mapping[str, Any]
) -> pl.DataFrame:
    """One more disabled member (the oldest) in a share of the nuclei without any."""
    dsu = componenti["dsu_id"].to_numpy()
    eta = componenti["eta"].to_numpy().astype(np.int64)
    nel_nucleo = (componenti["rapporto"] != _GNC).to_numpy()
    disabile = (componenti["disabilita"] != _NESSUNA).to_numpy() & nel_nucleo
    ha_disabili = np.bincount(dsu, weights=disabile, minlength=n) > 0
    scelti = ~ha_disabili & (rng.random(n) < float(regola["quota"]))
    # the oldest member of each nucleo (the genitore non convivente is not in the nucleo)
    ordine = np.lexsort((np.where(nel_nucleo, eta, -1), dsu))
    fine = np.cumsum(np.bincount(dsu, minlength=n)) - 1
    anziano = ordine[fine]
    righe = anziano[scelti[dsu[anziano]]]
    classi_p: Mapping[str, float] = regola["classi"]
    nomi = list(classi_p)
    classe = _scegli(rng, [float(classi_p[c]) for c in nomi], righe.size)
    nuova = pl.Series(nomi, dtype=pl.String).gather(classe)
    basso, alto = (float(v) for v in regola["accompagnamento"])
    accompagnamento = np.where(
        nuova.is_in([Disabilita.GRAVE.value, Disabilita.NON_AUTOSUFFICIENTE.value]).to_numpy(),
        np.round(rng.uniform(basso, alto, righe.size), 2),
        0.0,
    )
    trattamenti = componenti["trattamenti_disabilita"].to_numpy().copy()
    trattamenti[righe] += accompagnamento
    non_autosufficienti = righe[(nuova == Disabilita.NON_AUTOSUFFICIENTE.value).to_numpy()]
    return componenti.with_columns(
        disabilita=componenti["disabilita"].scatter(righe, nuova),
        trattamenti_disabilita=pl.Series(trattamenti),
        attivita_lavorativa_6_mesi=componenti["attivita_lavorativa_6_mesi"].scatter(
            non_autosufficienti, False
        ),
    )


# --- selection -------------------------------------------------------------------------------


def _campi(frames: DsuFrames, isee: pl.Series | None) -> pl.DataFrame:
    """:func:`campi_di_misura` of every DSU of ``frames`` (ISEE null if not given)."""
    dsu_id = pl.DataFrame({"dsu_id": np.arange(len(frames), dtype=np.int64)})
    if isee is None:
        isee = pl.Series("isee", [None] * len(frames), dtype=pl.Float64)
    return campi_di_misura(Popolazione(nuclei=dsu_id, dsu=frames), isee=isee)


def _classi(
    campi: pl.DataFrame, calibrazione: Calibrazione, dimensioni: Sequence[Sequence[str]]
) -> tuple[list[Ints], list[Floats]]:
    """The class of every DSU in each dimension, and the target share of each class."""
    classi, quote = [], []
    for ids in dimensioni:
        obiettivi = [calibrazione.obiettivo(i) for i in ids]
        maschere = (
            campi.select(condizione(o).alias(o.id) for o in obiettivi).to_numpy().astype(bool)
        )
        if len(ids) == 1:
            classe = np.where(maschere[:, 0], 0, 1).astype(np.int64)
            quota = np.asarray([obiettivi[0].valore, 1.0 - obiettivi[0].valore])
        else:
            if not np.all(maschere.sum(axis=1) == 1):
                raise ValueError(f"the calibration targets {', '.join(ids)} do not partition")
            classe = maschere.argmax(axis=1).astype(np.int64)
            quota = np.asarray([o.valore for o in obiettivi])
        classi.append(classe)
        quote.append(quota / quota.sum())
    return classi, quote


def seleziona(
    classi: Sequence[Ints],
    quote: Sequence[Floats],
    n: int,
    rng: np.random.Generator,
    *,
    iterazioni: int = 200,
) -> Ints:
    """``n`` rows (sorted) whose classes match the target shares ``quote`` in every dimension.

    ``classi[d]`` is the class of each row in dimension ``d`` and ``quote[d]`` the target share
    of each class. Raking (iterative proportional fitting) gives every cell (combination of
    classes) a selection rate, the product of one factor per class capped at 1; the expected
    counts are rounded to integers summing to ``n`` (largest remainders) and that many rows are
    drawn at random in each cell. Where the rows cannot meet the shares, it gets as close as
    the rows allow.

    >>> rng = np.random.default_rng(0)
    >>> classe = np.repeat([0, 1], [60, 40])
    >>> scelti = seleziona([classe], [np.asarray([0.25, 0.75])], 40, rng)
    >>> int((classe[scelti] == 0).sum()), int((classe[scelti] == 1).sum())
    (10, 30)
    """
    n_pool = classi[0].size
    if n > n_pool:
        raise ValueError(f"cannot select {n} rows out of {n_pool}")
    dims = [q.size for q in quote]
    cella = np.zeros(n_pool, dtype=np.int64)
    for c, k in zip(classi, dims, strict=True):
        cella = cella * k + c
    n_celle = math.prod(dims)
    disponibili = np.bincount(cella, minlength=n_celle).astype(np.float64)
    resto = np.arange(n_celle)
    classe_cella: list[Ints] = []
    for k in reversed(dims):
        classe_cella.append(resto % k)
        resto = resto // k
    classe_cella.reverse()
    fattori = [np.ones(k) for k in dims]
    base = n / n_pool

    def tassi() -> Floats:
        prodotto = np.full(n_celle, base)
        for d, f in enumerate(fattori):
            prodotto = prodotto * f[classe_cella[d]]
        return np.asarray(np.minimum(prodotto, 1.0), dtype=np.float64)

    for _ in range(iterazioni):
        errore = 0.0
        for d, k in enumerate(dims):
            totale = np.bincount(classe_cella[d], weights=tassi() * disponibili, minlength=k)
            obiettivo = quote[d] * n
            errore = max(errore, float(np.abs(totale - obiettivo).max()))
            rapporto = np.divide(obiettivo, totale, out=np.ones(k), where=totale > 0)
            fattori[d] = np.clip(fattori[d] * rapporto, 1e-12, 1e12)
        if errore < 1e-3:  # of a row: the counts are rounded to integers anyway
            break
    atteso = tassi() * disponibili
    conteggi = np.minimum(np.floor(atteso), disponibili).astype(np.int64)
    frazione = atteso - conteggi
    while (mancano := n - int(conteggi.sum())) > 0:
        spazio = np.flatnonzero(conteggi < disponibili)
        ordine = spazio[np.argsort(-frazione[spazio], kind="stable")][:mancano]
        conteggi[ordine] += 1
        frazione[ordine] = 0.0
    while (troppi := int(conteggi.sum()) - n) > 0:
        pieni = np.flatnonzero(conteggi > 0)
        ordine = pieni[np.argsort(frazione[pieni], kind="stable")][:troppi]
        conteggi[ordine] -= 1
    # draw conteggi[c] rows at random in each cell c
    # sorted by cell, at random within a cell (cell + a uniform in [0, 1) as one sort key)
    ordine = np.argsort(cella + rng.random(n_pool), kind="stable")
    cella_ordinata = cella[ordine]
    inizio = np.searchsorted(cella_ordinata, np.arange(n_celle))
    rango = np.arange(n_pool) - inizio[cella_ordinata]
    scelti = ordine[rango < conteggi[cella_ordinata]]
    scelti.sort()
    return scelti.astype(np.int64)


def _estrai(frames: DsuFrames, scelti: Ints) -> DsuFrames:
    """The DSUs ``scelti`` (sorted) of ``frames``, ids renumbered as row numbers."""
    nuovo = np.full(len(frames), -1, dtype=np.int64)
    nuovo[scelti] = np.arange(scelti.size)
    nuclei = frames.nuclei[scelti].with_columns(dsu_id=pl.int_range(scelti.size, dtype=pl.Int64))
    componenti_dsu = nuovo[frames.componenti["dsu_id"].to_numpy()]
    tenuti = componenti_dsu >= 0
    nuovo_componente = np.full(tenuti.size, -1, dtype=np.int64)
    nuovo_componente[tenuti] = np.arange(int(tenuti.sum()))
    componenti = frames.componenti.filter(pl.Series(tenuti)).with_columns(
        componente_id=pl.int_range(int(tenuti.sum()), dtype=pl.Int64),
        dsu_id=pl.Series(componenti_dsu[tenuti]),
    )

    def per_componente(frame: pl.DataFrame) -> pl.DataFrame:
        id_componente = nuovo_componente[frame["componente_id"].to_numpy()]
        tieni = id_componente >= 0
        return frame.filter(pl.Series(tieni)).with_columns(
            dsu_id=pl.Series(nuovo[frame["dsu_id"].to_numpy()][tieni]),
            componente_id=pl.Series(id_componente[tieni]),
        )

    return DsuFrames(
        nuclei=nuclei,
        componenti=componenti,
        rapporti=per_componente(frames.rapporti),
        immobili=per_componente(frames.immobili),
    )


def _protocolli_dsu(frames: DsuFrames, inizio: int) -> DsuFrames:
    """DSU protocols unique across the whole population (the pool's restart in every block)."""
    protocollo = pl.concat_str(
        pl.lit("SINT-ISEE-"),
        P("data_presentazione").dt.year().cast(pl.String),
        pl.lit("-"),
        (P("dsu_id") + inizio).cast(pl.String).str.zfill(9),
        pl.lit("-00"),
    )
    nuclei = frames.nuclei.with_columns(protocollo.alias("protocollo"))
    return DsuFrames(nuclei, frames.componenti, frames.rapporti, frames.immobili)


# --- domanda fields --------------------------------------------------------------------------


def _giorni(date: pl.Series) -> Ints:
    return date.cast(pl.Int32).to_numpy().astype(np.int64)


def _scegli(rng: np.random.Generator, probabilita: Sequence[float], n: int) -> Ints:
    """Codes 0..k-1 drawn independently with ``probabilita``."""
    cumulata = np.cumsum(np.asarray(probabilita, dtype=np.float64))
    return np.searchsorted(cumulata / cumulata[-1], rng.random(n), side="right").astype(np.int64)


def _ripartisci(rng: np.random.Generator, quote: Sequence[float], n: int) -> Ints:
    """Codes 0..k-1 in exactly the shares ``quote`` (largest remainders), in random order.

    >>> codici = _ripartisci(np.random.default_rng(0), [0.5, 0.3, 0.2], 10)
    >>> np.bincount(codici).tolist()
    [5, 3, 2]
    """
    q = np.asarray(quote, dtype=np.float64)
    atteso = q / q.sum() * n
    conteggi = np.floor(atteso).astype(np.int64)
    resto = n - int(conteggi.sum())
    conteggi[np.argsort(-(atteso - conteggi), kind="stable")[:resto]] += 1
    return rng.permutation(np.repeat(np.arange(q.size, dtype=np.int64), conteggi))


def _campi_domanda(
    frames: DsuFrames,
    isee: pl.Series,
    rng: np.random.Generator,
    r: _Richiesta,
    calibrazione: Calibrazione,
) -> pl.DataFrame:
    campi = calibrazione.campi
    n = len(frames)
    c = frames.componenti
    dsu = c["dsu_id"].to_numpy()
    eta = c["eta"].to_numpy().astype(np.int64)
    rapporto = c["rapporto"].to_numpy()
    disabilita = c["disabilita"].to_numpy().astype(object)
    nel_nucleo = rapporto != _GNC

    # the richiedente is the dichiarante
    dichiaranti = np.flatnonzero(rapporto == _D)
    richiedente = np.empty(n, dtype=np.int64)
    richiedente[dsu[dichiaranti]] = dichiaranti
    eta_richiedente = eta[richiedente]

    # the beneficiary: one of the minor figli at random (ordine: 1 the eldest), else the D
    figlio = np.isin(rapporto, _FIGLI_MINORI) & (eta < _MAGGIORE_ETA)
    righe_figli = np.flatnonzero(figlio)
    righe_figli = righe_figli[np.lexsort((-eta[righe_figli], dsu[righe_figli]))]
    figli = np.bincount(dsu[righe_figli], minlength=n)
    primo = np.cumsum(figli) - figli
    scelta = np.floor(rng.random(n) * figli).astype(np.int64)
    con_figli = figli > 0
    beneficiario = richiedente.copy()
    beneficiario[con_figli] = righe_figli[primo[con_figli] + scelta[con_figli]]
    eta_beneficiario = eta[beneficiario]
    ordine_figlio = pl.Series(np.where(con_figli, scelta + 1, 0)).replace(0, None)

    # the service by the beneficiary's age
    servizio = campi["servizio"]
    nido = eta_beneficiario < _ETA_NIDO
    mensa = ~nido & (eta_beneficiario < _MAGGIORE_ETA)
    ore = rng.integers(
        int(servizio["domiciliare"]["ore_minime"]),
        int(servizio["domiciliare"]["ore_massime"]) + 1,
        n,
    )
    costo = np.select(
        [nido, mensa],
        [float(servizio["nido"]["costo"]), float(servizio["mensa"]["costo"])],
        float(servizio["domiciliare"]["costo"]),
    )
    quantita = np.select(
        [nido, mensa],
        [float(servizio["nido"]["quantita"]), float(servizio["mensa"]["quantita"])],
        ore.astype(np.float64),
    )

    # citizenship and residence
    cittadinanza = _ripartisci(rng, [campi["cittadinanza"]["quote"][k] for k in _CITTADINANZE], n)
    extra_ue = cittadinanza == _CITTADINANZE.index("extra_ue")
    permesso = rng.random(n) < float(campi["cittadinanza"]["permesso_lungo_periodo"])
    residenza = campi["anni_residenza"]
    media = np.where(
        cittadinanza == 0, float(residenza["media_italiani"]), float(residenza["media_stranieri"])
    )
    anni = np.round(np.minimum(rng.exponential(1.0, n) * media, eta_richiedente), 1)
    comune = _scegli(rng, list(r.pesi), n)

    # work: the richiedente of working age without work nor pension, now and then unemployed
    senza_lavoro = (
        (eta_richiedente >= _ETA_LAVORO[0])
        & (eta_richiedente <= _ETA_LAVORO[1])
        & ~c["attivita_lavorativa_6_mesi"].to_numpy()[richiedente]
        & (c["pensione"].to_numpy()[richiedente] == 0)
    )
    disoccupato = senza_lavoro & (rng.random(n) < float(campi["disoccupato"]["quota"]))

    # dwelling
    locazione = (frames.nuclei["titolo_abitazione"] == _LOCAZIONE).to_numpy()
    canone = np.where(locazione, frames.nuclei["canone_annuo"].to_numpy(), 0.0)
    sfratto = locazione & (rng.random(n) < float(campi["sfratto_in_corso"]["quota_affitto"]))

    # Assegno di inclusione: exactly the target share among the eligible nuclei
    adi = campi["assegno_inclusione"]

    def per_nucleo(maschera: Bools) -> Bools:
        return np.bincount(dsu, weights=maschera & nel_nucleo, minlength=n) > 0

    categoria = (
        per_nucleo(eta < _MAGGIORE_ETA)
        | per_nucleo(disabilita != _NESSUNA)
        | per_nucleo(eta >= int(adi["eta_minima"]))
    )
    idonei = np.flatnonzero(categoria & (isee.to_numpy() <= float(adi["soglia_isee"])))
    quanti = min(round(calibrazione.obiettivo("assegno_inclusione").valore * n), idonei.size)
    assegno = np.zeros(n, dtype=bool)
    assegno[idonei[np.argsort(rng.random(idonei.size), kind="stable")[:quanti]]] = True

    # dates: the domanda follows the DSU within the block's window; protocollo: arrival order
    primo_giorno = (r.finestra[0] - _EPOCH).days
    ultimo_giorno = (r.finestra[1] - _EPOCH).days
    giorno_dsu = _giorni(frames.nuclei["data_presentazione"])
    dal = np.maximum(giorno_dsu, primo_giorno)
    giorno = dal + np.floor(rng.random(n) * (ultimo_giorno - dal + 1)).astype(np.int64)
    arrivo = np.lexsort((rng.random(n), giorno))
    protocollo = np.empty(n, dtype=np.int64)
    protocollo[arrivo] = np.arange(1, n + 1) + r.inizio

    numero = np.arange(r.inizio + 1, r.inizio + n + 1)
    frame = pl.DataFrame(
        {
            "id_nucleo": pl.Series(numero).cast(pl.String).str.zfill(9),
            "dsu_id": np.arange(n, dtype=np.int64),
            "data_domanda": pl.Series(giorno.astype(np.int32)).cast(pl.Date),
            "protocollo": protocollo,
            "comune_residenza": pl.Series(r.comuni).gather(comune),
            "anni_residenza": anni,
            "cittadinanza": pl.Series(_CITTADINANZE).gather(cittadinanza),
            "permesso_lungo_periodo": pl.Series(permesso),
            "eta_richiedente": eta_richiedente,
            "disoccupato": disoccupato,
            "eta_beneficiario": eta_beneficiario,
            "disabilita_beneficiario": pl.Series(disabilita[beneficiario], dtype=pl.String),
            "figli_iscritti": figli.astype(np.int64),
            "ordine_figlio": ordine_figlio,
            "costo_servizio": costo,
            "quantita_servizio": quantita,
            "canone_annuo": canone,
            "sfratto_in_corso": sfratto,
            "assegno_inclusione": assegno,
        }
    )
    return frame.with_columns(
        pl.concat_str(pl.lit("N"), P("id_nucleo")).alias("id_nucleo"),
        pl.when(pl.Series(extra_ue))
        .then(P("permesso_lungo_periodo"))
        .alias("permesso_lungo_periodo"),
    ).select(P(nome).cast(dtype) for nome, dtype in COLONNE_NUCLEI.items())


# --- blocks into one population --------------------------------------------------------------


def concatena(
    blocchi: Sequence[Popolazione], *, metadati: Mapping[str, str] | None = None
) -> Popolazione:
    """One population from blocks whose ids start from 0 in each block (order kept)."""
    if not blocchi:
        raise ValueError("no blocks to join")
    if len(blocchi) == 1:
        unico = blocchi[0]
        return Popolazione(unico.nuclei, unico.dsu, dict(metadati or unico.metadati))
    con_dsu = [b.dsu is not None for b in blocchi]
    if any(con_dsu) and not all(con_dsu):
        raise ValueError("cannot join blocks with and without DSUs")
    nuclei: list[pl.DataFrame] = []
    componenti: list[pl.DataFrame] = []
    rapporti: list[pl.DataFrame] = []
    immobili: list[pl.DataFrame] = []
    dsu_nuclei: list[pl.DataFrame] = []
    n_dsu = n_componenti = 0
    for b in blocchi:
        nuclei.append(b.nuclei.with_columns(P("dsu_id") + n_dsu))
        if b.dsu is not None:
            if b.dsu.figli_dati is not None or any(
                f.height
                for f in (
                    b.dsu.figli_non_compresi,
                    b.dsu.redditi_correnti,
                    b.dsu.rapporti_correnti,
                    b.dsu.immobili_correnti,
                )
            ):
                raise ValueError("joining blocks with variant data is not supported")
            dsu_nuclei.append(b.dsu.nuclei.with_columns(P("dsu_id") + n_dsu))
            componenti.append(
                b.dsu.componenti.with_columns(
                    P("dsu_id") + n_dsu, P("componente_id") + n_componenti
                )
            )
            for lista, frame in ((rapporti, b.dsu.rapporti), (immobili, b.dsu.immobili)):
                lista.append(
                    frame.with_columns(P("dsu_id") + n_dsu, P("componente_id") + n_componenti)
                )
            n_dsu += len(b.dsu)
            n_componenti += b.dsu.componenti.height
    frames = (
        DsuFrames(
            nuclei=pl.concat(dsu_nuclei),
            componenti=pl.concat(componenti),
            rapporti=pl.concat(rapporti),
            immobili=pl.concat(immobili),
        )
        if all(con_dsu)
        else None
    )
    return Popolazione(pl.concat(nuclei), frames, dict(metadati or blocchi[0].metadati))
