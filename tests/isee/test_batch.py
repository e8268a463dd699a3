"""``equo isee batch``: a file of DSUs in, a file of results out, all or nothing.

Every person is invented (``builders.member`` derives a synthetic codice fiscale).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import typer
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from equo.isee import batch as batch_module
from equo.isee.batch import (
    OUTPUT_COLUMNS,
    REJECTS_COLUMNS,
    BatchInputError,
    BatchRejected,
    RowError,
    run_batch,
)
from equo.isee.cli_batch import MAX_PRINTED_ERRORS, batch
from equo.isee.engine import compute
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.isee.varianti import Variante
from tests.isee.builders import conto_corrente, dsu_dict, immobile, member, rapporto

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "batch"
RESULT_COLUMNS = [c for c in OUTPUT_COLUMNS if c != "riga"]
INPUT_COLUMNS = ["protocollo", "data_presentazione", "abitazione", "componenti"]


def _famiglia_in_affitto() -> dict[str, Any]:
    return dsu_dict(
        "2025-06-01",
        member(
            "Bianchi",
            "Luca",
            "1985-01-01",
            "M",
            "D",
            attivita_lavorativa_6_mesi=True,
            redditi={"reddito_complessivo_irpef": 22_000, "lavoro_dipendente": 22_000},
            rapporti=[conto_corrente(4_000, 3_500)],
        ),
        member("Bianchi", "Sara", "2018-03-10", "F", "F"),
        abitazione={"titolo": "locazione", "canone_annuo": 6_000},
        protocollo="TEST-0001",
    )


def _proprietaria_con_titoli() -> dict[str, Any]:
    return dsu_dict(
        "2025-09-15",
        member(
            "Verdi",
            "Marta",
            "1960-07-20",
            "F",
            "D",
            redditi={"reddito_complessivo_irpef": 18_000, "pensione": 18_000},
            rapporti=[rapporto("02", valore=45_000, titoli_stato=30_000)],
            immobili=[immobile(120_000, casa_abitazione=True)],
        ),
        abitazione={"titolo": "proprieta"},
        protocollo="TEST-0002",
    )


def _pensionato_disabile() -> dict[str, Any]:
    return dsu_dict(
        "2016-04-01",
        member(
            "Neri",
            "Aldo",
            "1938-11-05",
            "M",
            "D",
            disabilita="non_autosufficiente",
            redditi={
                "reddito_complessivo_irpef": 9_000,
                "pensione": 9_000,
                "trattamenti_disabilita": 6_000,
            },
        ),
    )


def _good_dsus() -> list[dict[str, Any]]:
    return [_famiglia_in_affitto(), _proprietaria_con_titoli(), _pensionato_disabile()]


def _json(data: Any) -> str:
    return json.dumps(data, default=str)


def _write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else _json(r)) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def _csv_row(data: dict[str, Any]) -> list[str]:
    return [
        data.get("protocollo") or "",
        str(data.get("data_presentazione", "")),
        _json(data["abitazione"]) if "abitazione" in data else "",
        _json(data["componenti"]),
    ]


def _write_csv(path: Path, rows: list[dict[str, Any]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(INPUT_COLUMNS)
        writer.writerows(_csv_row(r) for r in rows)
    return path


def _expected(rows: list[dict[str, Any]]) -> pl.DataFrame:
    dsus = [DSU.model_validate(r) for r in rows]
    return compute(dsu_frames(dsus)).nuclei.select(RESULT_COLUMNS)


def _results(path: Path) -> pl.DataFrame:
    return pl.read_parquet(path)


# --- formats ---------------------------------------------------------------------------------


def test_it_computes_a_jsonl_file_like_the_engine_does(tmp_path: Path) -> None:
    rows = _good_dsus()
    source = _write_jsonl(tmp_path / "dsu.jsonl", rows)

    report = run_batch(source, tmp_path / "isee.parquet")

    assert (report.rows_read, report.rows_computed, report.rows_rejected) == (3, 3, 0)
    assert report.errors == []
    result = _results(tmp_path / "isee.parquet")
    assert list(result.columns) == list(OUTPUT_COLUMNS)
    assert result["riga"].to_list() == [1, 2, 3]
    assert_frame_equal(result.select(RESULT_COLUMNS), _expected(rows))


def test_it_computes_a_csv_file_like_the_engine_does(tmp_path: Path) -> None:
    rows = _good_dsus()
    source = _write_csv(tmp_path / "dsu.csv", rows)

    run_batch(source, tmp_path / "isee.parquet")

    result = _results(tmp_path / "isee.parquet")
    assert result["riga"].to_list() == [2, 3, 4]  # the header is line 1
    assert_frame_equal(result.select(RESULT_COLUMNS), _expected(rows))


def test_it_reads_a_csv_separated_by_semicolons(tmp_path: Path) -> None:
    rows = _good_dsus()
    source = _write_csv(tmp_path / "dsu.csv", rows, delimiter=";")

    run_batch(source, tmp_path / "isee.parquet")

    assert_frame_equal(
        _results(tmp_path / "isee.parquet").select(RESULT_COLUMNS),
        _expected(rows),
    )


def test_it_reads_a_spreadsheet_csv_with_bom_crlf_and_multi_line_cells(tmp_path: Path) -> None:
    rows = _good_dsus()
    source = tmp_path / "dsu.csv"
    with source.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow(INPUT_COLUMNS)
        for r in rows:
            cells = _csv_row(r)
            cells[3] = json.dumps(r["componenti"], default=str, indent=2).replace("\n", "\r\n")
            writer.writerow(cells)
    lengths = [json.dumps(r["componenti"], default=str, indent=2).count("\n") + 1 for r in rows]

    run_batch(source, tmp_path / "isee.parquet")

    result = _results(tmp_path / "isee.parquet")
    assert result["riga"].to_list() == [2, 2 + lengths[0], 2 + lengths[0] + lengths[1]]
    assert_frame_equal(result.select(RESULT_COLUMNS), _expected(rows))


def test_it_computes_a_parquet_file_with_nested_columns_like_the_engine_does(
    tmp_path: Path,
) -> None:
    rows = _good_dsus()
    source = tmp_path / "dsu.parquet"
    pl.DataFrame(rows).write_parquet(source)
    assert isinstance(pl.read_parquet_schema(source)["componenti"], pl.List)

    report = run_batch(source, tmp_path / "isee.parquet")

    assert report.unita == "row"
    result = _results(tmp_path / "isee.parquet")
    assert result["riga"].to_list() == [1, 2, 3]
    assert_frame_equal(result.select(RESULT_COLUMNS), _expected(rows))


def test_it_computes_a_parquet_file_with_json_text_columns(tmp_path: Path) -> None:
    rows = _good_dsus()
    source = tmp_path / "dsu.parquet"
    pl.DataFrame([dict(zip(INPUT_COLUMNS, _csv_row(r), strict=True)) for r in rows]).write_parquet(
        source
    )

    run_batch(source, tmp_path / "isee.parquet")

    assert_frame_equal(
        _results(tmp_path / "isee.parquet").select(RESULT_COLUMNS),
        _expected(rows),
    )


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_it_writes_csv_and_jsonl_results(tmp_path: Path, suffix: str) -> None:
    rows = _good_dsus()
    source = _write_jsonl(tmp_path / "dsu.jsonl", rows)
    output = tmp_path / f"isee{suffix}"

    run_batch(source, output)

    result = pl.read_csv(output) if suffix == ".csv" else pl.read_ndjson(output)
    assert result.columns == list(OUTPUT_COLUMNS)
    assert result["protocollo"].to_list() == ["TEST-0001", "TEST-0002", None]
    assert result["isee"].to_list() == _expected(rows)["isee"].to_list()


def test_it_keeps_input_order_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_module, "CHUNK_SIZE", 2)
    rows = _good_dsus() * 3
    source = _write_jsonl(tmp_path / "dsu.jsonl", rows)
    calls: list[tuple[int, int]] = []

    report = run_batch(
        source, tmp_path / "isee.parquet", progress=lambda done, total: calls.append((done, total))
    )

    assert report.rows_computed == 9
    result = _results(tmp_path / "isee.parquet")
    assert result["riga"].to_list() == list(range(1, 10))
    assert_frame_equal(result.select(RESULT_COLUMNS), _expected(rows))
    assert calls[0] == (0, 9)
    assert calls[-1] == (9, 9)


def test_it_ignores_blank_lines_in_jsonl(tmp_path: Path) -> None:
    source = tmp_path / "dsu.jsonl"
    source.write_text(
        f"\n{_json(_famiglia_in_affitto())}\n   \n{_json(_pensionato_disabile())}\n\n",
        encoding="utf-8",
    )

    report = run_batch(source, tmp_path / "isee.parquet")

    assert report.rows_read == 2
    assert _results(tmp_path / "isee.parquet")["riga"].to_list() == [2, 4]


def test_the_examples_compute_without_errors_and_agree(tmp_path: Path) -> None:
    results = []
    for name in ("dsu_esempio.jsonl", "dsu_esempio.csv"):
        report = run_batch(EXAMPLES / name, tmp_path / f"{name}.parquet")
        assert report.rows_rejected == 0
        assert 5 <= report.rows_computed <= 10
        results.append(_results(tmp_path / f"{name}.parquet").select(RESULT_COLUMNS))
    assert_frame_equal(results[0], results[1])
    years = results[0]["data_presentazione"].dt.year()
    assert years.min() == 2015
    assert years.max() == 2026


# --- bad rows --------------------------------------------------------------------------------


def _bad_rows() -> list[Any]:
    negative_pension = _pensionato_disabile()
    negative_pension["componenti"][0]["redditi"]["pensione"] = -5
    no_date = _famiglia_in_affitto()
    del no_date["data_presentazione"]
    bad_code = _famiglia_in_affitto()
    bad_code["componenti"][1]["codice_fiscale"] = "XXXXXXXXXXXXXXXX"
    adult_child = _famiglia_in_affitto()
    adult_child["componenti"][1] = member("Bianchi", "Sara", "2000-03-10", "F", "F")
    return [
        _famiglia_in_affitto(),  # line 1: good
        negative_pension,  # line 2
        _proprietaria_con_titoli(),  # line 3: good
        no_date,  # line 4
        bad_code,  # line 5
        adult_child,  # line 6
    ]


def _where(errors: list[RowError]) -> list[tuple[int, str]]:
    return [(e.posizione, e.campo) for e in errors]


def test_it_reports_every_bad_row_with_its_line_and_writes_nothing(tmp_path: Path) -> None:
    source = _write_jsonl(tmp_path / "dsu.jsonl", _bad_rows())
    output = tmp_path / "isee.parquet"

    with pytest.raises(BatchRejected) as raised:
        run_batch(source, output)

    report = raised.value.report
    assert (report.rows_read, report.rows_computed, report.rows_rejected) == (6, 0, 4)
    assert _where(report.errors) == [
        (2, "componenti[0].redditi.pensione"),
        (4, "data_presentazione"),
        (5, "componenti[1].codice_fiscale"),
        (6, "componenti[1].rapporto"),
    ]
    assert "greater than or equal to 0" in report.errors[0].errore
    assert report.errors[1].errore == "missing field"
    assert "not a valid codice fiscale" in report.errors[2].errore
    assert report.errors[3].errore.startswith("F (figlio minorenne) but the member is 25")
    assert str(report.errors[0]).startswith("line 2, componenti[0].redditi.pensione: ")
    assert "4 of 6 DSUs are not valid" in str(raised.value)
    assert list(tmp_path.iterdir()) == [source]


def test_it_leaves_a_previous_output_untouched_when_the_batch_is_rejected(
    tmp_path: Path,
) -> None:
    source = _write_jsonl(tmp_path / "dsu.jsonl", _bad_rows())
    output = tmp_path / "isee.csv"
    output.write_text("risultati di ieri\n", encoding="utf-8")

    with pytest.raises(BatchRejected):
        run_batch(source, output)

    assert output.read_text(encoding="utf-8") == "risultati di ieri\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dsu.jsonl", "isee.csv"]


def test_it_replaces_a_previous_output_only_when_the_batch_succeeds(tmp_path: Path) -> None:
    source = _write_jsonl(tmp_path / "dsu.jsonl", _good_dsus())
    output = tmp_path / "isee.csv"
    output.write_text("risultati di ieri\n", encoding="utf-8")

    run_batch(source, output)

    assert pl.read_csv(output).height == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dsu.jsonl", "isee.csv"]


def test_it_sets_bad_rows_aside_in_the_rejects_file_and_computes_the_good_ones(
    tmp_path: Path,
) -> None:
    rows = _bad_rows()
    source = _write_jsonl(tmp_path / "dsu.jsonl", rows)
    rejects = tmp_path / "scarti.csv"

    report = run_batch(source, tmp_path / "isee.parquet", rejects_path=rejects)

    assert (report.rows_read, report.rows_computed, report.rows_rejected) == (6, 2, 4)
    result = _results(tmp_path / "isee.parquet")
    assert result["riga"].to_list() == [1, 3]
    assert_frame_equal(
        result.select(RESULT_COLUMNS), _expected([rows[0], rows[2]]), check_dtypes=False
    )
    with rejects.open(encoding="utf-8", newline="") as fh:
        scarti = list(csv.DictReader(fh))
    assert list(scarti[0]) == list(REJECTS_COLUMNS)
    assert [(int(s["posizione"]), s["campo"]) for s in scarti] == _where(report.errors)
    lines = source.read_text(encoding="utf-8").splitlines()
    assert [s["dati_originali"] for s in scarti] == [lines[1], lines[3], lines[4], lines[5]]


def test_it_writes_an_empty_rejects_file_when_every_row_is_good(tmp_path: Path) -> None:
    source = _write_jsonl(tmp_path / "dsu.jsonl", _good_dsus())
    rejects = tmp_path / "scarti.csv"
    rejects.write_text("scarti di ieri\n", encoding="utf-8")

    report = run_batch(source, tmp_path / "isee.parquet", rejects_path=rejects)

    assert report.rows_rejected == 0
    assert rejects.read_text(encoding="utf-8").splitlines() == [",".join(REJECTS_COLUMNS)]


def test_it_reports_a_malformed_json_line_with_its_line_number(tmp_path: Path) -> None:
    source = _write_jsonl(
        tmp_path / "dsu.jsonl",
        [_famiglia_in_affitto(), '{"data_presentazione": "2025-01-01", "componenti": [', "[1, 2]"],
    )

    with pytest.raises(BatchRejected) as raised:
        run_batch(source, tmp_path / "isee.parquet")

    errors = raised.value.report.errors
    assert _where(errors) == [(2, ""), (3, "")]
    assert errors[0].errore.startswith("Invalid JSON")
    assert "object" in errors[1].errore or "dictionary" in errors[1].errore


def test_it_names_each_problem_of_the_nucleo_check_by_its_field(tmp_path: Path) -> None:
    data = _famiglia_in_affitto()
    data["componenti"][0]["rapporto"] = "C"  # no dichiarante left
    data["componenti"].append(member("Bianchi", "Ugo", "2027-01-01", "M", "F"))
    source = _write_jsonl(tmp_path / "dsu.jsonl", [data])

    with pytest.raises(BatchRejected) as raised:
        run_batch(source, tmp_path / "isee.parquet")

    assert _where(raised.value.report.errors) == [
        (1, "componenti"),
        (1, "componenti[2].data_nascita"),
    ]


def test_it_numbers_csv_records_by_the_line_where_they_start(tmp_path: Path) -> None:
    good, bad = _famiglia_in_affitto(), _pensionato_disabile()
    bad["componenti"][0]["redditi"]["pensione"] = -1
    pretty = json.dumps(good["componenti"], default=str, indent=2)  # a multi-line cell
    source = tmp_path / "dsu.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["protocollo", "data_presentazione", "componenti"])
        writer.writerow(["A", "2025-06-01", pretty])  # line 2
        writer.writerow(["B", str(bad["data_presentazione"]), _json(bad["componenti"])])
    bad_line = 2 + pretty.count("\n") + 1

    with pytest.raises(BatchRejected) as raised:
        run_batch(source, tmp_path / "isee.parquet")

    assert _where(raised.value.report.errors) == [(bad_line, "componenti[0].redditi.pensione")]

    rejects = tmp_path / "scarti.csv"
    run_batch(source, tmp_path / "isee.parquet", rejects_path=rejects)
    assert _results(tmp_path / "isee.parquet")["riga"].to_list() == [2]
    with rejects.open(encoding="utf-8", newline="") as fh:
        (scarto,) = csv.DictReader(fh)
    assert scarto["dati_originali"].startswith("B,")


def test_it_reports_bad_json_and_wrong_field_counts_in_a_csv(tmp_path: Path) -> None:
    source = tmp_path / "dsu.csv"
    source.write_text(
        "protocollo,data_presentazione,componenti\n"
        'A,2025-06-01,"[{""codice_fiscale"": }]"\n'
        "B,2025-06-01\n",
        encoding="utf-8",
    )

    with pytest.raises(BatchRejected) as raised:
        run_batch(source, tmp_path / "isee.parquet")

    errors = raised.value.report.errors
    assert _where(errors) == [(2, "componenti"), (3, "")]
    assert errors[0].errore.startswith("not valid JSON")
    assert errors[1].errore == "the record has 2 fields, the header has 3"


def test_it_numbers_parquet_rows_from_one(tmp_path: Path) -> None:
    bad = _pensionato_disabile()
    bad["componenti"][0]["redditi"]["pensione"] = -1
    source = tmp_path / "dsu.parquet"
    pl.DataFrame([_famiglia_in_affitto(), bad]).write_parquet(source)

    with pytest.raises(BatchRejected) as raised:
        run_batch(source, tmp_path / "isee.parquet")

    (error,) = raised.value.report.errors
    assert (error.posizione, error.campo, error.unita) == (
        2,
        "componenti[0].redditi.pensione",
        "row",
    )
    assert str(error).startswith("row 2, ")


# --- whole-file problems ---------------------------------------------------------------------


def test_it_refuses_a_missing_input_file(tmp_path: Path) -> None:
    with pytest.raises(BatchInputError, match=r"Cannot read .*nowhere\.jsonl: no such file"):
        run_batch(tmp_path / "nowhere.jsonl", tmp_path / "isee.parquet")


@pytest.mark.parametrize(
    ("source", "output", "message"),
    [
        ("dsu.xlsx", "isee.parquet", r"unknown input format '\.xlsx'"),
        ("dsu.jsonl", "isee.xlsx", r"unknown output format '\.xlsx'"),
        ("dsu.jsonl", "isee", r"unknown output format '\(no extension\)'"),
    ],
)
def test_it_refuses_unknown_extensions(
    tmp_path: Path, source: str, output: str, message: str
) -> None:
    (tmp_path / source).write_text("", encoding="utf-8")
    with pytest.raises(BatchInputError, match=message):
        run_batch(tmp_path / source, tmp_path / output)


def test_it_refuses_an_empty_input(tmp_path: Path) -> None:
    source = tmp_path / "dsu.jsonl"
    source.write_text("\n\n", encoding="utf-8")
    with pytest.raises(BatchInputError, match="contains no DSU"):
        run_batch(source, tmp_path / "isee.parquet")


def test_it_refuses_a_csv_with_missing_or_unknown_columns(tmp_path: Path) -> None:
    source = tmp_path / "dsu.csv"
    source.write_text("protocollo,data,componenti\nA,2025-01-01,[]\n", encoding="utf-8")
    with pytest.raises(BatchInputError, match="unknown columns: data; missing columns: data_pre"):
        run_batch(source, tmp_path / "isee.parquet")


def test_it_refuses_a_file_that_is_not_parquet(tmp_path: Path) -> None:
    source = tmp_path / "dsu.parquet"
    source.write_text("protocollo,data_presentazione\n", encoding="utf-8")
    with pytest.raises(BatchInputError, match="not a Parquet file"):
        run_batch(source, tmp_path / "isee.parquet")


def test_it_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    source = tmp_path / "dsu.jsonl"
    source.write_bytes(b'{"protocollo": "caf\xe8"}\n')
    with pytest.raises(BatchInputError, match="not UTF-8"):
        run_batch(source, tmp_path / "isee.parquet")


def test_it_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    source = _write_jsonl(tmp_path / "dsu.jsonl", _good_dsus())
    with pytest.raises(BatchInputError, match="is the input file"):
        run_batch(source, source)
    with pytest.raises(BatchInputError, match="no folder"):
        run_batch(source, tmp_path / "missing" / "isee.parquet")


# --- the command -----------------------------------------------------------------------------

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("batch")(batch)
    app.command("altro")(lambda: None)  # two commands, so "batch" is a subcommand
    return app


def test_the_command_prints_a_summary(tmp_path: Path) -> None:
    source = _write_jsonl(tmp_path / "dsu.jsonl", _good_dsus())
    output = tmp_path / "isee.csv"

    result = runner.invoke(_app(), ["batch", str(source), "-o", str(output)])

    assert result.exit_code == 0, result.output
    assert "DSUs read: 3" in result.stdout
    assert "DSUs computed: 3" in result.stdout
    assert f"Results: {output}" in result.stdout
    assert pl.read_csv(output).height == 3


def test_the_command_lists_every_bad_row_and_exits_with_1(tmp_path: Path) -> None:
    source = _write_jsonl(tmp_path / "dsu.jsonl", _bad_rows())
    output = tmp_path / "isee.parquet"

    result = runner.invoke(_app(), ["batch", str(source), "--output", str(output)])

    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "4 of 6 DSUs are not valid" in result.stderr
    assert "line 2, componenti[0].redditi.pensione:" in result.stderr
    assert "line 6, componenti[1].rapporto:" in result.stderr
    assert "Traceback" not in result.output
    assert not output.exists()


def test_the_command_caps_the_printed_problems(tmp_path: Path) -> None:
    bad = _pensionato_disabile()
    bad["componenti"][0]["redditi"]["pensione"] = -1
    source = _write_jsonl(tmp_path / "dsu.jsonl", [bad] * (MAX_PRINTED_ERRORS + 7))
    rejects = tmp_path / "scarti.csv"

    rejected = runner.invoke(_app(), ["batch", str(source), "-o", str(tmp_path / "r.parquet")])
    kept = runner.invoke(
        _app(), ["batch", str(source), "-o", str(tmp_path / "r.parquet"), "--scarti", str(rejects)]
    )

    assert rejected.exit_code == 1
    assert rejected.stderr.count("componenti[0].redditi.pensione") == MAX_PRINTED_ERRORS
    assert "... and 7 more problems" in rejected.stderr
    assert kept.exit_code == 0, kept.output
    assert "DSUs rejected: 57" in kept.stdout
    assert f"... and 7 more problems (all of them are in {rejects})" in kept.stderr


def test_the_command_exits_with_2_on_an_unusable_file(tmp_path: Path) -> None:
    result = runner.invoke(
        _app(), ["batch", str(tmp_path / "nowhere.csv"), "-o", str(tmp_path / "r.parquet")]
    )

    assert result.exit_code == 2
    assert "no such file" in result.stderr
    assert "Traceback" not in result.output


def test_a_variant_is_computed_for_every_dsu_and_refused_where_it_does_not_apply(
    tmp_path: Path,
) -> None:
    nel_2026 = {**_famiglia_in_affitto(), "data_presentazione": "2026-02-02"}
    source = _write_jsonl(tmp_path / "dsu.jsonl", [_famiglia_in_affitto(), nel_2026])
    output, scarti = tmp_path / "isee.parquet", tmp_path / "scarti.csv"

    refused = runner.invoke(
        _app(), ["batch", str(source), "-o", str(output), "--variante", "specifiche-2026"]
    )
    assert refused.exit_code == 1
    assert "line 1, variante: the ISEE per specifiche prestazioni" in refused.output
    assert not output.exists()

    result = runner.invoke(
        _app(),
        [
            "batch",
            str(source),
            "-o",
            str(output),
            "--scarti",
            str(scarti),
            "--variante",
            "specifiche-2026",
        ],
    )
    assert result.exit_code == 0, result.output
    computed = pl.read_parquet(output)
    assert computed["riga"].to_list() == [2]
    alone = compute(dsu_frames([DSU.model_validate(nel_2026)]), variante=Variante.SPECIFICHE_2026)
    assert computed["isee"].item() == alone.nuclei["isee"].item()
