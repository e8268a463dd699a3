"""Evaluate domande against a compiled regolamento: one, or a million, with the same code.

For each domanda the esiti say whether each requisito is met (``requisito__<id>``), whether it
is admitted (``ammissibile``), the amount and its steps, the points (``punti__<id>``,
``punteggio``), the rank (``posizione``), whether it is funded (``finanziata``), how much is
assigned (``importo_assegnato``) and the outcome in words (``esito``). A batch also gets a
:class:`Riepilogo`: the graduatoria's cut-off and the use of the stanziamento.

A value missing from a domanda makes each condition that reads it not met (the motivazione
says which value was missing), never an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from equo.regolamenti.compilato import RegolamentoCompilato
from equo.regolamenti.documento import ModoUltimo, TipoImporto
from equo.regolamenti.graduatoria import Disponibilita, assegna, disponibilita, ordina

__all__ = [
    "ESITI",
    "DomandeNonValide",
    "Esiti",
    "Esito",
    "Riepilogo",
    "prepara_domande",
    "valuta",
    "valuta_domanda",
]


class Esito:
    """The outcomes written in ``esito``."""

    NON_AMMESSA = "non ammessa"
    FINANZIATA = "ammessa e finanziata"
    PARZIALE = "ammessa e finanziata parzialmente"
    NON_FINANZIATA = "ammessa, non finanziata per esaurimento dello stanziamento"
    IMPORTO_NULLO = "ammessa, importo pari a zero"
    SOTTO_SOGLIA = "ammessa, importo inferiore alla soglia di erogazione"
    NON_CALCOLABILE = "ammessa, importo non calcolabile per dati mancanti"
    AMMESSA = "ammessa"
    ESENTE_SUFFISSO = ", esente dalla compartecipazione"
    ESENTE = AMMESSA + ESENTE_SUFFISSO
    POSTO = "ammessa con posto assegnato"
    ATTESA = "ammessa in lista d'attesa"
    POSTO_ESENTE = POSTO + ESENTE_SUFFISSO
    ATTESA_ESENTE = ATTESA + ESENTE_SUFFISSO


ESITI = pl.Enum(
    [value for name, value in vars(Esito).items() if name.isupper() and name != "ESENTE_SUFFISSO"]
)
"""The type of the ``esito`` column: one of the :class:`Esito` texts (cheap to build and sort)."""


def _testo(esito: str) -> pl.Expr:
    return pl.lit(esito, dtype=ESITI)


class DomandeNonValide(ValueError):  # noqa: N818 - Italian name of a domain error
    """A file or frame of domande that cannot be evaluated, with every problem in Italian."""

    def __init__(self, problemi: list[str]) -> None:
        self.problemi = problemi
        super().__init__("\n".join(problemi))


@dataclass(frozen=True)
class Riepilogo:
    """The batch as a whole: counts, the stanziamento's use and the cut-off."""

    domande: int
    ammissibili: int
    in_graduatoria: int
    finanziate: int
    finanziate_parzialmente: int
    importo_richiesto: float
    """Sum of the amounts of the admitted domande."""
    stanziamento: float | None
    """Euros or places; None without stanziamento."""
    riserva: float
    assegnato: float
    """Euros (or places) assigned."""
    residuo: float | None
    ultima_posizione_finanziata: int | None
    soglia: dict[str, Any] = field(default_factory=dict)
    """The ordering keys of the last funded domanda (the cut-off)."""
    quote: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per reserved group: its quota and what its domande received."""


@dataclass(frozen=True)
class Esiti:
    """The esiti of a batch: one row per domanda (same order as given) and the riepilogo."""

    regolamento: RegolamentoCompilato
    frame: pl.DataFrame
    riepilogo: Riepilogo

    def riga(self, id_domanda: str) -> dict[str, Any]:
        """The esito of one domanda as a dict (KeyError if there is none)."""
        rows = self.frame.filter(pl.col("id_domanda") == id_domanda).to_dicts()
        if not rows:
            raise KeyError(id_domanda)
        return rows[0]


def prepara_domande(compilato: RegolamentoCompilato, domande: pl.DataFrame) -> pl.DataFrame:
    """Check and cast the columns the regolamento reads; raise :class:`DomandeNonValide`.

    Extra columns are kept; the ones the regolamento reads are cast to the vocabulary's types
    (``"12.5"`` read from a CSV becomes 12.5; ``"abc"`` is an error naming row and column).
    """
    problems = []
    missing = [c for c in compilato.campi_usati if c not in domande.columns]
    if missing:
        problems.append(
            "mancano le colonne richieste dal regolamento "
            f"{compilato.documento.etichetta}: {', '.join(missing)}"
        )
        raise DomandeNonValide(problems)
    casts = {}
    for name in compilato.campi_usati:
        target = compilato.campi[name].dtype
        if domande.schema[name] == target:
            continue
        casted = domande[name].cast(target, strict=False)
        bad = (casted.is_null() & domande[name].is_not_null()).arg_true()
        if bad.len():
            row = int(bad[0])
            problems.append(
                f"riga {row + 1}, colonna {name}: valore non valido "
                f"{domande[name][row]!r} ({_tipo(compilato, name)})"
            )
        casts[name] = casted
    ids = domande["id_domanda"].cast(pl.String)
    if ids.null_count():
        problems.append(f"riga {int(ids.is_null().arg_true()[0]) + 1}: id_domanda mancante")
    if ids.n_unique() < ids.len():  # cheap test first: finding the duplicates costs more
        duplicated = ids.filter(ids.is_duplicated()).unique(maintain_order=True)
        problems.append(f"id_domanda ripetuti: {', '.join(duplicated.head(5).to_list())}")
    if domande["data_domanda"].null_count() and "data_domanda" not in casts:
        row = int(domande["data_domanda"].is_null().arg_true()[0])
        problems.append(f"riga {row + 1}: data_domanda mancante")
    if problems:
        raise DomandeNonValide(problems)
    return domande.with_columns(**casts, id_domanda=ids)


def _tipo(compilato: RegolamentoCompilato, name: str) -> str:
    return {
        "euro": "atteso un importo in euro",
        "numero": "atteso un numero",
        "intero": "atteso un numero intero",
        "booleano": "atteso vero o falso",
        "data": "attesa una data AAAA-MM-GG",
        "testo": "atteso un testo",
    }[compilato.campi[name].tipo.value]


def _per_domanda(compilato: RegolamentoCompilato, frame: pl.DataFrame) -> pl.DataFrame:
    """Requisiti, amount steps and points: everything that depends on the domanda alone."""
    requisiti = {c.colonna: c.expr.fill_null(False) for c in compilato.condizioni}
    frame = frame.with_columns(**requisiti)
    ammissibile = pl.all_horizontal(list(requisiti)) if requisiti else pl.lit(True)
    frame = frame.with_columns(ammissibile=ammissibile)
    importo = compilato.importo
    if importo is not None:
        frame = frame.with_columns(
            importo_base=importo.base.cast(pl.Float64),
            importo_lordo=importo.lordo.cast(pl.Float64),
            caso_particolare=importo.caso,
            esente=importo.esente,
            sotto_soglia=importo.sotto_soglia,
            importo=pl.when(pl.col("ammissibile")).then(importo.finale.cast(pl.Float64)),
        )
    if compilato.documento.graduatoria is not None:
        points = {p.colonna: p.punti for p in compilato.punteggi}
        frame = frame.with_columns(**points).with_columns(
            punteggio=pl.sum_horizontal(list(points)).round(6) if points else pl.lit(0.0)
        )
    return frame


def _tetto_nucleo(compilato: RegolamentoCompilato, frame: pl.DataFrame) -> pl.DataFrame:
    """Share the ceiling per nucleo among its admitted domande, rounded down to the cent."""
    importo = compilato.documento.importo
    if importo is None or importo.tetto_nucleo is None:
        return frame
    tetto = round(importo.tetto_nucleo.importo * 100)
    cents = (pl.col("importo") * 100).round(0).cast(pl.Int64)
    total = cents.sum().over("id_nucleo")
    shared = pl.when(total > tetto).then(cents * tetto // total).otherwise(cents)
    return frame.with_columns(
        importo_prima_del_tetto=pl.col("importo"),
        importo=pl.when(pl.col("id_nucleo").is_null())
        .then(pl.col("importo"))
        .otherwise(shared / 100),
    )


def _graduatoria(
    compilato: RegolamentoCompilato, frame: pl.DataFrame
) -> tuple[pl.DataFrame, Disponibilita | None]:
    documento = compilato.documento
    graduatoria, stanziamento = documento.graduatoria, documento.stanziamento
    if graduatoria is None:
        return frame, None
    euro = stanziamento is not None and stanziamento.importo is not None
    candidate = pl.col("ammissibile")
    if documento.importo is not None:
        amount = pl.col("importo")
        candidate = candidate & ((amount > 0) if euro else amount.is_not_null())
    if euro:
        requested = (pl.col("importo") * 100).round(0).cast(pl.Int64)
    else:
        requested = pl.lit(1, dtype=pl.Int64)
    # Only what ranking and allocation read is sorted: keys, id, amount asked, quota group.
    keys = [key.alias(f"_chiave{i}") for i, key in enumerate(compilato.ordine)]
    quote = graduatoria.quote_riservate
    candidati = (
        frame.with_row_index("_riga_graduatoria")
        .filter(candidate)
        .select(
            "_riga_graduatoria",
            "id_domanda",
            *keys,
            *([quote.per] if quote is not None else []),
            _chiesto=requested,
        )
    )
    ranked = ordina(candidati, graduatoria, [pl.col(f"_chiave{i}") for i in range(len(keys))])
    if stanziamento is None:
        return _scatter(frame, ranked.with_columns(assegnato=pl.lit(None, pl.Int64))), None
    available = disponibilita(stanziamento, graduatoria)
    modo = stanziamento.ultimo if euro else ModoUltimo.escludi
    ranked = assegna(ranked, "_chiesto", available, graduatoria, modo)
    return _scatter(frame, ranked), available


def _scatter(frame: pl.DataFrame, ranked: pl.DataFrame) -> pl.DataFrame:
    """``posizione`` and ``assegnato`` of the ranked rows, back in the rows of ``frame``."""
    rows = ranked["_riga_graduatoria"]
    columns = {}
    for name, dtype in (("posizione", pl.Int64), ("assegnato", pl.Int64)):
        full = pl.repeat(None, frame.height, dtype=dtype, eager=True).alias(name)
        columns[name] = full.scatter(rows, ranked[name].cast(dtype))
    return frame.with_columns(**columns)


def _esito(compilato: RegolamentoCompilato, frame: pl.DataFrame, euro: bool) -> pl.DataFrame:
    """``finanziata``, ``importo_assegnato`` and ``esito`` in words (see :class:`Esito`)."""
    documento = compilato.documento
    ammessa = pl.col("ammissibile")
    importo = documento.importo
    posti = documento.stanziamento is not None and documento.stanziamento.posti is not None
    assigned = pl.col("assegnato").fill_null(0) if "assegnato" in frame.columns else pl.lit(0)
    if importo is None:
        finanziata = ammessa & (assigned > 0) if posti else ammessa
        admitted = _posto(finanziata) if posti else _testo(Esito.AMMESSA)
        return frame.with_columns(
            finanziata=finanziata,
            esito=pl.when(~ammessa).then(_testo(Esito.NON_AMMESSA)).otherwise(admitted),
        )
    amount = pl.col("importo")
    computable = ammessa & amount.is_not_null()
    if euro:
        paid = (assigned / 100).round(2)
        finanziata = computable & (assigned > 0)
        outcome = (
            pl.when(finanziata & (paid < amount))
            .then(_testo(Esito.PARZIALE))
            .when(finanziata)
            .then(_testo(Esito.FINANZIATA))
            .otherwise(_testo(Esito.NON_FINANZIATA))
        )
        importo_assegnato = pl.when(computable).then(pl.when(finanziata).then(paid).otherwise(0.0))
    else:
        finanziata = computable & (assigned > 0) if posti else computable
        importo_assegnato = pl.when(finanziata).then(amount)
        if importo.tipo is TipoImporto.contributo:
            outcome = _posto(finanziata) if posti else _testo(Esito.FINANZIATA)
        else:
            outcome = _posto(finanziata) if posti else _testo(Esito.AMMESSA)
            exempt = _posto(finanziata, esente=True) if posti else _testo(Esito.ESENTE)
            outcome = pl.when(pl.col("esente")).then(exempt).otherwise(outcome)
    if importo.tipo is TipoImporto.contributo:
        finanziata = finanziata & (amount > 0)
        outcome = (
            pl.when(pl.col("sotto_soglia"))
            .then(_testo(Esito.SOTTO_SOGLIA))
            .when(amount <= 0)
            .then(_testo(Esito.IMPORTO_NULLO))
            .otherwise(outcome)
        )
    esito = (
        pl.when(~ammessa)
        .then(_testo(Esito.NON_AMMESSA))
        .when(amount.is_null())
        .then(_testo(Esito.NON_CALCOLABILE))
        .otherwise(outcome)
    )
    return frame.with_columns(
        finanziata=finanziata, importo_assegnato=importo_assegnato, esito=esito
    )


def _posto(finanziata: pl.Expr, *, esente: bool = False) -> pl.Expr:
    posto, attesa = (
        (Esito.POSTO_ESENTE, Esito.ATTESA_ESENTE) if esente else (Esito.POSTO, Esito.ATTESA)
    )
    return pl.when(finanziata).then(_testo(posto)).otherwise(_testo(attesa))


def _riepilogo(
    compilato: RegolamentoCompilato, frame: pl.DataFrame, available: Disponibilita | None
) -> Riepilogo:
    has_amount = "importo" in frame.columns
    ammessa, finanziata = pl.col("ammissibile"), pl.col("finanziata")
    counts = frame.select(
        ammissibili=ammessa.sum(),
        in_graduatoria=(
            pl.col("posizione").is_not_null().sum()
            if "posizione" in frame.columns
            else ammessa.sum()
        ),
        finanziate=finanziata.sum(),
        parziali=(pl.col("esito") == Esito.PARZIALE).sum(),
        richiesto=pl.col("importo").filter(ammessa).sum() if has_amount else pl.lit(0.0),
        assegnato=pl.col("assegnato").fill_null(0).sum() if available else pl.lit(0),
        ultima=pl.col("posizione").filter(finanziata).max() if available else pl.lit(None),
    ).row(0, named=True)
    graduatoria = compilato.documento.graduatoria
    soglia: dict[str, Any] = {}
    last = counts["ultima"]
    if graduatoria is not None and last is not None:
        keys = frame.filter(pl.col("posizione") == last).select(
            *(key.alias(f"_{i}") for i, key in enumerate(compilato.ordine))
        )
        soglia = {k.nome: keys[f"_{i}"][0] for i, k in enumerate(graduatoria.ordine)}
    scale = 100 if available is not None and available.in_euro else 1
    assigned = float(counts["assegnato"] or 0) / scale
    quote: dict[str, dict[str, float]] = {}
    if available is not None and graduatoria is not None and graduatoria.quote_riservate:
        per = graduatoria.quote_riservate.per
        received = dict(
            frame.group_by(pl.col(per).cast(pl.String))
            .agg(pl.col("assegnato").fill_null(0).sum())
            .iter_rows()
        )
        quote = {
            group: {"quota": quota / scale, "assegnato": float(received.get(group, 0)) / scale}
            for group, quota in available.quote.items()
        }
    return Riepilogo(
        domande=frame.height,
        ammissibili=int(counts["ammissibili"]),
        in_graduatoria=int(counts["in_graduatoria"]),
        finanziate=int(counts["finanziate"]),
        finanziate_parzialmente=int(counts["parziali"]),
        importo_richiesto=round(float(counts["richiesto"] or 0.0), 2),
        stanziamento=available.totale / scale if available else None,
        riserva=available.riserva / scale if available else 0.0,
        assegnato=round(assigned, 2),
        residuo=round(available.assegnabile / scale - assigned, 2) if available else None,
        ultima_posizione_finanziata=int(last) if last is not None else None,
        soglia=soglia,
        quote=quote,
    )


def valuta(compilato: RegolamentoCompilato, domande: pl.DataFrame) -> Esiti:
    """Evaluate a batch of domande (a frame with the vocabulary's columns).

    The vigenza is not checked here: a simulation may apply a regolamento to past domande.
    :func:`equo.regolamenti.valuta_versioni.valuta_per_data` picks the version in force instead.
    """
    frame = _per_domanda(compilato, prepara_domande(compilato, domande))
    if "importo" in frame.columns:
        frame = _tetto_nucleo(compilato, frame)
    frame, available = _graduatoria(compilato, frame)
    euro = available is not None and available.in_euro
    frame = _esito(compilato, frame, euro)
    riepilogo = _riepilogo(compilato, frame, available)
    if "assegnato" in frame.columns:
        frame = frame.drop("assegnato")
    return Esiti(compilato, frame, riepilogo)


def valuta_domanda(compilato: RegolamentoCompilato, domanda: Mapping[str, Any]) -> dict[str, Any]:
    """Evaluate one domanda given as a mapping; its esito row as a dict.

    Alone, a domanda is first in its own graduatoria: its rank and funding are those of a batch
    of one. Everything else equals its row in any batch.
    """
    schema = {name: compilato.campi[name].dtype for name in domanda if name in compilato.campi}
    frame = pl.DataFrame([dict(domanda)], schema_overrides=schema, strict=False)
    return valuta(compilato, frame).frame.row(0, named=True)
