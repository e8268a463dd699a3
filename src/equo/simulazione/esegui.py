"""Run a scenario: every configuration on the same population, with the code of live domande.

For each configuration (the base, then each alternative) :func:`esegui` builds the frame of
domande from the population and evaluates it with :func:`equo.regolamenti.valuta` — the same
function that decides a real domanda.

**The domande.** One domanda per nucleo (``id_domanda`` is the population's, or its
``id_nucleo``). For a population of DSUs the fields a DSU gives — the ISEE of the
regolamento's variant computed with the configuration's national parameters at the
configuration's date, ``ise``, ``isr``, ``isp``, ``scala_equivalenza``, ``data_dsu``, the
composition of the nucleo, ``titolo_abitazione``, ``canone_annuo`` — come from
:func:`equo.regolamenti.da_dsu.campi_da_dsu` and are joined to the nuclei by ``dsu_id`` (a
nucleo without DSU keeps its own values). For a population of attestazioni the nuclei are the
domande as they are. A field the population does not have takes the value the scenario assumes
for it (``assunzioni``). With a date, every DSU is evaluated as presented on that date
(``data_dsu``) and every domanda as presented on it (``data_domanda``).

**The cache.** The ISEE depends only on the variant, the national overrides and the date
(:meth:`~equo.simulazione.scenario.Configurazione.chiave_isee`): a :class:`CacheIsee` computes
it once per key, so alternatives that change only the regolamento reuse the base's.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import polars as pl

from equo.isee.parameters import load_parameters
from equo.isee.varianti import VariantNotApplicableError
from equo.popolazione.modello import Popolazione
from equo.regolamenti.da_dsu import campi_da_dsu
from equo.regolamenti.valuta import DomandeNonValide, Esiti, valuta
from equo.simulazione.parametri import applica_sostituzioni
from equo.simulazione.scenario import Configurazione, Scenario, ScenarioNonValido

__all__ = [
    "CacheIsee",
    "Esecuzione",
    "Risultato",
    "SimulazioneNonEseguibile",
    "domande",
    "esegui",
    "valuta_configurazione",
]


class SimulazioneNonEseguibile(ValueError):  # noqa: N818 - Italian name of a domain error
    """The population cannot be evaluated with a configuration (the message says why)."""


class CacheIsee:
    """The DSU fields of one population per ISEE key (variant, overrides, date).

    Keeps the ``massimo`` most recently used keys (each is a frame of one row per DSU).
    """

    def __init__(self, popolazione: Popolazione, massimo: int = 4) -> None:
        self.popolazione = popolazione
        self.massimo = massimo
        self.calcoli = 0
        """How many times the ISEE was computed (the tests check that it is reused)."""
        self._campi: OrderedDict[tuple[Any, ...], pl.DataFrame] = OrderedDict()

    def campi(self, configurazione: Configurazione) -> pl.DataFrame:
        """One row per DSU (row ``dsu_id``): the fields the DSU gives under ``configurazione``."""
        chiave = configurazione.chiave_isee()
        if chiave in self._campi:
            self._campi.move_to_end(chiave)
            return self._campi[chiave]
        frames = self.popolazione.dsu
        if frames is None:
            raise SimulazioneNonEseguibile("la popolazione non ha DSU: l'ISEE non si ricalcola")
        if configurazione.data is not None:
            nuclei = frames.nuclei.with_columns(data_presentazione=pl.lit(configurazione.data))
            frames = dataclasses.replace(frames, nuclei=nuclei)
        params, problemi = applica_sostituzioni(
            load_parameters(), configurazione.parametri, configurazione.data
        )
        if problemi:
            raise SimulazioneNonEseguibile("; ".join(messaggio for _, messaggio in problemi))
        indicatore = configurazione.regolamento.documento.indicatore
        try:
            campi = campi_da_dsu(frames, indicatore, params=params)
        except VariantNotApplicableError as exc:
            raise SimulazioneNonEseguibile(
                f"{configurazione.nome}: l'ISEE della variante '{indicatore.variante}' non si "
                f"calcola per tutte le DSU della popolazione ({exc})"
            ) from None
        self.calcoli += 1
        self._campi[chiave] = campi
        while len(self._campi) > self.massimo:
            self._campi.popitem(last=False)
        return campi


def _con_dsu(nuclei: pl.DataFrame, campi: pl.DataFrame) -> pl.DataFrame:
    """The nuclei with the DSU fields of ``campi`` (row = dsu_id); those without DSU keep theirs."""
    righe = pl.int_range(campi.height, eager=True, dtype=pl.Int64)
    if campi["dsu_id"].cast(pl.Int64).equals(righe):
        presi = campi.drop("dsu_id").gather(nuclei["dsu_id"])
    else:
        presi = nuclei.select("dsu_id").join(campi, on="dsu_id", how="left").drop("dsu_id")
    comuni = [nome for nome in presi.columns if nome in nuclei.columns]
    frame = pl.concat([nuclei.drop(comuni), presi], how="horizontal")
    senza = pl.col("dsu_id").is_null()
    if comuni and nuclei["dsu_id"].null_count():
        frame = frame.with_columns(
            pl.when(senza).then(pl.lit(nuclei[nome])).otherwise(pl.col(nome)).alias(nome)
            for nome in comuni
        )
    return frame


def domande(
    popolazione: Popolazione, configurazione: Configurazione, cache: CacheIsee | None = None
) -> pl.DataFrame:
    """The frame of domande of ``popolazione`` under ``configurazione`` (module docstring)."""
    nuclei = popolazione.nuclei
    indicatore = configurazione.regolamento.documento.indicatore
    if popolazione.dsu is not None and indicatore.tipo == "isee":
        cache = cache if cache is not None else CacheIsee(popolazione)
        if cache.popolazione is not popolazione:
            raise ValueError("the cache belongs to another population")
        frame = _con_dsu(nuclei, cache.campi(configurazione))
    else:
        frame = nuclei
        if configurazione.data is not None:
            frame = frame.with_columns(data_dsu=pl.lit(configurazione.data))
    extra: dict[str, pl.Expr] = {
        nome: pl.lit(valore)
        for nome, valore in configurazione.assunzioni.items()
        if nome not in frame.columns
    }
    if configurazione.data is not None:
        extra["data_domanda"] = pl.lit(configurazione.data, dtype=pl.Date)
    elif "data_domanda" not in frame.columns:
        raise SimulazioneNonEseguibile(
            "la popolazione non ha la colonna data_domanda: indicare la data nello scenario "
            "(data: AAAA-MM-GG)"
        )
    if "id_domanda" not in frame.columns:
        extra["id_domanda"] = pl.col("id_nucleo").cast(pl.String)
    return frame.with_columns(**extra) if extra else frame


@dataclass(frozen=True)
class Risultato:
    """The esiti of one configuration."""

    configurazione: Configurazione
    esiti: Esiti


def valuta_configurazione(configurazione: Configurazione, frame: pl.DataFrame) -> Risultato:
    """Evaluate ``frame`` (from :func:`domande`) with the configuration's regolamento.

    Only the columns the regolamento reads are passed (with ``id_nucleo``), so the esiti stay
    small; the nuclei's other fields are in the frame of domande.
    """
    compilato = configurazione.regolamento
    colonne = list(dict.fromkeys(["id_domanda", *compilato.campi_usati]))
    if "id_nucleo" in frame.columns and "id_nucleo" not in colonne:
        colonne.append("id_nucleo")
    mancanti = [c for c in colonne if c not in frame.columns]
    if mancanti:
        raise SimulazioneNonEseguibile(
            f"{configurazione.nome}: la popolazione non ha le colonne che il regolamento "
            f"{compilato.documento.etichetta} legge: {', '.join(mancanti)}"
        )
    try:
        esiti = valuta(compilato, frame.select(colonne))
    except DomandeNonValide as exc:
        raise SimulazioneNonEseguibile(f"{configurazione.nome}: {exc}") from None
    return Risultato(configurazione, esiti)


@dataclass(frozen=True)
class Esecuzione:
    """A scenario evaluated on a population."""

    scenario: Scenario
    domande: pl.DataFrame
    """The base's domande: the nuclei with the base's ISEE and composition (for the impact)."""
    base: Risultato
    alternative: tuple[Risultato, ...]

    def risultato(self, alternativa: int | str) -> Risultato:
        """An alternative by position or name."""
        if isinstance(alternativa, int):
            return self.alternative[alternativa]
        for risultato in self.alternative:
            if risultato.configurazione.nome == alternativa:
                return risultato
        raise KeyError(alternativa)


def _controlla_popolazione(scenario: Scenario, popolazione: Popolazione) -> None:
    problemi = []
    for configurazione in scenario.configurazioni:
        if not configurazione.parametri:
            continue
        if popolazione.dsu is None:
            dove = configurazione.parametri[0].percorso or (*configurazione.percorso, "parametri")
            problemi += scenario.problema(
                dove,
                f"{configurazione.nome}: la popolazione è fatta di attestazioni (senza DSU): "
                "l'ISEE non si può ricalcolare con altri parametri nazionali",
            ).problemi
    if problemi:
        raise ScenarioNonValido(list(dict.fromkeys(problemi)))


def esegui(
    scenario: Scenario, popolazione: Popolazione, *, cache: CacheIsee | None = None
) -> Esecuzione:
    """Evaluate the base and every alternative of ``scenario`` on ``popolazione``.

    Raises :class:`~equo.simulazione.scenario.ScenarioNonValido` (with the line) for national
    overrides on a population without DSUs, and :class:`SimulazioneNonEseguibile` when the
    population lacks what a regolamento reads.
    """
    _controlla_popolazione(scenario, popolazione)
    if cache is None:
        cache = CacheIsee(popolazione)
    frame_base = domande(popolazione, scenario.base, cache)
    base = valuta_configurazione(scenario.base, frame_base)
    alternative = []
    for configurazione in scenario.alternative:
        if configurazione.chiave_isee() == scenario.base.chiave_isee():
            frame = frame_base
        else:
            frame = domande(popolazione, configurazione, cache)
        alternative.append(valuta_configurazione(configurazione, frame))
    return Esecuzione(scenario, frame_base, base, tuple(alternative))
