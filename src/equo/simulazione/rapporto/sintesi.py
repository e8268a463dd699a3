"""The Italian summary paragraph of an alternative, with its headline numbers.

Cost and its change, beneficiaries and their change, newly admitted and excluded, the shares of
nuclei that gain and that lose, and the change of the graduatoria's cut-off. Every number is
taken from the publishable tables: a masked one is written "n.d.".
"""

from __future__ import annotations

from typing import Any

import polars as pl

from equo.isee.format import euro, numero
from equo.simulazione.impatto import Impatto

__all__ = ["sintesi"]

ND = "n.d."


def _euro(valore: float | None, segno: bool = False) -> str:
    if valore is None:
        return ND
    testo = euro(valore)
    return f"+{testo}" if segno and round(valore, 2) > 0 else testo


def _intero(valore: float | None, segno: bool = False) -> str:
    if valore is None:
        return ND
    testo = numero(float(valore), 0)
    return f"+{testo}" if segno and valore > 0 else testo


def _percento(parte: float | None, tutto: float | None, segno: bool = False) -> str | None:
    if parte is None or not tutto:
        return None
    quota = parte / tutto * 100
    testo = f"{numero(quota, 1)}%"
    return f"+{testo}" if segno and round(quota, 1) > 0 else testo


def _riga(tabella: pl.DataFrame, colonna: str, valore: str) -> dict[str, Any]:
    righe = tabella.filter(pl.col(colonna) == valore)
    return righe.row(0, named=True) if righe.height else {}


def _variazione(base: float | None, variazione: float | None, formato: str) -> str:
    testo = _euro(variazione, True) if formato == "euro" else _intero(variazione, True)
    percento = _percento(variazione, base, True)
    return f"{testo}, {percento}" if percento is not None else testo


def _soglia(valori: dict[str, Any]) -> str:
    return ", ".join(
        f"{chiave} {numero(float(v), 2) if isinstance(v, float) else v}"
        for chiave, v in valori.items()
    )


def sintesi(impatto: Impatto) -> str:
    """The summary of ``impatto`` (module docstring)."""
    frasi = []
    totali = impatto.totali
    importo = _riga(totali, "voce", "importo_totale")
    if impatto.tipo_importo != "nessuno" and importo:
        cosa = (
            "la spesa per i contributi"
            if impatto.tipo_importo == "contributo"
            else "il totale delle rette pagate dai beneficiari"
        )
        frasi.append(
            f"Con «{impatto.alternativa}» rispetto a «{impatto.base}» {cosa} passa da "
            f"{_euro(importo['base'])} a {_euro(importo['alternativa'])} "
            f"({_variazione(importo['base'], importo['variazione'], 'euro')})."
        )
        prefisso = "I beneficiari"
    else:
        prefisso = f"Con «{impatto.alternativa}» rispetto a «{impatto.base}» i beneficiari"
    beneficiari = _riga(totali, "voce", "beneficiari")
    frasi.append(
        f"{prefisso} (domande finanziate) passano da {_intero(beneficiari.get('base'))} a "
        f"{_intero(beneficiari.get('alternativa'))} "
        f"({_variazione(beneficiari.get('base'), beneficiari.get('variazione'), 'intero')})."
    )
    movimenti = dict(impatto.movimenti.select("voce", "nuclei").iter_rows())
    frasi.append(
        f"Diventano ammessi {_intero(movimenti.get('nuovi_ammessi'))} nuclei e ne sono esclusi "
        f"{_intero(movimenti.get('nuovi_esclusi'))}; entrano tra i finanziati "
        f"{_intero(movimenti.get('nuovi_beneficiari'))} nuclei e ne escono "
        f"{_intero(movimenti.get('ex_beneficiari'))}."
    )
    totale = _riga(impatto.per_comune, "etichetta", "Totale")
    nuclei = totale.get("nuclei")
    parti = []
    for colonna, verbo in (("guadagnano", "guadagnano"), ("perdono", "perdono")):
        n = totale.get(colonna)
        quota = _percento(n, nuclei)
        parti.append(f"{verbo} {_intero(n)} nuclei" + (f" ({quota})" if quota else ""))
    invariati = _riga(impatto.bande, "banda", "invariato").get("quota")
    frase = f"Rispetto alla base {parti[0]} e {parti[1]}"
    frase += (
        f"; per il {numero(invariati, 1)}% dei nuclei l'importo non cambia."
        if invariati is not None
        else "."
    )
    frasi.append(frase)
    g = impatto.graduatoria
    if g is not None:
        if g.ultima_posizione_base is None or g.ultima_posizione_alternativa is None:
            frasi.append("La soglia della graduatoria non è pubblicabile (n.d.).")
        else:
            testo = (
                f"In graduatoria l'ultima domanda finanziata passa dalla posizione "
                f"{_intero(g.ultima_posizione_base)} alla {_intero(g.ultima_posizione_alternativa)}"
            )
            if g.soglia_base or g.soglia_alternativa:
                testo += (
                    f" (soglia: {_soglia(g.soglia_base) or ND} con la base, "
                    f"{_soglia(g.soglia_alternativa) or ND} con l'alternativa)"
                )
            frasi.append(testo + ".")
    frasi.append(
        f"Le celle che riguardano meno di {impatto.k_minimo} nuclei, e quelle da cui si "
        f"potrebbero ricavare, sono riservate ({ND})."
    )
    return " ".join(frasi)
