"""An alternative identical to its base changes nothing, in any table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from equo.simulazione import Impatto, carica_scenario, esegui, impatto
from tests.simulazione.popolazioni import CONTRIBUTO, GRADUATORIA, con_dsu, scrivi, venti

_VARIAZIONI = ("variazione", "variazione_beneficiari", "variazione_importo", "variazione_media")


def _senza_variazioni(risultato: Impatto) -> None:
    for nome, tabella in risultato.tabelle().items():
        for colonna in _VARIAZIONI:
            if colonna in tabella.columns:
                valori = tabella[colonna].drop_nulls()
                assert (valori == 0).all(), (nome, colonna)
    bande = dict(risultato.bande.select("banda", "nuclei").iter_rows())
    assert bande["invariato"] == bande[None]
    assert risultato.bande["variazione_totale"].drop_nulls().abs().sum() == 0
    movimenti = risultato.movimenti["nuclei"].drop_nulls()
    assert (movimenti == 0).all()
    for colonna in ("guadagnano", "perdono", "nuovi_ammessi", "nuovi_esclusi"):
        assert (risultato.per_comune[colonna].drop_nulls() == 0).all()
    assert risultato.nuclei.filter(pl.col("banda") != "invariato").height == 0
    if risultato.graduatoria is not None:
        g = risultato.graduatoria
        assert g.entrano in (0, None) and g.escono in (0, None)  # None: masked (below k)
        assert g.soglia_base == g.soglia_alternativa
        assert g.finanziate_base == g.finanziate_alternativa


def test_identical_alternative_on_attestazioni(tmp_path: Path) -> None:
    scrivi(tmp_path, "r.yaml", CONTRIBUTO + GRADUATORIA)
    scenario = carica_scenario(
        scrivi(
            tmp_path,
            "s.yaml",
            "formato: equo-scenario/1\ntitolo: Uguale\n"
            "base: {nome: Base, regolamento: r.yaml}\n"
            "alternative: [{nome: Uguale}]\n",
        )
    )
    esecuzione = esegui(scenario, venti())
    for k in (1, 3, 10):
        _senza_variazioni(
            impatto(
                esecuzione.base.esiti,
                esecuzione.alternative[0].esiti,
                esecuzione.domande,
                k_minimo=k,
            )
        )


def test_identical_alternative_on_dsus_with_the_same_parameter_value(tmp_path: Path) -> None:
    """Overriding a parameter with its own value recomputes the ISEE and changes nothing."""
    regolamento = Path("src/equo/regolamenti/esempi/asilo_nido.yaml").resolve()
    scenario = carica_scenario(
        scrivi(
            tmp_path,
            "s.yaml",
            f"""\
formato: equo-scenario/1
titolo: Uguale
data: 2026-05-01
assunzioni: {{in_regola_vaccinazioni: true, tempo_parziale: false}}
base: {{nome: Base, regolamento: {regolamento}}}
alternative:
  - nome: Stessa franchigia
    parametri: {{isp.franchigia_casa_abitazione: 52500}}
  - nome: Stessa soglia
    modifiche: {{importo.calcolo.lineare.a: 30000}}
""",
        )
    )
    popolazione = con_dsu(3000, seed=4)
    esecuzione = esegui(scenario, popolazione)
    assert esecuzione.base.esiti.riepilogo.ammissibili > 100
    assert scenario.base.data == dt.date(2026, 5, 1)
    for risultato in esecuzione.alternative:
        _senza_variazioni(
            impatto(esecuzione.base.esiti, risultato.esiti, esecuzione.domande, k_minimo=10)
        )
