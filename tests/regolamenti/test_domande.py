"""Reading files of domande (types, booleans, missing values, errors) and writing esiti."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from equo.regolamenti import DomandeNonValide, RegolamentoCompilato, valuta
from equo.regolamenti.domande import (
    COLONNA_RIGA,
    FileNonUtilizzabile,
    leggi_domande,
    scrivi_esiti,
    tabella_esiti,
)

from .builders import compilato

CAMPO_TUTTI_I_TIPI = [
    {"nome": "in_regola", "tipo": "booleano", "descrizione": "Dichiarazione di prova."},
]
CONDIZIONI = {
    "euro": "isee <= 20000",
    "numero": "anni_residenza >= 0",
    "intero": "numero_componenti >= 1",
    "booleano": "in_regola",
    "data": "data_dsu <= data_domanda",
    "testo": "comune_residenza <> ''",
}


def _regolamento() -> RegolamentoCompilato:
    """Uses a field of every type: euro, numero, intero, booleano, data, testo."""
    requisiti = [
        {"id": tipo, "descrizione": f"Requisito su un campo {tipo}", "condizione": condizione}
        for tipo, condizione in CONDIZIONI.items()
    ]
    return compilato(campi_domanda=CAMPO_TUTTI_I_TIPI, requisiti=requisiti)


HEADER = (
    "id_domanda,data_domanda,data_dsu,isee,anni_residenza,numero_componenti,in_regola,"
    "comune_residenza,nota"
)


def _csv(tmp_path: Path, *righe: str, header: str = HEADER, name: str = "domande.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *righe]) + "\n", encoding="utf-8")
    return path


def _errore(path: Path) -> str:
    with pytest.raises(DomandeNonValide) as info:
        leggi_domande(path, _regolamento())
    return str(info.value)


def test_a_csv_gets_the_vocabulary_types(tmp_path: Path) -> None:
    path = _csv(tmp_path, "D1,2026-05-04,2026-02-01,12000.50,3.5,4,true,001013,libera")
    frame = leggi_domande(path, _regolamento())
    assert frame.schema["isee"] == pl.Float64
    assert frame.schema["anni_residenza"] == pl.Float64
    assert frame.schema["numero_componenti"] == pl.Int64
    assert frame.schema["in_regola"] == pl.Boolean
    assert frame.schema["data_domanda"] == pl.Date
    assert frame.schema["comune_residenza"] == pl.String
    row = frame.row(0, named=True)
    assert row["isee"] == 12000.5
    assert row["data_dsu"] == dt.date(2026, 2, 1)
    assert row["comune_residenza"] == "001013", "leading zeros of a codice ISTAT are kept"
    assert row["nota"] == "libera", "a column the regolamento does not use is kept as read"


@pytest.mark.parametrize(
    ("testo", "valore"),
    [
        ("true", True),
        ("TRUE", True),
        ("sì", True),
        ("Si", True),
        ("1", True),
        ("vero", True),
        ("false", False),
        ("no", False),
        ("NO", False),
        ("0", False),
        ("falso", False),
    ],
)
def test_booleans_in_english_italian_or_digits(tmp_path: Path, testo: str, valore: bool) -> None:
    path = _csv(tmp_path, f"D1,2026-05-04,2026-02-01,1,1,1,{testo},001013,")
    assert leggi_domande(path, _regolamento())["in_regola"][0] is valore


def test_empty_cells_are_missing_values_not_errors(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'D1,2026-05-04,, ,,"",,  ,')
    row = leggi_domande(path, _regolamento()).row(0, named=True)
    for name in ("data_dsu", "isee", "anni_residenza", "numero_componenti", "in_regola"):
        assert row[name] is None, name
    assert row["comune_residenza"] is None


def test_numbers_with_a_decimal_comma_and_integers_written_as_decimals(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        'D1,2026-05-04,2026-02-01,"12000,5",2,"3.0",1,001013,',
        "D2,2026-05-04,2026-02-01,-0.5,1e1,7,0,001013,",
    )
    frame = leggi_domande(path, _regolamento())
    assert frame["isee"].to_list() == [12000.5, -0.5]
    assert frame["anni_residenza"].to_list() == [2.0, 10.0]
    assert frame["numero_componenti"].to_list() == [3, 7]


def test_a_semicolon_separated_file_with_spaces_around_the_names(tmp_path: Path) -> None:
    header = (
        "id_domanda ; data_domanda;data_dsu;isee;anni_residenza;numero_componenti;in_regola;"
        "comune_residenza"
    )
    path = _csv(tmp_path, "D1;2026-05-04;2026-02-01;1234,56;1;2;sì;001013", header=header)
    frame = leggi_domande(path, _regolamento())
    assert frame["isee"].to_list() == [1234.56]
    assert frame["id_domanda"].to_list() == ["D1"]


@pytest.mark.parametrize(
    ("cella", "colonna", "atteso"),
    [
        ("isee=12a", "isee", "atteso un importo in euro"),
        ("isee=inf", "isee", "atteso un importo in euro"),
        ("numero_componenti=2.5", "numero_componenti", "atteso un numero intero"),
        ("in_regola=forse", "in_regola", "atteso true/false, sì/no o 1/0"),
        ("data_dsu=01/02/2026", "data_dsu", "attesa una data AAAA-MM-GG"),
        ("data_dsu=2026-02-30", "data_dsu", "attesa una data AAAA-MM-GG"),
        ("data_dsu=2026-2-1", "data_dsu", "attesa una data AAAA-MM-GG"),
    ],
)
def test_a_bad_value_names_row_and_column(
    tmp_path: Path, cella: str, colonna: str, atteso: str
) -> None:
    buona = "D{i},2026-05-04,2026-02-01,1000,1,2,true,001013,"
    righe = [buona.format(i=i) for i in range(1, 5)]
    nome, valore = cella.split("=")
    cells = righe[2].split(",")
    cells[HEADER.split(",").index(nome)] = valore
    righe[2] = ",".join(cells)
    message = _errore(_csv(tmp_path, *righe))
    assert f"riga 3, colonna {colonna}: valore non valido '{valore}'" in message
    assert atteso in message
    assert str(tmp_path / "domande.csv") in message


def test_every_bad_column_is_reported_with_how_many_other_rows(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "D1,2026-05-04,2026-02-01,x,1,2,true,001013,",
        "D2,2026-05-04,2026-02-01,y,1,2,boh,001013,",
        "D3,2026-05-04,2026-02-01,z,1,2,true,001013,",
    )
    with pytest.raises(DomandeNonValide) as info:
        leggi_domande(path, _regolamento())
    problemi = info.value.problemi
    assert len(problemi) == 2
    assert "riga 1, colonna isee" in problemi[0] and "anche in altre 2 righe" in problemi[0]
    assert "riga 2, colonna in_regola" in problemi[1]


def test_missing_columns_are_listed(tmp_path: Path) -> None:
    path = _csv(tmp_path, "D1,2026-05-04,1000", header="id_domanda,data_domanda,isee")
    message = _errore(path)
    assert "mancano le colonne richieste dal regolamento prova 1" in message
    assert "data_dsu" in message and "in_regola" in message


@pytest.mark.parametrize(
    ("content", "atteso"),
    [
        ("", "il file è vuoto"),
        (HEADER + "\n", "non contiene domande"),
        ("id_domanda,isee,isee\nD1,1,2\n", "colonne ripetute nell'intestazione: isee"),
        (HEADER + "\nD1,2026-05-04,2026-02-01,1,1,1,true,001013,x,y,z\n", "CSV non valido"),
    ],
)
def test_a_file_that_is_not_a_table_of_domande(tmp_path: Path, content: str, atteso: str) -> None:
    path = tmp_path / "domande.csv"
    path.write_text(content, encoding="utf-8")
    assert atteso in _errore(path)


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "domande.csv"
    path.write_bytes("città\n".encode("latin-1"))
    assert "UTF-8" in _errore(path)


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNonUtilizzabile, match=r"formato .* non riconosciuto \(\.xlsx\)"):
        leggi_domande(tmp_path / "domande.xlsx", _regolamento())
    with pytest.raises(FileNonUtilizzabile, match="il file non esiste"):
        leggi_domande(tmp_path / "nessuno.csv", _regolamento())


def _righe_tipizzate() -> dict[str, list[Any]]:
    return {
        "id_domanda": ["D1", "D2"],
        "data_domanda": [dt.date(2026, 5, 4)] * 2,
        "data_dsu": [dt.datetime(2026, 2, 1, 10, 30)] * 2,  # noqa: DTZ001 - a naive Parquet timestamp
        "isee": [1000, 2000],
        "anni_residenza": [1, 2],
        "numero_componenti": [2.0, 3.0],
        "in_regola": [1, 0],
        "comune_residenza": ["001013", "001006"],
    }


def test_parquet_columns_of_near_types_are_converted(tmp_path: Path) -> None:
    path = tmp_path / "domande.parquet"
    pl.DataFrame(_righe_tipizzate()).write_parquet(path)
    frame = leggi_domande(path, _regolamento())
    assert frame["isee"].to_list() == [1000.0, 2000.0]
    assert frame["numero_componenti"].to_list() == [2, 3]
    assert frame["in_regola"].to_list() == [True, False]
    assert frame["data_dsu"].to_list() == [dt.date(2026, 2, 1)] * 2


def test_a_parquet_integer_column_with_a_fraction_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "domande.parquet"
    pl.DataFrame({**_righe_tipizzate(), "numero_componenti": [2.0, 2.5]}).write_parquet(path)
    assert "riga 2, colonna numero_componenti: valore non valido 2.5" in _errore(path)


def test_json_lines_with_native_and_text_values(tmp_path: Path) -> None:
    path = tmp_path / "domande.jsonl"
    righe = [
        {
            "id_domanda": "D1",
            "data_domanda": "2026-05-04",
            "data_dsu": "2026-02-01",
            "isee": 1000.5,
            "anni_residenza": 2,
            "numero_componenti": 3,
            "in_regola": True,
            "comune_residenza": "001013",
        },
        {
            "id_domanda": "D2",
            "data_domanda": "2026-05-04",
            "data_dsu": None,
            "isee": "2000",
            "numero_componenti": 1,
            "in_regola": "no",
            "comune_residenza": "001006",
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in righe) + "\n\n", encoding="utf-8")
    frame = leggi_domande(path, _regolamento())
    assert frame["isee"].to_list() == [1000.5, 2000.0]
    assert frame["in_regola"].to_list() == [True, False]
    assert frame["data_dsu"].to_list() == [dt.date(2026, 2, 1), None]
    assert frame["anni_residenza"].to_list() == [2.0, None]


def test_a_json_lines_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "domande.ndjson"
    path.write_text('{"id_domanda": "D1"}\n{"id_domanda": \n', encoding="utf-8")
    assert "riga 2: JSON non valido" in _errore(path)


def _esiti_di_prova(tmp_path: Path) -> pl.DataFrame:
    path = _csv(
        tmp_path,
        "D1,2026-05-04,2026-02-01,1000,1,2,true,001013,",
        "D2,2026-05-04,2026-02-01,30000,1,2,true,001013,",
    )
    regolamento = _regolamento()
    return tabella_esiti(valuta(regolamento, leggi_domande(path, regolamento)))


def test_the_esiti_table_has_the_documented_columns(tmp_path: Path) -> None:
    tabella = _esiti_di_prova(tmp_path)
    requisiti = [c.colonna for c in _regolamento().condizioni]
    assert tabella.columns == ["id_domanda", "esito", "ammissibile", *requisiti, "finanziata"]
    assert all(f"requisito__{tipo}" in requisiti for tipo in CONDIZIONI)
    assert tabella["ammissibile"].to_list() == [True, False]


def test_rows_follow_the_file_order_when_the_frames_carry_it() -> None:
    regolamento = compilato()
    domande = pl.DataFrame(
        {
            "id_domanda": ["B", "A"],
            "data_domanda": [dt.date(2026, 5, 4)] * 2,
            "data_dsu": [dt.date(2026, 2, 1)] * 2,
            COLONNA_RIGA: [1, 0],
        }
    )
    tabella = tabella_esiti(valuta(regolamento, domande), versione=True)
    assert tabella["id_domanda"].to_list() == ["A", "B"]
    assert tabella.columns[:2] == ["id_domanda", "versione"]
    assert COLONNA_RIGA not in tabella.columns


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_esiti_are_written_in_each_format(tmp_path: Path, suffix: str) -> None:
    tabella = _esiti_di_prova(tmp_path)
    path = tmp_path / f"esiti{suffix}"
    scrivi_esiti(tabella, path)
    lettori = {".csv": pl.read_csv, ".parquet": pl.read_parquet, ".jsonl": pl.read_ndjson}
    letto = lettori[suffix](path)
    assert letto.columns == tabella.columns
    assert letto["id_domanda"].to_list() == ["D1", "D2"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tabella = _esiti_di_prova(tmp_path)
    path = tmp_path / "esiti.csv"
    path.write_text("esiti precedenti\n", encoding="utf-8")

    def disco_pieno(self: pl.DataFrame, fh: Any) -> None:
        fh.write(b"id_domanda,esito\nD1,amm")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pl.DataFrame, "write_csv", disco_pieno)
    with pytest.raises(FileNonUtilizzabile, match="impossibile scrivere"):
        scrivi_esiti(tabella, path)
    assert path.read_text(encoding="utf-8") == "esiti precedenti\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["domande.csv", "esiti.csv"]
