"""The population file: one Parquet file, DSUs nested per nucleo, an exact round trip."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from polars.testing import assert_frame_equal

from equo.isee.engine import compute
from equo.isee.frames import SCHEMAS, DsuFrames, dsu_frames
from equo.isee.model import DSU
from equo.popolazione.calibrazione import Calibrazione
from equo.popolazione.file import (
    TABELLE_ANNIDATE,
    FileNonValido,
    ScrittorePopolazione,
    leggi_blocchi,
    leggi_metadati,
    leggi_popolazione,
    salva_popolazione,
)
from equo.popolazione.genera import genera_blocchi
from equo.popolazione.modello import Popolazione

from .conftest import BLOCCO

P = pl.col
RADICE = Path(__file__).parents[2]
ESEMPI = (RADICE / "src" / "equo" / "isee" / "esempi", RADICE / "examples" / "varianti")


def _stesse_dsu(a: Popolazione, b: Popolazione) -> None:
    assert a.dsu is not None and b.dsu is not None
    for tabella in ("nuclei", *TABELLE_ANNIDATE):
        assert_frame_equal(getattr(a.dsu, tabella), getattr(b.dsu, tabella), check_dtypes=True)


def test_a_population_read_back_is_the_population_written(
    piccola: Popolazione, tmp_path: Path
) -> None:
    path = tmp_path / "p.parquet"
    salva_popolazione(piccola, path)
    letta = leggi_popolazione(path)
    assert_frame_equal(letta.nuclei, piccola.nuclei)
    _stesse_dsu(letta, piccola)
    assert letta.metadati == piccola.metadati


def test_the_engine_gives_the_same_isee_on_the_frames_read_back(
    piccola: Popolazione, tmp_path: Path
) -> None:
    path = tmp_path / "p.parquet"
    salva_popolazione(piccola, path)
    letta = leggi_popolazione(path)
    assert letta.dsu is not None and piccola.dsu is not None
    assert_frame_equal(compute(letta.dsu).indicatori(), compute(piccola.dsu).indicatori())


def test_the_file_has_one_row_per_nucleo_with_the_dsu_nested(
    piccola: Popolazione, tmp_path: Path
) -> None:
    path = tmp_path / "p.parquet"
    salva_popolazione(piccola, path)
    tabella = pq.read_table(path)
    assert tabella.num_rows == len(piccola)
    assert "dsu_id" not in tabella.column_names
    assert pa.types.is_struct(tabella.schema.field("dsu").type)
    for nome in TABELLE_ANNIDATE:
        tipo = tabella.schema.field(nome).type
        assert pa.types.is_list(tipo), nome
        campi = [tipo.value_type.field(i).name for i in range(tipo.value_type.num_fields)]
        attesi = [c for c in SCHEMAS[nome] if c != "dsu_id"]
        if nome == "componenti":
            attesi.remove("componente_id")
        assert campi == attesi, nome
    # members of the first nucleo: in the list of its row; their rapporti point to positions
    assert piccola.dsu is not None
    primo = piccola.dsu.componenti.filter(P("dsu_id") == 0)
    assert len(tabella.column("componenti")[0]) == primo.height
    posizioni = [r["componente_id"] for r in tabella.column("rapporti")[0].as_py()]
    assert all(0 <= p < primo.height for p in posizioni)


def test_the_metadata_are_in_the_parquet_key_value_metadata(
    piccola: Popolazione, tmp_path: Path
) -> None:
    path = tmp_path / "p.parquet"
    salva_popolazione(piccola, path)
    grezzi = pq.read_metadata(path).metadata
    assert grezzi[b"equo.formato"] == b"equo-popolazione/1"
    assert grezzi[b"equo.seme"] == b"11"
    assert grezzi[b"equo.generatore"] == b"equo.popolazione.genera"
    assert leggi_metadati(path)["calibrazione_sha256"] == piccola.metadati["calibrazione_sha256"]


def test_a_population_written_by_blocks_is_read_whole_or_by_blocks(
    a_blocchi: Popolazione, a_blocchi_di_1500: Calibrazione, tmp_path: Path
) -> None:
    path = tmp_path / "p.parquet"
    with ScrittorePopolazione(path, a_blocchi.metadati) as scrittore:
        for blocco in genera_blocchi(4_000, seed=5, calibrazione=a_blocchi_di_1500):
            scrittore.scrivi(blocco.popolazione)
    assert pq.ParquetFile(path).num_row_groups == 3
    letta = leggi_popolazione(path)
    assert_frame_equal(letta.nuclei, a_blocchi.nuclei)
    _stesse_dsu(letta, a_blocchi)
    blocchi = list(leggi_blocchi(path))
    assert [len(b) for b in blocchi] == [BLOCCO, BLOCCO, 1_000]
    assert blocchi[1].nuclei["dsu_id"][0] == 0
    secondo = a_blocchi.nuclei.slice(BLOCCO, BLOCCO).drop("dsu_id")
    assert_frame_equal(blocchi[1].nuclei.drop("dsu_id"), secondo)


def _esempi() -> DsuFrames:
    """The bundled example DSUs and the variant examples (figli given with data left out)."""
    dsus = [
        DSU.model_validate_json(p.read_text(encoding="utf-8"))
        for cartella in ESEMPI
        for p in sorted(cartella.glob("*.json"))
    ]
    frames = dsu_frames(dsus)
    if frames.figli_dati is None:
        return frames
    return dataclasses.replace(
        frames,
        figli_dati=None,
        figli_non_compresi=frames.figli_non_compresi.with_columns(
            figlio_dsu_id=pl.lit(None, dtype=pl.Int64)
        ),
    )


def test_every_dsu_frame_survives_the_round_trip_variant_data_included(tmp_path: Path) -> None:
    frames = _esempi()
    assert frames.redditi_correnti.height and frames.figli_non_compresi.height
    nuclei = pl.DataFrame(
        {"id_nucleo": [f"N{i}" for i in range(len(frames))], "dsu_id": range(len(frames))}
    )
    pop = Popolazione(nuclei, frames)
    path = tmp_path / "p.parquet"
    salva_popolazione(pop, path)
    _stesse_dsu(leggi_popolazione(path), pop)


def test_dsus_in_another_order_and_nuclei_without_dsu_survive_the_round_trip(
    tmp_path: Path,
) -> None:
    frames = _esempi()
    n = len(frames)
    nuclei = pl.DataFrame(
        {
            "id_nucleo": [f"N{i}" for i in range(n + 1)],
            "dsu_id": pl.Series([*range(n - 1, -1, -1), None], dtype=pl.Int64),
            "isee": [None] * n + [1234.5],
        }
    )
    pop = Popolazione(nuclei, frames, {"origine": "prova"})
    path = tmp_path / "p.parquet"
    salva_popolazione(pop, path)
    letta = leggi_popolazione(path)
    assert letta.dsu is not None
    # the DSUs come back in the order of the nuclei that hold them
    assert letta.nuclei["dsu_id"].to_list() == [*range(n), None]
    assert_frame_equal(letta.nuclei.drop("dsu_id"), nuclei.drop("dsu_id"))
    ordine = list(range(n - 1, -1, -1))
    attese = compute(frames).indicatori()[ordine].drop("dsu_id")
    assert_frame_equal(compute(letta.dsu).indicatori().drop("dsu_id"), attese)
    for tabella in ("redditi_correnti", "rapporti_correnti", "immobili_correnti"):
        assert getattr(letta.dsu, tabella).height == getattr(frames, tabella).height, tabella


def test_a_population_without_dsus_has_the_nuclei_columns_only(tmp_path: Path) -> None:
    nuclei = pl.DataFrame(
        {
            "id_nucleo": ["A", "B"],
            "dsu_id": pl.Series([None, None], dtype=pl.Int64),
            "isee": [1000.0, 2000.0],
        }
    )
    path = tmp_path / "p.parquet"
    salva_popolazione(Popolazione(nuclei, None, {"origine": "domande_passate"}), path)
    assert pq.read_schema(path).names == ["id_nucleo", "isee"]
    letta = leggi_popolazione(path)
    assert letta.dsu is None
    assert_frame_equal(letta.nuclei, nuclei)
    assert letta.metadati == {"origine": "domande_passate"}


def test_a_parquet_file_that_is_not_a_population_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "altro.parquet"
    pl.DataFrame({"a": [1]}).write_parquet(path)
    with pytest.raises(FileNonValido, match="non è un file di popolazione di Equo"):
        leggi_popolazione(path)
    with pytest.raises(FileNonValido, match="il file non esiste"):
        leggi_popolazione(tmp_path / "manca.parquet")
    testo = tmp_path / "testo.parquet"
    testo.write_text("ciao", encoding="utf-8")
    with pytest.raises(FileNonValido, match="non è un file Parquet leggibile"):
        leggi_popolazione(testo)


def test_a_failed_write_leaves_the_previous_file_and_no_temporary_file(
    piccola: Popolazione, tmp_path: Path
) -> None:
    path = tmp_path / "p.parquet"
    path.write_bytes(b"prima")
    with pytest.raises(RuntimeError), ScrittorePopolazione(path, {}) as scrittore:
        scrittore.scrivi(piccola)
        raise RuntimeError("interrotto")
    assert path.read_bytes() == b"prima"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.parquet"]


def test_writing_to_a_missing_folder_is_refused(piccola: Popolazione, tmp_path: Path) -> None:
    with pytest.raises(FileNonValido, match="non esiste"):
        salva_popolazione(piccola, tmp_path / "manca" / "p.parquet")


def test_writing_in_a_background_thread_gives_the_same_bytes(
    a_blocchi_di_1500: Calibrazione, tmp_path: Path
) -> None:
    blocchi = [b.popolazione for b in genera_blocchi(4_000, seed=5, calibrazione=a_blocchi_di_1500)]
    for nome, in_parallelo in (("seriale.parquet", False), ("parallelo.parquet", True)):
        with ScrittorePopolazione(tmp_path / nome, {"n": "4000"}, in_parallelo=in_parallelo) as s:
            for blocco in blocchi:
                s.scrivi(blocco)
    assert (tmp_path / "seriale.parquet").read_bytes() == (
        tmp_path / "parallelo.parquet"
    ).read_bytes()


def test_an_error_in_the_background_thread_is_raised_and_nothing_is_written(
    piccola: Popolazione, tmp_path: Path
) -> None:
    diversa = Popolazione(piccola.nuclei.drop("cittadinanza"), piccola.dsu)
    path = tmp_path / "p.parquet"
    with (
        pytest.raises(ValueError, match="same columns"),
        ScrittorePopolazione(path, {}, in_parallelo=True) as scrittore,
    ):
        scrittore.scrivi(piccola)
        scrittore.scrivi(diversa)
    assert list(tmp_path.iterdir()) == []
