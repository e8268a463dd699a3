"""DSUs as columnar frames: the engine's input.

The engine computes on four Polars frames, never on objects, so that one DSU and ten million go
through the same code:

- ``nuclei``: one row per DSU; ``dsu_id`` is the row number (0..n-1);
- ``componenti``: one row per member; ``componente_id`` is the row number, ``dsu_id`` points to
  the nucleo;
- ``rapporti``: one row per financial relationship (quadro FC2), with ``componente_id``;
- ``immobili``: one row per property (quadro FC3), with ``componente_id``.

:func:`dsu_frames` builds them from validated :class:`~equo.isee.model.DSU` objects; the
synthetic population generator and the benchmarks build them directly, column by column, with
the same schema (:data:`SCHEMAS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from equo.isee.model import (
    DSU,
    Abitazione,
    Componente,
    Immobile,
    Rapporto,
    Redditi,
    TitoloAbitazione,
    eta_alla_data,
)

__all__ = ["REDDITI_FIELDS", "SCHEMAS", "DsuFrames", "dsu_frames"]

REDDITI_FIELDS: tuple[str, ...] = tuple(Redditi.model_fields)

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "nuclei": {
        "dsu_id": pl.Int64(),
        "protocollo": pl.String(),
        "data_presentazione": pl.Date(),
        "titolo_abitazione": pl.String(),
        "canone_annuo": pl.Float64(),
        "codice_comune_abitazione": pl.String(),
        "assegno_unico_annuo": pl.Float64(),
        "ha_nucleo_ristretto": pl.Boolean(),
        "studente_id": pl.Int64(),
        "anno_accademico": pl.Int32(),
        "anni_residenza_fuori_famiglia": pl.Float64(),
        "abitazione_non_di_familiari": pl.Boolean(),
        "reddito_lavoro_studente": pl.Float64(),
        "dottorato": pl.Boolean(),
        "corrente_variazione_lavoro": pl.Boolean(),
        "corrente_interruzione_trattamenti": pl.Boolean(),
    },
    "componenti": {
        "componente_id": pl.Int64(),
        "dsu_id": pl.Int64(),
        "codice_fiscale": pl.String(),
        "rapporto": pl.String(),
        "eta": pl.Int32(),
        "disabilita": pl.String(),
        "attivita_lavorativa_6_mesi": pl.Boolean(),
        "rapporto_ristretto": pl.String(),
        "condizione_art_7": pl.String(),
        "componente_aggiuntiva": pl.Float64(),
        "patrimonio_aggiornato": pl.Boolean(),
        **{name: pl.Float64() for name in REDDITI_FIELDS},
    },
    "rapporti": {
        "dsu_id": pl.Int64(),
        "componente_id": pl.Int64(),
        "tipo": pl.String(),
        "saldo_31_12": pl.Float64(),
        "giacenza_media": pl.Float64(),
        "valore": pl.Float64(),
        "titoli_stato": pl.Float64(),
    },
    "immobili": {
        "dsu_id": pl.Int64(),
        "componente_id": pl.Int64(),
        "tipo": pl.String(),
        "estero": pl.Boolean(),
        "quota_posseduta": pl.Float64(),
        "valore_imu": pl.Float64(),
        "mutuo_residuo": pl.Float64(),
        "casa_abitazione": pl.Boolean(),
        "donazione": pl.Boolean(),
    },
    "redditi_correnti": {
        "componente_id": pl.Int64(),
        **{name: pl.Float64() for name in REDDITI_FIELDS},
    },
    "figli_non_compresi": {
        "dsu_id": pl.Int64(),
        "codice_fiscale": pl.String(),
        "ise_figlio": pl.Float64(),
        "scala_nucleo_figlio": pl.Float64(),
        "escluso": pl.Boolean(),
        "figlio_dsu_id": pl.Int64(),
    },
}


def _empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMAS[table])


SCHEMAS["rapporti_correnti"] = SCHEMAS["rapporti"]
SCHEMAS["immobili_correnti"] = SCHEMAS["immobili"]


@dataclass(frozen=True)
class DsuFrames:
    """The input frames of the engine (see the module docstring)."""

    nuclei: pl.DataFrame
    componenti: pl.DataFrame
    rapporti: pl.DataFrame
    immobili: pl.DataFrame
    figli_non_compresi: pl.DataFrame = field(default_factory=lambda: _empty("figli_non_compresi"))
    redditi_correnti: pl.DataFrame = field(default_factory=lambda: _empty("redditi_correnti"))
    rapporti_correnti: pl.DataFrame = field(default_factory=lambda: _empty("rapporti_correnti"))
    immobili_correnti: pl.DataFrame = field(default_factory=lambda: _empty("immobili_correnti"))
    # the one-member pseudo-DSUs of the figli outside the nucleo given with their own data
    # (ISEE residenze): row ``figlio_dsu_id`` of ``figli_non_compresi``
    figli_dati: DsuFrames | None = None

    def __len__(self) -> int:
        return self.nuclei.height


def dsu_frames(dsus: Sequence[DSU]) -> DsuFrames:
    """Flatten validated DSUs into the engine's frames (row order follows ``dsus``)."""
    cols: dict[str, dict[str, list[Any]]] = {
        table: {name: [] for name in schema} for table, schema in SCHEMAS.items()
    }
    nuclei, componenti = cols["nuclei"], cols["componenti"]
    rapporti, immobili = cols["rapporti"], cols["immobili"]
    figli = cols["figli_non_compresi"]
    componente_id = 0
    figli_dati: list[DSU] = []
    for dsu_id, dsu in enumerate(dsus):
        ristretto = (
            {m.codice_fiscale: m.relazione for m in dsu.nucleo_ristretto.componenti}
            if dsu.nucleo_ristretto
            else {}
        )
        nuclei["ha_nucleo_ristretto"].append(bool(ristretto))
        _append_universitario(nuclei, dsu, componente_id)
        nuclei["corrente_variazione_lavoro"].append(
            dsu.corrente.variazione_lavoro if dsu.corrente else None
        )
        nuclei["corrente_interruzione_trattamenti"].append(
            dsu.corrente.interruzione_trattamenti if dsu.corrente else None
        )
        correnti = (
            {rc.codice_fiscale: rc.redditi for rc in dsu.corrente.redditi_correnti}
            if dsu.corrente
            else {}
        )
        patrimoni = (
            {p.codice_fiscale: p for p in dsu.corrente.patrimoni_correnti} if dsu.corrente else {}
        )
        # the beneficiary of the socio-sanitario variants: declared, or else the dichiarante
        beneficiario = (
            dsu.nucleo_ristretto.beneficiario
            if dsu.nucleo_ristretto
            else next(c.codice_fiscale for c in dsu.componenti if c.rapporto.value == "D")
        )
        nuclei["dsu_id"].append(dsu_id)
        nuclei["protocollo"].append(dsu.protocollo)
        nuclei["data_presentazione"].append(dsu.data_presentazione)
        nuclei["titolo_abitazione"].append(dsu.abitazione.titolo.value)
        nuclei["canone_annuo"].append(dsu.abitazione.canone_annuo)
        nuclei["codice_comune_abitazione"].append(dsu.abitazione.codice_comune)
        nuclei["assegno_unico_annuo"].append(dsu.assegno_unico_annuo)
        for c in dsu.componenti:
            componenti["componente_id"].append(componente_id)
            componenti["dsu_id"].append(dsu_id)
            componenti["codice_fiscale"].append(c.codice_fiscale)
            componenti["rapporto"].append(c.rapporto.value)
            componenti["eta"].append(eta_alla_data(c.data_nascita, dsu.data_presentazione))
            componenti["disabilita"].append(c.disabilita.value)
            componenti["attivita_lavorativa_6_mesi"].append(c.attivita_lavorativa_6_mesi)
            componenti["condizione_art_7"].append(
                None if c.condizione_art_7 is None else c.condizione_art_7.value
            )
            componenti["componente_aggiuntiva"].append(c.componente_aggiuntiva)
            if c.codice_fiscale in correnti:
                cols["redditi_correnti"]["componente_id"].append(componente_id)
                for name in REDDITI_FIELDS:
                    cols["redditi_correnti"][name].append(getattr(correnti[c.codice_fiscale], name))
            relazione = ristretto.get(c.codice_fiscale)
            componenti["rapporto_ristretto"].append(
                None if relazione is None else relazione.come_rapporto.value
            )
            for name in REDDITI_FIELDS:
                componenti[name].append(getattr(c.redditi, name))
            _append_patrimonio(rapporti, immobili, dsu_id, componente_id, c.rapporti, c.immobili)
            aggiornato = patrimoni.get(c.codice_fiscale)
            componenti["patrimonio_aggiornato"].append(aggiornato is not None)
            if aggiornato is not None:
                _append_patrimonio(
                    cols["rapporti_correnti"],
                    cols["immobili_correnti"],
                    dsu_id,
                    componente_id,
                    aggiornato.rapporti,
                    aggiornato.immobili,
                )
            if c.codice_fiscale == beneficiario and dsu.residenziale is not None:
                for d in dsu.residenziale.donazioni:
                    immobili["dsu_id"].append(dsu_id)
                    immobili["componente_id"].append(componente_id)
                    immobili["tipo"].append(d.tipo.value)
                    immobili["estero"].append(False)
                    immobili["quota_posseduta"].append(d.quota_donata)
                    immobili["valore_imu"].append(d.valore_imu)
                    immobili["mutuo_residuo"].append(0.0)
                    immobili["casa_abitazione"].append(False)
                    immobili["donazione"].append(True)
            componente_id += 1
        for figlio in dsu.residenziale.figli_non_compresi if dsu.residenziale else ():
            figli["dsu_id"].append(dsu_id)
            figli["codice_fiscale"].append(figlio.codice_fiscale)
            figli["ise_figlio"].append(figlio.ise_figlio)
            figli["scala_nucleo_figlio"].append(figlio.scala_nucleo_figlio)
            figli["escluso"].append(figlio.esclusione is not None)
            figli["figlio_dsu_id"].append(None if figlio.dati is None else len(figli_dati))
            if figlio.dati is not None:
                figli_dati.append(dsu_del_figlio(figlio.dati, dsu))
    frames = {table: pl.DataFrame(cols[table], schema=schema) for table, schema in SCHEMAS.items()}
    return DsuFrames(**frames, figli_dati=dsu_frames(figli_dati) if figli_dati else None)


def dsu_del_figlio(dati: Componente, dsu: DSU) -> DSU:
    """The figlio alone as a one-member DSU at the parent's DSU date (Allegato 2 c. 1 lett. a).

    No casa di abitazione (titolo ``altro``), no donations, no variant data: see the residenze
    entry of the known uncertainties.
    """
    return DSU(
        protocollo=None,
        data_presentazione=dsu.data_presentazione,
        componenti=[dati],
        abitazione=Abitazione(titolo=TitoloAbitazione.ALTRO),
    )


def _append_universitario(nuclei: dict[str, list[Any]], dsu: DSU, first_id: int) -> None:
    """The student's row number and the facts of the autonomy test (nulls without a student)."""
    u = dsu.universitario
    if u is None:
        for name in _UNIVERSITARIO:
            nuclei[name].append(None)
        return
    position, studente = next(
        (i, c) for i, c in enumerate(dsu.componenti) if c.codice_fiscale == u.studente
    )
    nuclei["studente_id"].append(first_id + position)
    nuclei["anno_accademico"].append(u.anno_accademico)
    nuclei["anni_residenza_fuori_famiglia"].append(u.anni_residenza_fuori_famiglia)
    nuclei["abitazione_non_di_familiari"].append(u.abitazione_non_di_familiari)
    nuclei["reddito_lavoro_studente"].append(
        studente.redditi.lavoro_dipendente if u.reddito_lavoro is None else u.reddito_lavoro
    )
    nuclei["dottorato"].append(u.dottorato)


_UNIVERSITARIO = (
    "studente_id",
    "anno_accademico",
    "anni_residenza_fuori_famiglia",
    "abitazione_non_di_familiari",
    "reddito_lavoro_studente",
    "dottorato",
)


def _append_patrimonio(
    rapporti: dict[str, list[Any]],
    immobili: dict[str, list[Any]],
    dsu_id: int,
    componente_id: int,
    member_rapporti: Sequence[Rapporto],
    member_immobili: Sequence[Immobile],
) -> None:
    """A member's relationships and properties as rows of the two frames."""
    for r in member_rapporti:
        rapporti["dsu_id"].append(dsu_id)
        rapporti["componente_id"].append(componente_id)
        rapporti["tipo"].append(r.tipo.value)
        rapporti["saldo_31_12"].append(r.saldo_31_12)
        rapporti["giacenza_media"].append(r.giacenza_media)
        rapporti["valore"].append(r.valore)
        rapporti["titoli_stato"].append(r.titoli_stato)
    for im in member_immobili:
        immobili["dsu_id"].append(dsu_id)
        immobili["componente_id"].append(componente_id)
        immobili["tipo"].append(im.tipo.value)
        immobili["estero"].append(im.estero)
        immobili["quota_posseduta"].append(im.quota_posseduta)
        immobili["valore_imu"].append(im.valore_imu)
        immobili["mutuo_residuo"].append(im.mutuo_residuo)
        immobili["casa_abitazione"].append(im.casa_abitazione)
        immobili["donazione"].append(False)
