"""The graduatoria replayed under the alternative: cut-off, funded set, who enters and leaves.

For a regolamento with a graduatoria, the **cut-off** (``soglia``) of each configuration is the
values of the ordering keys of the last funded domanda (``Riepilogo.soglia``: e.g. its points
and its ISEE), published without identifying keys (``protocollo``, ids, dates). ``entrano``
counts the nuclei funded in the alternative and not in the base; ``escono`` the reverse; the
funded set of the alternative is ``finanziate_base + entrano − escono``.

Small cells: the funded counts, the last funded positions and the cut-offs are masked when
either configuration funds between 1 and k − 1 domande (as the beneficiaries of the totals);
``entrano`` and ``escono`` are masked together if either is between 1 and k − 1, or if the
funded counts are masked (``finanziate_alternativa − finanziate_base = entrano − escono``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from equo.regolamenti.valuta import Esiti

__all__ = ["Riesame", "riesame"]

_IDENTIFICATIVI = frozenset({"protocollo", "id_domanda", "id_nucleo", "data_domanda", "data_dsu"})


@dataclass(frozen=True)
class Riesame:
    """Cut-off and funded set of the base and of the alternative (None: masked)."""

    in_graduatoria_base: int | None
    in_graduatoria_alternativa: int | None
    finanziate_base: int | None
    finanziate_alternativa: int | None
    ultima_posizione_base: int | None
    ultima_posizione_alternativa: int | None
    entrano: int | None
    escono: int | None
    soglia_base: dict[str, Any] = field(default_factory=dict)
    soglia_alternativa: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict."""
        return asdict(self)

    def tabella(self) -> pl.DataFrame:
        """``voce``, ``etichetta``, ``base``, ``alternativa`` as text (for display)."""
        voci: list[tuple[str, str, Any, Any]] = [
            (
                "in_graduatoria",
                "Domande in graduatoria",
                self.in_graduatoria_base,
                self.in_graduatoria_alternativa,
            ),
            ("finanziate", "Domande finanziate", self.finanziate_base, self.finanziate_alternativa),
            (
                "ultima_posizione",
                "Ultima posizione finanziata",
                self.ultima_posizione_base,
                self.ultima_posizione_alternativa,
            ),
        ]
        for chiave in dict.fromkeys([*self.soglia_base, *self.soglia_alternativa]):
            voci.append(
                (
                    f"soglia.{chiave}",
                    f"Soglia: {chiave} dell'ultima finanziata",
                    self.soglia_base.get(chiave),
                    self.soglia_alternativa.get(chiave),
                )
            )
        voci += [
            ("entrano", "Entrano tra le finanziate", None, self.entrano),
            ("escono", "Escono dalle finanziate", None, self.escono),
        ]
        return pl.DataFrame(
            [(v, e, _testo(b), _testo(a)) for v, e, b, a in voci],
            schema=["voce", "etichetta", "base", "alternativa"],
            orient="row",
        )


def _testo(valore: Any) -> str | None:
    return None if valore is None else str(valore)


def _piccolo(n: int, k: int) -> bool:
    return 0 < n < k


def _soglia(esiti: Esiti) -> dict[str, Any]:
    return {
        str(chiave): valore
        for chiave, valore in esiti.riepilogo.soglia.items()
        if chiave not in _IDENTIFICATIVI and isinstance(valore, int | float | bool)
    }


def riesame(base: Esiti, alternativa: Esiti, confronto: pl.DataFrame, k: int) -> Riesame | None:
    """The replay (None when neither regolamento has a graduatoria)."""
    ha = [e.regolamento.documento.graduatoria is not None for e in (base, alternativa)]
    if not any(ha):
        return None
    entrano = int(confronto["entra"].sum())
    escono = int(confronto["esce"].sum())
    finanziate_nascoste = any(_piccolo(e.riepilogo.finanziate, k) for e in (base, alternativa))
    movimenti_nascosti = _piccolo(entrano, k) or _piccolo(escono, k) or finanziate_nascoste
    valori: dict[str, Any] = {}
    for nome, esiti, presente in (("base", base, ha[0]), ("alternativa", alternativa, ha[1])):
        r = esiti.riepilogo
        valori[f"in_graduatoria_{nome}"] = (
            None if _piccolo(r.in_graduatoria, k) or not presente else r.in_graduatoria
        )
        nascosta = finanziate_nascoste or not presente
        valori[f"finanziate_{nome}"] = None if nascosta else r.finanziate
        valori[f"ultima_posizione_{nome}"] = None if nascosta else r.ultima_posizione_finanziata
        valori[f"soglia_{nome}"] = {} if nascosta else _soglia(esiti)
    return Riesame(
        entrano=None if movimenti_nascosti else entrano,
        escono=None if movimenti_nascosti else escono,
        **valori,
    )
