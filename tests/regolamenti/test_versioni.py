"""Versions of one regolamento: consistency checks, the version in force, the vectorised choice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from equo.regolamenti.documento import Regolamento
from equo.regolamenti.sorgente import Problema, RegolamentoNonValido, leggi_yaml
from equo.regolamenti.versioni import NessunaVersioneInVigore, Versioni, carica_versioni
from tests.regolamenti.builders import documento

TEMPLATE = """\
formato: equo-regolamento/1
codice: {codice}
versione: "{versione}"
titolo: Prova
ente: {{nome: Comune di Prova}}
prestazione: {{nome: Prova, codice_siuss: A1.04, area_utenza: povertà}}
delibera: {{numero: "1", data: 2026-01-10}}
vigenza: {{dal: {dal}{al}}}
"""
RIGA_CODICE, RIGA_VERSIONE, RIGA_VIGENZA = 2, 3, 8


def yaml_versione(versione: str, dal: str, al: str | None = None, codice: str = "prova") -> str:
    """A minimal version as YAML, with codice, versione and vigenza on known lines."""
    fine = "" if al is None else f", al: {al}"
    return TEMPLATE.format(codice=codice, versione=versione, dal=dal, al=fine)


def scrivi(cartella: Path, nome: str, contenuto: str) -> Path:
    path = cartella / nome
    path.write_text(contenuto, encoding="utf-8")
    return path


def versione(etichetta: str, dal: dt.date, al: dt.date | None = None) -> Regolamento:
    return Regolamento.model_validate(documento(versione=etichetta, vigenza={"dal": dal, "al": al}))


def problemi(paths: list[Path]) -> list[Problema]:
    with pytest.raises(RegolamentoNonValido) as raised:
        carica_versioni(paths)
    return raised.value.problemi


D = dt.date


@pytest.fixture
def tre() -> Versioni:
    """2026 (whole year), a gap in January 2027, then from February 2027 on, open."""
    return Versioni(
        [
            (versione("2027", D(2027, 2, 1)), "c.yaml"),
            (versione("2026", D(2026, 1, 1), D(2026, 12, 31)), "a.yaml"),
            (versione("2025", D(2025, 1, 1), D(2025, 12, 31)), "b.yaml"),
        ]
    )


def test_it_orders_the_versions_by_first_day_in_force(tre: Versioni) -> None:
    assert [r.versione for r in tre.ordinate()] == ["2025", "2026", "2027"]
    assert [v.file for v in tre.voci] == ["b.yaml", "a.yaml", "c.yaml"]
    assert [r.versione for r in tre] == ["2025", "2026", "2027"]
    assert len(tre) == 3
    assert tre.codice == "prova"


def test_it_rejects_overlapping_vigenze_at_the_line_of_the_later_file(tmp_path: Path) -> None:
    a = scrivi(tmp_path, "a.yaml", yaml_versione("1", "2026-01-01", "2026-12-31"))
    b = scrivi(tmp_path, "b.yaml", yaml_versione("2", "2026-12-01", "2027-06-30"))
    assert problemi([b, a]) == [
        Problema(
            str(b),
            RIGA_VIGENZA,
            "vigenza",
            "la vigenza della versione 2 (dal 01/12/2026 al 30/06/2027) si sovrappone a quella "
            f"della versione 1 di {a} (dal 01/01/2026 al 31/12/2026): per 31 giorni (dal "
            "01/12/2026 al 31/12/2026) sarebbero in vigore entrambe",
        )
    ]


def test_it_rejects_an_open_vigenza_followed_by_another_version(tmp_path: Path) -> None:
    a = scrivi(tmp_path, "a.yaml", yaml_versione("1", "2026-01-01"))
    b = scrivi(tmp_path, "b.yaml", yaml_versione("2", "2027-01-01"))
    (problema,) = problemi([a, b])
    assert str(problema) == (
        f"{b}:{RIGA_VIGENZA}: vigenza: la vigenza della versione 2 (dal 01/01/2027) si "
        f"sovrappone a quella della versione 1 di {a} (dal 01/01/2026): dal 01/01/2027 in poi "
        "sarebbero in vigore entrambe"
    )


def test_it_counts_a_single_shared_day_as_an_overlap() -> None:
    sorgenti = [
        leggi_yaml(yaml_versione("1", "2026-01-01", "2026-06-30"), "a.yaml"),
        leggi_yaml(yaml_versione("2", "2026-06-30", "2026-12-31"), "b.yaml"),
    ]
    with pytest.raises(RegolamentoNonValido) as raised:
        Versioni((Regolamento.model_validate(s.dati), s) for s in sorgenti)
    (problema,) = raised.value.problemi
    assert (problema.file, problema.riga) == ("b.yaml", RIGA_VIGENZA)
    assert problema.messaggio.endswith(
        ": per un giorno (il 30/06/2026) sarebbero in vigore entrambe"
    )


def test_it_reports_every_pair_of_overlapping_versions() -> None:
    voci = [
        (versione("1", D(2026, 1, 1)), "a.yaml"),
        (versione("2", D(2026, 3, 1), D(2026, 3, 31)), "b.yaml"),
        (versione("3", D(2026, 5, 1)), "c.yaml"),
    ]
    with pytest.raises(RegolamentoNonValido) as raised:
        Versioni(voci)
    coppie = [(p.file, p.messaggio.split(" di ")[1].split(" ")[0]) for p in raised.value.problemi]
    assert coppie == [("b.yaml", "a.yaml"), ("c.yaml", "a.yaml")]


def test_it_rejects_versions_with_different_codici(tmp_path: Path) -> None:
    a = scrivi(tmp_path, "a.yaml", yaml_versione("1", "2026-01-01", "2026-12-31"))
    b = scrivi(tmp_path, "b.yaml", yaml_versione("2", "2027-01-01", codice="altro"))
    assert problemi([a, b]) == [
        Problema(
            str(b),
            RIGA_CODICE,
            "codice",
            f"il codice «altro» è diverso da «prova» di {a}: le versioni di uno stesso "
            "regolamento devono avere lo stesso codice",
        )
    ]


def test_it_rejects_two_versions_with_the_same_label(tmp_path: Path) -> None:
    a = scrivi(tmp_path, "a.yaml", yaml_versione("1", "2026-01-01", "2026-12-31"))
    b = scrivi(tmp_path, "b.yaml", yaml_versione("1", "2027-01-01"))
    assert problemi([a, b]) == [
        Problema(
            str(b),
            RIGA_VERSIONE,
            "versione",
            f"la versione «1» è già usata da {a}: ogni versione deve avere un'etichetta diversa",
        )
    ]


def test_it_collects_the_problems_of_every_file_before_raising(tmp_path: Path) -> None:
    rotto = scrivi(tmp_path, "rotto.yaml", "formato: [\n")
    incompleto = scrivi(
        tmp_path, "incompleto.yaml", yaml_versione("1", "2026-01-01").replace("titolo: Prova\n", "")
    )
    buono = scrivi(tmp_path, "buono.yaml", yaml_versione("2", "2027-01-01"))
    altro = scrivi(tmp_path, "altro.yaml", yaml_versione("3", "2027-06-01", codice="altro"))
    found = problemi([rotto, incompleto, buono, altro])
    assert [(p.file, p.campo) for p in found] == [
        (str(rotto), ""),
        (str(incompleto), "titolo"),
        (str(altro), "codice"),
        (str(altro), "vigenza"),
    ]
    assert found[0].messaggio.startswith("sintassi YAML non valida")
    assert found[1].messaggio == "campo obbligatorio mancante"


def test_a_directory_means_every_yaml_file_in_it(tmp_path: Path) -> None:
    scrivi(tmp_path, "b.yml", yaml_versione("2", "2027-01-01"))
    scrivi(tmp_path, "a.yaml", yaml_versione("1", "2026-01-01", "2026-12-31"))
    scrivi(tmp_path, "leggimi.txt", "non è un regolamento")
    versioni = carica_versioni([tmp_path, tmp_path / "a.yaml"])
    assert [v.file for v in versioni.voci] == [str(tmp_path / "a.yaml"), str(tmp_path / "b.yml")]
    assert versioni.voci[0].sorgente is not None


def test_an_empty_directory_is_a_problem(tmp_path: Path) -> None:
    assert problemi([tmp_path]) == [
        Problema(str(tmp_path), None, "", "la cartella non contiene file .yaml o .yml")
    ]


def test_no_version_at_all_is_a_problem() -> None:
    assert problemi([]) == [Problema("", None, "", "nessun file di regolamento indicato")]
    with pytest.raises(RegolamentoNonValido, match="nessuna versione del regolamento"):
        Versioni([])


def test_lacune_lists_the_days_no_version_covers(tre: Versioni) -> None:
    assert tre.lacune() == [(D(2027, 1, 1), D(2027, 1, 31))]


def test_contiguous_versions_leave_no_lacune() -> None:
    versioni = Versioni(
        [
            (versione("1", D(2026, 1, 1), D(2026, 6, 30)), "a.yaml"),
            (versione("2", D(2026, 7, 1), D(2026, 12, 31)), "b.yaml"),
        ]
    )
    assert versioni.lacune() == []


@pytest.mark.parametrize(
    ("giorno", "attesa"),
    [
        (D(2025, 1, 1), "2025"),  # first day of the first version
        (D(2025, 12, 31), "2025"),  # its last day
        (D(2026, 1, 1), "2026"),  # the day after: the next version
        (D(2026, 12, 31), "2026"),
        (D(2027, 2, 1), "2027"),  # first day of an open vigenza
        (D(2099, 12, 31), "2027"),
    ],
)
def test_in_vigore_on_the_boundary_days(tre: Versioni, giorno: dt.date, attesa: str) -> None:
    assert tre.in_vigore(giorno).versione == attesa


@pytest.mark.parametrize("giorno", [D(2024, 12, 31), D(2027, 1, 1), D(2027, 1, 31)])
def test_in_vigore_raises_on_a_day_no_version_covers(tre: Versioni, giorno: dt.date) -> None:
    with pytest.raises(LookupError) as raised:
        tre.in_vigore(giorno)
    assert isinstance(raised.value, NessunaVersioneInVigore)
    assert raised.value.giorno == giorno
    assert str(raised.value) == (
        f"nessuna versione del regolamento «prova» è in vigore il {giorno:%d/%m/%Y} (versioni: "
        "2025 dal 01/01/2025 al 31/12/2025; 2026 dal 01/01/2026 al 31/12/2026; 2027 dal "
        "01/02/2027)"
    )


def test_versione_per_domanda_chooses_by_date_with_nulls_where_none(tre: Versioni) -> None:
    date = pl.Series(
        "data_domanda",
        [D(2025, 12, 31), D(2026, 1, 1), D(2027, 1, 15), None, D(2024, 5, 5), D(2030, 1, 1)],
        dtype=pl.Date,
    )
    assert tre.versione_per_domanda(date).to_list() == ["2025", "2026", None, None, None, "2027"]
    assert tre.indice_per_domanda(date).to_list() == [0, 1, None, None, None, 2]
    assert tre.indice_per_domanda(date).dtype == pl.UInt32


def test_versione_per_domanda_accepts_datetimes_and_rejects_text(tre: Versioni) -> None:
    istanti = pl.Series([dt.datetime(2026, 12, 31, 23, 59)])  # noqa: DTZ001
    assert tre.versione_per_domanda(istanti).to_list() == ["2026"]
    with pytest.raises(TypeError, match="devono essere di tipo data"):
        tre.versione_per_domanda(pl.Series(["2026-01-01"]))


@st.composite
def versioni_senza_sovrapposizioni(draw: st.DrawFn) -> Versioni:
    """1-4 versions in a row, each 1-400 days long, with gaps of 0-40 days; the last may be open."""
    n = draw(st.integers(1, 4))
    inizio = draw(st.dates(D(2020, 1, 1), D(2030, 1, 1)))
    voci: list[tuple[Regolamento, Any]] = []
    for i in range(n):
        durata = draw(st.integers(1, 400))
        fine: dt.date | None = inizio + dt.timedelta(days=durata - 1)
        if i == n - 1 and draw(st.booleans()):
            fine = None
        voci.append((versione(f"v{i}", inizio, fine), f"v{i}.yaml"))
        if fine is not None:
            inizio = fine + dt.timedelta(days=1 + draw(st.integers(0, 40)))
    return Versioni(reversed(voci))


@given(
    versioni=versioni_senza_sovrapposizioni(),
    giorni=st.lists(st.none() | st.dates(D(2019, 6, 1), D(2035, 1, 1)), max_size=40),
)
def test_the_vectorised_choice_equals_in_vigore_day_by_day(
    versioni: Versioni, giorni: list[dt.date | None]
) -> None:
    attese = []
    for giorno in giorni:
        try:
            attese.append(None if giorno is None else versioni.in_vigore(giorno).versione)
        except NessunaVersioneInVigore:
            attese.append(None)
    serie = pl.Series("data_domanda", giorni, dtype=pl.Date)
    assert versioni.versione_per_domanda(serie).to_list() == attese
