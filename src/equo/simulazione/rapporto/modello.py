"""What a report holds: the impacts, the sweep, and how to reproduce the run.

:class:`Rapporto` is plain data: the scenario's title, the :class:`~equo.simulazione.impatto.
Impatto` of each alternative (only their publishable tables are used), an optional
:class:`Sweep`, and the reproducibility block built by :func:`riproducibilita` — the
population file with its SHA-256 and generator metadata (seed), each configuration's
regolamento (codice, versione, file and SHA-256), its changes and national parameter
overrides, the date, k, the Equo version, the command line and when the report was made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

import equo
from equo.simulazione.impatto import Impatto
from equo.simulazione.scenario import Configurazione, Scenario

__all__ = ["Rapporto", "Sweep", "riproducibilita", "sha256_file"]


@dataclass(frozen=True)
class Sweep:
    """A parameter sweep of the base: one row per value (:func:`~equo.simulazione.sweep`)."""

    parametro: str
    punti: pl.DataFrame


@dataclass(frozen=True)
class Rapporto:
    """Everything a report shows (module docstring)."""

    titolo: str
    nuclei: int
    k_minimo: int
    impatti: tuple[Impatto, ...]
    descrizione: str | None = None
    sweep: Sweep | None = None
    riproducibilita: Mapping[str, Any] = field(default_factory=dict)

    @property
    def tipo_importo(self) -> str:
        """``contributo``, ``compartecipazione`` or ``nessuno`` (the base's)."""
        return self.impatti[0].tipo_importo if self.impatti else "nessuno"


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for blocco in iter(lambda: fh.read(1 << 20), b""):
            digest.update(blocco)
    return digest.hexdigest()


def _file(path: Path | None) -> dict[str, Any]:
    if path is None or not path.is_file():
        return {"file": None if path is None else path.name, "sha256": None}
    return {"file": path.name, "sha256": sha256_file(path)}


def _file_regolamento(scenario: Scenario, configurazione: Configurazione) -> Path | None:
    """The regolamento file a configuration starts from (before its ``modifiche``)."""
    if not configurazione.modifiche:
        return Path(configurazione.regolamento.file)
    dati = scenario.sorgente.dati if scenario.sorgente is not None else None
    percorso = configurazione.percorso
    if isinstance(dati, Mapping) and len(percorso) == 2 and percorso[0] == "alternative":
        alternative = dati.get("alternative")
        if isinstance(alternative, list) and isinstance(percorso[1], int):
            propria = alternative[percorso[1]].get("regolamento")
            if isinstance(propria, str):
                return (Path(scenario.file).parent / propria).resolve()
    return Path(scenario.base.regolamento.file)


def _valore(valore: Any) -> Any:
    return valore.isoformat() if isinstance(valore, dt.date) else valore


def _configurazione(scenario: Scenario, configurazione: Configurazione) -> dict[str, Any]:
    documento = configurazione.regolamento.documento
    return {
        "nome": configurazione.nome,
        "ruolo": "base" if configurazione is scenario.base else "alternativa",
        "regolamento": {
            "codice": documento.codice,
            "versione": documento.versione,
            "titolo": documento.titolo,
            **_file(_file_regolamento(scenario, configurazione)),
        },
        "modifiche": {k: _valore(v) for k, v in configurazione.modifiche.items()},
        "parametri": {s.nome: _valore(s.valore) for s in configurazione.parametri},
        "data": _valore(configurazione.data),
    }


def riproducibilita(
    scenario: Scenario,
    *,
    popolazione_file: Path | None,
    metadati_popolazione: Mapping[str, str],
    nuclei: int,
    k_minimo: int,
    comando: Sequence[str] = (),
    sweep: Mapping[str, Any] | None = None,
    adesso: dt.datetime | None = None,
) -> dict[str, Any]:
    """The reproducibility block of a report (JSON-able; module docstring)."""
    adesso = adesso or dt.datetime.now(dt.UTC)
    return {
        "generato_il": adesso.isoformat(timespec="seconds"),
        "versione_equo": equo.__version__,
        "comando": " ".join(comando),
        "scenario": {"titolo": scenario.titolo, **_file(Path(scenario.file))},
        "popolazione": {
            **_file(popolazione_file),
            "nuclei": nuclei,
            "seme": metadati_popolazione.get("seme"),
            "metadati": dict(metadati_popolazione),
        },
        "data": _valore(scenario.data),
        "k_minimo": k_minimo,
        "configurazioni": [_configurazione(scenario, c) for c in scenario.configurazioni],
        "sweep": dict(sweep) if sweep is not None else None,
    }
