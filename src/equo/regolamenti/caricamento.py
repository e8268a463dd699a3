"""Load a regolamento file: read, check its shape, compile its conditions — every problem at once.

>>> from importlib.resources import files
>>> path = files("equo.regolamenti").joinpath("esempi/asilo_nido.yaml")
>>> carica(Path(str(path))).documento.prestazione.codice_siuss
'A1.07'
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from equo.regolamenti.compilato import RegolamentoCompilato, compila
from equo.regolamenti.documento import Regolamento
from equo.regolamenti.sorgente import (
    RegolamentoNonValido,
    Sorgente,
    leggi_file,
    leggi_yaml,
    problemi_pydantic,
)

__all__ = ["carica", "carica_testo", "documento_da_sorgente"]


def documento_da_sorgente(sorgente: Sorgente) -> Regolamento:
    """The document of ``sorgente``; raise :class:`RegolamentoNonValido` on a shape problem."""
    try:
        return Regolamento.model_validate(sorgente.dati)
    except ValidationError as exc:
        raise RegolamentoNonValido(problemi_pydantic(sorgente, exc)) from None


def carica(path: Path) -> RegolamentoCompilato:
    """Read, check and compile the regolamento in ``path``."""
    sorgente = leggi_file(path)
    return compila(documento_da_sorgente(sorgente), sorgente)


def carica_testo(testo: str, file: str = "<testo>") -> RegolamentoCompilato:
    """As :func:`carica`, from YAML text (``file`` names it in messages)."""
    sorgente = leggi_yaml(testo, file)
    return compila(documento_da_sorgente(sorgente), sorgente)
