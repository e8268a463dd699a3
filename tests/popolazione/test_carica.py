"""Past domande with their attestazione: valid rows in, rejected rows reported exactly."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from equo.popolazione.carica import (
    COLONNE_SCARTI,
    FileDomandeNonValido,
    carica_domande_passate,
)

INTESTAZIONE = (
    "id_domanda,id_nucleo,isee,ise,isr,isp,scala_equivalenza,data_dsu,data_domanda,"
    "numero_componenti,numero_minorenni,cittadinanza,note_ufficio"
)
RIGHE = [
    # 1: valid, decimal comma
    'D1,N1,"4200,00",6594.00,6000,2970,1.57,2026-02-10,2026-04-04,2,1,italiana,ok',
    # 2: ISEE not ISE / scala, more minors than members, unknown citizenship
    "D2,N2,9900.00,24108.00,20000,20540,2.46,2026-01-22,2026-04-07,4,5,marziana,",
    # 3: not a number, not a date, ISE missing
    "D3,N3,abc,,20000,20540,2.46,2026-13-22,2026-04-07,4,2,ue,",
    # 4: same id_domanda as row 1, DSU after the domanda
    "D1,N4,4200.00,6594.00,6000,2970,1.57,2026-05-10,2026-04-04,2,0,ue,",
    # 5: negative amount, scala below 1
    "D5,N5,5000.00,6594.00,-1,2970,0.5,2026-02-10,,2,0,ue,",
    # 6: valid, semicolon-free spaces and an empty optional date
    "D6,N6, 0 ,0,0,0,1, 2026-01-15 ,,1,0,extra_ue,",
]


def _scrivi(path: Path, righe: list[str], intestazione: str = INTESTAZIONE) -> Path:
    path.write_text("\n".join([intestazione, *righe]) + "\n", encoding="utf-8")
    return path


def test_the_valid_rows_become_a_population_without_dsus(tmp_path: Path) -> None:
    pop, scarti = carica_domande_passate(_scrivi(tmp_path / "d.csv", RIGHE))
    assert pop.dsu is None
    assert pop.nuclei["id_nucleo"].to_list() == ["N1", "N6"]
    assert pop.nuclei.columns[:3] == ["id_nucleo", "dsu_id", "id_domanda"]
    assert pop.nuclei["dsu_id"].null_count() == 2
    assert pop.nuclei["isee"].to_list() == [4200.0, 0.0]
    assert pop.nuclei["data_dsu"].to_list() == [dt.date(2026, 2, 10), dt.date(2026, 1, 15)]
    assert pop.nuclei.schema["numero_minorenni"] == pl.Int64
    assert pop.nuclei["note_ufficio"].to_list() == ["ok", None]
    assert scarti.righe_lette == 6
    assert scarti.righe_scartate == 4
    assert scarti.colonne_fuori_vocabolario == ("note_ufficio",)
    assert pop.metadati == {
        "origine": "domande_passate",
        "file": "d.csv",
        "righe_lette": "6",
        "righe_valide": "2",
        "righe_scartate": "4",
    }


def test_every_problem_of_every_rejected_row_is_reported_in_italian(tmp_path: Path) -> None:
    _, scarti = carica_domande_passate(_scrivi(tmp_path / "d.csv", RIGHE))
    assert dict(scarti.problemi.schema) == COLONNE_SCARTI
    assert scarti.problemi.rows() == [
        (
            2,
            "cittadinanza",
            "valore non ammesso (ammessi: italiana, ue, extra_ue)",
            "marziana",
        ),
        (
            2,
            "isee",
            "l'ISEE non è uguale a ISE / scala di equivalenza "
            "(24.108,00 / 2.46 = 9.800,00) entro un centesimo",
            "9900.00",
        ),
        (
            2,
            "numero_minorenni",
            "i minorenni sono più dei componenti (5 contro numero_componenti 4)",
            "5",
        ),
        (3, "isee", "valore non valido (atteso un importo in euro, per esempio 1234.56)", "abc"),
        (3, "data_dsu", "valore non valido (attesa una data AAAA-MM-GG)", "2026-13-22"),
        (3, "ise", "valore mancante", ""),
        (
            4,
            "data_dsu",
            "la DSU è successiva alla domanda (data_domanda 2026-04-04)",
            "2026-05-10",
        ),
        (4, "id_domanda", "chiave duplicata: id_domanda 'D1' già alla riga 1", "D1"),
        (5, "isr", "l'importo non può essere negativo", "-1"),
        (5, "scala_equivalenza", "la scala di equivalenza non può essere minore di 1", "0.5"),
    ]
    assert scarti.messaggi()[0] == (
        "riga 2, colonna cittadinanza: valore non ammesso (ammessi: italiana, ue, extra_ue)"
    )


def test_the_isee_may_differ_from_ise_over_scala_by_one_cent_at_most(tmp_path: Path) -> None:
    righe = [
        "A,NA,4200.01,6594.00,6000,2970,1.57,2026-02-10,,,,,",
        "B,NB,4199.99,6594.00,6000,2970,1.57,2026-02-10,,,,,",
        "C,NC,4200.02,6594.00,6000,2970,1.57,2026-02-10,,,,,",
    ]
    pop, scarti = carica_domande_passate(_scrivi(tmp_path / "d.csv", righe))
    assert pop.nuclei["id_domanda"].to_list() == ["A", "B"]
    assert scarti.problemi.select("riga", "colonna").rows() == [(3, "isee")]


def test_id_domanda_alone_is_the_key_and_becomes_id_nucleo(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "id_domanda;isee;ise;isr;isp;scala_equivalenza;data_dsu\n"
        "X1;1000;1000;1000;0;1;2026-01-10\n"
        "X1;1000;1000;1000;0;1;2026-01-10\n",
        encoding="utf-8",
    )
    pop, scarti = carica_domande_passate(path)
    assert pop.nuclei.columns[:3] == ["id_nucleo", "dsu_id", "id_domanda"]
    assert pop.nuclei["id_nucleo"].to_list() == ["X1"]
    assert scarti.messaggi() == [
        "riga 2, colonna id_domanda: chiave duplicata: id_domanda 'X1' già alla riga 1"
    ]


def test_a_parquet_file_of_domande_is_read_with_its_types(tmp_path: Path) -> None:
    path = tmp_path / "d.parquet"
    pl.DataFrame(
        {
            "id_nucleo": ["A", "B"],
            "isee": [1000.0, 2000.0],
            "ise": [1570.0, 2000.0],
            "isr": [1570.0, 2000.0],
            "isp": [0.0, 0.0],
            "scala_equivalenza": [1.57, 1.0],
            "data_dsu": [dt.date(2026, 1, 5), dt.date(2026, 1, 6)],
            "numero_componenti": [2.0, 1.5],
            "nucleo_monogenitore": [1, 0],
        }
    ).write_parquet(path)
    pop, scarti = carica_domande_passate(path)
    assert pop.nuclei["id_nucleo"].to_list() == ["A"]
    assert pop.nuclei.schema["numero_componenti"] == pl.Int64
    assert pop.nuclei["nucleo_monogenitore"].to_list() == [True]
    assert scarti.messaggi() == [
        "riga 2, colonna numero_componenti: valore non valido (atteso un numero intero)"
    ]


@pytest.mark.parametrize(
    ("nome", "contenuto", "messaggio"),
    [
        ("d.txt", "id_domanda\n", "formato del file delle domande non riconosciuto (.txt)"),
        ("d.csv", "", "il file è vuoto"),
        ("d.csv", "id_domanda,id_domanda\n", "colonne ripetute nell'intestazione: id_domanda"),
        ("d.csv", "isee,ise,isr,isp,scala_equivalenza,data_dsu\n", "manca la colonna chiave"),
        ("d.csv", "id_nucleo,isee,ise\n", "mancano le colonne dell'attestazione: isr, isp"),
    ],
)
def test_a_file_that_cannot_be_used_as_a_whole_is_refused(
    tmp_path: Path, nome: str, contenuto: str, messaggio: str
) -> None:
    path = tmp_path / nome
    path.write_text(contenuto, encoding="utf-8")
    with pytest.raises(FileDomandeNonValido, match=re.escape(messaggio)):
        carica_domande_passate(path)


def test_a_missing_or_not_utf8_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileDomandeNonValido, match="il file non esiste"):
        carica_domande_passate(tmp_path / "manca.csv")
    path = tmp_path / "latin1.csv"
    path.write_bytes("id_nucleo,città\n".encode("latin-1"))
    with pytest.raises(FileDomandeNonValido, match="non è testo UTF-8"):
        carica_domande_passate(path)
