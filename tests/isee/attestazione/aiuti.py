"""Shared helpers for the attestazione tests: synthetic DSUs and the INPS XSD folder.

The INPS schemas are not part of Equo (no licence): tests read them from
``../shared/interop/inps-isee/`` beside the repository and skip when that folder is absent.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from equo.isee.attestazione.da_dsu import componenti_da_dsu
from equo.isee.attestazione.model import ComponentiAttestazione
from equo.isee.model import DSU
from tests.isee.builders import born_aged, build_dsu, conto_corrente, immobile, member

REPO = Path(__file__).resolve().parents[3]
XSD_DIR = REPO.parent / "shared" / "interop" / "inps-isee"

ESEMPI = sorted(
    (f for f in (resources.files("equo.isee") / "esempi").iterdir() if f.name.endswith(".json")),
    key=lambda f: f.name,
)


def xsd_dir() -> Path:
    """The folder with the INPS XSDs, or skip the test."""
    if not (XSD_DIR / "ISEE_Attestazione.xsd").is_file():
        pytest.skip(f"INPS XSD schemas not available in {XSD_DIR} (they are not part of Equo)")
    return XSD_DIR


def esempi() -> list[DSU]:
    return [DSU.model_validate_json(f.read_text(encoding="utf-8")) for f in ESEMPI]


def protocollo(anno: int, n: int) -> str:
    return f"INPS-ISEE-{anno}-{n:08d}A-00"


def con_protocollo(c: ComponentiAttestazione, n: int) -> ComponentiAttestazione:
    return c.model_copy(update={"protocollo": protocollo(c.data_presentazione.year, n)})


def disabile_2015_con_risparmi() -> DSU:
    """A single person with disabilità media, no income, 30,000 € on a current account."""
    return build_dsu(
        "2015-04-10",
        member(
            "Ferraresi", "Ottavio", "1950-02-11", "M", "D",
            disabilita="media", rapporti=[conto_corrente(30_000)],
        ),
        protocollo=protocollo(2015, 41),
    )  # fmt: skip


def famiglia_con_casa_2024() -> DSU:
    """Two working parents, a child under three, an owned home with a mortgage."""
    day = "2024-05-20"
    return build_dsu(
        day,
        member(
            "Trevisan", "Marta", "1988-07-01", "F", "D", attivita_lavorativa_6_mesi=True,
            redditi={"reddito_complessivo_irpef": 24_000, "lavoro_dipendente": 24_000},
            immobili=[immobile(180_000, mutuo_residuo=40_000, casa_abitazione=True)],
        ),
        member(
            "Trevisan", "Paolo", "1986-03-09", "M", "C", attivita_lavorativa_6_mesi=True,
            redditi={"reddito_complessivo_irpef": 18_000, "lavoro_dipendente": 18_000},
        ),
        member("Trevisan", "Nina", born_aged(1, day), "F", "F"),
        abitazione={"titolo": "proprieta"},
        protocollo=protocollo(2024, 77),
    )  # fmt: skip


def componenti(*dsus: DSU, stampato_soltanto: bool = False) -> list[ComponentiAttestazione]:
    return componenti_da_dsu(list(dsus), stampato_soltanto=stampato_soltanto)
