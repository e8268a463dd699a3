"""How a motivazione names and writes the fields of a domanda.

:class:`Voci` is prepared once per regolamento from its vocabulary: a short Italian name for each
field (from the first words of its description in ``vocabolario.yaml`` or ``campi_domanda``)
and its value written by type — euros as ``12.345,67 €``, dates as ``04/05/2026``, booleans as
``sì``/``no``, a missing value as :data:`NON_PRESENTE`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from equo.isee.format import euro
from equo.regolamenti.descrivi import data_breve, numero_breve
from equo.regolamenti.documento import TipoCampo
from equo.regolamenti.vocabolario import Campo

__all__ = ["NON_PRESENTE", "Voci", "articolo"]

NON_PRESENTE = "dato non presente nella domanda"
"""How a value missing from the domanda is written."""

_INDICATORI = {"isee": "ISEE", "ise": "ISE", "isr": "ISR", "isp": "ISP"}
_NOMI = {
    "id_domanda": "identificativo della domanda",
    "data_domanda": "data di presentazione della domanda",
}
"""Names of fields whose description does not start with a usable name."""


def articolo(testo: str | None) -> str:
    """`` (art. 3, c. 1)`` or nothing.

    >>> articolo("art. 3"), articolo(None)
    (' (art. 3)', '')
    """
    return f" ({testo})" if testo else ""


def _etichetta(campo: Campo) -> str:
    """A short Italian name of a field, from the first words of its description."""
    if campo.nome in _NOMI:
        return _NOMI[campo.nome]
    testo = re.split(r" \(|;|:", campo.descrizione, maxsplit=1)[0].strip().rstrip(".")
    if not testo or testo.startswith("'"):
        return campo.nome.replace("_", " ")
    return testo if testo[:2].isupper() else testo[0].lower() + testo[1:]


@dataclass(frozen=True)
class Voci:
    """How the fields of one regolamento are named and written in a motivazione."""

    etichette: Mapping[str, str]
    tipi: Mapping[str, TipoCampo]

    @classmethod
    def di(cls, campi: Mapping[str, Campo]) -> Voci:
        """The names and types of ``campi`` (a regolamento's vocabulary)."""
        return cls(
            {nome: _etichetta(c) for nome, c in campi.items()},
            {nome: c.tipo for nome, c in campi.items()},
        )

    def nome(self, campo: str) -> str:
        """``valore ISEE dell'attestazione``; the field's own name if it is not known."""
        return self.etichette.get(campo, campo)

    def indicatore(self, campo: str) -> str:
        """How a value is introduced in a hypothesis: ``un ISEE`` or ``il dato «età»``.

        >>> Voci({"eta": "età"}, {}).indicatore("isee"), Voci({"eta": "età"}, {}).indicatore("eta")
        ('un ISEE', 'il dato «età»')
        """
        sigla = _INDICATORI.get(campo)
        return f"un {sigla}" if sigla else f"il dato «{self.nome(campo)}»"

    def sigla(self, campo: str) -> str:
        """``ISEE`` for the indicators, the field's name otherwise."""
        return _INDICATORI.get(campo) or self.nome(campo)

    def misura(self, campo: str, valore: float) -> str:
        """A number in the unit of ``campo``: euros for amounts (and unknown fields)."""
        if self.in_euro(campo):
            return euro(valore)
        intero = self.tipi.get(campo) is TipoCampo.intero and valore == int(valore)
        return str(int(valore)) if intero else numero_breve(valore)

    def in_euro(self, campo: str) -> bool:
        """Whether ``campo`` is an amount in euros (unknown fields are: bounds of fasce are)."""
        return self.tipi.get(campo, TipoCampo.euro) is TipoCampo.euro

    def valore(self, campo: str, valore: Any) -> str:
        """The value of ``campo`` as the motivazione writes it.

        >>> v = Voci({}, {"isee": TipoCampo.euro, "ok": TipoCampo.booleano})
        >>> v.valore("isee", 12345.67), v.valore("ok", False), v.valore("isee", None)
        ('12.345,67 €', 'no', 'dato non presente nella domanda')
        """
        if valore is None:
            return NON_PRESENTE
        tipo = self.tipi.get(campo, TipoCampo.testo)
        if tipo is TipoCampo.booleano or isinstance(valore, bool):
            return "sì" if valore else "no"
        if isinstance(valore, dt.date):
            return data_breve(valore)
        if tipo is TipoCampo.euro and isinstance(valore, int | float):
            return euro(valore)
        if isinstance(valore, int):
            return str(valore)
        if isinstance(valore, float):
            return numero_breve(valore)
        return f"«{valore}»"

    def dati(self, campi: Iterable[str], riga: Mapping[str, Any]) -> str:
        """``valore ISEE dell'attestazione: 12.000,00 €; …`` for the fields in ``campi``."""
        return "; ".join(f"{self.nome(c)}: {self.valore(c, riga.get(c))}" for c in campi)

    def mancanti(self, campi: Iterable[str], riga: Mapping[str, Any]) -> list[str]:
        """The names (``«età»``) of the fields in ``campi`` missing from ``riga``."""
        return [f"«{self.nome(c)}»" for c in campi if riga.get(c) is None]
