"""The graduatoria part of a motivazione: points, position, cut-off and funding.

:class:`GraduatoriaMotivata` is prepared once per batch: the stanziamento, the last funded
domanda with the values of its ordering keys (the cut-off) and what a domanda had to have to
precede it are the same sentences for every domanda. An ordering key may be an expression with
its own descrizione: a true/false one is an absolute priority (``«Precedenza alla disabilità»
pari a «sì»``), and its value for the domanda is stated. With reserved quotas each group is
funded first from its own share, so there is no single cut-off to beat: the motivazione says so
instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from equo.isee.format import euro
from equo.regolamenti.descrivi import data_breve, numero_breve, sql
from equo.regolamenti.documento import ModoUltimo, Ordinamento, Stanziamento, Verso
from equo.regolamenti.motivazione_voci import NON_PRESENTE, Voci, articolo
from equo.regolamenti.valuta import Esiti, Esito, Riepilogo

__all__ = ["GraduatoriaMotivata"]


def _punti(valore: float) -> str:
    """``1 punto``, ``12,5 punti``."""
    return "1 punto" if valore == 1 else f"{numero_breve(valore)} punti"


def _scritto(valore: Any) -> str:
    """The value of an ordering expression: ``sì``, ``3,5``, ``04/05/2026``, ``«grave»``."""
    if valore is None:
        return NON_PRESENTE
    if isinstance(valore, bool):
        return "sì" if valore else "no"
    if isinstance(valore, int | float):
        return numero_breve(valore)
    if isinstance(valore, dt.date):
        return data_breve(valore)
    return f"«{valore}»"


@dataclass(frozen=True)
class _Chiave:
    """One ordering key of the graduatoria, as the motivazione names and compares it."""

    ordinamento: Ordinamento
    colonna: str
    """The column of the esiti with its value (a field, or one added for an expression)."""
    nome: str
    """``punteggio``, ``ISEE``, ``«Precedenza alla disabilità»``."""
    condizione: bool
    """A true/false expression: an absolute priority."""
    data: bool

    @property
    def espressione(self) -> bool:
        """Whether the key is an expression (its value is stated for each domanda)."""
        return self.ordinamento.espressione is not None

    def valore(self, valore: Any, voci: Voci) -> str:
        """A value of the key: ``12 punti``, ``8.500,00 €``, ``sì``."""
        if valore is None:
            return NON_PRESENTE
        chiave = self.ordinamento.chiave
        if chiave == "punteggio":
            return _punti(valore)
        if chiave == "importo":
            return euro(valore)
        if chiave is not None:
            return voci.valore(chiave, valore)
        return _scritto(valore)

    def dato(self, valore: Any, voci: Voci) -> str:
        """The key of the last funded domanda: ``10 punti``, ``ISEE 31.000,00 €``, ``«P»: no``."""
        testo = self.valore(valore, voci)
        if self.ordinamento.chiave == "punteggio":
            return testo
        return f"{self.nome}: {testo}" if self.espressione else f"{self.nome} {testo}"

    def meglio(self, valore: Any, voci: Voci) -> str | None:
        """What precedes ``valore`` on this key (None: nothing does, e.g. a priority held)."""
        decrescente = self.ordinamento.verso is Verso.decrescente
        if self.condizione:
            if bool(valore) == decrescente:
                return None
            return f"{self.nome} pari a «{'sì' if decrescente else 'no'}»"
        if self.data:
            relazione = "posteriore al" if decrescente else "anteriore al"
        else:
            relazione = "superiore a" if decrescente else "inferiore a"
        chiave = self.ordinamento.chiave
        if chiave in ("punteggio", "importo"):
            chi = f"un {chiave}"
        elif chiave is not None:
            chi = voci.indicatore(chiave)
        else:
            chi = self.nome
        return f"{chi} {relazione} {self.valore(valore, voci)}"

    def uguale(self, valore: Any) -> str:
        """The value of a priority the domanda must share: ``«P» pari a «sì»``."""
        return f"{self.nome} pari a «{'sì' if valore else 'no'}»"

    def riga(self, valore: Any) -> str:
        """The value of an expression key for the domanda, as a line of the paragraph."""
        descrizione = self.ordinamento.descrizione
        formula = sql(self.ordinamento.nome)
        nome = f"«{descrizione.rstrip('.')}» ({formula})" if descrizione else formula
        genere = "precedenza" if self.condizione else "ordinamento"
        return f"Criterio di {genere} {nome}: {_scritto(valore)}."


def _alias(ordine: Sequence[pl.Expr]) -> list[pl.Expr]:
    """The compiled ordering keys, each with a name of its own (a key may repeat)."""
    return [e.alias(f"_chiave_{i}") for i, e in enumerate(ordine)]


def _chiavi(esiti: Esiti, voci: Voci) -> tuple[_Chiave, ...]:
    compilato = esiti.regolamento
    graduatoria = compilato.documento.graduatoria
    if graduatoria is None:
        return ()
    colonne = [
        o.chiave if o.chiave is not None else f"_motivazione_ordine__{i}"
        for i, o in enumerate(graduatoria.ordine)
    ]
    tipi = esiti.frame.head(0).select(_alias(compilato.ordine)).schema
    chiavi = []
    for i, (o, colonna) in enumerate(zip(graduatoria.ordine, colonne, strict=True)):
        tipo = tipi[f"_chiave_{i}"]
        if o.chiave in ("punteggio", "importo"):
            nome = o.chiave
        elif o.chiave is not None:
            nome = voci.sigla(o.chiave)
        else:
            nome = f"«{o.descrizione.rstrip('.')}»" if o.descrizione else sql(o.nome)
        condizione = o.espressione is not None and tipo == pl.Boolean
        chiavi.append(_Chiave(o, colonna, nome, condizione, tipo == pl.Date))
    return tuple(chiavi)


def _per_rientrare(chiavi: Sequence[_Chiave], soglia: Sequence[Any], voci: Voci) -> str | None:
    """``un punteggio superiore a 12 punti, oppure, a parità di punteggio, un ISEE …``."""
    parti: list[str] = []
    uguali: list[str] = []  # priorities held by the cut-off: to be shared, not beaten
    pari: list[str] = []  # keys to be equal since the previous alternative
    for chiave, valore in zip(chiavi, soglia, strict=True):
        if valore is None:
            break
        meglio = chiave.meglio(valore, voci)
        if meglio is not None:
            if not parti:
                parti.append(" e ".join([*uguali, meglio]))
            else:
                anche = "" if len(parti) == 1 else "anche "
                parti.append(f"oppure, a parità {anche}di {' e '.join(pari)}, {meglio}")
                pari = []
        elif not parti:
            uguali.append(chiave.uguale(valore))
        pari.append(chiave.nome)
    return ", ".join(parti) if parti else None


def _testo_stanziamento(stanziamento: Stanziamento, riepilogo: Riepilogo) -> str:
    """``Lo stanziamento (art. 6) è di 40.000,00 €…`` or ``I posti disponibili sono 20.``"""
    art = articolo(stanziamento.articolo)
    if stanziamento.posti is not None:
        return f"I posti disponibili{art} sono {stanziamento.posti}."
    testo = f"Lo stanziamento{art} è di {euro(riepilogo.stanziamento or 0.0)}"
    if riepilogo.riserva:
        testo += f", di cui {euro(riepilogo.riserva)} accantonati in riserva"
    return f"{testo}; sono stati assegnati {euro(riepilogo.assegnato)}."


def _testo_soglia(
    esiti: Esiti, chiavi: Sequence[_Chiave], soglia: Sequence[Any] | None, voci: Voci
) -> str:
    """The last funded domanda (the cut-off) with the values of its ordering keys."""
    documento = esiti.regolamento.documento
    ultima = esiti.riepilogo.ultima_posizione_finanziata
    if ultima is None or soglia is None:
        testo = "Nessuna domanda è stata finanziata."
    else:
        dati = ", ".join(c.dato(v, voci) for c, v in zip(chiavi, soglia, strict=True))
        posti = documento.stanziamento is not None and documento.stanziamento.posti is not None
        chi = (
            "L'ultimo posto è assegnato alla domanda" if posti else "L'ultima domanda finanziata è"
        )
        testo = f"{chi} in posizione n. {ultima} ({dati})."
    q = documento.graduatoria.quote_riservate if documento.graduatoria else None
    if q is not None:
        netto = " (al netto della riserva)" if esiti.riepilogo.riserva else ""
        testo += (
            f" Con le quote riservate{articolo(q.articolo)} per {voci.nome(q.per)}, ogni "
            f"domanda concorre prima sulla quota del proprio gruppo, calcolata sullo "
            f"stanziamento{netto}."
        )
    return testo


def _finanziamento(modo: ModoUltimo | None, riga: Mapping[str, Any]) -> str | None:
    """What the domanda received from the stanziamento, in one sentence."""
    esito = riga["esito"].removesuffix(Esito.ESENTE_SUFFISSO)
    assegnato, importo = riga.get("importo_assegnato"), riga.get("importo")
    if esito == Esito.FINANZIATA and assegnato is not None and modo is not None:
        return f"La domanda è finanziata per intero: importo assegnato {euro(assegnato)}."
    if esito == Esito.PARZIALE and assegnato is not None and importo is not None:
        if modo is ModoUltimo.proporzionale:
            perche = "lo stanziamento non copre tutte le domande e ogni contributo è ridotto "
            perche += "nella stessa proporzione"
        else:
            perche = "è l'ultima domanda finanziabile e riceve quanto resta dello stanziamento"
        return (
            f"La domanda è finanziata parzialmente ({perche}): importo assegnato "
            f"{euro(assegnato)} a fronte di {euro(importo)} riconosciuti."
        )
    testi = {
        Esito.NON_CALCOLABILE: "La domanda non entra in graduatoria perché l'importo non può "
        "essere calcolato.",
        Esito.NON_FINANZIATA: "La domanda non è finanziata per esaurimento dello stanziamento.",
        Esito.POSTO: "Alla domanda è assegnato un posto.",
        Esito.ATTESA: "La domanda resta in lista d'attesa, nell'ordine della graduatoria.",
        Esito.IMPORTO_NULLO: "La domanda non entra nel riparto perché l'importo è pari a zero.",
        Esito.SOTTO_SOGLIA: "Il contributo, inferiore alla soglia di erogazione, non è erogato.",
    }
    return testi.get(esito)


@dataclass(frozen=True)
class GraduatoriaMotivata:
    """The graduatoria of a batch: what is the same for every domanda, already written."""

    titolo: str
    punteggi: tuple[tuple[str, str], ...]
    """Column and title (``Sfratto in corso (art. 5, lett. d)``) of each item of points."""
    chiavi: tuple[_Chiave, ...]
    espressioni: dict[str, pl.Expr]
    """The columns to add to the esiti: the value of each ordering expression."""
    modo: ModoUltimo | None
    in_graduatoria: int
    stanziamento: str
    soglia: str
    per_rientrare: str | None
    """What a domanda not funded had to have: precede the last funded one."""

    @classmethod
    def di(cls, esiti: Esiti, voci: Voci) -> GraduatoriaMotivata | None:
        """The graduatoria of a batch of ``esiti``; None without one."""
        compilato, riepilogo = esiti.regolamento, esiti.riepilogo
        graduatoria = compilato.documento.graduatoria
        if graduatoria is None:
            return None
        stanziamento = compilato.documento.stanziamento
        punteggi = tuple(
            (p.colonna, f"{p.documento.descrizione.rstrip('.')}{articolo(p.documento.articolo)}")
            for p in compilato.punteggi
        )
        chiavi = _chiavi(esiti, voci)
        espressioni = {
            c.colonna: e for c, e in zip(chiavi, compilato.ordine, strict=True) if c.espressione
        }
        soglia: tuple[Any, ...] | None = None
        ultima = riepilogo.ultima_posizione_finanziata
        if ultima is not None:
            ultima_riga = esiti.frame.filter(pl.col("posizione") == ultima)
            valori = ultima_riga.select(_alias(compilato.ordine))
            soglia = valori.row(0) if valori.height else None
        testo_stanziamento, testo_soglia, per_rientrare = "", "", None
        if stanziamento is not None and riepilogo.stanziamento is not None:
            testo_stanziamento = _testo_stanziamento(stanziamento, riepilogo)
            testo_soglia = _testo_soglia(esiti, chiavi, soglia, voci)
            if graduatoria.quote_riservate is None and soglia is not None:
                per_rientrare = _per_rientrare(chiavi, soglia, voci)
        return cls(
            titolo=f"Graduatoria{articolo(graduatoria.articolo)}.",
            punteggi=punteggi,
            chiavi=chiavi,
            espressioni=espressioni,
            modo=stanziamento.ultimo if stanziamento is not None else None,
            in_graduatoria=riepilogo.in_graduatoria,
            stanziamento=testo_stanziamento,
            soglia=testo_soglia,
            per_rientrare=per_rientrare,
        )

    def colonne(self) -> dict[str, pl.Expr]:
        """Columns to add to the esiti: the value of each ordering expression."""
        return dict(self.espressioni)

    def paragrafo(self, riga: Mapping[str, Any]) -> str:
        """Points (only the items that gave some), priorities, position, cut-off and funding."""
        righe = [self.titolo]
        if self.punteggi:
            voci = [(titolo, riga.get(colonna)) for colonna, titolo in self.punteggi]
            dati = [f"- {titolo}: {_punti(punti)}." for titolo, punti in voci if punti]
            if dati:
                righe += ["Punti attribuiti:", *dati]
            righe.append(f"Punteggio complessivo: {_punti(riga.get('punteggio') or 0.0)}.")
        righe += [c.riga(riga.get(c.colonna)) for c in self.chiavi if c.espressione]
        posizione = riga.get("posizione")
        if posizione is not None:
            righe.append(
                f"La domanda è in posizione n. {posizione} su {self.in_graduatoria} domande in "
                "graduatoria."
            )
        finanziamento = _finanziamento(self.modo, riga)
        righe += [t for t in (self.stanziamento, self.soglia, finanziamento) if t]
        return "\n".join(righe)

    def alternative(self, riga: Mapping[str, Any]) -> list[str]:
        """For a domanda not funded (or waiting for a place): the cut-off it had to beat."""
        esito = riga["esito"].removesuffix(Esito.ESENTE_SUFFISSO)
        if self.per_rientrare is None or riga.get("posizione") is None:
            return []  # not in the graduatoria (e.g. no amount): the cut-off is not the reason
        if esito not in (Esito.NON_FINANZIATA, Esito.ATTESA):
            return []
        if esito == Esito.ATTESA:
            scopo, ultima = "ottenere un posto", "l'ultima domanda con posto assegnato"
        else:
            scopo, ultima = "essere finanziata", "l'ultima domanda finanziata"
        return [
            f"per {scopo} la domanda avrebbe dovuto precedere in graduatoria {ultima}, cioè "
            f"avere {self.per_rientrare}"
        ]
