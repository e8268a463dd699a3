"""A regolamento compiled once: every condition, amount step and point as Polars expressions.

:func:`compila` checks the whole document against its vocabulary and reports every problem at
once (:class:`~equo.regolamenti.sorgente.RegolamentoNonValido`, with file and line when the
document came from a file). The result is immutable and evaluates one domanda or a million with
the same code (:mod:`equo.regolamenti.valuta`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from equo.regolamenti.compila import CAMPI_CALCOLATI, Compilatore, EspressioneCompilata
from equo.regolamenti.documento import ID_VALIDITA, Punteggio, Regolamento, Requisito
from equo.regolamenti.importo import ImportoCompilato, compila_importo
from equo.regolamenti.siuss import etichetta_siuss
from equo.regolamenti.sorgente import Problema, RegolamentoNonValido, Sorgente
from equo.regolamenti.validita import validita_attestazione
from equo.regolamenti.vocabolario import Campo, campi_del_regolamento

__all__ = [
    "CondizioneCompilata",
    "PunteggioCompilato",
    "RegolamentoCompilato",
    "compila",
]


Genere = Literal["requisito", "criterio", "attestazione"]


@dataclass(frozen=True)
class CondizioneCompilata:
    """A requisito, an ulteriore criterio or the implicit validity of the attestazione."""

    id: str
    descrizione: str
    articolo: str | None
    genere: Genere
    sql: str
    expr: pl.Expr
    campi: tuple[str, ...]

    @property
    def colonna(self) -> str:
        """The column of the esiti that tells whether it is met."""
        return f"requisito__{self.id}"


@dataclass(frozen=True)
class PunteggioCompilato:
    """A compiled item of the graduatoria's points."""

    documento: Punteggio
    punti: pl.Expr
    campi: tuple[str, ...]

    @property
    def colonna(self) -> str:
        """The column of the esiti with the points of this item."""
        return f"punti__{self.documento.id}"


@dataclass(frozen=True)
class RegolamentoCompilato:
    """One version of a regolamento, checked and compiled."""

    documento: Regolamento
    file: str
    campi: dict[str, Campo]
    condizioni: tuple[CondizioneCompilata, ...]
    importo: ImportoCompilato | None
    punteggi: tuple[PunteggioCompilato, ...]
    ordine: tuple[pl.Expr, ...]
    """The graduatoria's ordering keys, in order (fields or compiled expressions)."""
    campi_usati: tuple[str, ...]
    """Fields of the domanda the evaluation reads (columns a file of domande must have)."""


def _validita(documento: Regolamento) -> CondizioneCompilata | None:
    if documento.indicatore.tipo != "isee":
        return None
    validita = validita_attestazione(documento.indicatore)
    expr, descrizione = validita.expr, validita.descrizione
    campi: tuple[str, ...] = ("data_dsu", "data_domanda")
    if not documento.indicatore.obbligatorio:
        senza = pl.col("isee").is_null() & pl.col("data_dsu").is_null()
        expr = senza | expr.fill_null(False)
        descrizione += ", oppure nessuna attestazione presentata"
        campi = ("data_dsu", "data_domanda", "isee")
    return CondizioneCompilata(
        id=ID_VALIDITA,
        descrizione=f"Attestazione ISEE valida: {descrizione}",
        articolo=validita.articolo,
        genere="attestazione",
        sql=validita.sql,
        expr=expr,
        campi=campi,
    )


def _punteggio(item: Punteggio, index: int, compilatore: Compilatore) -> PunteggioCompilato | None:
    path: tuple[int | str, ...] = ("graduatoria", "punteggi", index)
    campi: list[str] = []
    if item.punti_espressione is not None:
        compiled = compilatore.sql(item.punti_espressione, (*path, "punti_espressione"), "numero")
        if compiled is None:
            return None
        points = compiled.expr.cast(pl.Float64).fill_null(0.0)
        campi.extend(compiled.campi)
    else:
        points = pl.lit(float(item.punti or 0.0))
    if item.massimo is not None:
        points = points.clip(upper_bound=item.massimo)
    if item.condizione is not None:
        condition = compilatore.sql(item.condizione, (*path, "condizione"), "condizione")
        if condition is None:
            return None
        points = pl.when(condition.expr.fill_null(False)).then(points).otherwise(0.0)
        campi.extend(condition.campi)
    return PunteggioCompilato(item, points, tuple(dict.fromkeys(campi)))


def _check_identity(documento: Regolamento, compilatore: Compilatore) -> None:
    codice = documento.prestazione.codice_siuss
    if etichetta_siuss(codice) is None:
        compilatore.problemi.append(
            (
                ("prestazione", "codice_siuss"),
                f"il codice {codice} non è nell'elenco SIUSS delle prestazioni "
                "(tipo_categoria_prestazione_siuss)",
            )
        )
    if documento.indicatore.tipo == "isee":
        from equo.isee.varianti import Variante

        valid = [v.value for v in Variante]
        if documento.indicatore.variante not in valid:
            compilatore.problemi.append(
                (
                    ("indicatore", "variante"),
                    f"variante ISEE sconosciuta '{documento.indicatore.variante}': "
                    f"ammesse {', '.join(valid)}",
                )
            )


def compila(documento: Regolamento, sorgente: Sorgente | None = None) -> RegolamentoCompilato:
    """Compile ``documento``; raise :class:`RegolamentoNonValido` with every problem found."""
    campi = campi_del_regolamento(documento.campi_domanda)
    compilatore = Compilatore(campi)
    _check_identity(documento, compilatore)
    condizioni: list[CondizioneCompilata] = []
    validita = _validita(documento)
    if validita is not None:
        condizioni.append(validita)
    sections: tuple[tuple[Genere, str, Sequence[Requisito]], ...] = (
        ("requisito", "requisiti", documento.requisiti),
        ("criterio", "ulteriori_criteri", documento.ulteriori_criteri),
    )
    for genere, section, items in sections:
        for i, item in enumerate(items):
            compiled: EspressioneCompilata | None = compilatore.sql(
                item.condizione, (section, i, "condizione"), "condizione"
            )
            if compiled is not None:
                condizioni.append(
                    CondizioneCompilata(
                        item.id,
                        item.descrizione,
                        item.articolo,
                        genere,
                        compiled.sql,
                        compiled.expr,
                        compiled.campi,
                    )
                )
    importo = None
    if documento.importo is not None:
        importo = compila_importo(documento.importo, compilatore)
    punteggi: list[PunteggioCompilato] = []
    ordine: list[pl.Expr] = []
    extra: list[str] = []
    graduatoria = documento.graduatoria
    if graduatoria is not None:
        for i, points_item in enumerate(graduatoria.punteggi):
            compiled_points = _punteggio(points_item, i, compilatore)
            if compiled_points is not None:
                punteggi.append(compiled_points)
        for i, key in enumerate(graduatoria.ordine):
            path: tuple[int | str, ...] = ("graduatoria", "ordine", i)
            if key.espressione is not None:
                compiled_key = compilatore.sql(
                    key.espressione, (*path, "espressione"), "chiave", calcolati=True
                )
                if compiled_key is not None:
                    ordine.append(compiled_key.expr)
                    extra.extend(compiled_key.campi)
            elif key.chiave == "importo" and documento.importo is None:
                compilatore.problemi.append(((*path, "chiave"), "il regolamento non ha un importo"))
            elif key.chiave is not None and compilatore.campo(key.chiave, (*path, "chiave")):
                ordine.append(pl.col(key.chiave))
                extra.append(key.chiave)
        if graduatoria.quote_riservate is not None:
            per = graduatoria.quote_riservate.per
            if compilatore.campo(per, ("graduatoria", "quote_riservate", "per")):
                extra.append(per)
    if documento.importo is not None and documento.importo.tetto_nucleo is not None:
        extra.append("id_nucleo")
    if compilatore.problemi:
        file = sorgente.file if sorgente is not None else documento.etichetta
        raise RegolamentoNonValido(
            sorgente.problema(path, message)
            if sorgente is not None
            else Problema(file, None, ".".join(map(str, path)), message)
            for path, message in compilatore.problemi
        )
    used: list[str] = ["id_domanda", "data_domanda"]
    for condition in condizioni:
        used.extend(condition.campi)
    if importo is not None:
        used.extend(importo.campi)
    for item_points in punteggi:
        used.extend(item_points.campi)
    used.extend(extra)
    return RegolamentoCompilato(
        documento=documento,
        file=sorgente.file if sorgente is not None else documento.etichetta,
        campi=campi,
        condizioni=tuple(condizioni),
        importo=importo,
        punteggi=tuple(punteggi),
        ordine=tuple(ordine),
        campi_usati=tuple(c for c in dict.fromkeys(used) if c not in CAMPI_CALCOLATI),
    )
