"""ISEE socio-sanitario (nucleo ristretto) and residenze (componenti aggiuntive, donazioni)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from equo.isee.attestazione.da_dsu import componenti_da_dsu
from equo.isee.engine import compute
from equo.isee.explain import explain_dsu
from equo.isee.format import euro
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.isee.render import render_text
from equo.isee.varianti import Variante, VariantNotApplicableError
from tests.isee.builders import born_aged, conto_corrente, dsu_dict, member

DAY = dt.date(2024, 4, 15)
SS, RES = Variante.SOCIOSANITARIO, Variante.RESIDENZE


def _row(dsu: DSU, variante: Variante = Variante.ORDINARIO) -> dict[str, Any]:
    return compute(dsu_frames([dsu]), variante=variante).nuclei.row(0, named=True)


def _pensionata(**extra: Any) -> DSU:
    """S2 of the domain reference: single, non autosufficiente, pension 14,000, rent 6,000."""
    data = dsu_dict(
        DAY,
        member(
            "Moretti",
            "Ada",
            "1940-02-11",
            "F",
            "D",
            disabilita="non_autosufficiente",
            redditi={
                "reddito_complessivo_irpef": 14_000,
                "pensione": 14_000,
                "trattamenti_disabilita": 6_000,
            },
        ),
        abitazione={"titolo": "locazione", "canone_annuo": 6_000},
    )
    return DSU.model_validate({**data, **extra})


def _figlio(nome: str, ise: float, scala: float, **extra: Any) -> dict[str, Any]:
    cf = member("Moretti", nome, "1968-05-05", "M", None)["codice_fiscale"]
    return {"codice_fiscale": cf, "ise_figlio": ise, "scala_nucleo_figlio": scala, **extra}


def test_residenze_adds_each_figlio_componente_aggiuntiva_as_in_case_s3() -> None:
    """isee.md §11.2 S3: CA_A 426.02 + CA_B 73.89 on the S2 ISEE 4,666.67 → 5,166.57."""
    dsu = _pensionata(
        residenziale={
            "figli_non_compresi": [_figlio("Carlo", 30_000, 2.46), _figlio("Piero", 15_000, 1.57)]
        }
    )
    row = _row(dsu, RES)
    assert row["isee_prima_delle_componenti_aggiuntive"] == pytest.approx(4_666.67, abs=0.005)
    assert row["componenti_aggiuntive"] == pytest.approx(426.02 + 73.89, abs=0.01)
    assert row["isee"] == 5_166.57
    assert _row(dsu)["isee"] == 4_666.67  # the ordinary ISEE ignores the figli outside


def test_residenze_reproduces_the_aduc_componente_of_case_e6() -> None:
    """isee.md §11.1 E6: child ISE 50,000 (ISR 30,000 + 20% of 100,000), child's scala 2.04,
    beneficiary's scala 2.57 (two spouses, both disabled): componente 1,206.99."""
    coniuge = member("Ferri", "Bruno", "1938-01-01", "M", "C", disabilita="grave")
    data = dsu_dict(
        DAY,
        member("Moretti", "Ada", "1940-02-11", "F", "D", disabilita="non_autosufficiente"),
        coniuge,
    )
    dsu = DSU.model_validate(
        {**data, "residenziale": {"figli_non_compresi": [_figlio("Carlo", 50_000, 2.04)]}}
    )
    row = _row(dsu, RES)
    assert row["scala_equivalenza"] == 2.57
    assert round(row["componenti_aggiuntive"], 2) == 1_206.99


def test_no_componente_below_the_threshold_or_for_an_excluded_figlio() -> None:
    dsu = _pensionata(
        residenziale={
            "figli_non_compresi": [
                _figlio("Carlo", 14_000, 1.57),  # 8,917.20 < 9,000
                _figlio("Piero", 90_000, 1.0, esclusione="B", estremi_esclusione="Tribunale"),
            ]
        }
    )
    row = _row(dsu, RES)
    assert row["componenti_aggiuntive"] == 0
    assert row["isee"] == _row(dsu)["isee"]


def test_a_donated_property_counts_only_in_the_residenze_isee() -> None:
    dono = {"tipo": "fabbricato", "valore_imu": 90_000, "quota_donata": 50}
    dsu = _pensionata(residenziale={"donazioni": [dono]})
    assert _row(dsu, RES)["isp"] == 45_000  # no mortgage, no casa threshold
    assert _row(dsu)["isp"] == 0
    assert _row(dsu, SS)["isp"] == 0


def test_residenze_refuses_a_beneficiary_without_disability() -> None:
    data = dsu_dict(DAY, member("Riva", "Gino", "1950-01-01", "M", "D"))
    with pytest.raises(VariantNotApplicableError, match="needs a beneficiary with disabilità"):
        compute(dsu_frames([DSU.model_validate(data)]), variante=RES)


def _famiglia_con_figlio_disabile(**ristretto: Any) -> dict[str, Any]:
    padre = member(
        "Sala",
        "Enzo",
        born_aged(60, DAY),
        "M",
        "D",
        redditi={"reddito_complessivo_irpef": 40_000, "lavoro_dipendente": 40_000},
        rapporti=[conto_corrente(30_000)],
    )
    madre = member("Bassi", "Olga", born_aged(58, DAY), "F", "C")
    figlio = member(
        "Sala",
        "Marco",
        born_aged(30, DAY),
        "M",
        "FC",
        disabilita="grave",
        redditi={"reddito_complessivo_irpef": 4_000, "pensione": 4_000},
    )
    return dsu_dict(DAY, padre, madre, figlio, abitazione={"titolo": "altro"}) | ristretto


def test_sociosanitario_uses_the_nucleo_ristretto_of_the_disabled_adult_child() -> None:
    data = _famiglia_con_figlio_disabile()
    figlio_cf = data["componenti"][2]["codice_fiscale"]
    data["nucleo_ristretto"] = {"componenti": [{"codice_fiscale": figlio_cf, "relazione": "B"}]}
    dsu = DSU.model_validate(data)
    ristretto = _row(dsu, SS)
    assert ristretto["n_componenti"] == 1
    assert ristretto["scala_equivalenza"] == 1.5  # 1 + 0.5 disability
    assert ristretto["isr"] == 3_200  # 4,000 − 20% pension deduction (800)
    assert ristretto["isp"] == 0  # the father's account is not the beneficiary's
    assert ristretto["isee"] == 2_133.33
    ordinario = _row(dsu)
    assert ordinario["n_componenti"] == 3
    assert ordinario["isee"] > ristretto["isee"]


def test_sociosanitario_without_a_nucleo_ristretto_is_the_ordinary_isee() -> None:
    dsu = DSU.model_validate(_famiglia_con_figlio_disabile())
    assert _row(dsu, SS)["isee"] == _row(dsu)["isee"]


@pytest.mark.parametrize(
    ("ristretto", "message"),
    [
        ([{"codice_fiscale": "RSSMRA80A01H501U", "relazione": "B"}], "is not a member"),
        ([], "at least 1 item"),
        ("two_b", "exactly one member with relazione B"),
        ("minor_b", "maggiorenne beneficiary"),
    ],
)
def test_an_inconsistent_nucleo_ristretto_is_refused(ristretto: Any, message: str) -> None:
    data = _famiglia_con_figlio_disabile()
    cfs = [c["codice_fiscale"] for c in data["componenti"]]
    if ristretto == "two_b":
        ristretto = [{"codice_fiscale": cf, "relazione": "B"} for cf in cfs[:2]]
    elif ristretto == "minor_b":
        data["componenti"].append(member("Sala", "Lia", born_aged(10, DAY), "F", "F"))
        ristretto = [{"codice_fiscale": data["componenti"][3]["codice_fiscale"], "relazione": "B"}]
    data["nucleo_ristretto"] = {"componenti": ristretto}
    with pytest.raises(ValidationError, match=message):
        DSU.model_validate(data)


def test_the_residenze_explanation_shows_each_figlio() -> None:
    dsu = _pensionata(
        residenziale={
            "figli_non_compresi": [_figlio("Carlo", 30_000, 2.46), _figlio("Piero", 15_000, 1.57)]
        }
    )
    text = render_text(explain_dsu(dsu, variante=RES))
    assert text.startswith("ISEE per prestazioni socio-sanitarie residenziali – DSU")
    assert "Componenti aggiuntive per i figli non compresi nel nucleo" in text
    assert "= 426,02 €" in text and "= 73,89 €" in text
    assert "5.166,57 €" in text


def _dati_figlio(nome: str) -> dict[str, Any]:
    """A figlio's own quadro FC sheet: a salary, a current account, a building."""
    return member(
        "Moretti",
        nome,
        "1968-05-05",
        "M",
        "D",
        redditi={"reddito_complessivo_irpef": 28_000, "lavoro_dipendente": 28_000},
        rapporti=[conto_corrente(40_000)],
        immobili=[{"tipo": "fabbricato", "valore_imu": 120_000, "mutuo_residuo": 30_000}],
    )


def test_a_figlio_with_his_own_data_gives_the_componente_of_the_equivalent_ise() -> None:
    """Allegato 2 c. 1 lett. a): the ISE on the figlio alone, from the ordinary engine."""
    carlo, piero = _dati_figlio("Carlo"), _dati_figlio("Piero")
    solo = DSU.model_validate(dsu_dict(DAY, carlo))
    ise = _row(solo)["ise"]
    assert ise > 9_000 * 2.46  # above the threshold: a componente is due
    con_dati = _pensionata(
        residenziale={
            "figli_non_compresi": [
                {
                    "codice_fiscale": carlo["codice_fiscale"],
                    "dati": carlo,
                    "scala_nucleo_figlio": 2.46,
                },
                _figlio("Marco", 15_000, 1.57),
                {
                    "codice_fiscale": piero["codice_fiscale"],
                    "dati": piero,
                    "esclusione": "B",
                    "estremi_esclusione": "Tribunale",
                },
            ]
        }
    )
    con_ise = _pensionata(
        residenziale={
            "figli_non_compresi": [
                _figlio("Carlo", ise, 2.46),
                _figlio("Marco", 15_000, 1.57),
                _figlio("Piero", ise, 1.0, esclusione="B", estremi_esclusione="Tribunale"),
            ]
        }
    )
    atteso = _row(con_ise, RES)
    assert atteso["componenti_aggiuntive"] > 73.89  # Carlo's and Marco's
    # the attestazione built from the DSU prints the same componenti either way
    printed_dati, printed_ise = componenti_da_dsu([con_dati, con_ise], varianti=[RES])
    assert printed_dati.model_dump(exclude={"protocollo"}) == printed_ise.model_dump(
        exclude={"protocollo"}
    )
    # the explanation shows the ISE computed from the figlio's data, as if it had been given
    text = render_text(explain_dsu(con_dati, variante=RES))
    assert text.count(euro(ise)) >= 1
    assert render_text(explain_dsu(con_ise, variante=RES)).count(euro(ise)) == text.count(euro(ise))
    calcolato = _row(con_dati, RES)
    assert calcolato["componenti_aggiuntive"] == atteso["componenti_aggiuntive"]
    assert calcolato["isee"] == atteso["isee"]
    # one batch, two beneficiaries: the figli's pseudo-DSUs go through one compute call
    batch = compute(dsu_frames([con_dati, _pensionata(), con_ise]), variante=RES).nuclei
    assert batch["isee"].to_list() == [
        atteso["isee"],
        _row(_pensionata(), RES)["isee"],
        atteso["isee"],
    ]


def test_a_figlio_takes_either_his_ise_or_his_data() -> None:
    carlo = _dati_figlio("Carlo")
    with pytest.raises(ValidationError, match="ise_figlio and dati are both given"):
        _pensionata(
            residenziale={"figli_non_compresi": [{**_figlio("Carlo", 30_000, 2.46), "dati": carlo}]}
        )
    altro = {
        **carlo,
        "codice_fiscale": member("Moretti", "Piero", "1968-05-05", "M", None)["codice_fiscale"],
    }
    with pytest.raises(ValidationError, match=r"dati.codice_fiscale: .* is not the figlio's"):
        _pensionata(
            residenziale={
                "figli_non_compresi": [{"codice_fiscale": carlo["codice_fiscale"], "dati": altro}]
            }
        )
    with pytest.raises(ValidationError, match=r"dati\.rapporto: FC.*use D"):
        _pensionata(
            residenziale={
                "figli_non_compresi": [
                    {"codice_fiscale": carlo["codice_fiscale"], "dati": {**carlo, "rapporto": "FC"}}
                ]
            }
        )
