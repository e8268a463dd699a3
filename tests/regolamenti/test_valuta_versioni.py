"""Each domanda evaluated with the version in force on its date; days with no version fail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from equo.regolamenti import DomandeNonValide
from equo.regolamenti.documento import Regolamento
from equo.regolamenti.valuta_versioni import DomandeFuoriVigenza, valuta_per_data
from equo.regolamenti.versioni import Versioni

from .builders import documento


def _versione(versione: str, dal: dt.date, al: dt.date | None, soglia: int) -> Regolamento:
    return Regolamento.model_validate(
        documento(
            versione=versione,
            vigenza={"dal": dal, "al": al},
            requisiti=[
                {"id": "isee", "descrizione": "Soglia ISEE", "condizione": f"isee <= {soglia}"}
            ],
        )
    )


VERSIONI = Versioni(
    [
        (_versione("2027", dt.date(2027, 1, 1), None, 20000), "2027.yaml"),
        (_versione("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), 15000), "2026.yaml"),
    ]
)


def _domande(date: list[Any], **extra: list[Any]) -> pl.DataFrame:
    n = len(date)
    return pl.DataFrame(
        {
            "id_domanda": [f"D{i + 1}" for i in range(n)],
            "data_domanda": date,
            "data_dsu": [d if isinstance(d, dt.date) else None for d in date],
            "isee": [18000.0] * n,
            **extra,
        }
    )


def test_each_domanda_is_judged_by_the_version_in_force_on_its_date() -> None:
    domande = _domande(
        [dt.date(2027, 3, 1), dt.date(2026, 6, 1), dt.date(2027, 1, 1), dt.date(2026, 12, 31)]
    )
    esiti = valuta_per_data(VERSIONI, domande)
    assert [e.regolamento.documento.versione for e in esiti] == ["2026", "2027"]
    vecchia, nuova = esiti
    assert vecchia.frame["id_domanda"].to_list() == ["D2", "D4"]
    assert vecchia.frame["ammissibile"].to_list() == [False, False]
    assert nuova.frame["id_domanda"].to_list() == ["D1", "D3"]
    assert nuova.frame["ammissibile"].to_list() == [True, True]
    assert nuova.riepilogo.domande == 2


def test_a_version_without_domande_gives_no_esiti() -> None:
    esiti = valuta_per_data(VERSIONI, _domande([dt.date(2027, 3, 1)]))
    assert [e.regolamento.documento.versione for e in esiti] == ["2027"]


def test_dates_written_as_text_are_read_as_dates() -> None:
    domande = _domande([dt.date(2027, 3, 1)]).with_columns(data_domanda=pl.lit("2027-03-01"))
    assert valuta_per_data(VERSIONI, domande)[0].frame["ammissibile"].to_list() == [True]


def test_domande_before_every_version_are_an_error_listing_them() -> None:
    date = [dt.date(2025, 12, 31), dt.date(2026, 6, 1)] + [dt.date(2025, 1, 1)] * 6
    with pytest.raises(DomandeFuoriVigenza) as info:
        valuta_per_data(VERSIONI, _domande(date))
    message = str(info.value)
    assert message.startswith("7 domande hanno la data_domanda in un giorno in cui nessuna")
    assert (
        "«prova»" in message and "2026 dal 01/01/2026 al 31/12/2026; 2027 dal 01/01/2027" in message
    )
    assert "D1 (31/12/2025), D3 (01/01/2025)" in message and "e altre 2" in message
    assert "D2" not in message.split(":", 1)[1].split("(versioni")[0]
    assert info.value.id_domande == ["D1", "D3", "D4", "D5", "D6", "D7", "D8"]


def test_problems_name_rows_of_the_whole_batch() -> None:
    domande = _domande(
        [dt.date(2026, 6, 1), dt.date(2027, 6, 1), dt.date(2027, 6, 2)],
        isee=["1", "2", "molto"],
    )
    with pytest.raises(DomandeNonValide, match="riga 3, colonna isee: valore non valido 'molto'"):
        valuta_per_data(VERSIONI, domande)


def test_ids_repeated_across_versions_and_missing_dates_are_errors() -> None:
    domande = _domande([dt.date(2026, 6, 1), dt.date(2027, 6, 1), None]).with_columns(
        id_domanda=pl.Series(["X", "X", "Y"])
    )
    with pytest.raises(DomandeNonValide) as info:
        valuta_per_data(VERSIONI, domande)
    assert info.value.problemi == ["id_domanda ripetuti: X", "riga 3: data_domanda mancante"]
