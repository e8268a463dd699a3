"""Write a report into a folder, all or nothing.

The three files (``report.html``, ``report.xlsx``, ``report.json``) are rendered in memory
first, then written into a temporary folder inside the target and moved into place one by one
with an atomic rename; on any error nothing is left (the temporary folder is removed, and so is
the target folder when this call created it). Other files in the folder are not touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from equo.simulazione.rapporto.html import rendi_html
from equo.simulazione.rapporto.modello import Rapporto
from equo.simulazione.rapporto.sintesi import sintesi
from equo.simulazione.rapporto.xlsx import rendi_xlsx

__all__ = ["FILE_RAPPORTO", "RapportoNonScrivibile", "dati_json", "scrivi_rapporto"]

FILE_RAPPORTO = ("report.html", "report.xlsx", "report.json")
FORMATO = "equo-rapporto/1"


class RapportoNonScrivibile(OSError):  # noqa: N818 - Italian name of a domain error
    """The report folder cannot be written (the message says why)."""


def dati_json(rapporto: Rapporto) -> dict[str, Any]:
    """The JSON of the report: every table of every alternative, the sweep, reproducibility."""
    return {
        "formato": FORMATO,
        "scenario": {
            "titolo": rapporto.titolo,
            "descrizione": rapporto.descrizione,
            "nuclei": rapporto.nuclei,
            "k_minimo": rapporto.k_minimo,
        },
        "sintesi": [sintesi(i) for i in rapporto.impatti],
        "impatti": [i.to_dict() for i in rapporto.impatti],
        "sweep": None
        if rapporto.sweep is None
        else {"parametro": rapporto.sweep.parametro, "punti": rapporto.sweep.punti.to_dicts()},
        "riproducibilita": dict(rapporto.riproducibilita),
    }


def scrivi_rapporto(cartella: Path, rapporto: Rapporto) -> list[Path]:
    """Write the report's files into ``cartella`` (module docstring); return their paths."""
    contenuti = {
        "report.html": rendi_html(rapporto).encode("utf-8"),
        "report.xlsx": rendi_xlsx(rapporto),
        "report.json": json.dumps(
            dati_json(rapporto), ensure_ascii=False, indent=2, default=str
        ).encode("utf-8"),
    }
    creata = not cartella.exists()
    temporanea: Path | None = None
    try:
        cartella.mkdir(parents=True, exist_ok=True)
        temporanea = Path(tempfile.mkdtemp(prefix=".report-", dir=cartella))
        for nome, dati in contenuti.items():
            with (temporanea / nome).open("xb") as fh:
                fh.write(dati)
                fh.flush()
                os.fsync(fh.fileno())
        for nome in contenuti:
            (temporanea / nome).replace(cartella / nome)
    except OSError as exc:
        if creata:
            shutil.rmtree(cartella, ignore_errors=True)
        raise RapportoNonScrivibile(
            f"{cartella}: impossibile scrivere il rapporto: {exc}"
        ) from None
    finally:
        if temporanea is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(temporanea)
    return [cartella / nome for nome in contenuti]
