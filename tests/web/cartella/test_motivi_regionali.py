"""Closure reasons mapped to a region's codes: the optional CSV named by
EQUO_MOTIVI_CHIUSURA_REGIONALI, validated by a system check that names the line, exposed by
Chiusura.codice_regionale and shown on the case page next to the SINBA code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.test import Client, override_settings
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.cartella.codici import codice_regionale, motivi_chiusura
from equo.web.cartella.models import Chiusura, StatoCaso
from tests.web.cartella import fabbrica
from tests.web.conftest import Enti

ESEMPIO = Path(__file__).parents[3] / "examples/cartella/motivi_chiusura_regionali.esempio.csv"


def _file(cartella: Path, testo: str) -> str:
    percorso = cartella / "regionali.csv"
    percorso.write_text(testo, encoding="utf-8")
    return str(percorso)


def _errori(percorso: str) -> list[str]:
    with override_settings(EQUO_MOTIVI_CHIUSURA_REGIONALI=percorso):
        return [m.msg for m in run_checks() if m.id == "cartella.E001"]


def test_without_the_setting_there_is_no_regional_code() -> None:
    with override_settings(EQUO_MOTIVI_CHIUSURA_REGIONALI=""):
        assert codice_regionale("decesso") is None
        assert Chiusura(motivo="decesso").codice_regionale == ""
    assert _errori("") == []


def test_the_invented_example_is_valid_and_covers_every_reason() -> None:
    assert _errori(str(ESEMPIO)) == []
    with override_settings(EQUO_MOTIVI_CHIUSURA_REGIONALI=str(ESEMPIO)):
        for motivo in motivi_chiusura():
            riga = codice_regionale(motivo.codice)
            assert riga is not None, motivo.codice
            assert "ESEMPIO INVENTATO" in riga.etichetta_regionale


@pytest.mark.parametrize(
    ("testo", "atteso"),
    [
        (
            "codice,codice_regionale,etichetta_regionale\ndecesso,R8,Decesso\nsconosciuto,R9,X\n",
            "line 3: unknown closure reason code 'sconosciuto'",
        ),
        (
            "codice,codice_regionale,etichetta_regionale\ndecesso,R8,D\ndecesso,R9,D\n",
            "line 3: code 'decesso' already mapped on line 2",
        ),
        (
            "codice,etichetta_regionale\ndecesso,Decesso\n",
            "line 1: missing column(s) codice_regionale",
        ),
        (
            "codice,codice_regionale,etichetta_regionale\ndecesso,,Decesso\n",
            "line 2: empty codice_regionale for 'decesso'",
        ),
    ],
)
def test_a_broken_file_fails_the_system_check_naming_the_line(
    tmp_path: Path, testo: str, atteso: str
) -> None:
    percorso = _file(tmp_path, testo)
    errori = _errori(percorso)
    assert len(errori) == 1
    assert errori[0] == f"{percorso}, {atteso}."
    with override_settings(EQUO_MOTIVI_CHIUSURA_REGIONALI=percorso):
        assert codice_regionale("decesso") is None  # a broken file maps nothing


def test_a_missing_file_fails_the_system_check(tmp_path: Path) -> None:
    errori = _errori(str(tmp_path / "manca.csv"))
    assert len(errori) == 1
    assert "cannot read the file" in errori[0]


@pytest.mark.django_db
def test_the_case_page_shows_the_regional_code_next_to_sinba(
    tmp_path: Path,
    enti: Enti,
    anna: Utente,
    franco: Utente,
    persona_di_anna: Persona,
    client_di: Callable[[Utente], Client],
) -> None:
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna)
    fabbrica.porta_a(caso, StatoCaso.CHIUSO, anna, franco)  # motivo: bisogno_risolto
    percorso = _file(
        tmp_path, "codice,codice_regionale,etichetta_regionale\nbisogno_risolto,LOM-4,Risolto\n"
    )
    url = reverse("cartella:caso", kwargs={"pk": caso.pk})
    with override_settings(EQUO_MOTIVI_CHIUSURA_REGIONALI=percorso):
        chiusura = Chiusura.objects.senza_scope().get(caso=caso)
        assert chiusura.codice_regionale == "LOM-4"
        pagina = client_di(anna).get(url).content.decode()
    assert "SINBA 4; codice regionale LOM-4" in pagina
    assert "codice regionale" not in client_di(anna).get(url).content.decode()
