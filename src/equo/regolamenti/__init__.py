"""Regulations as data: requisiti, compartecipazione, graduatorie, stanziamenti, motivazione.

A municipal regulation of a prestazione sociale agevolata is a versioned YAML document
(``schemas/regolamento.schema.json``, ``docs/guida/regolamenti.md``). The same compiled
document decides one domanda and evaluates a million in a simulation::

    from equo.regolamenti import carica, motivazione, valuta
    regolamento = carica(Path("contributo_affitto.yaml"))
    esiti = valuta(regolamento, domande)  # a Polars frame of domande
    testo = motivazione(esiti, "D1")  # the statement of reasons of one domanda, in Italian
"""

from equo.regolamenti.caricamento import carica, carica_testo
from equo.regolamenti.compilato import RegolamentoCompilato, compila
from equo.regolamenti.documento import Regolamento
from equo.regolamenti.motivazione import motivazione, motivazioni
from equo.regolamenti.sorgente import Problema, RegolamentoNonValido
from equo.regolamenti.valuta import DomandeNonValide, Esiti, Riepilogo, valuta, valuta_domanda

__all__ = [
    "DomandeNonValide",
    "Esiti",
    "Problema",
    "Regolamento",
    "RegolamentoCompilato",
    "RegolamentoNonValido",
    "Riepilogo",
    "carica",
    "carica_testo",
    "compila",
    "motivazione",
    "motivazioni",
    "valuta",
    "valuta_domanda",
]
