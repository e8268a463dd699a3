"""``equo regolamento valuta``: a file of domande in, a file of esiti out, with a progress bar.

One regolamento file applies to every domanda, whatever its date (a simulation may apply a
version to past domande; domande outside its vigenza get a warning). A directory, or several
files, are the versions of one regolamento: each domanda is evaluated with the version in force
on its ``data_domanda`` (:func:`equo.regolamenti.valuta_versioni.valuta_per_data`).

Stages: lettura, valutazione, motivazioni (with ``--motivazioni``), scrittura. Nothing is
written unless every stage succeeds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated, Any

import polars as pl
import typer
from polars.exceptions import PolarsError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from equo.isee.format import euro, numero
from equo.regolamenti.cli import carica_o_esci, consoles, esci, esci_per_problemi, file_regolamento
from equo.regolamenti.compilato import RegolamentoCompilato
from equo.regolamenti.documento import TipoCampo, TipoImporto
from equo.regolamenti.domande import (
    COLONNA_RIGA,
    FileNonUtilizzabile,
    controlla_destinazione,
    leggi_domande,
    scrivi_atomico,
    scrivi_esiti,
    tabella_esiti,
)
from equo.regolamenti.sorgente import RegolamentoNonValido
from equo.regolamenti.spiega import data_breve, descrivi_vigenza, numero_breve
from equo.regolamenti.valuta import DomandeNonValide, Esiti
from equo.regolamenti.valuta import valuta as valuta_regolamento
from equo.regolamenti.versioni import Versioni, carica_versioni

__all__ = ["righe_riepilogo", "valuta"]


def _valore(compilato: RegolamentoCompilato, chiave: str, valore: Any) -> str:
    """A value of the cut-off in Italian: euros, dates, plain numbers."""
    if valore is None:
        return "mancante"
    if isinstance(valore, dt.date):
        return data_breve(valore)
    if isinstance(valore, bool):
        return "sì" if valore else "no"
    if isinstance(valore, int | float):
        campo = compilato.campi.get(chiave)
        if campo is not None and campo.tipo is TipoCampo.intero:
            return str(valore)  # a count or an identifier (protocollo): no thousands separator
        in_euro = chiave == "importo" or (campo is not None and campo.tipo is TipoCampo.euro)
        return euro(valore) if in_euro else numero_breve(valore)
    return str(valore)


def _conta(n: int) -> str:
    return numero(n, 0)


def righe_riepilogo(esiti: Esiti) -> list[str]:
    """The riepilogo of one version, in Italian, one line each."""
    r = esiti.riepilogo
    compilato = esiti.regolamento
    documento = compilato.documento
    righe = [
        f"{documento.etichetta} ({compilato.file})",
        f"  Domande: {_conta(r.domande)}",
        f"  Ammissibili: {_conta(r.ammissibili)}",
    ]
    if documento.graduatoria is not None:
        righe.append(f"  In graduatoria: {_conta(r.in_graduatoria)}")
    parziali = (
        f" (di cui parzialmente: {_conta(r.finanziate_parzialmente)})"
        if r.finanziate_parzialmente
        else ""
    )
    righe.append(f"  Finanziate: {_conta(r.finanziate)}{parziali}")
    if documento.importo is not None:
        cosa = (
            "Contributi calcolati"
            if documento.importo.tipo is TipoImporto.contributo
            else "Compartecipazione calcolata"
        )
        righe.append(f"  {cosa} per le domande ammesse: {euro(r.importo_richiesto)}")
    stanziamento = documento.stanziamento
    if stanziamento is not None and r.stanziamento is not None:
        if stanziamento.importo is not None:
            riserva = f" (riserva {euro(r.riserva)})" if r.riserva else ""
            righe.append(f"  Stanziamento: {euro(r.stanziamento)}{riserva}")
            residuo = euro(r.residuo) if r.residuo is not None else "-"
            righe.append(f"  Assegnato: {euro(r.assegnato)}; residuo: {residuo}")
        else:
            liberi = _conta(int(r.residuo)) if r.residuo is not None else "-"
            righe.append(
                f"  Posti: {_conta(int(r.stanziamento))}; assegnati: {_conta(int(r.assegnato))}; "
                f"liberi: {liberi}"
            )
        if r.ultima_posizione_finanziata is not None:
            soglia = ", ".join(
                f"{chiave} {_valore(compilato, chiave, valore)}"
                for chiave, valore in r.soglia.items()
            )
            righe.append(
                f"  Soglia: ultima finanziata in posizione "
                f"{_conta(r.ultima_posizione_finanziata)} ({soglia})"
            )
        righe += _quote(esiti)
    return righe


def _quote(esiti: Esiti) -> list[str]:
    documento = esiti.regolamento.documento
    graduatoria, stanziamento = documento.graduatoria, documento.stanziamento
    if graduatoria is None or graduatoria.quote_riservate is None or stanziamento is None:
        return []
    nomi = {q.valore: q.descrizione for q in graduatoria.quote_riservate.quote}
    misura = euro if stanziamento.importo is not None else numero_breve
    righe = []
    for gruppo, valori in esiti.riepilogo.quote.items():
        nome = f"{gruppo} ({nomi[gruppo]})" if nomi.get(gruppo) else gruppo
        righe.append(
            f"  Quota riservata {nome}: {misura(valori['quota'])}; ricevuto dalle sue domande: "
            f"{misura(valori['assegnato'])}"
        )
    return righe


def _json_riepilogo(esiti: list[Esiti], totale: int) -> bytes:
    versioni = [
        {
            "versione": e.regolamento.documento.versione,
            "file": e.regolamento.file,
            **dataclasses.asdict(e.riepilogo),
        }
        for e in esiti
    ]
    dati = {
        "regolamento": esiti[0].regolamento.documento.codice if esiti else None,
        "domande": totale,
        "versioni": versioni,
    }
    return (json.dumps(dati, ensure_ascii=False, indent=2, default=str) + "\n").encode()


def _fuori_vigenza(compilato: RegolamentoCompilato, domande: pl.DataFrame) -> str | None:
    vigenza = compilato.documento.vigenza
    date = domande["data_domanda"]
    fuori = date < vigenza.dal
    if vigenza.al is not None:
        fuori = fuori | (date > vigenza.al)
    quante = int(fuori.sum())
    if not quante:
        return None
    return (
        f"attenzione: {_conta(quante)} domande hanno la data_domanda fuori dalla vigenza della "
        f"versione {compilato.documento.versione} ({descrivi_vigenza(vigenza)}) e sono valutate "
        "comunque con questa versione; per usare la versione in vigore alla data di ciascuna, "
        "indicare la cartella (o i file) di tutte le versioni"
    )


class _Fasi:
    """The progress bar: one step per stage, with the stage's name."""

    def __init__(self, err: Console, fasi: int) -> None:
        self.bar = Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        )
        self.task = self.bar.add_task("lettura", total=fasi)

    @contextmanager
    def fase(self, nome: str) -> Iterator[None]:
        self.bar.update(self.task, description=nome)
        yield
        self.bar.advance(self.task)


def _carica(regolamenti: list[Path]) -> tuple[list[RegolamentoCompilato], Versioni | None]:
    """The versions compiled, and :class:`Versioni` when the date picks the version."""
    from equo.regolamenti.valuta_versioni import compila_versioni

    if len(regolamenti) == 1 and not regolamenti[0].is_dir():
        return [carica_o_esci(regolamenti[0])], None
    try:
        versioni = carica_versioni(file_regolamento(regolamenti))
        return compila_versioni(versioni), versioni
    except RegolamentoNonValido as exc:
        # Files of different regolamenti: that is the one problem worth reading (the others,
        # same labels and overlapping vigenze, follow from it).
        codici = [p for p in exc.problemi if p.campo == "codice"]
        raise esci_per_problemi(codici or exc.problemi) from None


def _motivazioni(esiti: list[Esiti]) -> pl.DataFrame:
    from equo.regolamenti.motivazione import motivazioni

    return pl.concat([motivazioni(e) for e in esiti], how="vertical_relaxed")


def _esegui(
    fasi: _Fasi,
    compilati: list[RegolamentoCompilato],
    versioni: Versioni | None,
    domande: Path,
    output: Path,
    con_motivazioni: bool,
    avvisa: Callable[[str], None],
) -> tuple[list[Esiti], int]:
    from equo.regolamenti.valuta_versioni import valuta_per_data

    with fasi.fase("lettura"):
        frame = leggi_domande(domande, compilati).with_row_index(COLONNA_RIGA)
    with fasi.fase("valutazione"):
        if versioni is None:
            avviso = _fuori_vigenza(compilati[0], frame)
            if avviso:
                avvisa(avviso)
            esiti = [valuta_regolamento(compilati[0], frame)]
        else:
            esiti = valuta_per_data(versioni, frame, compilati)
    motivi = None
    if con_motivazioni:
        with fasi.fase("motivazioni"):
            motivi = _motivazioni(esiti)
    with fasi.fase("scrittura"):
        tabella = tabella_esiti(esiti, motivi, versione=versioni is not None)
        scrivi_esiti(tabella, output)
    return esiti, frame.height


def valuta(
    regolamenti: Annotated[
        list[Path],
        typer.Argument(
            help="File YAML del regolamento; oppure la cartella (o più file) delle sue versioni: "
            "ogni domanda è valutata con la versione in vigore alla sua data_domanda.",
            show_default=False,
            metavar="R.yaml|DIR",
        ),
    ],
    domande: Annotated[
        Path,
        typer.Argument(
            help="File delle domande: .csv, .parquet o .jsonl (colonne: equo regolamento campi).",
            show_default=False,
            metavar="DOMANDE",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="File degli esiti: .csv, .parquet o .jsonl.", show_default=False
        ),
    ],
    con_motivazioni: Annotated[
        bool,
        typer.Option("--motivazioni", help="Aggiunge la colonna motivazione (in italiano)."),
    ] = False,
    riepilogo: Annotated[
        Path | None,
        typer.Option("--riepilogo", help="Scrive anche il riepilogo in JSON.", show_default=False),
    ] = None,
) -> None:
    """Valuta un file di domande con un regolamento e scrive gli esiti."""
    out, err = consoles()
    try:
        controlla_destinazione(output, domande)
        if riepilogo is not None:
            if riepilogo.suffix.lower() != ".json":
                raise FileNonUtilizzabile(f"{riepilogo}: il riepilogo si scrive in un file .json")
            if not riepilogo.parent.is_dir():
                raise FileNonUtilizzabile(f"{riepilogo}: la cartella {riepilogo.parent} non esiste")
    except FileNonUtilizzabile as exc:
        raise esci(str(exc), 2) from None
    compilati, versioni = _carica(regolamenti)
    fasi = _Fasi(err, 4 if con_motivazioni else 3)
    avvisi: list[str] = []
    try:
        with fasi.bar:
            esiti, totale = _esegui(
                fasi, compilati, versioni, domande, output, con_motivazioni, avvisi.append
            )
            if riepilogo is not None:
                contenuto = _json_riepilogo(esiti, totale)

                def scrivi(fh: IO[bytes]) -> None:
                    fh.write(contenuto)

                scrivi_atomico(riepilogo, scrivi)
    except FileNonUtilizzabile as exc:
        raise esci(str(exc), 2) from None
    except DomandeNonValide as exc:
        problemi = [f"{domande}: domande non valide; {output} non è stato scritto.", *exc.problemi]
        raise esci("\n".join(problemi), 1) from None
    except PolarsError as exc:
        testo = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise esci(f"{domande}: impossibile valutare le domande ({testo})", 1) from None
    for avviso in avvisi:
        err.print(avviso, markup=False)
    righe: list[str] = []
    for e in esiti:
        righe += righe_riepilogo(e)
    righe.append(f"Esiti: {output}")
    if riepilogo is not None:
        righe.append(f"Riepilogo: {riepilogo}")
    out.print("\n".join(righe), markup=False)
