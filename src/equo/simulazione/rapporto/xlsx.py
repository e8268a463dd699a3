"""The report as an XLSX workbook with the same numbers (XlsxWriter).

Sheets: ``Indice`` (the alternatives, their number and their summary), one sheet per table of
each alternative (``A1 totali``, ``A1 bande``, … with the column names of the JSON), ``Sweep``
when a sweep was run, and ``Riproducibilità``. Numbers are numbers; a masked cell is the text
"n.d.".
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from equo.simulazione.rapporto.modello import Rapporto
from equo.simulazione.rapporto.sintesi import sintesi
from equo.simulazione.rapporto.tabelle import ND

__all__ = ["fogli", "rendi_xlsx"]


def fogli(rapporto: Rapporto) -> list[str]:
    """The sheet names of the workbook, in order."""
    nomi = ["Indice"]
    for i, impatto in enumerate(rapporto.impatti, start=1):
        nomi += [f"A{i} {nome}" for nome in impatto.tabelle()]
    if rapporto.sweep is not None:
        nomi.append("Sweep")
    return [*nomi, "Riproducibilità"]


def _scrivi_righe(
    foglio: Worksheet, intestazione: Sequence[str], righe: Sequence[Sequence[Any]], grassetto: Any
) -> None:
    foglio.write_row(0, 0, list(intestazione), grassetto)
    for r, riga in enumerate(righe, start=1):
        for c, valore in enumerate(riga):
            if valore is None:
                foglio.write_string(r, c, ND)
            elif isinstance(valore, bool):
                foglio.write_boolean(r, c, valore)
            elif isinstance(valore, int | float):
                foglio.write_number(r, c, valore)
            else:
                foglio.write_string(r, c, str(valore))
    foglio.freeze_panes(1, 0)
    for c, nome in enumerate(intestazione):
        larghezza = max([len(str(nome)), *(len(str(riga[c])) for riga in righe)], default=8)
        foglio.set_column(c, c, min(max(larghezza + 2, 8), 60))


def _frame(foglio: Worksheet, frame: pl.DataFrame, grassetto: Any) -> None:
    _scrivi_righe(foglio, frame.columns, frame.rows(), grassetto)


def _piatto(valore: Any, prefisso: str = "") -> list[tuple[str, Any]]:
    if isinstance(valore, dict):
        righe = []
        for chiave, v in valore.items():
            righe += _piatto(v, f"{prefisso}.{chiave}" if prefisso else str(chiave))
        return righe
    if isinstance(valore, list):
        righe = []
        for i, v in enumerate(valore):
            righe += _piatto(v, f"{prefisso}[{i}]")
        return righe
    if valore is None:
        return [(prefisso, "")]
    return [(prefisso, valore if isinstance(valore, int | float | str) else json.dumps(valore))]


def rendi_xlsx(rapporto: Rapporto) -> bytes:
    """The workbook of ``rapporto`` as bytes (module docstring)."""
    uscita = io.BytesIO()
    libro = xlsxwriter.Workbook(uscita, {"in_memory": True, "strings_to_numbers": False})
    grassetto = libro.add_format({"bold": True, "bg_color": "#EEF3F8"})
    indice = libro.add_worksheet("Indice")
    righe_indice = [
        (f"A{i}", impatto.alternativa, impatto.base, sintesi(impatto))
        for i, impatto in enumerate(rapporto.impatti, start=1)
    ]
    _scrivi_righe(indice, ("numero", "alternativa", "base", "sintesi"), righe_indice, grassetto)
    indice.set_column(3, 3, 100, libro.add_format({"text_wrap": True}))
    for i, impatto in enumerate(rapporto.impatti, start=1):
        for nome, frame in impatto.tabelle().items():
            _frame(libro.add_worksheet(f"A{i} {nome}"), frame, grassetto)
    if rapporto.sweep is not None:
        _frame(libro.add_worksheet("Sweep"), rapporto.sweep.punti, grassetto)
    rip = libro.add_worksheet("Riproducibilità")
    voci = _piatto(dict(rapporto.riproducibilita))
    rip.write_row(0, 0, ["voce", "valore"], grassetto)
    for r, (chiave, valore) in enumerate(voci, start=1):
        rip.write_string(r, 0, chiave)
        if isinstance(valore, bool) or not isinstance(valore, int | float):
            rip.write_string(r, 1, str(valore))
        else:
            rip.write_number(r, 1, valore)
    rip.set_column(0, 0, 45)
    rip.set_column(1, 1, 80)
    libro.close()
    return uscita.getvalue()
