"""The motivazione: the statement of reasons of each domanda, in Italian, from its esiti.

A motivazione says, in paragraphs a dirigente can sign:

1. which regolamento (title, version, delibera) decided which domanda, and the outcome;
2. each requisito and ulteriore criterio (and the validity of the attestazione), met or not,
   with its article and the values of the domanda it read — a missing value is named as such
   and given as the reason; a domanda without attestazione, where the regolamento admits it,
   is said to be so;
3. how the importo was computed, with its numbers: the caso particolare that replaced the
   calcolo and why, the riduzioni, the esenzione and its reason, the soglia di erogazione
   (:mod:`equo.regolamenti.motivazione_importo`);
4. the graduatoria: the points, the priorities, the position, the cut-off and the funding
   (:mod:`equo.regolamenti.motivazione_graduatoria`);
5. what would change the outcome: the threshold of a failed simple condition (``isee <=
   15000``), the next lower fascia, the effect of 1.000 € of ISEE on a linear amount, the
   cut-off a domanda not funded had to beat.

Everything that depends on the regolamento or on the batch (headings, parsed thresholds, the
cut-off) is prepared once in a :class:`_Contesto`; each domanda is then plain string work over
one row, so that ten thousand motivazioni take a second or two.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from equo.regolamenti.compilato import CondizioneCompilata
from equo.regolamenti.descrivi import data_breve
from equo.regolamenti.documento import TipoCampo
from equo.regolamenti.motivazione_graduatoria import GraduatoriaMotivata
from equo.regolamenti.motivazione_importo import ImportoMotivato
from equo.regolamenti.motivazione_voci import NON_PRESENTE, Voci, articolo
from equo.regolamenti.valuta import Esiti

__all__ = ["motivazione", "motivazioni"]

_CAMPO = r"([a-z][a-z0-9_]*)"
_NUMERO = r"(-?\d+(?:\.\d+)?)"
_CONFRONTO = re.compile(rf"^\s*{_CAMPO}\s*(<=|>=|<>|!=|<|>|=)\s*{_NUMERO}\s*$", re.IGNORECASE)
_TRA = re.compile(rf"^\s*{_CAMPO}\s+BETWEEN\s+{_NUMERO}\s+AND\s+{_NUMERO}\s*$", re.IGNORECASE)
_VERO = re.compile(rf"^\s*(NOT\s+)?{_CAMPO}\s*$", re.IGNORECASE)
_RELAZIONI = {
    "<=": "non superiore a",
    "<": "inferiore a",
    ">=": "non inferiore a",
    ">": "superiore a",
    "=": "pari a",
    "<>": "diverso da",
    "!=": "diverso da",
}


@dataclass(frozen=True)
class _Condizione:
    """A condition, with what the motivazione says of it whatever the domanda."""

    colonna: str
    titolo: str
    """``Residenza nel Comune (art. 2, c. 1)``."""
    genere: str
    campi: tuple[str, ...]
    ipotesi: str | None
    """``con un ISEE non superiore a 15.000,00 €``: what meets a simple condition."""
    senza_attestazione: bool = False
    """The validity of the attestazione, where the regolamento admits a domanda without one."""


def _soglia(condizione: CondizioneCompilata, voci: Voci) -> tuple[str | None, str | None]:
    """The value a simple condition asks of its only field, in words, and that field."""
    sql = " ".join(condizione.sql.split())
    if match := _CONFRONTO.match(sql):
        campo, operatore, valore = match.groups()
        if voci.tipi.get(campo) in (TipoCampo.booleano, TipoCampo.testo, TipoCampo.data, None):
            return None, None
        return f"{_RELAZIONI[operatore]} {voci.misura(campo, float(valore))}", campo
    if match := _TRA.match(sql):
        campo, basso, alto = match.groups()
        misure = voci.misura(campo, float(basso)), voci.misura(campo, float(alto))
        return f"compreso tra {misure[0]} e {misure[1]}", campo
    if (match := _VERO.match(sql)) and voci.tipi.get(match.group(2)) is TipoCampo.booleano:
        return ("pari a «no»" if match.group(1) else "pari a «sì»"), match.group(2)
    return None, None


def _condizione(condizione: CondizioneCompilata, voci: Voci, facoltativa: bool) -> _Condizione:
    soglia, campo = _soglia(condizione, voci)
    ipotesi = None if soglia is None or campo is None else f"con {voci.indicatore(campo)} {soglia}"
    return _Condizione(
        colonna=condizione.colonna,
        titolo=f"{condizione.descrizione.rstrip('.')}{articolo(condizione.articolo)}",
        genere="criterio" if condizione.genere == "criterio" else "requisito",
        campi=condizione.campi,
        ipotesi=ipotesi,
        senza_attestazione=facoltativa and condizione.genere == "attestazione",
    )


def _di(organo: str) -> str:
    """``della Giunta``, ``del Consiglio``, ``dell'Assemblea``.

    >>> _di("Giunta dell'Unione"), _di("Consiglio"), _di("Assemblea")
    ("della Giunta dell'Unione", 'del Consiglio', "dell'Assemblea")
    """
    primo = organo.split()[0].lower() if organo.split() else ""
    if primo[:1] in set("aeiou"):
        return f"dell'{organo}"
    if primo.endswith("a") or primo in {"commissione", "conferenza"}:
        return f"della {organo}"
    return f"del {organo}"


@dataclass(frozen=True)
class _Contesto:
    """What every motivazione of a batch shares, prepared once."""

    intestazione: str
    voci: Voci
    condizioni: tuple[_Condizione, ...]
    importo: ImportoMotivato | None
    graduatoria: GraduatoriaMotivata | None


def _contesto(esiti: Esiti) -> _Contesto:
    compilato = esiti.regolamento
    documento = compilato.documento
    voci = Voci.di(compilato.campi)
    delibera = documento.delibera
    titolo = documento.titolo
    if not titolo.lower().startswith("regolamento"):
        titolo = f"regolamento «{titolo}»"
    else:
        titolo = f"«{titolo}»"
    intestazione = (
        f"Visto il {titolo} ({documento.ente.nome}), versione "
        f"{documento.versione}, approvato con delibera {_di(delibera.organo)} "
        f"n. {delibera.numero} del {data_breve(delibera.data)}"
    )
    importo = None
    if compilato.importo is not None:
        importo = ImportoMotivato.di(compilato.importo, voci)
    facoltativa = not documento.indicatore.obbligatorio
    return _Contesto(
        intestazione=intestazione,
        voci=voci,
        condizioni=tuple(_condizione(c, voci, facoltativa) for c in compilato.condizioni),
        importo=importo,
        graduatoria=GraduatoriaMotivata.di(esiti, voci),
    )


def _testa(ctx: _Contesto, riga: Mapping[str, Any]) -> str:
    data = riga.get("data_domanda")
    quando = f", presentata il {data_breve(data)}" if data is not None else ""
    return (
        f"{ctx.intestazione}, si esamina la domanda {riga['id_domanda']}{quando}.\n"
        f"Esito: {riga['esito']}."
    )


def _voce(ctx: _Contesto, condizione: _Condizione, riga: Mapping[str, Any]) -> str:
    """One line of the requisiti: met or not, why, and the values read."""
    nessuna = riga.get("isee") is None and riga.get("data_dsu") is None
    if riga[condizione.colonna] and condizione.senza_attestazione and nessuna:
        stato = (
            f"{condizione.genere} soddisfatto: la domanda è presentata senza attestazione ISEE, "
            "come il regolamento consente"
        )
    elif riga[condizione.colonna]:
        stato = f"{condizione.genere} soddisfatto"
    else:
        stato = f"{condizione.genere} non soddisfatto"
        mancanti = ctx.voci.mancanti(condizione.campi, riga)
        if mancanti:
            stato += f": {NON_PRESENTE} ({', '.join(mancanti)})"
    testo = f"- {condizione.titolo}: {stato}."
    if condizione.campi:
        testo += f" Dati considerati: {ctx.voci.dati(condizione.campi, riga)}."
    return testo


def _requisiti(ctx: _Contesto, riga: Mapping[str, Any], genere: str) -> str | None:
    condizioni = [c for c in ctx.condizioni if c.genere == genere]
    if not condizioni:
        return (
            "Requisiti di accesso. Il regolamento non prevede requisiti di accesso."
            if genere == "requisito"
            else None
        )
    mancati = sum(1 for c in condizioni if not riga[c.colonna])
    if genere == "requisito":
        titolo, nome, nomi = "Requisiti di accesso.", "requisito", "requisiti"
    else:
        titolo, nome, nomi = "Ulteriori criteri di selezione.", "criterio", "criteri"
    if mancati == 0:
        sintesi = f"La domanda soddisfa tutti i {nomi} ({len(condizioni)})."
    else:
        sintesi = (
            f"La domanda non soddisfa {mancati} {nome if mancati == 1 else nomi} "
            f"su {len(condizioni)}."
        )
    righe = [f"{titolo} {sintesi}", *(_voce(ctx, c, riga) for c in condizioni)]
    return "\n".join(righe)


def _alternative(ctx: _Contesto, riga: Mapping[str, Any]) -> list[str]:
    """What would have changed the outcome (or the amount), one sentence each."""
    frasi: list[str] = []
    mancati = [c for c in ctx.condizioni if not riga[c.colonna]]
    for c in mancati:
        mancanti = ctx.voci.mancanti(c.campi, riga)
        if mancanti:
            frasi.append(
                f"indicando {', '.join(mancanti)} ({NON_PRESENTE}) il {c.genere} "
                f"«{c.titolo}» potrebbe essere verificato"
            )
        elif c.ipotesi is not None:
            frasi.append(f"{c.ipotesi} il {c.genere} «{c.titolo}» sarebbe soddisfatto")
    if len(mancati) > 1:
        frasi.append("per l'ammissione devono essere soddisfatti tutti i requisiti e i criteri")
    if riga.get("ammissibile") and ctx.importo is not None:
        frasi += ctx.importo.alternative(riga)
    if ctx.graduatoria is not None:
        frasi += ctx.graduatoria.alternative(riga)
    return frasi


def _testo(ctx: _Contesto, riga: Mapping[str, Any]) -> str:
    paragrafi = [
        _testa(ctx, riga),
        _requisiti(ctx, riga, "requisito"),
        _requisiti(ctx, riga, "criterio"),
    ]
    if riga.get("ammissibile"):
        if ctx.importo is not None:
            paragrafi.append(ctx.importo.paragrafo(riga))
        if ctx.graduatoria is not None:
            paragrafi.append(ctx.graduatoria.paragrafo(riga))
    frasi = _alternative(ctx, riga)
    if frasi:
        voci = [f"- {frase[0].upper()}{frase[1:]}." for frase in frasi]
        paragrafi.append("\n".join(["Cosa cambierebbe l'esito.", *voci]))
    return "\n\n".join(p for p in paragrafi if p)


def _righe(ctx: _Contesto, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with the columns the motivazione needs beyond the esiti."""
    colonne: dict[str, pl.Expr] = {}
    if ctx.importo is not None:
        colonne |= ctx.importo.colonne()
    if ctx.graduatoria is not None:
        colonne |= ctx.graduatoria.colonne()
    return frame.with_columns(**colonne) if colonne else frame


def motivazione(esiti: Esiti, id_domanda: str) -> str:
    """The motivazione of one domanda of ``esiti`` (KeyError if there is none)."""
    frame = esiti.frame.filter(pl.col("id_domanda") == id_domanda)
    if frame.is_empty():
        raise KeyError(id_domanda)
    ctx = _contesto(esiti)
    return _testo(ctx, _righe(ctx, frame).row(0, named=True))


def motivazioni(esiti: Esiti) -> pl.DataFrame:
    """The motivazione of every domanda: columns ``id_domanda`` and ``motivazione``."""
    ctx = _contesto(esiti)
    frame = _righe(ctx, esiti.frame)
    testi = [_testo(ctx, riga) for riga in frame.iter_rows(named=True)]
    return pl.DataFrame(
        {"id_domanda": frame["id_domanda"], "motivazione": testi},
        schema={"id_domanda": pl.String, "motivazione": pl.String},
    )
