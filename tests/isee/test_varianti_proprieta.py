"""Properties of the ISEE variants on random valid DSUs (hypothesis).

The DSUs come from :func:`tests.isee.test_properties.dsus`; :func:`dsus_varianti` adds the
blocks the variants read (assegno unico, figli outside the nucleo, the student, the ISEE
corrente request), which the ordinary ISEE ignores. A variant that does not apply to a DSU
(:func:`equo.isee.varianti.motivo_non_applicabile`) is left out of the properties that range
over every variant.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from equo.isee.engine import RESULT_COLUMNS, compute
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU, eta_alla_data
from equo.isee.varianti import Variante, motivo_non_applicabile
from equo.synthetic.codice_fiscale import codice_fiscale_sintetico
from tests.isee.builders import member, years_before
from tests.isee.test_properties import dsus, rapporti, redditi

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

INDICATORI = [c for c in RESULT_COLUMNS if c != "dsu_id"]
DISABILITA = ("media", "grave", "non_autosufficiente")
# Scale of a figlio's own nucleo, in hundredths: parametri base and some maggiorazioni.
SCALE_FIGLIO = (100, 150, 157, 177, 204, 224, 246, 266, 285, 335, 320)
SOGLIA = 9_000
# Comuni: two capoluoghi di città metropolitana (Roma, Milano), Parma, and none given.
COMUNI = (None, "H501", "F205", "G337")
# Invented figli outside the nucleo (not members of any drawn DSU: other surnames).
FIGLI_FUORI = tuple(
    codice_fiscale_sintetico(cognome, nome, dt.date(1960 + i, 1 + i, 10 + i), sesso)
    for i, (cognome, nome, sesso) in enumerate(
        [("Valli", "Dino", "M"), ("Valli", "Irma", "F"), ("Sardo", "Ugo", "M")]
    )
)


def _row(dsu: DSU, variante: Variante = Variante.ORDINARIO) -> dict[str, Any]:
    return compute(dsu_frames([dsu]), variante=variante).nuclei.row(0, named=True)


def _eta(dsu: dict[str, Any], componente: dict[str, Any]) -> int:
    return eta_alla_data(componente["data_nascita"], dsu["data_presentazione"])


# --- strategies -----------------------------------------------------------------------------------


@st.composite
def figli_non_compresi(draw: st.DrawFn, n: int = 3) -> list[dict[str, Any]]:
    """Figli outside the nucleo; the ISE is often at or next to the threshold × scala."""
    figli = []
    for cf in draw(st.lists(st.sampled_from(FIGLI_FUORI), max_size=n, unique=True)):
        centesimi_scala = draw(st.sampled_from(SCALE_FIGLIO))
        soglia_centesimi = SOGLIA * centesimi_scala  # ISE (cents) at which x = 9,000 exactly
        ise_centesimi = draw(
            st.one_of(
                st.sampled_from([soglia_centesimi, soglia_centesimi - 1, soglia_centesimi + 1]),
                st.integers(0, 15_000_000),
            )
        )
        figlio: dict[str, Any] = {
            "codice_fiscale": cf,
            "ise_figlio": ise_centesimi / 100,
            "scala_nucleo_figlio": centesimi_scala / 100,
        }
        if draw(st.integers(0, 4)) == 0:
            figlio["esclusione"] = draw(st.sampled_from(["A", "B"]))
        figli.append(figlio)
    return figli


def genitore_non_convivente(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """A genitore non convivente (GNC): attracted, left out (c) or with a componente (a)."""
    day = data["data_presentazione"]
    born = draw(st.dates(years_before(day, 70), years_before(day, 18)))
    condizione = draw(st.sampled_from([None, None, "a", "c"]))
    extra: dict[str, Any] = {"condizione_art_7": condizione} if condizione else {}
    if condizione == "a":
        extra["componente_aggiuntiva"] = draw(st.integers(0, 500_000).map(lambda c: c / 100))
    return member(
        "Vitale",
        "Omar",
        born,
        "M",
        "GNC",
        attivita_lavorativa_6_mesi=draw(st.booleans()),
        redditi=draw(redditi()),
        rapporti=draw(st.lists(rapporti(), max_size=2)),
        **extra,
    )


@st.composite
def dsus_varianti(draw: st.DrawFn) -> dict[str, Any]:
    """A DSU of :func:`dsus` with the blocks of every variant, each present or not."""
    data = draw(dsus())
    if draw(st.integers(0, 2)) == 0:
        data["componenti"].append(genitore_non_convivente(draw, data))
    if draw(st.booleans()):
        data["assegno_unico_annuo"] = draw(st.integers(0, 1_000_000).map(lambda c: c / 100))
    if draw(st.booleans()):
        data["residenziale"] = {"figli_non_compresi": draw(figli_non_compresi())}
    if draw(st.booleans()):
        # the dichiarante living on his own (autonomous or not), or a figlio at home
        figli = [c for c in data["componenti"] if c["rapporto"] in ("F", "FC", "FNC")]
        studente = draw(st.sampled_from([data["componenti"][0], *figli]))
        da_solo = studente["rapporto"] == "D"
        data["universitario"] = {
            "studente": studente["codice_fiscale"],
            "anno_accademico": data["data_presentazione"].year - draw(st.integers(0, 1)),
            "anni_residenza_fuori_famiglia": draw(st.integers(0, 4)) if da_solo else 0,
            "abitazione_non_di_familiari": da_solo and draw(st.booleans()),
            "reddito_lavoro": draw(st.sampled_from([None, 5_000.0, 6_500.0, 9_000.0, 15_000.0])),
        }
    if draw(st.booleans()):
        who = draw(st.sampled_from(data["componenti"]))
        data["corrente"] = {
            "variazione_lavoro": draw(st.sampled_from([True, True, False])),
            "interruzione_trattamenti": draw(st.booleans()),
            "redditi_correnti": [
                {"codice_fiscale": who["codice_fiscale"], "redditi": draw(redditi())}
            ],
        }
    return data


@st.composite
def nuclei_ristretti(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """A nucleo ristretto of members of ``data``: an adult beneficiary, at most one coniuge,
    figli with the code their age allows (F under 18, FC or FNC adults)."""
    adulti = [c for c in data["componenti"] if _eta(data, c) >= 18]
    beneficiario = draw(st.sampled_from(adulti))
    altri = [c for c in data["componenti"] if c is not beneficiario]
    scelti = draw(st.lists(st.sampled_from(altri), unique_by=id)) if altri else []
    membri = [{"codice_fiscale": beneficiario["codice_fiscale"], "relazione": "B"}]
    coniuge = False
    for c in scelti:
        if _eta(data, c) < 18:
            relazione = "F"
        else:
            codici = ["FC", "FNC"] + ([] if coniuge else ["C"])
            relazione = draw(st.sampled_from(codici))
            coniuge = coniuge or relazione == "C"
        membri.append({"codice_fiscale": c["codice_fiscale"], "relazione": relazione})
    return {"componenti": membri}


def _anni_dopo(day: dt.date, anni: int) -> dt.date:
    try:
        return day.replace(year=day.year + anni)
    except ValueError:  # 29 February
        return day.replace(year=day.year + anni, day=28)


def _nel_2026(data: dict[str, Any], comune: str | None) -> DSU:
    """``data`` moved by whole years into 2026, every member as old as before (but for a
    29 February, which the model may then refuse: such a draw is discarded)."""
    anni = 2026 - data["data_presentazione"].year
    moved = copy.deepcopy(data)
    moved["data_presentazione"] = _anni_dopo(data["data_presentazione"], anni)
    for c in moved["componenti"]:
        born = _anni_dopo(c["data_nascita"], anni)
        c["data_nascita"] = born
        c["codice_fiscale"] = codice_fiscale_sintetico(c["cognome"], c["nome"], born, c["sesso"])
    if comune is not None:
        moved["abitazione"] = {**moved["abitazione"], "codice_comune": comune}
    try:
        return DSU.model_validate(moved)
    except ValidationError:
        assume(False)
        raise


def _applicabili(dsu: DSU) -> list[Variante]:
    return [v for v in Variante if motivo_non_applicabile(dsu, v) is None]


# --- residenze ------------------------------------------------------------------------------------


@SETTINGS
@given(dsus(), figli_non_compresi(), st.sampled_from(DISABILITA))
def test_the_residenze_componente_is_zero_up_to_9000_and_positive_above(
    data: dict[str, Any], figli: list[dict[str, Any]], disabilita: str
) -> None:
    data["componenti"][0]["disabilita"] = disabilita  # the beneficiary (no nucleo ristretto)
    data["residenziale"] = {"figli_non_compresi": figli}
    row = _row(DSU.model_validate(data), Variante.RESIDENZE)
    atteso = Decimal(0)
    for f in figli:
        ise, scala = Decimal(repr(f["ise_figlio"])), Decimal(repr(f["scala_nucleo_figlio"]))
        if ise / scala > SOGLIA and "esclusione" not in f:
            atteso += Decimal("0.2") * (ise / scala - SOGLIA)
    if atteso == 0:
        assert row["componenti_aggiuntive"] == 0
        # the ISEE is rounded to the cent, the value before the componenti is not
        assert row["isee"] == pytest.approx(
            row["isee_prima_delle_componenti_aggiuntive"], abs=0.005 + 1e-9
        )
    else:
        assert row["componenti_aggiuntive"] > 0
        assert row["componenti_aggiuntive_lorde"] == pytest.approx(float(atteso), abs=1e-5)
        assert row["componenti_aggiuntive"] == pytest.approx(
            float(atteso) / row["scala_equivalenza"], abs=1e-5
        )


# --- sociosanitario -------------------------------------------------------------------------------


@SETTINGS
@given(dsus(), st.data())
def test_the_nucleo_ristretto_never_has_more_members_than_the_ordinary_nucleo(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    data["nucleo_ristretto"] = draw.draw(nuclei_ristretti(data), label="nucleo ristretto")
    dsu = DSU.model_validate(data)
    ristretto, ordinario = _row(dsu, Variante.SOCIOSANITARIO), _row(dsu)
    assert ristretto["n_componenti"] == len(data["nucleo_ristretto"]["componenti"])
    assert ristretto["n_componenti"] <= ordinario["n_componenti"]
    assert ristretto["isee"] >= 0


@SETTINGS
@given(dsus())
def test_sociosanitario_without_a_nucleo_ristretto_is_the_ordinario(data: dict[str, Any]) -> None:
    dsu = DSU.model_validate(data)
    sociosanitario, ordinario = _row(dsu, Variante.SOCIOSANITARIO), _row(dsu)
    assert {c: sociosanitario[c] for c in INDICATORI} == {c: ordinario[c] for c in INDICATORI}


# --- specifiche-2026 and nido ---------------------------------------------------------------------


@SETTINGS
@given(dsus(), st.sampled_from(COMUNI))
def test_the_2026_specifiche_isee_is_never_above_the_ordinario(
    data: dict[str, Any], comune: str | None
) -> None:
    dsu = _nel_2026(data, comune)
    ordinario, specifiche = _row(dsu), _row(dsu, Variante.SPECIFICHE_2026)
    assert specifiche["franchigia_casa"] >= ordinario["franchigia_casa"]
    assert specifiche["scala_equivalenza"] >= ordinario["scala_equivalenza"]
    assert specifiche["isee"] <= ordinario["isee"]


@SETTINGS
@given(dsus_varianti(), st.integers(0, 1_500_000))
def test_the_nido_isee_is_never_above_the_minorenni_isee(
    data: dict[str, Any], assegno_centesimi: int
) -> None:
    dsu = DSU.model_validate({**data, "assegno_unico_annuo": assegno_centesimi / 100})
    nido, minorenni = _row(dsu, Variante.NIDO), _row(dsu, Variante.MINORENNI)
    assert 0 <= nido["isee"] <= minorenni["isee"]


# --- every variant --------------------------------------------------------------------------------


@SETTINGS
@given(dsus_varianti())
def test_the_isee_of_every_variant_that_applies_is_never_negative(data: dict[str, Any]) -> None:
    dsu = DSU.model_validate(data)
    for variante in _applicabili(dsu):
        row = _row(dsu, variante)
        assert row["isee"] >= 0, variante
        assert row["isr"] >= 0 and row["isp"] >= 0 and row["ise"] >= 0, variante


@settings(SETTINGS, max_examples=30)
@given(st.lists(dsus_varianti(), min_size=2, max_size=3))
def test_a_batch_gives_what_each_dsu_gives_alone_in_every_variant(
    batch: list[dict[str, Any]],
) -> None:
    validated = [DSU.model_validate(d) for d in batch]
    for variante in Variante:
        applicabili = [d for d in validated if motivo_non_applicabile(d, variante) is None]
        if not applicabili:
            continue
        together = compute(dsu_frames(applicabili), variante=variante).nuclei.select(INDICATORI)
        alone = pl.concat(
            [
                compute(dsu_frames([d]), variante=variante).nuclei.select(INDICATORI)
                for d in applicabili
            ]
        )
        assert together.equals(alone), f"variante {variante.value}:\n{together}\n{alone}"
