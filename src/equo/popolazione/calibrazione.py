"""Calibration targets of a population, and how a population measures against them.

The targets are in ``dati/calibrazione.yaml`` (:func:`carica_calibrazione`), each with its value,
tolerance and sources, or labelled as an assumption. A population is measured in three steps,
so that a file of ten million nuclei can be measured one row group at a time:

1. :func:`campi_di_misura`: one row per nucleo with the quantities the targets use (size,
   minors, disabled, dwelling, rent, ISEE, citizenship, Assegno di inclusione), from the DSUs
   and the ISEE engine or, for a population of past domande, from their attestazione columns;
2. :func:`misura`: for each target a numerator and a denominator (:class:`Conteggi`, which add
   up across blocks);
3. :func:`verifica`: the achieved value of each target and whether it is within tolerance.

The size of a nucleo counts its members in the ISEE nucleo: every member but the genitore non
convivente (``GNC``), who is declared for the ISEE minorenni only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
import yaml

from equo.isee.engine import compute
from equo.isee.model import Disabilita, RapportoConDichiarante
from equo.popolazione.modello import Popolazione

__all__ = [
    "CAMPI_DI_MISURA",
    "MISURE",
    "Calibrazione",
    "Conteggi",
    "Esito",
    "Fonte",
    "Obiettivo",
    "campi_di_misura",
    "carica_calibrazione",
    "condizione",
    "misura",
    "righe_verifica",
    "verifica",
]

P = pl.col
_GNC = RapportoConDichiarante.GENITORE_NON_CONVIVENTE.value
_NESSUNA = Disabilita.NESSUNA.value
_LOCAZIONE = "locazione"


@dataclass(frozen=True)
class Fonte:
    """A source of the calibration file."""

    id: str
    titolo: str
    editore: str
    anno: int
    url: str | None
    note: str


@dataclass(frozen=True)
class Obiettivo:
    """A calibration target.

    ``misura`` names a measure of :data:`MISURE`, with its ``argomenti``; ``relativa`` says
    whether ``tolleranza`` is a fraction of ``valore`` (else it is in the unit of ``valore``).
    """

    id: str
    descrizione: str
    misura: str
    argomenti: Mapping[str, Any]
    valore: float
    unita: str
    tolleranza: float
    relativa: bool
    calibrato: bool
    assunzione: bool
    fonti: tuple[str, ...]
    note: str

    @property
    def scarto_massimo(self) -> float:
        """The largest accepted difference from ``valore``, in its unit."""
        return self.tolleranza * abs(self.valore) if self.relativa else self.tolleranza

    def rispettato(self, ottenuto: float) -> bool:
        """Whether ``ottenuto`` is within tolerance (a rounding margin of 1e-9 is allowed).

        >>> o = carica_calibrazione().obiettivo("isee_medio")
        >>> o.rispettato(o.valore * 1.049), o.rispettato(o.valore * 1.051)
        (True, False)
        """
        return abs(ottenuto - self.valore) <= self.scarto_massimo + 1e-9


@dataclass(frozen=True)
class Calibrazione:
    """The calibration file: targets, sources, generator parameters, domanda field choices."""

    obiettivi: tuple[Obiettivo, ...]
    fonti: Mapping[str, Fonte]
    parametri: Mapping[str, Any]
    campi: Mapping[str, Any]
    sha256: str

    def obiettivo(self, id: str) -> Obiettivo:
        """The target ``id``; ``KeyError`` if there is none."""
        for o in self.obiettivi:
            if o.id == id:
                return o
        raise KeyError(f"no calibration target '{id}'")


@dataclass(frozen=True)
class Conteggi:
    """Numerator and denominator of each target's measure; blocks add up with ``+``."""

    valori: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def __add__(self, other: Conteggi) -> Conteggi:
        ids = dict.fromkeys([*self.valori, *other.valori])
        return Conteggi(
            {
                i: (
                    self.valori.get(i, (0.0, 0.0))[0] + other.valori.get(i, (0.0, 0.0))[0],
                    self.valori.get(i, (0.0, 0.0))[1] + other.valori.get(i, (0.0, 0.0))[1],
                )
                for i in ids
            }
        )

    def valore(self, id: str) -> float | None:
        """The measure of target ``id`` (None if nothing was measured: denominator 0)."""
        numeratore, denominatore = self.valori.get(id, (0.0, 0.0))
        return numeratore / denominatore if denominatore else None


@dataclass(frozen=True)
class Esito:
    """A target and what a population achieves (``ottenuto`` None: not measurable)."""

    obiettivo: Obiettivo
    ottenuto: float | None

    @property
    def rispettato(self) -> bool | None:
        return None if self.ottenuto is None else self.obiettivo.rispettato(self.ottenuto)


# --- loading ---------------------------------------------------------------------------------


def _obiettivo(item: Mapping[str, Any]) -> Obiettivo:
    misura = dict(item["misura"])
    nome = misura.pop("nome")
    if nome not in MISURE:
        raise ValueError(f"calibration target '{item['id']}': unknown measure '{nome}'")
    tipo = item.get("tipo_tolleranza", "assoluta")
    if tipo not in ("assoluta", "relativa"):
        raise ValueError(f"calibration target '{item['id']}': tipo_tolleranza '{tipo}'")
    return Obiettivo(
        id=item["id"],
        descrizione=item["descrizione"],
        misura=nome,
        argomenti=misura,
        valore=float(item["valore"]),
        unita=item["unita"],
        tolleranza=float(item["tolleranza"]),
        relativa=tipo == "relativa",
        calibrato=bool(item.get("calibrato", False)),
        assunzione=bool(item.get("assunzione", False)),
        fonti=tuple(item.get("fonti", ())),
        note=" ".join(str(item.get("note", "")).split()),
    )


def _calibrazione(testo: bytes) -> Calibrazione:
    data: dict[str, Any] = yaml.safe_load(testo)
    fonti = {
        id: Fonte(
            id=id,
            titolo=f["titolo"],
            editore=f["editore"],
            anno=int(f["anno"]),
            url=f.get("url", f.get("percorso")),
            note=" ".join(str(f.get("note", "")).split()),
        )
        for id, f in data["fonti"].items()
    }
    obiettivi = tuple(_obiettivo(item) for item in data["obiettivi"])
    for o in obiettivi:
        ignote = [f for f in o.fonti if f not in fonti]
        if ignote:
            raise ValueError(f"calibration target '{o.id}': unknown sources {ignote}")
    return Calibrazione(
        obiettivi=obiettivi,
        fonti=fonti,
        parametri=data["parametri"],
        campi=data["campi"],
        sha256=hashlib.sha256(testo).hexdigest(),
    )


@cache
def _predefinita() -> Calibrazione:
    return _calibrazione(files("equo.popolazione").joinpath("dati/calibrazione.yaml").read_bytes())


def carica_calibrazione(path: Path | None = None) -> Calibrazione:
    """The calibration file ``path``, or the bundled one (``dati/calibrazione.yaml``)."""
    return _predefinita() if path is None else _calibrazione(path.read_bytes())


# --- measures --------------------------------------------------------------------------------

CAMPI_DI_MISURA: dict[str, pl.DataType] = {
    "numero_componenti": pl.Int64(),
    "con_minorenni": pl.Boolean(),
    "con_disabili": pl.Boolean(),
    "titolo_abitazione": pl.String(),
    "canone_annuo": pl.Float64(),
    "isee": pl.Float64(),
    "cittadinanza": pl.String(),
    "assegno_inclusione": pl.Boolean(),
}
"""The columns of :func:`campi_di_misura`."""


def _tra(valore: pl.Expr, argomenti: Mapping[str, Any]) -> pl.Expr:
    """``valore`` within the bounds ``da`` (≥), ``oltre`` (>), ``sotto`` (<), ``fino_a`` (≤)."""
    cond = pl.lit(True)
    if "da" in argomenti:
        cond &= valore >= argomenti["da"]
    if "oltre" in argomenti:
        cond &= valore > argomenti["oltre"]
    if "sotto" in argomenti:
        cond &= valore < argomenti["sotto"]
    if "fino_a" in argomenti:
        cond &= valore <= argomenti["fino_a"]
    if "a" in argomenti:
        cond &= valore <= argomenti["a"]
    return cond


def _quota(cond: Callable[[Mapping[str, Any]], pl.Expr], colonna: str) -> _Misura:
    return _Misura(condizione=cond, denominatore=lambda _: P(colonna).is_not_null())


@dataclass(frozen=True)
class _Misura:
    """A share (``condizione`` over ``denominatore``) or a mean (``valore`` over it)."""

    denominatore: Callable[[Mapping[str, Any]], pl.Expr]
    condizione: Callable[[Mapping[str, Any]], pl.Expr] | None = None
    valore: Callable[[Mapping[str, Any]], pl.Expr] | None = None


MISURE: Mapping[str, _Misura] = {
    "quota_componenti": _quota(lambda a: _tra(P("numero_componenti"), a), "numero_componenti"),
    "media_componenti": _Misura(
        denominatore=lambda _: P("numero_componenti").is_not_null(),
        valore=lambda _: P("numero_componenti"),
    ),
    "quota_con_minorenni": _quota(lambda _: P("con_minorenni"), "con_minorenni"),
    "quota_con_disabili": _quota(lambda _: P("con_disabili"), "con_disabili"),
    "quota_titolo_abitazione": _quota(
        lambda a: P("titolo_abitazione") == a["titolo"], "titolo_abitazione"
    ),
    "canone_medio": _Misura(
        denominatore=lambda _: (
            (P("titolo_abitazione") == _LOCAZIONE) & P("canone_annuo").is_not_null()
        ),
        valore=lambda _: P("canone_annuo"),
    ),
    "quota_isee": _quota(lambda a: _tra(P("isee"), a), "isee"),
    "isee_medio": _Misura(
        denominatore=lambda _: P("isee").is_not_null(), valore=lambda _: P("isee")
    ),
    "quota_cittadinanza": _quota(lambda a: P("cittadinanza") == a["cittadinanza"], "cittadinanza"),
    "quota_assegno_inclusione": _quota(lambda _: P("assegno_inclusione"), "assegno_inclusione"),
}
"""The measures a target may name, with their arguments (``quota_isee``: ``da``, ``oltre``,
``sotto``, ``fino_a``; ``quota_componenti``: ``da``, ``a``; ``quota_titolo_abitazione``:
``titolo``; ``quota_cittadinanza``: ``cittadinanza``)."""


def condizione(obiettivo: Obiettivo) -> pl.Expr:
    """The condition a nucleo meets to count in a share target (over :func:`campi_di_misura`)."""
    definizione = MISURE[obiettivo.misura]
    if definizione.condizione is None:
        raise ValueError(f"the target '{obiettivo.id}' is not a share")
    return definizione.condizione(obiettivo.argomenti).fill_null(False)


def _da_dsu(pop: Popolazione, isee: pl.Series | None) -> pl.DataFrame:
    """Per DSU: size, minors, disabled (members of the ISEE nucleo), dwelling, rent, ISEE."""
    assert pop.dsu is not None  # noqa: S101 - checked by the caller
    frames = pop.dsu
    n = len(frames)
    c = frames.componenti
    dsu = c["dsu_id"].to_numpy()
    nel_nucleo = (c["rapporto"] != _GNC).to_numpy()

    def conta(maschera: pl.Series | None) -> npt.NDArray[np.float64]:
        pesi = nel_nucleo if maschera is None else nel_nucleo & maschera.to_numpy()
        return np.bincount(dsu, weights=pesi, minlength=n).astype(np.float64)

    if isee is None:
        isee = compute(frames).indicatori()["isee"]
    return pl.DataFrame(
        {
            "numero_componenti": conta(None).astype(np.int64),
            "con_minorenni": conta(c["eta"] < 18) > 0,
            "con_disabili": conta(c["disabilita"] != _NESSUNA) > 0,
            "titolo_abitazione": frames.nuclei["titolo_abitazione"],
            "canone_annuo": frames.nuclei["canone_annuo"],
            "isee": isee.cast(pl.Float64),
        }
    )


def campi_di_misura(pop: Popolazione, *, isee: pl.Series | None = None) -> pl.DataFrame:
    """One row per nucleo with the columns of :data:`CAMPI_DI_MISURA` (null where unknown).

    With DSUs the composition, dwelling, rent and ISEE come from the DSUs (``isee``: the ISEE
    ordinario of each DSU if already computed, else computed here); without, from the columns
    ``numero_componenti``, ``numero_minorenni``, ``numero_disabili``, ``titolo_abitazione``,
    ``canone_annuo`` and ``isee`` of the nuclei, where present.
    """
    nuclei = pop.nuclei
    colonne: dict[str, pl.Series] = {}
    if pop.dsu is not None:
        per_dsu = _da_dsu(pop, isee)
        indice = nuclei["dsu_id"]
        for nome in per_dsu.columns:
            colonne[nome] = per_dsu[nome].gather(indice)
    else:
        presenti = set(nuclei.columns)

        def col(nome: str) -> pl.Series | None:
            return nuclei[nome] if nome in presenti else None

        if (serie := col("numero_componenti")) is not None:
            colonne["numero_componenti"] = serie
        if (serie := col("numero_minorenni")) is not None:
            colonne["con_minorenni"] = serie > 0
        if (serie := col("numero_disabili")) is not None:
            colonne["con_disabili"] = serie > 0
        for nome in ("titolo_abitazione", "canone_annuo", "isee"):
            if (serie := col(nome)) is not None:
                colonne[nome] = serie
    for nome in ("cittadinanza", "assegno_inclusione"):
        if nome in nuclei.columns:
            colonne[nome] = nuclei[nome]
    return pl.DataFrame(
        [
            colonne[nome].alias(nome).cast(dtype)
            if nome in colonne
            else pl.Series(nome, [None] * nuclei.height, dtype=dtype)
            for nome, dtype in CAMPI_DI_MISURA.items()
        ]
    )


def misura(
    pop: Popolazione,
    calibrazione: Calibrazione | None = None,
    *,
    isee: pl.Series | None = None,
) -> Conteggi:
    """Numerator and denominator of every target's measure over ``pop`` (see :func:`verifica`)."""
    calibrazione = calibrazione or carica_calibrazione()
    campi = campi_di_misura(pop, isee=isee)
    espressioni: list[pl.Expr] = []
    for o in calibrazione.obiettivi:
        definizione = MISURE[o.misura]
        den = definizione.denominatore(o.argomenti).fill_null(False)
        if definizione.condizione is not None:
            num = condizione(o) & den
            espressioni.append(num.sum().cast(pl.Float64).alias(f"n:{o.id}"))
        else:
            assert definizione.valore is not None  # noqa: S101 - every measure has one of them
            valore = definizione.valore(o.argomenti).cast(pl.Float64)
            espressioni.append(valore.filter(den).sum().alias(f"n:{o.id}"))
        espressioni.append(den.sum().cast(pl.Float64).alias(f"d:{o.id}"))
    riga = campi.select(espressioni).row(0, named=True)
    return Conteggi(
        {
            o.id: (float(riga[f"n:{o.id}"] or 0.0), float(riga[f"d:{o.id}"] or 0.0))
            for o in calibrazione.obiettivi
        }
    )


def verifica(conteggi: Conteggi, calibrazione: Calibrazione | None = None) -> list[Esito]:
    """Every target with its achieved value, in the order of the calibration file."""
    calibrazione = calibrazione or carica_calibrazione()
    return [Esito(o, conteggi.valore(o.id)) for o in calibrazione.obiettivi]


def righe_verifica(esiti: Iterable[Esito]) -> list[tuple[str, str, str, str, str]]:
    """The check as text rows: descrizione, obiettivo, ottenuto, tolleranza, esito (Italian).

    >>> o = carica_calibrazione().obiettivo("componenti_1")
    >>> righe_verifica([Esito(o, 0.2312), Esito(o, None)])
    [('Nuclei di un componente', '22,9%', '23,1%', '± 1,0 punti', 'ok'), ('Nuclei di un componente', '22,9%', 'n.d.', '± 1,0 punti', 'non misurabile')]
    """  # noqa: E501 - a doctest's expected output is one line
    righe = []
    for e in esiti:
        o = e.obiettivo
        if o.relativa:
            tolleranza = f"± {_numero(o.tolleranza * 100, 1)}%"
        elif o.unita == "quota":
            tolleranza = f"± {_numero(o.tolleranza * 100, 1)} punti"
        else:
            tolleranza = f"± {_formato(o.tolleranza, o.unita)}"
        ottenuto = "n.d." if e.ottenuto is None else _formato(e.ottenuto, o.unita)
        esito = {None: "non misurabile", True: "ok", False: "FUORI TOLLERANZA"}[e.rispettato]
        righe.append((o.descrizione, _formato(o.valore, o.unita), ottenuto, tolleranza, esito))
    return righe


def _numero(valore: float, decimali: int) -> str:
    """A number the Italian way: ``1.234,5``."""
    testo = f"{valore:,.{decimali}f}"
    return testo.replace(",", "_").replace(".", ",").replace("_", ".")


def _formato(valore: float, unita: str) -> str:
    if unita == "quota":
        return f"{_numero(valore * 100, 1)}%"
    if unita == "euro":
        return f"{_numero(valore, 2)} €"
    return _numero(valore, 2)
