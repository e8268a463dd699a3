"""The impact of an alternative against the base: plain tables, small cells masked.

:func:`impatto` compares the esiti of the base and of an alternative on the same domande
(:mod:`.confronto` defines the amount of a nucleo, :mod:`.bande` the five bands,
:mod:`.decili` the deciles, :mod:`.tipologie` the household types, :mod:`.riesame` the
graduatoria replay) and returns an :class:`Impatto` whose tables are ready to publish: every
cell that describes between 1 and k − 1 nuclei is null, with its complements
(:mod:`.soppressione`). The per-nucleo comparison (``Impatto.nuclei``) is not published.

Tables (Italian column names):

``totali``
    ``voce`` (nuclei, ammessi, beneficiari, importo_totale, importo_medio), ``etichetta``,
    ``base``, ``alternativa``, ``variazione``. *Beneficiari* are the funded domande
    (``finanziata``); *importo_totale* the contributi paid (contributo) or the fees
    collected (compartecipazione); *importo_medio* per beneficiary.
``movimenti``
    ``voce`` (nuovi_ammessi, nuovi_esclusi, nuovi_beneficiari, ex_beneficiari),
    ``etichetta``, ``nuclei``: admitted only in the alternative, only in the base; funded only
    in the alternative, only in the base.
``bande``
    ``banda``, ``etichetta``, ``nuclei``, ``quota`` (% of the nuclei), ``variazione_totale``
    and ``variazione_media`` (of the amount, alternativa − base) for each band and ``Totale``.
``bande_per_decile``
    ``decile`` (null: without ISEE or the total), ``etichetta``, one count column per band,
    ``totale``.
``per_decile``, ``per_comune``, ``per_tipologia``
    the group (``decile`` with ``isee_fino_a``, ``comune``, ``tipologia``), ``etichetta``,
    ``nuclei``, ``beneficiari_base``, ``beneficiari_alternativa``, ``variazione_beneficiari``,
    ``importo_base``, ``importo_alternativa``, ``variazione_importo``, ``variazione_media`` (per
    nucleo of the group), ``nuovi_ammessi``, ``nuovi_esclusi``; by Comune and type also
    ``guadagnano`` and ``perdono`` (nuclei in the gaining and losing bands); the last row is
    ``Totale``; ``riservata`` marks a group below k.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from equo.regolamenti.valuta import Esiti
from equo.simulazione.confronto import confronta, tipo_importo
from equo.simulazione.decili import limiti_decili
from equo.simulazione.gruppi import gruppi
from equo.simulazione.riesame import Riesame, riesame
from equo.simulazione.tabelle_bande import bande as tabella_bande
from equo.simulazione.tabelle_bande import bande_per_decile, etichetta_decile
from equo.simulazione.tipologie import TIPOLOGIE

__all__ = ["Impatto", "impatto"]


@dataclass(frozen=True)
class Impatto:
    """The impact of one alternative: publishable tables and the per-nucleo comparison."""

    base: str
    alternativa: str
    tipo_importo: str
    """``contributo``, ``compartecipazione`` or ``nessuno``."""
    k_minimo: int
    totali: pl.DataFrame
    movimenti: pl.DataFrame
    bande: pl.DataFrame
    bande_per_decile: pl.DataFrame
    per_decile: pl.DataFrame
    per_comune: pl.DataFrame
    per_tipologia: pl.DataFrame
    graduatoria: Riesame | None
    nuclei: pl.DataFrame
    """One row per nucleo (:mod:`.confronto`): for analysis in the office, never published."""

    def tabelle(self) -> dict[str, pl.DataFrame]:
        """The publishable tables by name (the graduatoria replay as a table when present)."""
        tabelle = {
            "totali": self.totali,
            "movimenti": self.movimenti,
            "bande": self.bande,
            "bande_per_decile": self.bande_per_decile,
            "per_decile": self.per_decile,
            "per_comune": self.per_comune,
            "per_tipologia": self.per_tipologia,
        }
        if self.graduatoria is not None:
            tabelle["graduatoria"] = self.graduatoria.tabella()
        return tabelle

    def to_dict(self) -> dict[str, Any]:
        """Everything publishable as JSON-able data (tables as lists of rows)."""
        tabelle = {
            nome: tabella.to_dicts()
            for nome, tabella in self.tabelle().items()
            if nome != "graduatoria"
        }
        return {
            "base": self.base,
            "alternativa": self.alternativa,
            "tipo_importo": self.tipo_importo,
            "k_minimo": self.k_minimo,
            **tabelle,
            "graduatoria": None if self.graduatoria is None else self.graduatoria.to_dict(),
        }


def _piccolo(n: int, k: int) -> bool:
    return 0 < n < k


def _totali(
    confronto: pl.DataFrame, k: int, tipo: str
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, bool]]:
    """The totals and the movements, and which of their families are masked."""
    c = confronto
    n = c.height
    conti = {
        "ammessi": (int(c["ammessa_base"].sum()), int(c["ammessa_alternativa"].sum())),
        "beneficiari": (
            int(c["beneficiario_base"].sum()),
            int(c["beneficiario_alternativa"].sum()),
        ),
    }
    importi = (int(c["importo_base_c"].sum()), int(c["importo_alternativa_c"].sum()))
    movimenti = {
        "nuovi_ammessi": int((c["ammessa_alternativa"] & ~c["ammessa_base"]).sum()),
        "nuovi_esclusi": int((c["ammessa_base"] & ~c["ammessa_alternativa"]).sum()),
        "nuovi_beneficiari": int(c["entra"].sum()),
        "ex_beneficiari": int(c["esce"].sum()),
    }
    tutto = _piccolo(n, k)
    nascosti = {
        "nuclei": tutto,
        "ammessi": tutto or any(_piccolo(v, k) for v in conti["ammessi"]),
        "beneficiari": tutto or any(_piccolo(v, k) for v in conti["beneficiari"]),
        "nuovi_ammessi": tutto
        or _piccolo(movimenti["nuovi_ammessi"], k)
        or _piccolo(movimenti["nuovi_esclusi"], k),
        "nuovi_beneficiari": tutto
        or _piccolo(movimenti["nuovi_beneficiari"], k)
        or _piccolo(movimenti["ex_beneficiari"], k),
    }
    # the movements give the change of the admitted and of the beneficiaries (and, when the
    # admitted are the beneficiaries, of each other): masked with them
    nascosti["nuovi_ammessi"] |= nascosti["ammessi"] or nascosti["beneficiari"]
    nascosti["nuovi_beneficiari"] |= nascosti["ammessi"] or nascosti["beneficiari"]
    nascosti["nuovi_esclusi"] = nascosti["nuovi_ammessi"]
    nascosti["ex_beneficiari"] = nascosti["nuovi_beneficiari"]
    nascosti["movimenti"] = nascosti["nuovi_ammessi"]
    medi = [
        importi[i] / 100 / conti["beneficiari"][i] if conti["beneficiari"][i] else None
        for i in (0, 1)
    ]
    voci: list[tuple[str, str, float | None, float | None, str]] = [
        ("nuclei", "Nuclei della popolazione", n, n, "nuclei"),
        ("ammessi", "Domande ammesse", *conti["ammessi"], "ammessi"),
        ("beneficiari", "Beneficiari (domande finanziate)", *conti["beneficiari"], "beneficiari"),
        (
            "importo_totale",
            _etichetta_importo(tipo),
            importi[0] / 100,
            importi[1] / 100,
            "beneficiari",
        ),
        ("importo_medio", "Importo medio per beneficiario", medi[0], medi[1], "beneficiari"),
    ]
    righe = []
    for voce, etichetta, base, alt, famiglia in voci:
        if nascosti[famiglia]:
            base = alt = None
        variazione = None if base is None or alt is None else round(alt - base, 2)
        righe.append((voce, etichetta, _arrotonda(base), _arrotonda(alt), variazione))
    totali = pl.DataFrame(
        righe,
        schema={
            "voce": pl.String,
            "etichetta": pl.String,
            "base": pl.Float64,
            "alternativa": pl.Float64,
            "variazione": pl.Float64,
        },
        orient="row",
    )
    etichette = {
        "nuovi_ammessi": "Ammessi solo con l'alternativa",
        "nuovi_esclusi": "Ammessi solo con la base (esclusi dall'alternativa)",
        "nuovi_beneficiari": "Finanziati solo con l'alternativa",
        "ex_beneficiari": "Finanziati solo con la base",
    }
    mov = pl.DataFrame(
        [(v, etichette[v], None if nascosti[v] else movimenti[v]) for v in movimenti],
        schema={"voce": pl.String, "etichetta": pl.String, "nuclei": pl.Int64},
        orient="row",
    )
    return totali, mov, nascosti


def _arrotonda(valore: float | None) -> float | None:
    return None if valore is None else round(float(valore), 2)


def _etichetta_importo(tipo: str) -> str:
    return {
        "contributo": "Contributi assegnati (euro)",
        "compartecipazione": "Rette pagate dai beneficiari (euro)",
    }.get(tipo, "Importo totale (euro)")


def impatto(
    base: Esiti,
    alternativa: Esiti,
    nuclei: pl.DataFrame,
    *,
    k_minimo: int = 10,
    nome_base: str = "base",
    nome_alternativa: str = "alternativa",
) -> Impatto:
    """The impact of ``alternativa`` against ``base`` (module docstring).

    ``nuclei`` is the base's frame of domande (``id_domanda``, and ``isee``,
    ``comune_residenza`` and the composition counts when known).
    """
    k = k_minimo
    confronto = confronta(base, alternativa, nuclei)
    totali, movimenti, nascosti = _totali(confronto, k, tipo_importo(base))
    decili: list[int | None] = sorted(
        {d for d in confronto["decile"].unique().to_list() if d is not None}
    )
    if confronto["decile"].null_count():
        decili.append(None)
    per_decile_e_banda, incrocio = bande_per_decile(confronto, decili, k)
    bande = tabella_bande(confronto, incrocio, nascosti, k)
    nascosti_bande = dict(nascosti)
    nascosti_bande["guadagnano"] = bool(incrocio.somme[0])
    nascosti_bande["perdono"] = bool(incrocio.somme[1])
    limiti = limiti_decili(confronto["isee_base"])
    per_decile = gruppi(
        confronto,
        "decile",
        decili,
        {d: etichetta_decile(d) for d in decili},
        k=k,
        con_bande=False,
        nascosti=nascosti,
        forzate={"nuclei": incrocio.righe},
    ).with_columns(
        pl.col("decile")
        .replace_strict(
            dict(zip(range(1, 10), limiti, strict=False)), default=None, return_dtype=pl.Float64
        )
        .alias("isee_fino_a")
    )
    comuni = sorted(confronto["comune"].unique().to_list())
    per_comune = gruppi(
        confronto,
        "comune",
        comuni,
        {c: c for c in comuni},
        k=k,
        con_bande=True,
        nascosti=nascosti_bande,
    )
    per_tipologia = gruppi(
        confronto,
        "tipologia",
        [t for t, _ in TIPOLOGIE],
        dict(TIPOLOGIE),
        k=k,
        con_bande=True,
        nascosti=nascosti_bande,
    )
    return Impatto(
        base=nome_base,
        alternativa=nome_alternativa,
        tipo_importo=tipo_importo(base),
        k_minimo=k,
        totali=totali,
        movimenti=movimenti,
        bande=bande,
        bande_per_decile=per_decile_e_banda,
        per_decile=per_decile.select(
            "decile",
            "etichetta",
            "isee_fino_a",
            *[c for c in per_decile.columns if c not in ("decile", "etichetta", "isee_fino_a")],
        ),
        per_comune=per_comune.select("comune", "etichetta", pl.exclude("comune", "etichetta")),
        per_tipologia=per_tipologia.select(
            "tipologia", "etichetta", pl.exclude("tipologia", "etichetta")
        ),
        graduatoria=riesame(base, alternativa, confronto, k),
        nuclei=confronto,
    )
